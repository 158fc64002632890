import OpenAI from 'openai';

const openai = new OpenAI();

export async function* summarise(id) {
  const stream = await openai.chat.completions.create({ model: 'gpt-4o-mini', stream: true, messages: [{ role: 'user', content: `Summarise note ${id}` }] });
  for await (const chunk of stream) yield chunk.choices[0]?.delta?.content ?? '';
}
