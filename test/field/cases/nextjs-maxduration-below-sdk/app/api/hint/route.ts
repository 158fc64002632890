import OpenAI from 'openai';

export const maxDuration = 60;

const openai = new OpenAI({ timeout: 45_000, maxRetries: 0 });

export async function POST(request: Request) {
  const { question } = await request.json();
  const completion = await openai.chat.completions.create({
    model: 'gpt-4o-mini',
    messages: [{ role: 'user', content: `Give one hint for: ${question}` }],
  });
  return Response.json({ hint: completion.choices[0]?.message?.content });
}
