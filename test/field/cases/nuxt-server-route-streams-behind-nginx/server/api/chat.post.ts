import { streamText } from 'ai';
import { openai } from '@ai-sdk/openai';

export default defineEventHandler(async (event) => {
  const { messages } = await readBody(event);
  const result = streamText({ model: openai('gpt-4o-mini'), messages, abortSignal: AbortSignal.timeout(240_000) });
  return result.toDataStreamResponse();
});
