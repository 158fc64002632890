import express from 'express';
import cors from 'cors';
import { subscribe } from './channels';

const app = express();
app.use(cors());

app.get('/api/features/:key', (req, res) => {
  res.json({ key: req.params.key, features: {} });
});

app.get('/sub/:key', (req, res) => {
  res.writeHead(200, {
    'Content-Type': 'text/event-stream',
    'Cache-Control': 'no-cache',
    Connection: 'keep-alive',
  });
  res.flushHeaders();
  const heartbeat = setInterval(() => res.write(': ping\n\n'), 20_000);
  const off = subscribe(req.params.key, (payload) => res.write(`data: ${payload}\n\n`));
  req.on('close', () => {
    clearInterval(heartbeat);
    off();
  });
});

app.listen(3300);
