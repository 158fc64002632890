import express from 'express';
import { createServer } from 'node:http';
import { Server } from 'socket.io';
import { answerStream } from './answers';

const app = express();
const httpServer = createServer(app);
const io = new Server(httpServer);

io.on('connection', (socket) => socket.emit('hello'));

app.get('/api/stream/:threadId', async (req, res) => {
  res.setHeader('Content-Type', 'text/event-stream');
  res.setHeader('Cache-Control', 'no-cache');
  for await (const token of answerStream(req.params.threadId)) {
    res.write(`data: ${token}\n\n`);
  }
  res.end();
});

httpServer.listen(3000);
