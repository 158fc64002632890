export async function enqueue(job: unknown): Promise<string> {
  return crypto.randomUUID();
}

export async function* progressOf(id: string): AsyncGenerator<{ id: string; percent: number }> {
  for (let percent = 0; percent <= 100; percent += 10) yield { id, percent };
}
