import express from 'express';
import helmet from 'helmet';

export function createApp() {
  const app = express();
  app.use(helmet());
  app.get('/', (_req, res) => res.send('Sign in'));
  app.post('/login', (_req, res) => res.redirect('/account'));
  return app;
}
