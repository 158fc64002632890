import OpenAI from 'openai';

export const maxDuration = 30;

const openai = new OpenAI();

export async function POST(request: Request) {
  const { essay } = await request.json();
  const completion = await openai.chat.completions.create({
    model: 'gpt-4o',
    messages: [{ role: 'user', content: `Grade this essay from 1 to 10 and explain:\n${essay}` }],
  });
  return Response.json({ grade: completion.choices[0]?.message?.content });
}
