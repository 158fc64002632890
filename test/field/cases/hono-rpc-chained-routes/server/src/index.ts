import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { logger } from 'hono/logger';
import { summaries } from './routes/summaries';

// Routes are chained so that the client gets their types (hono/client).
const app = new Hono()
  .basePath('/api')
  .use(logger())
  .get('/health', (c) => c.json({ ok: true }))
  .route('/summaries', summaries);

export type AppType = typeof app;

serve({ fetch: app.fetch, port: 3000 });
