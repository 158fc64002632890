import express from 'express';
import { progressFeed } from './progress';

const app = express();

// Every response may be a stream: tell reverse proxies not to buffer.
app.use((_req, res, next) => {
  res.setHeader('X-Accel-Buffering', 'no');
  next();
});

app.get('/sse/mining/:taskId', progressFeed);
app.get('/api/tasks', (_req, res) => res.json([]));

app.listen(8081);
