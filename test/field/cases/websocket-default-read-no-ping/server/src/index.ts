import { WebSocketServer } from 'ws';

const wss = new WebSocketServer({ port: 9001 });
const boards = new Map<string, Set<import('ws').WebSocket>>();

wss.on('connection', (socket, request) => {
  const board = new URL(request.url ?? '/', 'http://x').searchParams.get('board') ?? 'default';
  const peers = boards.get(board) ?? new Set();
  peers.add(socket);
  boards.set(board, peers);
  socket.on('message', (data) => peers.forEach((peer) => peer !== socket && peer.send(data)));
  socket.on('close', () => peers.delete(socket));
});
