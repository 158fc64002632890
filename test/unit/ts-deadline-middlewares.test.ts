// Deadline middlewares in front of route handlers (connect-timeout, hono/timeout): which calls count,
// their values, which routes they run for (order, path, router mounts) and what the chain makes of them.
import { describe, expect, it } from 'vitest';
import { middlewareCovers } from '../../server/src/engine/inputs/ts/deadline-middlewares.js';
import { extractTsFacts } from '../../server/src/engine/inputs/ts/facts.js';
import { parseTsText } from '../../server/src/engine/inputs/ts/file.js';
import type { TsRoute } from '../../server/src/engine/inputs/ts/types.js';
import { allRules } from '../../rules/index.js';
import { defaultConfig } from '../../server/src/engine/config.js';
import { lint } from '../../server/src/engine/run.js';
import { MemoryFs } from '../../server/src/engine/workspace-fs.js';

function routes(source: string): TsRoute[] {
  return extractTsFacts(parseTsText('src/server.ts', source)).routes;
}

function deadlineOf(route: TsRoute | undefined): unknown {
  return route?.deadlines?.map((d) => ({ middleware: d.middleware, value: d.value.kind === 'number' ? d.value.value : d.value.kind, source: d.source }));
}

const EXPRESS = `import express from 'express';\nimport timeout from 'connect-timeout';\nconst app = express();\n`;
const HONO = `import { Hono } from 'hono';\nimport { timeout } from 'hono/timeout';\nconst app = new Hono();\n`;

describe('deadline middleware values', () => {
  it.each([
    ['a string the ms package reads', `${EXPRESS}app.use(timeout('2m'));\napp.get('/a', (req, res) => res.end());`, [{ middleware: 'connect-timeout', value: 120_000, source: 'set' }]],
    ['a number of milliseconds', `${EXPRESS}app.use(timeout(45000));\napp.get('/a', (req, res) => res.end());`, [{ middleware: 'connect-timeout', value: 45_000, source: 'set' }]],
    ['no time at all (connect-timeout\'s 5 s)', `${EXPRESS}app.use(timeout());\napp.get('/a', (req, res) => res.end());`, [{ middleware: 'connect-timeout', value: 5_000, source: 'default' }]],
    ['a string it cannot read (unknown, not a guess)', `${EXPRESS}app.use(timeout('soon'));\napp.get('/a', (req, res) => res.end());`, [{ middleware: 'connect-timeout', value: 'unknown', source: 'set' }]],
    ['a required connect-timeout', `const express = require('express');\nconst timeout = require('connect-timeout');\nconst app = express();\napp.use(timeout('10s'));\napp.get('/a', (req, res) => res.end());`, [{ middleware: 'connect-timeout', value: 10_000, source: 'set' }]],
    ['hono/timeout with a constant', `${HONO}const LIMIT = 30 * 1000;\napp.use('*', timeout(LIMIT));\napp.get('/a', (c) => c.text('x'));`, [{ middleware: 'hono/timeout', value: 30_000, source: 'set' }]],
    ['a deadline in the registration itself', `${EXPRESS}app.post('/a', timeout('90s'), (req, res) => res.end());`, [{ middleware: 'connect-timeout', value: 90_000, source: 'set' }]],
  ])('reads %s', (_name, source, expected) => {
    expect(deadlineOf(routes(source)[0])).toEqual(expected);
  });

  it.each([
    ['a timeout function of the file itself', `import express from 'express';\nconst app = express();\nfunction timeout(ms) { return (req, res, next) => next(); }\napp.use(timeout(5000));\napp.get('/a', (req, res) => res.end());`],
    ['another package\'s timeout', `import express from 'express';\nimport { timeout } from 'some-other-timeout';\nconst app = express();\napp.use(timeout(5000));\napp.get('/a', (req, res) => res.end());`],
    ['a middleware used after the route', `${EXPRESS}app.get('/a', (req, res) => res.end());\napp.use(timeout('1s'));`],
    ['a middleware under another path', `${EXPRESS}app.use('/admin', timeout('1s'));\napp.get('/a', (req, res) => res.end());`],
    ['a middleware on another router', `${EXPRESS}const other = express.Router();\nother.use(timeout('1s'));\napp.get('/a', (req, res) => res.end());`],
  ])('does not apply %s', (_name, source) => {
    expect(routes(source)[0]?.deadlines).toBeUndefined();
  });

  it('applies a middleware of the app to a same-file router mounted after it, under its prefix', () => {
    const found = routes(`${EXPRESS}const api = express.Router();\napi.get('/chat', (req, res) => res.end());\napp.use(timeout('20s'));\napp.use('/api', api);`);
    expect(found[0]?.path).toBe('/api/chat');
    expect(deadlineOf(found[0])).toEqual([{ middleware: 'connect-timeout', value: 20_000, source: 'set' }]);
    expect(found[0]?.deadlines?.[0]?.via?.text).toBe("app.use(timeout('20s')) runs before it");
  });

  it('records the middleware on a mount of another file\'s router', () => {
    const facts = extractTsFacts(parseTsText('src/server.ts', `${EXPRESS}import chat from './chat';\napp.use(timeout('20s'));\napp.use('/api', chat);`));
    expect(facts.mounts?.[0]?.deadlines?.map((d) => d.middleware)).toEqual(['connect-timeout']);
  });
});

describe('deadline middleware factories', () => {
  const factoryFile = `const timeout = require('connect-timeout');\nconst timeoutMiddleware = (timeoutDuration = '30s') => {\n  return [timeout(timeoutDuration), (req, res, next) => { if (!req.timedout) next(); }];\n};\nmodule.exports = timeoutMiddleware;\n`;

  it('reads a function returning the middleware, with its parameter and default', () => {
    const facts = extractTsFacts(parseTsText('src/middleware/timeout.js', factoryFile));
    const factory = facts.functions.find((f) => f.deadlineFactory)?.deadlineFactory;
    expect(factory).toMatchObject({ middleware: 'connect-timeout', param: { index: 0, default: { kind: 'string', value: '30s' } } });
    expect(extractTsFacts(parseTsText('src/t.ts', `import timeout from 'connect-timeout';\nexport function slow() { return timeout(90_000); }\n`)).functions.find((f) => f.deadlineFactory)?.deadlineFactory).toMatchObject({ middleware: 'connect-timeout', value: { kind: 'number', value: 90_000 } });
    expect(extractTsFacts(parseTsText('src/t.ts', `import timeout from 'connect-timeout';\nexport function slow() { const t = timeout(90_000); log(t); return next; }\n`)).functions.some((f) => f.deadlineFactory)).toBe(false);
  });

  it('applies a same-file factory at the route with the argument it is given', () => {
    const [route] = routes(`${EXPRESS}const withTimeout = (ms = '10s') => timeout(ms);\napp.post('/a', withTimeout('75s'), (req, res) => res.end());`);
    expect(deadlineOf(route)).toEqual([{ middleware: 'connect-timeout', value: 75_000, source: 'set' }]);
  });

  it('gives the route the deadline an imported factory returns, its argument or its default', () => {
    const files: Record<string, string> = {
      'nginx/nginx.conf': 'events {}\nhttp {\n  server {\n    listen 80;\n    location /api/ {\n      proxy_pass http://127.0.0.1:3000;\n      proxy_read_timeout 60s;\n    }\n  }\n}\n',
      'app/package.json': '{ "name": "app", "dependencies": { "express": "^4.19.0", "connect-timeout": "^1.9.0" } }',
      'app/middleware/timeout.js': factoryFile,
      'app/routes.js': `const express = require('express');\nconst timeoutMiddleware = require('./middleware/timeout');\nconst router = express.Router();\nrouter.post('/export', timeoutMiddleware('120s'), (req, res) => res.end());\nrouter.get('/status', timeoutMiddleware(), (req, res) => res.end());\nrouter.get('/other', authorise(), (req, res) => res.end());\nmodule.exports = router;\n`,
      'app/server.js': `const express = require('express');\nconst routes = require('./routes');\nconst app = express();\napp.use('/api', routes);\napp.listen(3000);\n`,
    };
    const report = lint({ fs: new MemoryFs(files), files: Object.keys(files), config: defaultConfig(allRules), rules: allRules, toolVersion: 'test' });
    const found = report.findings.filter((f) => f.ruleId === 'outer-timeout-below-inner').map((f) => f.message.split('.')[0]);
    expect(found).toEqual(['nginx gives up at 60 s; POST /api/export handler may take 2 min']);
  });
});

describe('which paths a middleware runs for', () => {
  it.each([
    ['express', '/api', '/api/chat', true],
    ['express', '/api', '/api', true],
    ['express', '/api', '/apis', false],
    ['express', '/api/', '/api/chat', true],
    ['express', '', '/anything', true],
    ['express', '/api', undefined, false],
    ['hono', '/api/*', '/api/chat', true],
    ['hono', '/api/*', '/api', true],
    ['hono', '/api', '/api/chat', false],
    ['hono', '/api', '/api', true],
    ['hono', '*', '/x', true],
  ])('%s middleware at %j runs for %j: %s', (framework, prefix, path, expected) => {
    expect(middlewareCovers(framework, prefix, path)).toBe(expected);
  });
});

describe('a deadline middleware in the chain', () => {
  const nginx = (readTimeout: string) => `events {}\nhttp {\n  server {\n    listen 80;\n    location /api/ {\n      proxy_pass http://127.0.0.1:3000;\n      proxy_read_timeout ${readTimeout};\n    }\n  }\n}\n`;
  const app = (routesFile: string) => ({
    'app/package.json': '{ "name": "app", "dependencies": { "express": "^4.19.0", "connect-timeout": "^1.9.0" } }',
    'app/server.js': `import express from 'express';\nimport timeout from 'connect-timeout';\nimport api from './api.js';\nconst app = express();\napp.use(timeout('120s'));\napp.use('/api', api);\napp.listen(3000);\n`,
    'app/api.js': routesFile,
  });
  const run = (f: Record<string, string>) => lint({ fs: new MemoryFs(f), files: Object.keys(f), config: defaultConfig(allRules), rules: allRules, toolVersion: 'test' });
  const routesFile = (signalMs: number) => `import express from 'express';\nconst router = express.Router();\nrouter.post('/render', async (req, res) => {\n  const r = await fetch('http://renderer.internal/render', { signal: AbortSignal.timeout(${signalMs}) });\n  res.json(await r.json());\n});\nrouter.get('/ping', (req, res) => res.end());\nexport default router;\n`;
  // The model's answer streams to the client as it comes: the middleware's timer stops once the response has started.
  const streamingFile = `import express from 'express';\nimport OpenAI from 'openai';\nconst openai = new OpenAI({ timeout: 300_000 });\nconst router = express.Router();\nrouter.post('/chat', async (req, res) => {\n  const stream = await openai.chat.completions.create({ model: 'gpt-4o', messages: req.body.messages, stream: true });\n  res.setHeader('Content-Type', 'text/event-stream');\n  for await (const chunk of stream) res.write(\`data: \${JSON.stringify(chunk)}\\n\\n\`);\n  res.end();\n});\nexport default router;\n`;

  it('reports the gateway that gives up before the app\'s own deadline, once for all the routes behind it', () => {
    const report = run({ 'nginx/nginx.conf': nginx('30s'), ...app(routesFile(10_000)) });
    const found = report.findings.filter((f) => f.ruleId === 'outer-timeout-below-inner' && f.span.file === 'nginx/nginx.conf');
    expect(found, JSON.stringify(report.findings.map((f) => [f.ruleId, f.message]))).toHaveLength(1);
    expect(found[0]!.message).toMatch(/^nginx gives up at 30 s; (POST \/api\/render|GET \/api\/ping) handler may take 2 min\./);
    expect(found[0]!.message).toContain('connect-timeout timeout() 2 min, set at app/server.js:5');
  });

  it('reports the middleware that answers before the call behind the handler is done', () => {
    const report = run({ 'nginx/nginx.conf': nginx('300s'), ...app(routesFile(180_000)) });
    const found = report.findings.filter((f) => f.ruleId === 'outer-timeout-below-inner');
    expect(found.map((f) => [f.span.file, f.message.split('.')[0]])).toEqual([['app/server.js', 'POST /api/render handler gives up at 2 min; renderer']]);
  });

  it('stays quiet when everything fits, and when the handler streams (the middleware stops at the headers)', () => {
    expect(run({ 'nginx/nginx.conf': nginx('150s'), ...app(routesFile(100_000)) }).findings.filter((f) => f.ruleId === 'outer-timeout-below-inner')).toEqual([]);
    const streaming = run({ 'nginx/nginx.conf': nginx('3600s'), ...app(streamingFile) });
    expect(streaming.chains?.linked).toBeGreaterThan(0);
    expect(streaming.findings.filter((f) => f.ruleId === 'outer-timeout-below-inner' && f.span.file === 'app/server.js')).toEqual([]);
    // The same call answered in one piece: the middleware answers 503 before the model is done.
    const whole = run({ 'nginx/nginx.conf': nginx('3600s'), ...app(streamingFile.replace('stream: true', 'stream: false')) });
    expect(whole.findings.filter((f) => f.ruleId === 'outer-timeout-below-inner' && f.span.file === 'app/server.js')).toHaveLength(1);
  });
});

describe('NestJS timeout interceptors', () => {
  const interceptor = (body: string, extra = '') => `import { Injectable, NestInterceptor } from '@nestjs/common';\nimport { timeout } from 'rxjs/operators';\n${extra}@Injectable()\nexport class TimeoutInterceptor implements NestInterceptor {\n${body}\n}\n`;
  const read = (source: string) => extractTsFacts(parseTsText('src/timeout.interceptor.ts', source)).timeoutInterceptors ?? [];

  it.each([
    ['a constant', interceptor(`  intercept(ctx, next) { return next.handle().pipe(timeout(LIMIT)); }`, 'const LIMIT = 20_000;\n'), { value: 20_000 }],
    ['a field initialiser', interceptor(`  private readonly ms = 7000;\n  intercept(ctx, next) { return next.handle().pipe(timeout(this.ms)); }`), { value: 7_000 }],
    ['a constructor parameter property with a default', interceptor(`  constructor(private readonly ms = 30_000) {}\n  intercept(ctx, next) { return next.handle().pipe(timeout(this.ms)); }`), { param: { index: 0, default: 30_000 } }],
    ['a constructor parameter assigned to a field', interceptor(`  private ms: number;\n  constructor(name: string, milliseconds: number) { this.ms = milliseconds; }\n  intercept(ctx, next) { return next.handle().pipe(timeout(this.ms)); }`), { param: { index: 1 } }],
  ])('reads the delay from %s', (_name, source, expected: { value?: number; param?: { index: number; default?: number } }) => {
    const [found] = read(source);
    expect(found?.className).toBe('TimeoutInterceptor');
    expect(found?.exports).toEqual(['TimeoutInterceptor']);
    if (expected.value !== undefined) expect(found?.value).toMatchObject({ kind: 'number', value: expected.value });
    else {
      expect(found?.param?.index).toBe(expected.param!.index);
      if (expected.param!.default !== undefined) expect(found?.param?.default).toMatchObject({ kind: 'number', value: expected.param!.default });
      else expect(found?.param?.default).toBeUndefined();
    }
  });

  it.each([
    ['a timeout that is not rxjs\'s', `import { timeout } from './util';\nexport class TimeoutInterceptor { intercept(ctx, next) { return next.handle().pipe(timeout(5000)); } }`],
    ['rxjs timeout outside intercept', `import { timeout } from 'rxjs';\nexport class Poller { poll(source) { return source.pipe(timeout(5000)); } }`],
    ['a timeout configuration object', `import { timeout } from 'rxjs';\nexport class TimeoutInterceptor { intercept(ctx, next) { return next.handle().pipe(timeout({ first: 5000, with: () => fallback })); } }`],
  ])('ignores %s', (_name, source) => {
    expect(read(source)).toEqual([]);
  });

  it('records @UseInterceptors on the controller and the handler, outermost first, with constructor arguments', () => {
    const [route] = extractTsFacts(parseTsText('src/chat.controller.ts', `import { Controller, Post, UseInterceptors } from '@nestjs/common';
import { TimeoutInterceptor } from './timeout.interceptor';
import { LoggingInterceptor } from './logging.interceptor';
@Controller('chat')
@UseInterceptors(LoggingInterceptor)
export class ChatController {
  @Post()
  @UseInterceptors(new TimeoutInterceptor(90_000))
  complete() { return 'x'; }
}
`)).routes;
    expect(route?.nestInterceptors?.map((u) => [u.ref.name, u.args.map((a) => (a.kind === 'number' ? a.value : a.kind))])).toEqual([['LoggingInterceptor', []], ['TimeoutInterceptor', [90_000]]]);
  });

  it('records global interceptors: useGlobalInterceptors and APP_INTERCEPTOR providers', () => {
    const main = extractTsFacts(parseTsText('src/main.ts', `import { NestFactory } from '@nestjs/core';\nimport { AppModule } from './app.module';\nimport { TimeoutInterceptor } from './timeout.interceptor';\nasync function bootstrap() {\n  const app = await NestFactory.create(AppModule);\n  app.useGlobalInterceptors(new TimeoutInterceptor(45_000));\n  await app.listen(3000);\n}\nbootstrap();\n`));
    expect(main.nestGlobalInterceptors?.map((u) => [u.ref.module, u.ref.name, u.text])).toEqual([['./timeout.interceptor', 'TimeoutInterceptor', 'app.useGlobalInterceptors(new TimeoutInterceptor(45_000))']]);
    const module = extractTsFacts(parseTsText('src/app.module.ts', `import { Module } from '@nestjs/common';\nimport { APP_INTERCEPTOR } from '@nestjs/core';\nimport { TimeoutInterceptor } from './timeout.interceptor';\n@Module({ providers: [{ provide: APP_INTERCEPTOR, useClass: TimeoutInterceptor }] })\nexport class AppModule {}\n`));
    expect(module.nestGlobalInterceptors?.map((u) => [u.ref.name, u.text])).toEqual([['TimeoutInterceptor', 'APP_INTERCEPTOR provider TimeoutInterceptor']]);
  });

  it('gives the route the interceptor\'s deadline in the chain, the argument of the use winning over the default', () => {
    const files = (main: string): Record<string, string> => ({
      'nginx/nginx.conf': 'events {}\nhttp {\n  server {\n    listen 80;\n    location /api/ {\n      proxy_pass http://127.0.0.1:3000;\n      proxy_read_timeout 60s;\n    }\n  }\n}\n',
      'api/package.json': '{ "name": "api", "dependencies": { "@nestjs/core": "^10.0.0", "@nestjs/common": "^10.0.0", "rxjs": "^7.8.0" } }',
      'api/src/main.ts': main,
      'api/src/timeout.interceptor.ts': interceptor(`  constructor(private readonly ms = 30_000) {}\n  intercept(ctx, next) { return next.handle().pipe(timeout(this.ms)); }`),
      'api/src/app.module.ts': `import { Module } from '@nestjs/common';\nimport { ReportController } from './report.controller';\n@Module({ controllers: [ReportController] })\nexport class AppModule {}\n`,
      'api/src/report.controller.ts': `import { Controller, Get } from '@nestjs/common';\n@Controller('report')\nexport class ReportController {\n  @Get()\n  build() { return 'x'; }\n}\n`,
    });
    const bootstrap = (use: string) => `import { NestFactory } from '@nestjs/core';\nimport { AppModule } from './app.module';\nimport { TimeoutInterceptor } from './timeout.interceptor';\nasync function bootstrap() {\n  const app = await NestFactory.create(AppModule);\n  app.setGlobalPrefix('api');\n  app.useGlobalInterceptors(${use});\n  await app.listen(3000);\n}\nbootstrap();\n`;
    const run = (f: Record<string, string>) => lint({ fs: new MemoryFs(f), files: Object.keys(f), config: defaultConfig(allRules), rules: allRules, toolVersion: 'test' });
    const gateway = (use: string) => run(files(bootstrap(use))).findings.filter((f) => f.ruleId === 'outer-timeout-below-inner' && f.span.file === 'nginx/nginx.conf').map((f) => f.message.split('.')[0]);
    expect(gateway('new TimeoutInterceptor(90_000)')).toEqual(['nginx gives up at 60 s; GET /api/report handler may take 90 s']);
    // The constructor's default (30 s) fits inside nginx's 60 s.
    expect(gateway('new TimeoutInterceptor()')).toEqual([]);
  });
});
