import express from 'express';
import helmet from 'helmet';

export async function buildApp(): Promise<express.Express> {
  const app = express();
  app.use(helmet());
  app.get('/healthz', (_req, res) => {
    res.send('ok');
  });
  app.get('/start', (_req, res) => {
    res.send('<h1>Start</h1>');
  });
  return app;
}
