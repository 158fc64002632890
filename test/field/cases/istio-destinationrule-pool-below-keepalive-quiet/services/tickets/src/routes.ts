import type express from 'express';

export const routes = (app: express.Express): express.Express => {
  app.get('/tickets/:id', (req, res) => res.json({ id: req.params.id, status: 'open' }));
  app.post('/tickets', (req, res) => res.status(201).json({ id: 't-1', ...req.body }));
  return app;
};
