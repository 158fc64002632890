import { mastra } from '@/mastra';

// Streams a multi-day plan; long trips take minutes of tokens.
export const maxDuration = 30;

export async function POST(req: Request) {
  const { messages } = await req.json();
  const agent = mastra.getAgent('plannerAgent');
  const stream = await agent.stream(messages);
  return stream.toDataStreamResponse();
}
