export function onGoal(matchId: string, listener: (goal: { matchId: string; minute: number }) => void): () => void {
  const timer = setInterval(() => listener({ matchId, minute: 0 }), 20 * 60_000);
  return () => clearInterval(timer);
}
