import { plannerAgent } from '@/mastra/agents/planner';

export const maxDuration = 60;

export async function POST(req: Request) {
  const { messages } = await req.json();
  const result = await plannerAgent.generate(messages, { abortSignal: AbortSignal.timeout(45_000) });
  return Response.json({ summary: result.text });
}
