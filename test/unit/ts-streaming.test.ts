// Streaming evidence read from TypeScript handlers: what makes a response a stream, what turns nginx buffering off, and what stays unknown.
import { describe, expect, it } from 'vitest';
import { parseTsText } from '../../server/src/engine/inputs/ts/file.js';
import { extractTsFacts, tsFactsMatter } from '../../server/src/engine/inputs/ts/facts.js';
import { nextSourceMatches } from '../../server/src/engine/inputs/ts/streaming.js';

/** Every piece of evidence in the file as `kind: text @ line`. */
function evidenceOf(source: string): string[] {
  const file = parseTsText('src/handler.ts', source);
  const facts = extractTsFacts(file);
  const lineOf = (offset: number) => source.slice(0, offset).split('\n').length;
  const pieces = [...facts.functions.flatMap((f) => f.streamEvidence ?? []), ...facts.routes.flatMap((r) => r.streamEvidence ?? [])];
  return pieces.map((e) => `${e.kind}: ${e.text} @ ${lineOf(e.span.start)}`);
}

const handler = (body: string) => `import express from 'express';\nconst app = express();\napp.post('/api/x', async (req, res) => {\n${body}\n});\n`;

describe('streaming evidence table', () => {
  const cases: Array<[string, string, string[]]> = [
    ['res.write in a loop', handler(`  for await (const chunk of stream) res.write(chunk);`), ['stream: res.write @ 4']],
    ['res.write in a callback', handler(`  stream.on('data', (chunk) => res.write(chunk));`), ['stream: res.write @ 4']],
    ['res.flushHeaders()', handler(`  res.flushHeaders();`), ['stream: res.flushHeaders() @ 4']],
    ['setHeader event-stream', handler(`  res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');`), ['stream: Content-Type: text/event-stream (res.setHeader) @ 4']],
    ['Express res.set with an object', handler(`  res.set({ 'content-type': 'text/event-stream', 'X-Accel-Buffering': 'no' });`), ['stream: Content-Type: text/event-stream (res.set) @ 4', 'no-buffering: X-Accel-Buffering: no (res.set) @ 4']],
    ['writeHead(200, headers)', handler(`  res.writeHead(200, { 'Content-Type': 'text/event-stream' });`), ['stream: Content-Type: text/event-stream (res.writeHead) @ 4']],
    ['Transfer-Encoding chunked', handler(`  res.setHeader('Transfer-Encoding', 'chunked');`), ['stream: Transfer-Encoding: chunked (res.setHeader) @ 4']],
    ['a header value from a constant is read', handler(`  const SSE = 'text/event-stream';\n  res.setHeader('Content-Type', SSE);`), ['stream: Content-Type: text/event-stream (res.setHeader) @ 5']],
    ['a JSON content type is no evidence', handler(`  res.setHeader('Content-Type', 'application/json');\n  res.json({});`), []],
    ['X-Accel-Buffering yes is no opposite evidence', handler(`  res.setHeader('X-Accel-Buffering', 'yes');`), []],
    ['a value from a variable is unknown, never a guess', handler(`  res.setHeader('Content-Type', req.query.type);`), ['unknown: res.setHeader sets Content-Type from a value that is not static @ 4']],
    ['a header name from a variable with an event-stream value is unknown', handler(`  res.setHeader(name, 'text/event-stream');`), ['unknown: res.setHeader sets text/event-stream under a header name that is not static @ 4']],
    ['a header name from a variable with another value says nothing', handler(`  res.setHeader(name, 'no-cache');`), []],
    ['Fastify reply.raw', `import Fastify from 'fastify';\nconst app = Fastify();\napp.post('/x', async (request, reply) => {\n  reply.raw.writeHead(200, { 'Content-Type': 'text/event-stream' });\n  reply.raw.write('data: 1\\n\\n');\n});\n`, ['stream: Content-Type: text/event-stream (reply.raw.writeHead) @ 4', 'stream: reply.raw.write @ 5']],
    ['Fastify reply.send of a PassThrough', `import Fastify from 'fastify';\nimport { PassThrough } from 'node:stream';\nconst app = Fastify();\napp.post('/x', async (request, reply) => {\n  const out = new PassThrough();\n  return reply.send(out);\n});\n`, ['stream: reply.send(new PassThrough(…)) @ 6']],
    ['Fastify reply.send of Readable.from', `import Fastify from 'fastify';\nimport { Readable } from 'node:stream';\nconst app = Fastify();\napp.post('/x', async (request, reply) => {\n  return reply.send(Readable.from(tokens()));\n});\n`, ['stream: reply.send(Readable.from(…)) @ 5']],
    ['Fastify reply.sse (fastify-sse-v2)', `import Fastify from 'fastify';\nconst app = Fastify();\napp.get('/x', async (request, reply) => {\n  reply.sse(events());\n});\n`, ['stream: reply.sse() (fastify-sse-v2) @ 4']],
    ['Fastify reply.send of an object is no evidence', `import Fastify from 'fastify';\nconst app = Fastify();\napp.post('/x', async (request, reply) => {\n  const body = { ok: true };\n  return reply.send(body);\n});\n`, []],
    ['Fastify reply.header', `import Fastify from 'fastify';\nconst app = Fastify();\napp.post('/x', async (request, reply) => {\n  reply.header('X-Accel-Buffering', 'no');\n});\n`, ['no-buffering: X-Accel-Buffering: no (reply.header) @ 4']],
    ['Hono streamSSE', `import { Hono } from 'hono';\nimport { streamSSE } from 'hono/streaming';\nconst app = new Hono();\napp.get('/x', (c) => streamSSE(c, async (s) => { await s.writeSSE({ data: 'x' }); }));\n`, ['stream: Hono streamSSE() @ 4']],
    ['a stream() that is not Hono\'s is no evidence', `import { Hono } from 'hono';\nconst app = new Hono();\nfunction stream(c) { return c.text('x'); }\napp.get('/x', (c) => stream(c));\n`, []],
    ['Node pipeline into res', handler(`  await pipeline(upstream.body, res);`).replace("import express from 'express';", "import express from 'express';\nimport { pipeline } from 'node:stream/promises';"), ['stream: pipeline(…, res) @ 5']],
    ['AI SDK stream responses', `import { streamText } from 'ai';\nexport async function POST(req: Request) {\n  const result = streamText({ model, prompt: 'hi' });\n  return result.toDataStreamResponse();\n}\n`, ['stream: toDataStreamResponse() @ 4']],
    ['Next.js route returning new Response(ReadableStream) with headers', `export async function GET() {\n  const body = new ReadableStream({ start(c) { c.close(); } });\n  return new Response(body, { headers: { 'Content-Type': 'text/event-stream', 'X-Accel-Buffering': 'no' } });\n}\n`, ['stream: new Response(new ReadableStream(…)) @ 3', 'stream: Content-Type: text/event-stream (new Response) @ 3', 'no-buffering: X-Accel-Buffering: no (new Response) @ 3']],
    ['Next.js route returning new NextResponse(ReadableStream)', `import { NextResponse } from 'next/server';\nexport async function POST() {\n  const readableStream = new ReadableStream({ start(c) { c.close(); } });\n  return new NextResponse(readableStream, { headers: { 'Content-Type': 'text/plain' } });\n}\n`, ['stream: new NextResponse(new ReadableStream(…)) @ 4']],
    ['a NextResponse that is not next/server\'s is no evidence', `class NextResponse { constructor(public body: unknown) {} }\nexport async function POST() {\n  return new NextResponse(new ReadableStream());\n}\n`, []],
    ['AI SDK 3 StreamingTextResponse', `import { StreamingTextResponse } from 'ai';\nexport async function POST() {\n  const stream = await chain.stream({});\n  return new StreamingTextResponse(stream);\n}\n`, ['stream: new StreamingTextResponse(…) (ai) @ 4']],
    ['NestJS @Sse sends X-Accel-Buffering itself', `import { Controller, Sse } from '@nestjs/common';\n@Controller('events')\nexport class EventsController {\n  @Sse('stream')\n  stream() { return interval(1000); }\n}\n`, ['stream: @Sse() @ 4', 'no-buffering: X-Accel-Buffering: no (sent by NestJS @Sse) @ 4']],
    ['a write to something that is not the response is no evidence', handler(`  file.write(data);\n  res.json({ ok: true });`), []],
  ];
  it.each(cases)('%s', (_name, source, expected) => {
    expect(evidenceOf(source)).toEqual(expected);
  });

  it('keeps a helper file whose only fact is streaming evidence', () => {
    const source = `export function openStream(res) {\n  res.setHeader('Content-Type', 'text/event-stream');\n}\n`;
    expect(tsFactsMatter(extractTsFacts(parseTsText('src/sse.ts', source)))).toBe(true);
  });
});

describe('next.config headers()', () => {
  const config = (source: string, header: string) => `const config = {\n  async headers() {\n    return [{ source: ${source}, headers: [${header}] }];\n  },\n};\nexport default config;\n`;
  const rulesOf = (file: string, text: string) => (extractTsFacts(parseTsText(file, text)).nextHeaders ?? []).map((r) => `${r.source} ${r.evidence.map((e) => `${e.kind}: ${e.text}`).join(', ')}`);

  it('reads X-Accel-Buffering: no for a source pattern', () => {
    expect(rulesOf('web/next.config.ts', config(`'/:path*'`, `{ key: 'X-Accel-Buffering', value: 'no' }`))).toEqual(['/:path* no-buffering: X-Accel-Buffering: no (next.config headers() for /:path*)']);
  });
  it('ignores other headers, sources that are not literals, and files that are not next.config', () => {
    expect(rulesOf('next.config.mjs', config(`'/:path*'`, `{ key: 'Cache-Control', value: 'no-store' }`))).toEqual([]);
    expect(rulesOf('next.config.mjs', config('prefix', `{ key: 'X-Accel-Buffering', value: 'no' }`))).toEqual([]);
    expect(rulesOf('src/headers.ts', config(`'/:path*'`, `{ key: 'X-Accel-Buffering', value: 'no' }`))).toEqual([]);
  });
  it('keeps a header value from a variable as unknown', () => {
    expect(rulesOf('next.config.js', config(`'/api/:path*'`, `{ key: 'X-Accel-Buffering', value: process.env.BUFFERING }`))).toEqual(['/api/:path* unknown: next.config headers() for /api/:path* sets X-Accel-Buffering from a value that is not static']);
  });

  const matches: Array<[string, string, boolean]> = [
    ['/:path*', '/api/pubs/[id]/events', true],
    ['/:path*', '/', true],
    ['/api/:path*', '/api/chat', true],
    ['/api/:path*', '/apichat', false],
    ['/api/:path+', '/api', false],
    ['/api/:id', '/api/chat', true],
    ['/api/:id', '/api/chat/stream', false],
    ['/events', '/events', true],
    ['/events', '/events/1', false],
    ['/api/(.*)', '/api/chat', false],
    ['/:path*{/}?', '/api/v0/c/[communitySlug]/sse', true],
    ['/:path*{/}?', '/', true],
    ['/api{/}?', '/api', true],
    ['/api{/}?', '/apis', false],
    ['/api{/:id}?', '/api/1', false],
    ['/api{', '/api', false],
  ];
  it.each(matches)('source %s against %s → %s', (source, path, expected) => {
    expect(nextSourceMatches(source, path)).toBe(expected);
  });
});
