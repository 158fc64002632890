import OpenAI from 'openai';

const client = new OpenAI({ baseURL: `${process.env.MODEL_URL}/v1`, apiKey: 'unused' });

export async function POST(request: Request) {
  const { diff } = await request.json();
  const completion = await client.chat.completions.create({
    model: 'granite-8b-code',
    messages: [{ role: 'user', content: `Review this diff:\n${diff}` }],
  });
  return Response.json({ review: completion.choices[0]?.message?.content });
}
