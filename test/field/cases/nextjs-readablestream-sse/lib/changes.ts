export async function listenForChanges(roomId: string, onChange: (change: unknown) => void): Promise<() => void> {
  const timer = setInterval(() => onChange({ roomId, at: Date.now() }), 60_000 * 5);
  return () => clearInterval(timer);
}
