import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import { enqueue, progressOf } from './queue';

const app = new Hono();

app.post('/jobs', async (c) => {
  const body = await c.req.json();
  const id = await enqueue(body);
  return c.json({ id }, 202);
});

app.get('/jobs/:id/progress', (c) =>
  streamSSE(c, async (stream) => {
    for await (const step of progressOf(c.req.param('id'))) {
      await stream.writeSSE({ event: 'progress', data: JSON.stringify(step) });
    }
  }),
);

serve({ fetch: app.fetch, port: 8787 });
