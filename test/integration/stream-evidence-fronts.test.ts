// Streaming evidence in a route handler reaches every gateway in front of it: one row per evidence form × front (nginx location, ingress-nginx Ingress, Gateway API HTTPRoute), with the finding each front's rule gives; partial evidence stays unknown and says what is unknown.
import { describe, expect, it } from 'vitest';
import { allRules } from '../../rules/index.js';
import { chainsOf } from '../../server/src/engine/chain/chains.js';
import type { Hop } from '../../server/src/engine/chain/chain-types.js';
import { resolveConfig } from '../../server/src/engine/config.js';
import { lint } from '../../server/src/engine/run.js';
import { MemoryFs } from '../../server/src/engine/workspace-fs.js';
import { createModelCapture } from '../../server/src/host/model-capture.js';

type Front = 'nginx' | 'ingress' | 'httproute';

const SERVICE = `apiVersion: v1
kind: Service
metadata: {name: api}
spec:
  selector: {app: api}
  ports: [{port: 3000}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: api}
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      containers: [{name: api, image: 'api:1.0'}]
`;

const FRONTS: Record<Front, Record<string, string>> = {
  nginx: { 'nginx.conf': `events {}\nhttp {\n    server {\n        listen 80;\n        location /api/ {\n            proxy_pass http://api.default.svc.cluster.local:3000;\n        }\n    }\n}\n` },
  ingress: { 'k8s/ingress.yaml': `apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: api}\nspec:\n  ingressClassName: nginx\n  rules:\n    - host: api.example.com\n      http:\n        paths:\n          - path: /api\n            pathType: Prefix\n            backend: {service: {name: api, port: {number: 3000}}}\n` },
  httproute: { 'k8s/route.yaml': `apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: api}\nspec:\n  parentRefs: [{name: edge}]\n  rules:\n  - matches: [{path: {type: PathPrefix, value: /api}}]\n    backendRefs: [{name: api, port: 3000}]\n` },
};

const FRONT_HOP: Record<Front, Hop['kind']> = { nginx: 'nginx-location', ingress: 'ingress-path', httproute: 'gateway-route' };

const express = (body: string, imports = '') => `import express from 'express';\n${imports}const app = express();\napp.use(express.json());\n\napp.post('/api/chat', async (req, res) => {\n${body}\n});\n\napp.listen(3000);\n`;
const openai = `import OpenAI from 'openai';\nconst openai = new OpenAI({ timeout: 120_000 });\n`;

interface Form {
  name: string;
  files: Record<string, string>;
  /** The text of the handler's first streaming evidence, as chains and messages show it. */
  stream: string;
  sse?: boolean;
  llm?: boolean;
  noBuffering?: boolean;
}

const pkg = (deps: Record<string, string>) => JSON.stringify({ name: 'api', private: true, dependencies: deps });
const EXPRESS = pkg({ express: '4', openai: '4' });

const FORMS: Form[] = [
  { name: 'res.write in a loop', files: { 'services/api/src/chat.ts': express(`  for (const part of ['a', 'b']) res.write(part);\n  res.end();`) }, stream: 'res.write' },
  { name: 'res.write in a callback', files: { 'services/api/src/chat.ts': express(`  req.on('data', (chunk) => res.write(chunk));`) }, stream: 'res.write' },
  { name: 'res.flushHeaders()', files: { 'services/api/src/chat.ts': express(`  res.flushHeaders();\n  res.end('done');`) }, stream: 'res.flushHeaders()' },
  { name: 'Content-Type: text/event-stream', files: { 'services/api/src/chat.ts': express(`  res.setHeader('Content-Type', 'text/event-stream');\n  res.end();`) }, stream: 'Content-Type: text/event-stream (res.setHeader)', sse: true },
  { name: 'Content-Type: text/event-stream set in a helper', files: { 'services/api/src/chat.ts': express(`  openStream(res);\n  res.end();`).replace('app.listen(3000);', "function openStream(res: express.Response) {\n  res.writeHead(200, { 'Content-Type': 'text/event-stream' });\n}\n\napp.listen(3000);") }, stream: 'Content-Type: text/event-stream (res.writeHead)', sse: true },
  { name: 'Transfer-Encoding: chunked', files: { 'services/api/src/chat.ts': express(`  res.setHeader('Transfer-Encoding', 'chunked');\n  res.end();`) }, stream: 'Transfer-Encoding: chunked (res.setHeader)' },
  { name: 'Fastify reply.raw.write', files: { 'services/api/package.json': pkg({ fastify: '4' }), 'services/api/src/chat.ts': `import Fastify from 'fastify';\nconst app = Fastify();\napp.post('/api/chat', async (request, reply) => {\n  reply.raw.write('data: hi\\n\\n');\n  reply.raw.end();\n});\napp.listen({ port: 3000 });\n` }, stream: 'reply.raw.write' },
  { name: 'Hono streamSSE', files: { 'services/api/package.json': pkg({ hono: '4', '@hono/node-server': '1' }), 'services/api/src/chat.ts': `import { Hono } from 'hono';\nimport { serve } from '@hono/node-server';\nimport { streamSSE } from 'hono/streaming';\nconst app = new Hono();\napp.post('/api/chat', (c) => streamSSE(c, async (s) => { await s.writeSSE({ data: 'hi' }); }));\nserve({ fetch: app.fetch, port: 3000 });\n` }, stream: 'Hono streamSSE()', sse: true },
  { name: 'Node pipeline into res', files: { 'services/api/src/chat.ts': express(`  const upstream = await fetch('http://model:8000/v1/chat', { signal: AbortSignal.timeout(60_000) });\n  await pipeline(upstream.body as any, res);`, "import { pipeline } from 'node:stream/promises';\n") }, stream: 'pipeline(…, res)' },
  { name: 'OpenAI stream: true', files: { 'services/api/src/chat.ts': express(`  const stream = await openai.chat.completions.create({ model: 'gpt-4o-mini', messages: req.body.messages, stream: true });\n  for await (const chunk of stream) res.write(chunk.choices[0]?.delta?.content ?? '');\n  res.end();`, openai) }, stream: 'openai chat.completions.create (streamed)', llm: true },
  { name: 'Anthropic .stream()', files: { 'services/api/package.json': pkg({ express: '4', '@anthropic-ai/sdk': '0.30' }), 'services/api/src/chat.ts': express(`  const stream = anthropic.messages.stream({ model: 'claude-3-5-sonnet-latest', max_tokens: 1024, messages: req.body.messages });\n  for await (const event of stream) res.write(JSON.stringify(event));\n  res.end();`, "import Anthropic from '@anthropic-ai/sdk';\nconst anthropic = new Anthropic({ timeout: 120_000 });\n") }, stream: 'anthropic messages.stream (streamed)', llm: true },
  { name: 'AI SDK streamText piped to the response', files: { 'services/api/package.json': pkg({ express: '4', ai: '4' }), 'services/api/src/chat.ts': express(`  const result = streamText({ model: req.body.model, prompt: req.body.prompt, abortSignal: AbortSignal.timeout(120_000) });\n  result.pipeDataStreamToResponse(res);`, "import { streamText } from 'ai';\n") }, stream: 'ai streamText (streamed)', llm: true },
  { name: 'Mistral chat.stream()', files: { 'services/api/package.json': pkg({ express: '4', '@mistralai/mistralai': '1' }), 'services/api/src/chat.ts': express(`  const stream = await mistral.chat.stream({ model: 'mistral-small-latest', messages: req.body.messages });\n  for await (const event of stream) res.write(JSON.stringify(event));\n  res.end();`, "import { Mistral } from '@mistralai/mistralai';\nconst mistral = new Mistral({ apiKey: process.env.MISTRAL_API_KEY, timeoutMs: 120_000 });\n") }, stream: 'mistral chat.stream (streamed)', llm: true },
  { name: 'Gemini generateContentStream', files: { 'services/api/package.json': pkg({ express: '4', '@google/genai': '1' }), 'services/api/src/chat.ts': express(`  const stream = await ai.models.generateContentStream({ model: 'gemini-2.0-flash', contents: req.body.prompt, config: { httpOptions: { timeout: 120_000 } } });\n  for await (const chunk of stream) res.write(chunk.text ?? '');\n  res.end();`, "import { GoogleGenAI } from '@google/genai';\nconst ai = new GoogleGenAI({ apiKey: process.env.GEMINI_API_KEY });\n") }, stream: 'google-genai models.generateContentStream (streamed)', llm: true },
  { name: 'LangChain .stream()', files: { 'services/api/package.json': pkg({ express: '4', '@langchain/openai': '0.3' }), 'services/api/src/chat.ts': express(`  const stream = await model.stream(req.body.prompt);\n  for await (const chunk of stream) res.write(String(chunk.content));\n  res.end();`, "import { ChatOpenAI } from '@langchain/openai';\nconst model = new ChatOpenAI({ model: 'gpt-4o-mini', timeout: 120_000 });\n") }, stream: 'langchain stream (streamed)', llm: true },
  { name: 'Next.js route returning new Response(ReadableStream)', files: { 'services/api/package.json': pkg({ next: '15' }), 'services/api/app/api/chat/route.ts': `export async function POST(request: Request) {\n  const body = new ReadableStream({ start(controller) { controller.enqueue(new TextEncoder().encode('hi')); controller.close(); } });\n  return new Response(body, { headers: { 'Content-Type': 'text/event-stream' } });\n}\n` }, stream: 'new Response(new ReadableStream(…))', sse: true },
  { name: 'X-Accel-Buffering: no set by the handler', files: { 'services/api/src/chat.ts': express(`  res.setHeader('X-Accel-Buffering', 'no');\n  for (const part of ['a', 'b']) res.write(part);\n  res.end();`) }, stream: 'res.write', noBuffering: true },
];

function lintWith(front: Front, form: Form) {
  const files: Record<string, string> = { 'k8s/api.yaml': SERVICE, 'services/api/package.json': EXPRESS, ...FRONTS[front], ...form.files };
  const fs = new MemoryFs(files);
  const capture = createModelCapture();
  const { config } = resolveConfig({}, allRules);
  const report = lint({ fs, files: Object.keys(files), config, rules: [...allRules, capture.rule], toolVersion: 'test' });
  return { findings: report.findings, model: capture.model()! };
}

/** The first streaming evidence of a route handler reached through a hop of the front's kind, or undefined. */
function evidenceBehind(model: ReturnType<typeof lintWith>['model'], front: Front): string | undefined {
  for (const chain of chainsOf(model).chains) {
    const gateway = chain.hops.findIndex((h) => h.kind === FRONT_HOP[front]);
    const handler = chain.hops.findIndex((h) => h.kind === 'route-handler' && (h.stream?.streams.length ?? 0) > 0);
    if (gateway >= 0 && handler > gateway) return chain.hops[handler]!.stream!.streams.map((e) => e.text).join(' | ');
  }
  return undefined;
}

describe('streaming evidence × front', () => {
  const rows = FORMS.flatMap((form) => (['nginx', 'ingress', 'httproute'] as const).map((front) => [form.name, front, form] as const));
  it.each(rows)('%s behind %s', (_name, front, form) => {
    const { findings, model } = lintWith(front, form);
    expect(evidenceBehind(model, front)).toContain(form.stream);
    const ids = (id: string) => findings.filter((f) => f.ruleId === id);
    if (front === 'nginx') {
      // Buffered unless the handler turns buffering off; the related location is the evidence.
      const buffered = ids('streaming-route-buffered');
      if (form.noBuffering) expect(buffered).toEqual([]);
      else {
        expect(buffered).toHaveLength(1);
        expect(buffered[0]!.related.some((r) => r.message.startsWith('streams: '))).toBe(true);
      }
      expect(ids('llm-route-default-read-timeout').map((f) => f.messageId)).toEqual(form.llm ? ['shortReadStream'] : []);
      expect(ids('sse-heartbeat-missing')).toHaveLength(form.sse ? 1 : 0);
    } else if (front === 'ingress') {
      expect(ids('llm-ingress-default-timeout').map((f) => f.messageId)).toEqual(form.llm ? ['shortReadStream'] : []);
      expect(ids('sse-heartbeat-missing')).toHaveLength(form.sse ? 1 : 0);
    } else {
      // Gateway API timeouts are totals, never idle limits: the stream is shown in chains, no idle rule applies.
      expect(ids('sse-heartbeat-missing')).toEqual([]);
    }
    expect(ids('streaming-route-buffered').every((f) => f.span.file === 'nginx.conf')).toBe(true);
  });
});

describe('partial evidence is unknown', () => {
  const unknownBehind = (form: Form) => {
    const { findings, model } = lintWith('nginx', form);
    const handler = chainsOf(model).chains.flatMap((c) => c.hops).find((h) => h.kind === 'route-handler');
    return { unknown: handler?.stream?.unknown.map((e) => e.text) ?? [], streams: handler?.stream?.streams ?? [], findings: findings.filter((f) => ['streaming-route-buffered', 'sse-heartbeat-missing'].includes(f.ruleId) || f.messageId === 'shortReadStream') };
  };

  it('a header set from a variable is unknown, says which header, and fires no stream rule', () => {
    const result = unknownBehind({ name: '', stream: '', files: { 'services/api/src/chat.ts': express(`  res.setHeader('Content-Type', String(req.query.format));\n  res.end('ok');`) } });
    expect(result.unknown).toEqual(['res.setHeader sets Content-Type from a value that is not static']);
    expect(result.streams).toEqual([]);
    expect(result.findings).toEqual([]);
  });

  it('a stream flag from a parameter is unknown, says which call, and fires no stream rule', () => {
    const result = unknownBehind({ name: '', stream: '', files: { 'services/api/src/chat.ts': express(`  const answer = await openai.chat.completions.create({ model: 'gpt-4o-mini', messages: req.body.messages, stream: req.body.stream });\n  res.json(answer);`, openai) } });
    expect(result.unknown).toEqual(['openai chat.completions.create: its stream flag is not static']);
    expect(result.streams).toEqual([]);
    expect(result.findings).toEqual([]);
  });

  it('a websocket location is never reported as a stream, whatever its path says', () => {
    const files = { 'nginx.conf': `events {}\nhttp {\n    server {\n        listen 80;\n        location /api/chat/stream {\n            proxy_http_version 1.1;\n            proxy_set_header Upgrade $http_upgrade;\n            proxy_set_header Connection "upgrade";\n            proxy_pass http://127.0.0.1:8001;\n        }\n        location /events {\n            proxy_http_version 1.1;\n            proxy_set_header Upgrade $http_upgrade;\n            proxy_set_header Connection $connection_upgrade;\n            proxy_pass http://127.0.0.1:8002;\n        }\n    }\n}\n` };
    const report = lint({ fs: new MemoryFs(files), files: Object.keys(files), config: resolveConfig({}, allRules).config, rules: allRules, toolVersion: 'test' });
    expect(report.findings.filter((f) => f.ruleId === 'streaming-route-buffered' || f.ruleId === 'sse-heartbeat-missing' || f.messageId === 'shortReadStream')).toEqual([]);
  });
});
