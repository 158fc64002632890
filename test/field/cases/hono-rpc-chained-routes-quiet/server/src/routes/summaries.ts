import { zValidator } from '@hono/zod-validator';
import { Hono } from 'hono';
import OpenAI from 'openai';
import { z } from 'zod';

const openai = new OpenAI({ timeout: 120_000, maxRetries: 1 });

export const summaries = new Hono()
  .post('/', zValidator('json', z.object({ text: z.string() })), async (c) => {
    const { text } = c.req.valid('json');
    const completion = await openai.chat.completions.create({
      model: 'gpt-4o',
      messages: [{ role: 'user', content: `Summarize:\n\n${text}` }],
    });
    return c.json({ summary: completion.choices[0]?.message.content ?? '' });
  })
  .get('/:id', (c) => c.json({ id: c.req.param('id') }));
