import OpenAI from 'openai';

const client = new OpenAI({ baseURL: process.env.MODEL_URL, apiKey: process.env.MODEL_KEY ?? 'none' });

export async function POST(request: Request): Promise<Response> {
  const { messages } = await request.json();
  const completion = await client.chat.completions.create({ model: 'granite-7b', messages, stream: true });
  const encoder = new TextEncoder();
  const body = new ReadableStream({
    async start(controller) {
      for await (const chunk of completion) controller.enqueue(encoder.encode(chunk.choices[0]?.delta?.content ?? ''));
      controller.close();
    },
  });
  return new Response(body, { headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
}
