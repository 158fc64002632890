// Heartbeats and websocket servers read in the per-file TS facts pass: which timers keep a stream or a socket busy, with their interval, and what stays unknown.
import { describe, expect, it } from 'vitest';
import { parseTsText } from '../../server/src/engine/inputs/ts/file.js';
import { extractTsFacts, tsFactsMatter } from '../../server/src/engine/inputs/ts/facts.js';
import { shouldParseTs } from '../../server/src/engine/inputs/ts/select.js';
import { webSocketServerAnswers } from '../../server/src/engine/inputs/ts/websockets.js';

function factsOf(source: string) {
  return extractTsFacts(parseTsText('src/handler.ts', source));
}

/** Every heartbeat in the file as `function: text = ms` (the host function's name, `?` for none). */
function heartbeatsOf(source: string): string[] {
  const facts = factsOf(source);
  return facts.functions.flatMap((f) => (f.streamEvidence ?? []).filter((e) => e.kind === 'heartbeat').map((e) => `${f.name ?? '?'}: ${e.text} = ${e.intervalMs ?? 'unknown'}`));
}

const sse = (body: string, before = '') => `import express from 'express';\n${before}const app = express();\napp.get('/events', function events(req, res) {\n  res.setHeader('Content-Type', 'text/event-stream');\n${body}\n});\n`;

describe('heartbeat evidence', () => {
  const cases: Array<[string, string, string[]]> = [
    ['setInterval writing a comment', sse(`  const t = setInterval(() => res.write(': ping\\n\\n'), 15_000);`), ['events: setInterval(…, 15_000) = 15000']],
    ['an interval from a module constant', sse(`  setInterval(() => res.write(':\\n\\n'), HEARTBEAT_MS);`, 'const HEARTBEAT_MS = 20 * 1000;\n'), ['events: setInterval(…, HEARTBEAT_MS) = 20000']],
    ['a same-file helper that writes', sse(`  setInterval(() => sendEvent(res, 'ping'), 30_000);`, 'function sendEvent(res, name) { res.write(`event: ${name}\\n\\n`); }\n'), ['events: setInterval(…, 30_000) = 30000']],
    ['a callback passed by name', sse(`  const beat = () => res.write(':\\n\\n');\n  setInterval(beat, 10_000);`), ['events: setInterval(…, 10_000) = 10000']],
    ['an interval that is not static is unknown', sse(`  setInterval(() => res.write(':\\n\\n'), Number(req.query.every));`), ['events: setInterval(…, Number(req.query.every)): interval Number(req.query.every) is not static = unknown']],
    ['a timer that writes nothing is no heartbeat', sse(`  setInterval(() => console.log('alive'), 15_000);`), []],
    ['a setTimeout is no heartbeat', sse(`  setTimeout(() => res.write(':\\n\\n'), 15_000);`), []],
    ['a local setInterval is not the global timer', sse(`  setInterval(() => res.write(':\\n\\n'), 15_000);`, 'function setInterval(fn, ms) { return 0; }\n'), []],
    ['timers/promises loop', `import { setInterval } from 'node:timers/promises';\nexport async function events(req, res) {\n  res.setHeader('Content-Type', 'text/event-stream');\n  for await (const _ of setInterval(25_000)) res.write(':\\n\\n');\n}\n`, ['events: setInterval(25_000) (timers/promises) = 25000']],
    ['Hono stream.sleep between writes', `import { streamSSE } from 'hono/streaming';\nexport const events = (c) => streamSSE(c, async function loop(stream) {\n  while (true) {\n    await stream.writeSSE({ data: 'tick' });\n    await stream.sleep(5000);\n  }\n});\n`, ['loop: stream.sleep(5000) = 5000']],
    ['rxjs interval in a NestJS @Sse method', `import { Controller, Sse } from '@nestjs/common';\nimport { interval, map } from 'rxjs';\n@Controller('x')\nexport class C {\n  @Sse('events')\n  events() {\n    return interval(15_000).pipe(map(() => ({ data: 'ping' })));\n  }\n}\n`, ['events: interval(15_000) (rxjs) = 15000']],
    ['a ReadableStream start() counts for the handler', `export async function GET() {\n  const stream = new ReadableStream({\n    start(controller) {\n      setInterval(() => controller.enqueue(new TextEncoder().encode(':\\n\\n')), 10_000);\n    },\n  });\n  return new Response(stream, { headers: { 'Content-Type': 'text/event-stream' } });\n}\n`, ['GET: setInterval(…, 10_000) = 10000']],
    ['use-next-sse send in a timer', `import { createSSEHandler } from 'use-next-sse';\nexport const GET = (req) => createSSEHandler(async function open(send, close) {\n  setInterval(() => send({}, 'ping'), 15_000);\n})(req);\n`, ['open: setInterval(…, 15_000) = 15000']],
    ['better-sse session keep-alive by default', `import { createSession } from 'better-sse';\nexport async function events(req, res) {\n  const session = await createSession(req, res);\n  session.push({ ok: true });\n}\n`, ['events: createSession() keep-alive comment every 10 s (better-sse default) = 10000']],
    ['better-sse keepAlive option', `import { createSession } from 'better-sse';\nexport async function events(req, res) {\n  const session = await createSession(req, res, { keepAlive: 45_000 });\n}\n`, ['events: createSession() keepAlive 45_000 (better-sse) = 45000']],
    ['better-sse keepAlive null turns it off', `import { createSession } from 'better-sse';\nexport async function events(req, res) {\n  const session = await createSession(req, res, { keepAlive: null });\n}\n`, []],
  ];
  for (const [name, source, expected] of cases) it(name, () => expect(heartbeatsOf(source)).toEqual(expected));

  it('a better-sse session is a server-sent event stream', () => {
    const facts = factsOf(`import { createSession } from 'better-sse';\nexport async function events(req, res) { await createSession(req, res, { keepAlive: null }); }\n`);
    expect(facts.functions.flatMap((f) => f.streamEvidence ?? []).filter((e) => e.sse).map((e) => e.text)).toEqual(['createSession() (better-sse)']);
  });

  it('a module-level timer that writes to every open stream counts for each SSE handler of the file', () => {
    const source = `import express from 'express';\nconst clients = new Set();\nconst app = express();\napp.get('/events', function events(req, res) {\n  res.setHeader('Content-Type', 'text/event-stream');\n  clients.add(res);\n});\nsetInterval(() => { for (const c of clients) c.write(':\\n\\n'); }, 15_000);\n`;
    expect(heartbeatsOf(source)).toEqual(['events: setInterval(…, 15_000) = 15000']);
  });

  it('marks server-sent event evidence apart from other streams', () => {
    const facts = factsOf(sse(''));
    expect(facts.functions.flatMap((f) => f.streamEvidence ?? []).filter((e) => e.sse).map((e) => e.text)).toEqual(['Content-Type: text/event-stream (res.setHeader)']);
    const chunked = factsOf(`export function h(req, res) { res.setHeader('Transfer-Encoding', 'chunked'); }\n`);
    expect(chunked.functions.flatMap((f) => f.streamEvidence ?? []).some((e) => e.sse)).toBe(false);
  });
});

describe('websocket servers', () => {
  const serversOf = (source: string) => (factsOf(source).webSocketServers ?? []).map((s) => ({
    library: s.library, path: s.path, pathUnknown: s.pathUnknown,
    pingInterval: s.pingInterval && `${s.pingInterval.source} ${s.pingInterval.ms ?? 'unknown'}`,
    pingTimeout: s.pingTimeout && `${s.pingTimeout.source} ${s.pingTimeout.ms ?? 'unknown'}`,
  }));

  it('reads socket.io servers with engine.io defaults or the written ping settings', () => {
    expect(serversOf(`import { Server } from 'socket.io';\nconst io = new Server(httpServer);\n`)).toEqual([{ library: 'socket.io', path: '/socket.io', pathUnknown: undefined, pingInterval: 'default 25000', pingTimeout: 'default 20000' }]);
    expect(serversOf(`const io = require('socket.io')(server, { pingInterval: 10_000, pingTimeout: 5000, path: '/rt' });\n`)).toEqual([{ library: 'socket.io', path: '/rt', pathUnknown: undefined, pingInterval: 'set 10000', pingTimeout: 'set 5000' }]);
    expect(serversOf(`import { Server } from 'socket.io';\nconst io = new Server(3000, { pingInterval: Number(process.env.PING) });\n`)[0]!.pingInterval).toBe('set unknown');
  });

  it('reads NestJS gateways as socket.io, and ws servers with their path', () => {
    expect(serversOf(`import { WebSocketGateway } from '@nestjs/websockets';\n@WebSocketGateway({ namespace: 'chat', pingInterval: 30_000 })\nexport class ChatGateway {}\n`)).toEqual([{ library: 'socket.io', path: '/socket.io', pathUnknown: undefined, pingInterval: 'set 30000', pingTimeout: 'default 20000' }]);
    expect(serversOf(`import { WebSocketServer } from 'ws';\nconst wss = new WebSocketServer({ server, path: '/live' });\n`)).toEqual([{ library: 'ws', path: '/live', pathUnknown: undefined, pingInterval: undefined, pingTimeout: undefined }]);
    expect(serversOf(`import WebSocket from 'ws';\nconst wss = new WebSocket.Server({ port: 9001 });\n`)).toEqual([{ library: 'ws', path: undefined, pathUnknown: undefined, pingInterval: undefined, pingTimeout: undefined }]);
    expect(serversOf(`import WebSocket from 'ws';\nconst socket = new WebSocket('wss://example.org');\n`)).toEqual([]);
  });

  it('records ping timers, and keeps files that only hold websocket facts', () => {
    const source = `import { WebSocketServer } from 'ws';\nconst wss = new WebSocketServer({ noServer: true });\nsetInterval(() => wss.clients.forEach((c) => c.ping()), 30_000);\n`;
    const facts = factsOf(source);
    expect((facts.webSocketPings ?? []).map((p) => p.intervalMs)).toEqual([30_000]);
    expect(tsFactsMatter(facts)).toBe(true);
    expect(shouldParseTs('src/ws.ts', source)).toBe(true);
  });

  it('matches a server to the request paths it answers', () => {
    const io = { library: 'socket.io' as const, path: '/socket.io', span: { file: 'a', start: 0, end: 0 } };
    expect(webSocketServerAnswers(io, { path: '/socket.io/', prefix: true })).toBe(true);
    expect(webSocketServerAnswers(io, { path: '/', prefix: true })).toBe(true);
    expect(webSocketServerAnswers(io, { path: '/api/', prefix: true })).toBe(false);
    expect(webSocketServerAnswers({ ...io, path: undefined }, { path: '/anything' })).toBe(true);
    expect(webSocketServerAnswers({ ...io, pathUnknown: true }, { path: '/socket.io/', prefix: true })).toBe(false);
  });
});
