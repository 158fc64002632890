import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { logger } from 'hono/logger';
import { timeout } from 'hono/timeout';
import OpenAI from 'openai';

const openai = new OpenAI({ apiKey: process.env.OPENAI_API_KEY, timeout: 120_000 });

const app = new Hono();

app.use(logger());
app.use('/api/*', timeout(60_000));

app.post('/api/summarize', async (c) => {
  const { text } = await c.req.json<{ text: string }>();
  const completion = await openai.chat.completions.create({
    model: 'gpt-4o-mini',
    messages: [{ role: 'user', content: `Summarize in three sentences:\n\n${text}` }],
  });
  return c.json({ summary: completion.choices[0]?.message.content ?? '' });
});

app.get('/health', (c) => c.text('ok'));

serve({ fetch: app.fetch, port: Number(process.env.PORT ?? 8787) });
