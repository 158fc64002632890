// NestJS per-route timeouts kept as metadata (a decorator stores the delay, the interceptor reads it
// with the Reflector), and values chosen by an environment test (`NODE_ENV === 'test' ? a : b`).
import { describe, expect, it } from 'vitest';
import { extractTsFacts } from '../../server/src/engine/inputs/ts/facts.js';
import { parseTsText } from '../../server/src/engine/inputs/ts/file.js';
import { resolveTsNumber } from '../../server/src/engine/inputs/ts/chain-values.js';
import type { TsValue } from '../../server/src/engine/inputs/ts/types.js';
import type { EnvContext } from '../../server/src/engine/chain/environment.js';
import { allRules } from '../../rules/index.js';
import { defaultConfig } from '../../server/src/engine/config.js';
import { lint } from '../../server/src/engine/run.js';
import { MemoryFs } from '../../server/src/engine/workspace-fs.js';

const INTERCEPTOR_HEAD = `import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { timeout } from 'rxjs/operators';
`;
const interceptor = (body: string, extra = '') => `${INTERCEPTOR_HEAD}${extra}@Injectable()\nexport class TimeoutInterceptor implements NestInterceptor {\n  constructor(private readonly reflector: Reflector) {}\n${body}\n}\n`;
const readInterceptors = (source: string) => extractTsFacts(parseTsText('src/timeout.interceptor.ts', source)).timeoutInterceptors ?? [];
const valueOf = (v: TsValue | undefined) => (v?.kind === 'number' ? v.value : v?.kind === 'string' ? v.value : v?.kind);

describe('interceptors that read the delay from route metadata', () => {
  it.each([
    ['get on the handler with ??', `  intercept(context: ExecutionContext, next: CallHandler) {\n    const custom = this.reflector.get<number>(TIMEOUT_KEY, context.getHandler());\n    return next.handle().pipe(timeout(custom ?? 10_000));\n  }`, { key: 'request-timeout', targets: ['handler'], fallback: 10_000, op: '??' }],
    ['getAllAndOverride on handler and class with ||, through consts', `  intercept(context: ExecutionContext, next: CallHandler) {\n    const custom = this.reflector.getAllAndOverride<number>(TIMEOUT_KEY, [context.getHandler(), context.getClass()]);\n    const ms = custom || DEFAULT_MS;\n    return next.handle().pipe(timeout(ms));\n  }`, { key: 'request-timeout', targets: ['handler', 'class'], fallback: 30_000, op: '||' }],
    ['a let given its fallback by an if', `  intercept(context: ExecutionContext, next: CallHandler) {\n    let t = this.reflector.get<number>('timeout', context.getHandler());\n    if (!t) {\n      t = 10 * 60 * 1000;\n    }\n    return next.handle().pipe(timeout(t));\n  }`, { key: 'timeout', targets: ['handler'], fallback: 600_000, op: '||' }],
    ['a fallback in a field of the interceptor', `  private readonly defaultTimeout = 45_000;\n  intercept(context: ExecutionContext, next: CallHandler) {\n    return next.handle().pipe(timeout(this.reflector.get(TIMEOUT_KEY, context.getHandler()) ?? this.defaultTimeout));\n  }`, { key: 'request-timeout', targets: ['handler'], fallback: 45_000, op: '??' }],
    ['Reflect.getMetadata without a fallback', `  intercept(context: ExecutionContext, next: CallHandler) {\n    return next.handle().pipe(timeout(Reflect.getMetadata(TIMEOUT_KEY, context.getClass())));\n  }`, { key: 'request-timeout', targets: ['class'] }],
  ])('reads %s', (_name, body, expected: { key: string; targets: string[]; fallback?: number; op?: string }) => {
    const [found] = readInterceptors(interceptor(body, `const TIMEOUT_KEY = 'request-timeout';\nconst DEFAULT_MS = 30_000;\n`));
    expect(found?.metadata).toBeDefined();
    expect(valueOf(found!.metadata!.key)).toBe(expected.key);
    expect(found!.metadata!.targets).toEqual(expected.targets);
    expect(valueOf(found!.metadata!.fallback?.value)).toBe(expected.fallback);
    expect(found!.metadata!.fallback?.op).toBe(expected.op);
    expect(found!.value).toBeUndefined();
  });

  it('records metadata that makes intercept return before the timeout', () => {
    const [found] = readInterceptors(interceptor(`  intercept(context: ExecutionContext, next: CallHandler) {\n    if (context.getType() !== 'http') return next.handle();\n    if (this.reflector.get<boolean>('no-timeout', context.getHandler())) {\n      return next.handle();\n    }\n    return next.handle().pipe(timeout(this.reflector.get('timeout', context.getHandler()) ?? 5000));\n  }`));
    expect(found?.skipWhen?.map((s) => valueOf(s.key))).toEqual(['no-timeout']);
  });

  it('leaves out an interceptor whose early return depends on something it cannot read', () => {
    expect(readInterceptors(interceptor(`  intercept(context: ExecutionContext, next: CallHandler) {\n    const request = context.switchToHttp().getRequest();\n    if (request.url.startsWith('/stream')) return next.handle();\n    return next.handle().pipe(timeout(this.reflector.get('timeout', context.getHandler()) ?? 5000));\n  }`))).toEqual([]);
  });

  it.each([
    ['a timeout only in the branch where the metadata is not set', `    const ms = this.reflector.get<number>('timeout', context.getHandler()) ?? 5000;\n    if (!this.reflector.get('no-timeout', context.getHandler())) {\n      return next.handle().pipe(timeout(ms));\n    }\n    return next.handle();`],
    ['a timeout in one branch of ?:', `    const skip = this.reflector.get('no-timeout', context.getHandler());\n    return skip ? next.handle() : next.handle().pipe(timeout(this.reflector.get('timeout', context.getHandler()) ?? 5000));`],
    ['an early return on a combined condition', `    const request = context.switchToHttp().getRequest();\n    if (context.getType() !== 'http' || request.url.includes('/events')) return next.handle();\n    return next.handle().pipe(timeout(this.reflector.get('timeout', context.getHandler()) ?? 5000));`],
    ['a let clamped by an if, not given a fallback', `    let ms = this.reflector.get<number>('timeout', context.getHandler());\n    if (ms > 30_000) ms = 30_000;\n    return next.handle().pipe(timeout(ms));`],
    ['a fallback given only under another condition', `    let t = this.reflector.get<number>('timeout', context.getHandler());\n    if (context.getType() === 'rpc') {\n      if (!t) t = 120_000;\n    }\n    return next.handle().pipe(timeout(t));`],
    ['a fallback for null, which the Reflector never answers', `    let t = this.reflector.get<number>('timeout', context.getHandler());\n    if (t === null) t = 120_000;\n    return next.handle().pipe(timeout(t));`],
    ['a timeout in one branch of iif', `    return iif(() => !!this.reflector.get('no-timeout', context.getHandler()), next.handle(), next.handle().pipe(timeout(this.reflector.get('timeout', context.getHandler()) ?? 5000)));`],
    ['a getType check on something other than the context', `    if (this.mode.getType() !== 'http') return next.handle();\n    return next.handle().pipe(timeout(this.reflector.get('timeout', context.getHandler()) ?? 5000));`],
  ])('does not claim a delay for %s', (_name, body) => {
    const [found] = readInterceptors(interceptor(`  intercept(context: ExecutionContext, next: CallHandler) {\n${body}\n  }`));
    expect(found?.metadata).toBeUndefined();
  });

  it('reads `t === undefined` as a ?? fallback', () => {
    const [found] = readInterceptors(interceptor(`  intercept(context: ExecutionContext, next: CallHandler) {\n    let t = this.reflector.get<number>('timeout', context.getHandler());\n    if (t === undefined) t = 8000;\n    return next.handle().pipe(timeout(t));\n  }`));
    expect(found?.metadata?.fallback).toMatchObject({ op: '??', value: { kind: 'number', value: 8000 } });
  });

  it('leaves out an interceptor with two timeouts (which a route gets is not read)', () => {
    expect(readInterceptors(interceptor(`  intercept(context: ExecutionContext, next: CallHandler) {\n    if (this.reflector.get('slow', context.getHandler())) return next.handle().pipe(timeout(600_000));\n    return next.handle().pipe(timeout(5000));\n  }`))).toEqual([]);
  });

  it('keeps a fixed delay behind a skip condition it reads', () => {
    const [found] = readInterceptors(interceptor(`  intercept(context: ExecutionContext, next: CallHandler) {\n    if (this.reflector.get('no-timeout', context.getHandler())) return next.handle();\n    return next.handle().pipe(timeout(5000));\n  }`));
    expect(valueOf(found?.value)).toBe(5000);
    expect(found?.skipWhen?.map((k) => valueOf(k.key))).toEqual(['no-timeout']);
  });

  it('does not take a reassigned let that reads itself for a fallback', () => {
    const [found] = readInterceptors(interceptor(`  intercept(context: ExecutionContext, next: CallHandler) {\n    let t = this.reflector.get<number>('timeout', context.getHandler());\n    t = t * 1000;\n    return next.handle().pipe(timeout(t));\n  }`));
    expect(found?.metadata).toBeUndefined();
  });
});

describe('metadata decorators', () => {
  const read = (source: string) => extractTsFacts(parseTsText('src/timeout.decorator.ts', source)).metadataDecorators ?? [];

  it('reads an arrow that returns SetMetadata with its parameter', () => {
    const [found] = read(`import { SetMetadata } from '@nestjs/common';\nexport const TIMEOUT_KEY = 'timeout';\nexport const Timeout = (ms: number) => SetMetadata(TIMEOUT_KEY, ms);\n`);
    expect(found?.exports).toEqual(['Timeout']);
    expect(found?.sets.map((s) => [valueOf(s.key), s.param?.index])).toEqual([['timeout', 0]]);
    expect(found?.interceptors).toEqual([]);
  });

  it('reads applyDecorators with SetMetadata and UseInterceptors, and a parameter default', () => {
    const [found] = read(`import { applyDecorators, SetMetadata, UseInterceptors } from '@nestjs/common';\nimport { TimeoutInterceptor } from './timeout.interceptor';\nexport function Timeout(ms = 20_000) {\n  return applyDecorators(SetMetadata('timeout', ms), UseInterceptors(TimeoutInterceptor));\n}\n`);
    expect(found?.sets.map((s) => [valueOf(s.key), s.param?.index, valueOf(s.param?.default)])).toEqual([['timeout', 0, 20_000]]);
    expect(found?.interceptors.map((i) => i.ref.name)).toEqual(['TimeoutInterceptor']);
  });

  it('keeps a factory that stores nothing, and marks one that applies a decorator it cannot see through', () => {
    const found = read(`import { applyDecorators, SetMetadata, UseGuards } from '@nestjs/common';\nimport { Timeout } from './timeout';\nimport { AuthGuard } from './auth.guard';\nexport const Auth = () => applyDecorators(UseGuards(AuthGuard));\nexport const Quick = () => applyDecorators(Timeout(5_000));\nexport const Scaled = (seconds: number) => SetMetadata('timeout', seconds * 1000);\n`);
    expect(found.map((d) => [d.name, d.sets.length, d.opaque ?? null])).toEqual([['Auth', 0, null], ['Quick', 0, 'it applies Timeout(5_000)'], ['Scaled', 1, null]]);
    expect(found[2]?.sets[0]?.value?.kind).toBe('unknown');
  });

  it('ignores a SetMetadata that is not Nest\'s', () => {
    expect(read(`import { SetMetadata } from './local';\nexport const Timeout = (ms: number) => SetMetadata('timeout', ms);\n`)).toEqual([]);
  });

  it('records workspace decorators and @SetMetadata on routes, never Nest\'s own', () => {
    const [route] = extractTsFacts(parseTsText('src/chat.controller.ts', `import { Controller, Post, SetMetadata } from '@nestjs/common';\nimport { ApiBody } from '@nestjs/swagger';\nimport { Timeout } from './timeout.decorator';\n@Controller('chat')\n@Timeout(5000)\nexport class ChatController {\n  @SetMetadata('timeout', 90_000)\n  @ApiBody({})\n  @Post()\n  complete() { return 'x'; }\n}\n`)).routes;
    expect(route?.nestDecorators?.map((d) => [d.on, d.ref?.name ?? 'SetMetadata', d.args.map(valueOf)])).toEqual([['class', 'Timeout', [5000]], ['handler', 'SetMetadata', ['timeout', 90_000]]]);
  });
});

describe('values chosen by an environment variable', () => {
  const evaluate = (expression: string): TsValue => extractTsFacts(parseTsText('src/config.ts', `export const LIMIT = ${expression};\n`)).exports.find((e) => e.name === 'LIMIT')!.value!;
  const env = (vars: Record<string, string | undefined>): EnvContext => new Map(Object.entries(vars).map(([name, text]) => [name, text === undefined ? { unknown: true } : { text }])) as unknown as EnvContext;
  const resolve = (value: TsValue, vars: Record<string, string | undefined>) => resolveTsNumber(value, 'src/config.ts', new Map(), env(vars));

  it('reads a comparison with a string as a choice', () => {
    const value = evaluate(`process.env.NODE_ENV === 'production' ? 30_000 : 5_000`);
    expect(value).toMatchObject({ kind: 'env-choice', name: 'NODE_ENV', equals: 'production', negated: false });
  });

  it.each([
    ['the variable set to the compared value', { NODE_ENV: 'production' }, 30_000, 'env'],
    ['the variable set to another value', { NODE_ENV: 'development' }, 5_000, 'env'],
    // Set outside the workspace, most likely: which branch runs is not known.
    ['the variable unset', {}, undefined, 'set'],
  ])('picks the branch for %s', (_name, vars, ms, source) => {
    const resolved = resolve(evaluate(`process.env.NODE_ENV === 'production' ? 30_000 : 5_000`), vars);
    expect(resolved?.value).toBe(ms);
    expect(resolved?.source).toBe(source);
  });

  it('follows a negated test', () => {
    expect(resolve(evaluate(`process.env.NODE_ENV !== 'test' ? 300_000 : 600_000`), {})?.value).toBe(300_000);
    expect(resolve(evaluate(`process.env.NODE_ENV !== 'test' ? 300_000 : 600_000`), { NODE_ENV: 'test' })?.value).toBe(600_000);
  });

  it('is unknown when the variable is set to a value that cannot be read', () => {
    expect(resolve(evaluate(`process.env.NODE_ENV === 'production' ? 30_000 : 5_000`), { NODE_ENV: undefined })?.value).toBeUndefined();
  });

  it('is unknown when the variable is unset and compared with anything but NODE_ENV\'s "test"', () => {
    expect(resolve(evaluate(`process.env.NODE_ENV !== 'production' ? 600_000 : 30_000`), {})?.value).toBeUndefined();
    expect(resolve(evaluate(`process.env.MODE === 'test' ? 1_000 : 30_000`), {})?.value).toBeUndefined();
  });

  it('says how the test picked the value', () => {
    expect(resolve(evaluate(`process.env.NODE_ENV === 'production' ? 30_000 : 5_000`), { NODE_ENV: 'production' })?.env?.choice).toBe(`$NODE_ENV is "production", so process.env.NODE_ENV === 'production' picks 30_000`);
  });

  it('leaves a choice between option objects unknown', () => {
    expect(evaluate(`process.env.NODE_ENV === 'production' ? { timeout: 1 } : { timeout: 2 }`).kind).toBe('unknown');
  });
});

describe('a route\'s metadata delay in the chain', () => {
  const files = (controller: string, extra: Record<string, string> = {}): Record<string, string> => ({
    'nginx/nginx.conf': 'events {}\nhttp {\n  server {\n    listen 80;\n    location /api/ {\n      proxy_pass http://127.0.0.1:3000/;\n      proxy_read_timeout 60s;\n    }\n  }\n}\n',
    'api/package.json': '{ "name": "api", "dependencies": { "@nestjs/core": "^10.0.0", "@nestjs/common": "^10.0.0", "rxjs": "^7.8.0" } }',
    'api/src/main.ts': `import { NestFactory } from '@nestjs/core';\nimport { AppModule } from './app.module';\nasync function bootstrap() {\n  const app = await NestFactory.create(AppModule);\n  await app.listen(3000);\n}\nbootstrap();\n`,
    'api/src/app.module.ts': `import { Module } from '@nestjs/common';\nimport { APP_INTERCEPTOR } from '@nestjs/core';\nimport { TimeoutInterceptor } from './timeout.interceptor';\nimport { ReportController } from './report.controller';\n@Module({ controllers: [ReportController], providers: [{ provide: APP_INTERCEPTOR, useClass: TimeoutInterceptor }] })\nexport class AppModule {}\n`,
    'api/src/timeout.decorator.ts': `import { SetMetadata } from '@nestjs/common';\nexport const TIMEOUT_KEY = 'timeout';\nexport const Timeout = (ms: number) => SetMetadata(TIMEOUT_KEY, ms);\nexport const NoTimeout = () => SetMetadata('no-timeout', true);\n`,
    'api/src/timeout.interceptor.ts': interceptor(`  intercept(context: ExecutionContext, next: CallHandler) {\n    if (this.reflector.get('no-timeout', context.getHandler())) return next.handle();\n    const ms = this.reflector.get<number>(TIMEOUT_KEY, context.getHandler()) ?? 15_000;\n    return next.handle().pipe(timeout(ms));\n  }`, `import { TIMEOUT_KEY } from './timeout.decorator';\n`),
    'api/src/report.controller.ts': `import { Controller, Get, SetMetadata } from '@nestjs/common';\nimport { NoTimeout, Timeout } from './timeout.decorator';\n@Controller('report')\nexport class ReportController {\n${controller}\n}\n`,
    ...extra,
  });
  const headlines = (f: Record<string, string>) => lint({ fs: new MemoryFs(f), files: Object.keys(f), config: defaultConfig(allRules), rules: allRules, toolVersion: 'test' }).findings
    .filter((x) => x.ruleId === 'outer-timeout-below-inner' && x.span.file === 'nginx/nginx.conf').map((x) => x.message.split('.')[0]);

  it('reports the delay a workspace decorator stores above the gateway\'s', () => {
    expect(headlines(files(`  @Timeout(90_000)\n  @Get('pdf')\n  pdf() { return 'x'; }`))).toEqual(['nginx gives up at 60 s; GET /report/pdf handler may take 90 s']);
  });

  it('reports a delay stored with @SetMetadata directly', () => {
    expect(headlines(files(`  @SetMetadata('timeout', 120_000)\n  @Get('pdf')\n  pdf() { return 'x'; }`))).toEqual(['nginx gives up at 60 s; GET /report/pdf handler may take 2 min']);
  });

  it('is quiet for a route on the fallback, and for a route that skips the interceptor', () => {
    expect(headlines(files(`  @Get('pdf')\n  pdf() { return 'x'; }`))).toEqual([]);
    expect(headlines(files(`  @NoTimeout()\n  @Timeout(90_000)\n  @Get('pdf')\n  pdf() { return 'x'; }`))).toEqual([]);
  });

  // The interceptor of these files falls back to 120 s: a route that stores less must not get it.
  const longFallback = (controller: string, extra: Record<string, string> = {}) => {
    const f = files(controller, extra);
    f['api/src/timeout.interceptor.ts'] = f['api/src/timeout.interceptor.ts']!.replace('?? 15_000', '?? 120_000');
    return f;
  };

  it('uses the stored delay over a longer fallback, and the fallback where nothing is stored', () => {
    expect(headlines(longFallback(`  @Timeout(30_000)\n  @Get('pdf')\n  pdf() { return 'x'; }`))).toEqual([]);
    expect(headlines(longFallback(`  @Get('pdf')\n  pdf() { return 'x'; }`))).toEqual(['nginx gives up at 60 s; GET /report/pdf handler may take 2 min']);
  });

  it('reads a decorator through a namespace import, and a factory with a `this` parameter', () => {
    // 90 s stored, 120 s fallback: the headline says which was read.
    const ns = longFallback(`  @D.Timeout(90_000)\n  @Get('pdf')\n  pdf() { return 'x'; }`);
    ns['api/src/report.controller.ts'] = `import * as D from './timeout.decorator';\n${ns['api/src/report.controller.ts']!}`;
    expect(headlines(ns)).toEqual(['nginx gives up at 60 s; GET /report/pdf handler may take 90 s']);
    const withThis = longFallback(`  @Timeout(90_000)\n  @Get('pdf')\n  pdf() { return 'x'; }`);
    withThis['api/src/timeout.decorator.ts'] = withThis['api/src/timeout.decorator.ts']!.replace('export const Timeout = (ms: number) => SetMetadata(TIMEOUT_KEY, ms);', 'export function Timeout(this: void, ms: number) { return SetMetadata(TIMEOUT_KEY, ms); }');
    expect(headlines(withThis)).toEqual(['nginx gives up at 60 s; GET /report/pdf handler may take 90 s']);
  });

  it('lets the decorator written on top win when two store the key', () => {
    expect(headlines(longFallback(`  @Timeout(90_000)\n  @Timeout(30_000)\n  @Get('pdf')\n  pdf() { return 'x'; }`))).toEqual(['nginx gives up at 60 s; GET /report/pdf handler may take 90 s']);
    expect(headlines(longFallback(`  @Timeout(30_000)\n  @Timeout(90_000)\n  @Get('pdf')\n  pdf() { return 'x'; }`))).toEqual([]);
  });

  it.each([
    ['a decorator written without a call', `import { Fast } from './fast';\n`, `  @Fast\n  @Get('pdf')\n  pdf() { return 'x'; }`],
    ['a decorator from a package outside the workspace', `import { Slow } from '@acme/nest-common';\n`, `  @Slow()\n  @Get('pdf')\n  pdf() { return 'x'; }`],
    ['a workspace decorator that applies another', `import { Quick } from './quick';\n`, `  @Quick()\n  @Get('pdf')\n  pdf() { return 'x'; }`],
  ])('claims no delay for a route with %s (what it stores is not known)', (_name, imports, controller) => {
    const f = longFallback(controller, {
      'api/src/quick.ts': `import { applyDecorators } from '@nestjs/common';\nimport { Timeout } from './timeout.decorator';\nexport const Quick = () => applyDecorators(Timeout(5_000));\n`,
      'api/src/fast.ts': `import { SetMetadata } from '@nestjs/common';\nexport const Fast = SetMetadata('timeout', 5_000);\n`,
    });
    f['api/src/report.controller.ts'] = imports + f['api/src/report.controller.ts']!;
    expect(headlines(f)).toEqual([]);
  });

  it('picks the delay by the environment the deployment gives', () => {
    const controller = `  @Timeout(process.env.NODE_ENV === 'production' ? 90_000 : 10_000)\n  @Get('pdf')\n  pdf() { return 'x'; }`;
    // nginx reaches the compose service, so the chain runs in its environment.
    const compose = (value: string) => ({
      'compose.yaml': `services:\n  api:\n    build: ./api\n    environment:\n      NODE_ENV: ${value}\n  proxy:\n    image: nginx\n`,
      'nginx/nginx.conf': 'events {}\nhttp {\n  server {\n    listen 80;\n    location /api/ {\n      proxy_pass http://api:3000/;\n      proxy_read_timeout 60s;\n    }\n  }\n}\n',
    });
    expect(headlines(files(controller, compose('production')))).toEqual(['nginx gives up at 60 s; GET /report/pdf handler may take 90 s']);
    expect(headlines(files(controller, compose('staging')))).toEqual([]);
  });
});

describe('environment choices elsewhere', () => {
  const run = (f: Record<string, string>) => lint({ fs: new MemoryFs(f), files: Object.keys(f), config: defaultConfig(allRules), rules: allRules, toolVersion: 'test' }).findings;

  it('does not read a choice between imported option objects as a missing timeout', () => {
    const findings = run({
      'package.json': '{ "name": "svc", "dependencies": { "got": "^14.0.0" } }',
      'src/t.ts': `export const PROD = { request: 5000 };\nexport const DEV = { request: 60000 };\n`,
      'src/c.ts': `import got from 'got';\nimport { PROD, DEV } from './t';\nexport async function f() {\n  return got('https://api.example.com/x', { timeout: process.env.NODE_ENV === 'production' ? PROD : DEV });\n}\n`,
    });
    expect(findings.filter((x) => x.ruleId === 'http-call-without-timeout')).toEqual([]);
  });

  it('does not link a port chosen by a variable nothing sets', () => {
    const findings = run({
      'nginx/nginx.conf': 'events {}\nhttp {\n  server {\n    listen 80;\n    location /api/ {\n      proxy_pass http://127.0.0.1:3000/;\n      proxy_read_timeout 60s;\n    }\n  }\n}\n',
      'api/package.json': '{ "name": "api", "dependencies": { "express": "^4.19.0", "connect-timeout": "^1.9.0" } }',
      'api/server.js': `const express = require('express');\nconst timeout = require('connect-timeout');\nconst app = express();\napp.use(timeout('90s'));\napp.get('/report', (req, res) => res.end());\napp.listen(process.env.NODE_ENV === 'production' ? 8080 : 3000);\n`,
    });
    expect(findings.filter((x) => x.ruleId === 'outer-timeout-below-inner')).toEqual([]);
  });
});
