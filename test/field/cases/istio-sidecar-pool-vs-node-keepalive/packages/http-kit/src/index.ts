import express from 'express';

/** The shared API shell: JSON bodies, health endpoint, then the service's own routes. */
export const ApiServer = (routes: (app: express.Express) => express.Express, app: express.Express = express()): express.Express => {
  app.disable('x-powered-by');
  app.use(express.json({ limit: '1mb' }));
  app.get('/health', (_req, res) => res.json({ ok: true }));
  return routes(app);
};
