import express from 'express';
import { inbox } from './inbox';

const app = express();

app.get('/api/events/:userId', (req, res) => {
  res.setHeader('Content-Type', 'text/event-stream');
  res.setHeader('Cache-Control', 'no-cache');
  res.flushHeaders();
  const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
  const off = inbox.subscribe(req.params.userId, (n) => res.write(`data: ${JSON.stringify(n)}\n\n`));
  req.on('close', () => {
    clearInterval(heartbeat);
    off();
  });
});

app.get('/api/notifications/:userId', (req, res) => res.json(inbox.list(req.params.userId)));

const server = app.listen(9000);
server.keepAliveTimeout = 65_000;
server.headersTimeout = 66_000;
