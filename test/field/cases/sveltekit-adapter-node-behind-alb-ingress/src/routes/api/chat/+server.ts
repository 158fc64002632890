import OpenAI from 'openai';
import { env } from '$env/dynamic/private';
import type { RequestHandler } from './$types';

const openai = new OpenAI({ apiKey: env.OPENAI_API_KEY, timeout: 45_000 });

export const POST: RequestHandler = async ({ request }) => {
  const { messages } = await request.json();
  const completion = await openai.chat.completions.create({ model: 'gpt-4o-mini', messages });
  return new Response(JSON.stringify(completion.choices[0]?.message ?? null), { headers: { 'content-type': 'application/json' } });
};
