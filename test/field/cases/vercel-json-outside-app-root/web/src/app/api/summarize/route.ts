import { streamText } from 'ai';
import { openai } from '@ai-sdk/openai';

export async function POST(request: Request) {
  const { text } = await request.json();
  const result = streamText({ model: openai('gpt-4o-mini'), prompt: `Summarize:\n${text}`, abortSignal: request.signal });
  return result.toDataStreamResponse();
}
