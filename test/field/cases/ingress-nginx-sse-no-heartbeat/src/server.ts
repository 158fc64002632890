import express from 'express';
import { onGoal } from './feed';

const app = express();

app.get('/api/matches/:id/live', (req, res) => {
  res.set({ 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
  res.flushHeaders();
  const off = onGoal(req.params.id, (goal) => res.write(`data: ${JSON.stringify(goal)}\n\n`));
  req.on('close', off);
});

app.get('/api/matches', (_req, res) => res.json([]));

const server = app.listen(8080);
server.keepAliveTimeout = 75_000;
