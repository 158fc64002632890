// Servers and route handlers read from TypeScript: Node/framework timeouts with defaults, ports, and the outbound calls each route reaches.
import { describe, expect, it } from 'vitest';
import { parseTsText } from '../../server/src/engine/inputs/ts/file.js';
import { extractTsFacts, type TsFileFacts, type TsTimeout } from '../../server/src/engine/inputs/ts/facts.js';

function factsOf(source: string, file = 'src/server.ts', nodeMajor?: number): TsFileFacts {
  return extractTsFacts(parseTsText(file, source), nodeMajor === undefined ? {} : { nodeMajor });
}

function brief(t: TsTimeout): string {
  const value = t.disabled ? 'off' : t.ms !== undefined ? String(t.ms) : t.versionDependentMs ? 'version' : t.value ? t.value.kind : '-';
  return `${t.option}:${t.source}:${value}`;
}

describe('servers', () => {
  const cases: Array<[string, string, number | undefined, string, string[]]> = [
    ['createServer defaults on Node 20', `import http from 'node:http';\nconst server = http.createServer(handler);\nserver.listen(8080);`, 20, 'node-http',
      ['requestTimeout:default:300000', 'headersTimeout:default:60000', 'keepAliveTimeout:default:5000', 'timeout:default:off']],
    ['keepAliveTimeout default on Node 26', `import http from 'node:http';\nhttp.createServer(handler);`, 26, 'node-http', ['keepAliveTimeout:default:65000']],
    ['version unknown: candidates, not a guess', `import http from 'node:http';\nhttp.createServer(handler);`, undefined, 'node-http', ['keepAliveTimeout:default:version', 'requestTimeout:default:version']],
    ['constructor options and headersTimeout min rule', `import { createServer } from 'node:http';\ncreateServer({ requestTimeout: 30_000 }, handler);`, 20, 'node-http', ['requestTimeout:set:30000', 'headersTimeout:default:30000']],
    ['assignments and setTimeout', `import https from 'https';\nconst server = https.createServer(opts, app);\nserver.keepAliveTimeout = 65_000;\nserver.headersTimeout = 66_000;\nserver.setTimeout(0);`, 20, 'node-https',
      ['keepAliveTimeout:set:65000', 'headersTimeout:set:66000', 'timeout:set:off']],
    ['express listen', `import express from 'express';\nconst app = express();\nconst server = app.listen(3000);\nserver.keepAliveTimeout = 61_000;`, 20, 'express', ['keepAliveTimeout:set:61000', 'requestTimeout:default:300000']],
    ['NestJS: app.getHttpServer() assignments after listen', `import { NestFactory } from '@nestjs/core';\nasync function bootstrap() {\n  const app = await NestFactory.create(AppModule);\n  await app.listen(3000);\n  app.getHttpServer().keepAliveTimeout = 65_000;\n  app.getHttpServer().headersTimeout = 66_000;\n}\nbootstrap();`, 20, 'nest',
      ['keepAliveTimeout:set:65000', 'headersTimeout:set:66000']],
    ['NestJS: a variable holding app.getHttpServer(), and setTimeout on it directly', `import { NestFactory } from '@nestjs/core';\nasync function bootstrap() {\n  const app = await NestFactory.create(AppModule);\n  const server = app.getHttpServer();\n  server.keepAliveTimeout = 125_000;\n  app.getHttpServer().setTimeout(600_000);\n  await app.listen(3000);\n}\nbootstrap();`, 20, 'nest',
      ['keepAliveTimeout:set:125000', 'timeout:set:600000']],
    ['NestJS without settings keeps Node\'s defaults', `import { NestFactory } from '@nestjs/core';\nasync function bootstrap() {\n  const app = await NestFactory.create(AppModule);\n  const other = makeServer();\n  other.getHttpServer().keepAliveTimeout = 1;\n  await app.listen(3000);\n}\nbootstrap();`, 20, 'nest',
      ['keepAliveTimeout:default:5000']],
    ['koa listen', `import Koa from 'koa';\nconst app = new Koa();\napp.listen(Number(process.env.PORT ?? 3000));`, 20, 'koa', ['keepAliveTimeout:default:5000']],
    ['fastify options and defaults', `import Fastify from 'fastify';\nconst app = Fastify({ keepAliveTimeout: 75_000 });\nawait app.listen({ port: 8080 });`, 20, 'fastify',
      ['keepAliveTimeout:set:75000', 'requestTimeout:default:off', 'connectionTimeout:default:off', 'headersTimeout:default:60000']],
  ];
  it.each(cases)('%s', (_name, source, nodeMajor, kind, expected) => {
    const facts = factsOf(source, 'src/server.ts', nodeMajor);
    expect(facts.servers).toHaveLength(1);
    expect(facts.servers[0]!.kind).toBe(kind);
    const briefs = facts.servers[0]!.timeouts.map(brief);
    for (const e of expected) expect(briefs).toContain(e);
  });

  it('reads the listening port', () => {
    expect(factsOf(`import express from 'express';\nconst app = express();\napp.listen(3000);`).servers[0]!.port).toMatchObject({ kind: 'number', value: 3000 });
    expect(factsOf(`import fastify from 'fastify';\nconst app = fastify();\napp.listen({ port: 8080, host: '0.0.0.0' });`).servers[0]!.port).toMatchObject({ kind: 'number', value: 8080 });
    expect(factsOf(`import http from 'node:http';\nconst server = http.createServer(app);\nserver.listen(8443);`).servers[0]!.port).toMatchObject({ kind: 'number', value: 8443 });
    expect(factsOf(`import Koa from 'koa';\nconst app = new Koa();\napp.listen(Number(process.env.PORT ?? 3000));`).servers[0]!.port).toMatchObject({ kind: 'env', name: 'PORT' });
  });

  it('reads Next.js maxDuration and whether it is a plain literal', () => {
    expect(factsOf(`export const maxDuration = 300;\nexport async function POST() {}`, 'app/api/chat/route.ts').maxDuration).toMatchObject({ value: { kind: 'number', value: 300 }, staticLiteral: true });
    expect(factsOf(`export const maxDuration = 60 * 5;`, 'app/api/chat/route.ts').maxDuration).toMatchObject({ value: { kind: 'number', value: 300 }, staticLiteral: false });
  });
});

describe('routes', () => {
  it('links an express route to the calls its handler makes, through same-file functions', () => {
    const facts = factsOf(`import express from 'express';
import OpenAI from 'openai';
import { audit } from './audit';
const openai = new OpenAI({ timeout: 30_000 });
async function complete(prompt: string) { return openai.chat.completions.create({ model: 'x', messages: [prompt] }); }
const app = express();
const api = express.Router();
api.post('/chat', async (req, res) => { audit(req); res.json(await complete(req.body)); });
api.get('/health', (req, res) => res.send('ok'));
app.use('/api', api);
app.listen(3000);
await fetch('https://unrelated.example.com');`);
    expect(facts.routes.map((r) => `${r.method} ${r.path} ${r.callIndices.map((i) => facts.calls[i]!.library).join(',')}`)).toEqual(['POST /api/chat openai', 'GET /api/health ']);
    expect(facts.routes[0]!.importedCalls).toEqual([{ module: './audit', name: 'audit' }]);
  });

  it('reads fastify routes, route() objects and plugin functions', () => {
    const facts = factsOf(`import Fastify, { FastifyInstance } from 'fastify';
const app = Fastify();
app.get('/a', async () => fetch('https://a'));
app.route({ method: 'POST', url: '/b', handler: async () => 1 });
export async function plugin(fastify: FastifyInstance) { fastify.post('/c', handler); }
async function handler() { return fetch('https://c'); }`);
    expect(facts.routes.map((r) => `${r.framework} ${r.method} ${r.path} ${r.callIndices.length}`)).toEqual(['fastify GET /a 1', 'fastify POST /b 0', 'fastify POST /c 1']);
  });

  it('reads hono and koa routes', () => {
    expect(factsOf(`import { Hono } from 'hono';\nconst app = new Hono();\napp.post('/chat', (c) => c.json({}));`).routes).toMatchObject([{ framework: 'hono', method: 'POST', path: '/chat' }]);
    expect(factsOf(`import Router from '@koa/router';\nconst router = new Router();\nrouter.get('/x', async (ctx) => {});`).routes).toMatchObject([{ framework: 'koa', method: 'GET', path: '/x' }]);
  });

  it('reads Next.js app routes and pages/api routes from the file path', () => {
    const app = factsOf(`export async function POST(req: Request) { return fetch('https://llm'); }\nexport const GET = async () => new Response('ok');`, 'src/app/(chat)/api/chat/route.ts');
    expect(app.routes.map((r) => `${r.framework} ${r.method} ${r.path} ${r.callIndices.length}`)).toEqual(['next-app POST /api/chat 1', 'next-app GET /api/chat 0']);
    const pages = factsOf(`export default async function handler(req, res) { res.json(await fetch('https://x')); }`, 'pages/api/users/index.ts');
    expect(pages.routes).toMatchObject([{ framework: 'next-pages', method: 'ALL', path: '/api/users', callIndices: [0] }]);
  });

  it('reads NestJS controllers and records injected services as imported calls', () => {
    const facts = factsOf(`import { Controller, Post, Get } from '@nestjs/common';
import { LlmService } from './llm.service';
@Controller('chat')
export class ChatController {
  constructor(private readonly llm: LlmService) {}
  @Post('complete') complete() { return this.llm.ask('x'); }
  @Get() list() { return this.helper(); }
  private helper() { return fetch('https://x'); }
}`);
    expect(facts.routes.map((r) => `${r.method} ${r.path} ${r.callIndices.length}`)).toEqual(['POST /chat/complete 0', 'GET /chat 1']);
    expect(facts.routes[0]!.importedCalls).toEqual([{ module: './llm.service', name: 'LlmService', path: ['ask'] }]);
  });
});

describe('a server held in a `let` assigned in branches', () => {
  const source = `import http from 'http';\nimport https from 'https';\nimport express from 'express';\nconst app = express();\nasync function start(tls: boolean) {\n  let server;\n  if (tls) {\n    try {\n      server = https.createServer({ key, cert }, app);\n    } catch {\n      server = http.createServer({}, app);\n    }\n  } else {\n    server = http.createServer({}, app);\n  }\n  server.keepAliveTimeout = 61_000;\n  server.listen(Number(process.env.PORT ?? 3000));\n}\n`;
  it('gives each kind of server the variable, the port and the settings made on the variable, once per kind', () => {
    const servers = factsOf(source, 'src/server.ts', 20).servers;
    expect(servers.map((s) => `${s.kind} ${s.variable} port:${s.port?.kind} keepAlive:${s.timeouts.find((t) => t.option === 'keepAliveTimeout')?.ms}`)).toEqual([
      'node-https server port:env keepAlive:61000',
      'node-http server port:env keepAlive:61000',
    ]);
  });
});

describe("a server timeout that a 'timeout' listener handles", () => {
  const timeoutOf = (source: string) => factsOf(`import http from 'node:http';\nconst server = http.createServer(handler);\n${source}\nserver.listen(8080);`, 'src/server.ts', 20).servers[0]!.timeouts.find((t) => t.option === 'timeout')!;

  it.each([
    ['setTimeout with a callback', 'server.setTimeout(30_000, (socket) => log(socket));'],
    ["an on('timeout') listener", "server.setTimeout(30_000);\nserver.on('timeout', (socket) => log(socket));"],
    ["a once('timeout') listener beside an assignment", "server.timeout = 30_000;\nserver.once('timeout', onIdle);"],
  ])('may not end the request: %s (Node leaves the socket to the listener, facts §11.1)', (_name, source) => {
    const t = timeoutOf(source);
    expect(brief(t)).toBe('timeout:set:30000');
    expect(t.mayNotApply).toMatch(/listener handles it/);
  });

  it.each([
    ['setTimeout alone', 'server.setTimeout(30_000);'],
    ['a listener for another event', "server.setTimeout(30_000);\nserver.on('close', onClose);"],
  ])('ends the request without one: %s', (_name, source) => {
    expect(timeoutOf(source).mayNotApply).toBeUndefined();
  });
});
