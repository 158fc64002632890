import OpenAI from 'openai';
import type { RequestHandler } from './$types';

const openai = new OpenAI();

export const POST: RequestHandler = async ({ request, params }) => {
  const { messages } = await request.json();
  const completion = await openai.chat.completions.create({ model: 'gpt-4o', messages, stream: true, user: params.id });
  const body = new ReadableStream({
    async start(controller) {
      for await (const chunk of completion) controller.enqueue(new TextEncoder().encode(chunk.choices[0]?.delta?.content ?? ''));
      controller.close();
    },
  });
  return new Response(body, { headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
};
