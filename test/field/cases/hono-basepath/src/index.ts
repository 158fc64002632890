import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import OpenAI from 'openai';

const openai = new OpenAI();
const app = new Hono().basePath('/api');

app.post('/terms/define', async (c) => {
  const { term } = await c.req.json();
  const completion = await openai.chat.completions.create({
    model: 'gpt-4o-mini',
    messages: [{ role: 'user', content: `Define ${term} in one paragraph.` }],
  });
  return c.json({ definition: completion.choices[0]?.message?.content });
});

serve({ fetch: app.fetch, port: 8787 });
