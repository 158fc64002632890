import OpenAI from 'openai';

// Reasoning answers for long contracts take minutes.
const llm = new OpenAI({ baseURL: `${process.env.LLM_BASE_URL}/v1`, apiKey: process.env.LITELLM_KEY, timeout: 300_000 });

export async function reviewContract(text: string) {
  const completion = await llm.chat.completions.create({
    model: 'reasoning',
    messages: [{ role: 'user', content: `List the risky clauses:\n${text}` }],
  });
  return completion.choices[0]?.message?.content ?? '';
}
