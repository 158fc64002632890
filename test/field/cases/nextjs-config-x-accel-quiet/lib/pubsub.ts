export function subscribeToPub(id: string, listener: (change: { id: string }) => void): () => void {
  const timer = setInterval(() => listener({ id }), 120_000);
  return () => clearInterval(timer);
}
