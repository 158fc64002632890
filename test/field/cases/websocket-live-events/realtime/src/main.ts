import { createServer } from 'node:http';
import { WebSocketServer } from 'ws';

const server = createServer((_req, res) => {
  res.writeHead(426).end('websocket only');
});
const wss = new WebSocketServer({ server, path: '/live/events' });

wss.on('connection', (socket) => {
  const ping = setInterval(() => socket.ping(), 25_000);
  socket.on('close', () => clearInterval(ping));
});

server.listen(7070);
