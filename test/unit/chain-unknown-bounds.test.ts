// A timer whose value cannot be known (a template, an expression, a NestJS decorator that is not read) on a hop of a chain: what that hop may take is unknown, so no comparison reaches past it.
import { describe, expect, it } from 'vitest';
import { allRules } from '../../rules/index.js';
import { giveUpAfter, mayTake, nextBoundedHop, unknownBound } from '../../server/src/engine/chain/budget.js';
import type { Chain, Hop, HopTimeout } from '../../server/src/engine/chain/chain-types.js';
import { defaultConfig } from '../../server/src/engine/config.js';
import { lint } from '../../server/src/engine/run.js';
import { MemoryFs } from '../../server/src/engine/workspace-fs.js';
import { formatChainsText } from '../../server/src/cli/formatters/chains/text.js';
import { chainsOf } from '../../server/src/engine/chain/chains.js';
import { createModelCapture } from '../../server/src/host/model-capture.js';

const span = { file: 'a.ts', start: 0, end: 1 };
const timer = (fields: Partial<HopTimeout>): HopTimeout => ({ kind: 'total', knob: 'timeout', text: 'x', source: 'set', span, ...fields });
const hop = (label: string, timeouts: HopTimeout[], extra: Partial<Hop> = {}): Hop => ({ kind: 'outbound-call', label, span, timeouts, ref: { kind: 'none' } as unknown as Hop['ref'], ...extra });
const chainOf = (...hops: Hop[]): Chain => ({ hops } as unknown as Chain);

describe('unknownBound', () => {
  it.each<[string, Partial<HopTimeout>, boolean?]>([
    ['a written total timer of unknown value', { ms: undefined }],
    ['a written time-to-headers timer of unknown value', { kind: 'time-to-headers', ms: undefined }],
    ['an inherited idle timer of unknown value', { kind: 'idle', source: 'inherited', ms: undefined }],
    ['an environment value that is not known', { source: 'env', ms: undefined }],
  ])('is %s', (_name, fields) => {
    expect(unknownBound(hop('h', [timer(fields)]))).toBeDefined();
  });

  it.each<[string, Partial<HopTimeout>, Partial<Hop>?]>([
    ['a known timer', { ms: 1000 }],
    ['an unknown timer that is switched off', { ms: undefined, disabled: true }],
    ['a documented default whose value is not known', { ms: undefined, source: 'default' }],
    ['a version-dependent default', { ms: undefined, source: 'default', candidates: { '<=25': 5000, '>=26': 65000 } }],
    ['an unknown connect timer (it never ends a request that connected)', { kind: 'connect', ms: undefined }],
    ['an unknown idle timer on a hop that streams (every chunk resets it)', { kind: 'idle', ms: undefined }, { streaming: true }],
  ])('is not %s', (_name, fields, extra) => {
    expect(unknownBound(hop('h', [timer(fields)], extra))).toBeUndefined();
  });

  it('passes a server with an unknown idle timer when what is behind it streams', () => {
    const server = hop('server', [timer({ kind: 'idle', ms: undefined })]);
    const stream = hop('llm', [timer({ ms: 600_000 })], { streaming: true });
    expect(unknownBound(server, true)).toBeUndefined();
    expect(nextBoundedHop(chainOf(hop('gateway', []), server, stream), 0)?.inner).toBe(stream);
    expect(nextBoundedHop(chainOf(hop('gateway', []), server, hop('call', [timer({ ms: 600_000 })])), 0)).toBeUndefined();
  });
});

describe('mayTake and nextBoundedHop with unknown timers', () => {
  it('gives no bound for a hop with a known and an unknown timer: the unknown one may end it sooner', () => {
    expect(mayTake(hop('h', [timer({ ms: 30_000 })]))?.ms).toBe(30_000);
    expect(mayTake(hop('h', [timer({ ms: 30_000 }), timer({ ms: undefined })]))).toBeUndefined();
  });

  it('passes through hops without timers, and stops at a hop with an unknown one', () => {
    const call = hop('call', [timer({ ms: 120_000 })]);
    expect(nextBoundedHop(chainOf(hop('gateway', []), hop('handler', []), call), 0)?.inner).toBe(call);
    expect(nextBoundedHop(chainOf(hop('gateway', []), hop('handler', [timer({ ms: undefined })]), call), 0)).toBeUndefined();
    // A documented default of unknown value is passed through as before.
    expect(nextBoundedHop(chainOf(hop('gateway', []), hop('handler', [timer({ ms: undefined, source: 'default' })]), call), 0)?.inner).toBe(call);
  });
});

describe('timers a request may skip', () => {
  const call = hop('call', [timer({ ms: 120_000 })]);
  const maybe = (ms: number) => hop('handler', [timer({ kind: 'time-to-headers', ms, mayNotApply: 'the route may skip it' })]);

  it('are no sure moment of giving up, nor a bound of what the hop may take', () => {
    expect(giveUpAfter(maybe(10_000), false)).toBeUndefined();
    expect(mayTake(maybe(10_000))).toBeUndefined();
  });

  it('bound what reaches the hop in front only by the shorter of the two ways', () => {
    // Applied, 10 s; skipped, the 2 min call: only 10 s is sure, and a raised gateway must cover 2 min.
    expect(nextBoundedHop(chainOf(hop('gateway', []), maybe(10_000), call), 0)).toMatchObject({ need: { ms: 10_000 }, longestMs: 120_000 });
    // Applied, 5 min; skipped, 2 min: at least 2 min either way.
    expect(nextBoundedHop(chainOf(hop('gateway', []), maybe(300_000), call), 0)).toMatchObject({ inner: call, need: { ms: 120_000 }, longestMs: 300_000 });
    // Skipped, nothing behind bounds it: the timer's own value is the sure part, and no raise covers the rest.
    expect(nextBoundedHop(chainOf(hop('gateway', []), maybe(90_000), hop('db', [])), 0)).toMatchObject({ need: { ms: 90_000 }, longestMs: Number.POSITIVE_INFINITY });
    // A sure timer on the same hop: skipped, that one bounds it.
    const both = hop('handler', [timer({ kind: 'time-to-headers', ms: 30_000 }), timer({ kind: 'time-to-headers', ms: 10_000, mayNotApply: 'the route may skip it' })]);
    expect(nextBoundedHop(chainOf(hop('gateway', []), both, call), 0)).toMatchObject({ need: { ms: 10_000 }, longestMs: 30_000 });
    expect(mayTake(both)?.ms).toBe(30_000);
    // Skipped, a timer of unknown value behind it: nothing is sure.
    expect(nextBoundedHop(chainOf(hop('gateway', []), maybe(90_000), hop('db', [timer({ ms: undefined })])), 0)).toBeUndefined();
  });
});

describe('a NestJS route whose interceptor delay is not known', () => {
  const files = (decorator: string, imports: string, fallback = '15_000', extra: Record<string, string> = {}): Record<string, string> => ({
    'nginx/nginx.conf': 'events {}\nhttp {\n  server {\n    listen 80;\n    location /api/ {\n      proxy_pass http://127.0.0.1:3000/;\n      proxy_read_timeout 60s;\n    }\n  }\n}\n',
    'api/package.json': '{ "name": "api", "dependencies": { "@nestjs/core": "^10.0.0", "@nestjs/common": "^10.0.0", "rxjs": "^7.8.0" } }',
    'api/src/main.ts': `import { NestFactory } from '@nestjs/core';\nimport { AppModule } from './app.module';\nasync function bootstrap() {\n  const app = await NestFactory.create(AppModule);\n  await app.listen(3000);\n}\nbootstrap();\n`,
    'api/src/app.module.ts': `import { Module } from '@nestjs/common';\nimport { APP_INTERCEPTOR } from '@nestjs/core';\nimport { TimeoutInterceptor } from './timeout.interceptor';\nimport { ReportController } from './report.controller';\n@Module({ controllers: [ReportController], providers: [{ provide: APP_INTERCEPTOR, useClass: TimeoutInterceptor }] })\nexport class AppModule {}\n`,
    'api/src/timeout.decorator.ts': `import { SetMetadata } from '@nestjs/common';\nexport const Timeout = (ms: number) => SetMetadata('timeout', ms);\n`,
    'api/src/timeout.interceptor.ts': `import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';\nimport { Reflector } from '@nestjs/core';\nimport { timeout } from 'rxjs/operators';\n@Injectable()\nexport class TimeoutInterceptor implements NestInterceptor {\n  constructor(private readonly reflector: Reflector) {}\n  intercept(context: ExecutionContext, next: CallHandler) {\n    if (this.reflector.get('no-timeout', context.getHandler())) return next.handle();\n    const ms = this.reflector.get<number>('timeout', context.getHandler()) ?? ${fallback};\n    return next.handle().pipe(timeout(ms));\n  }\n}\n`,
    ...extra,
    'api/src/report.controller.ts': `import { Controller, Get } from '@nestjs/common';\n${imports}@Controller('report')\nexport class ReportController {\n  ${decorator}\n  @Get('pdf')\n  async pdf() {\n    const res = await fetch('https://render.example.com/pdf', { signal: AbortSignal.timeout(120_000) });\n    return res.text();\n  }\n}\n`,
  });
  const run = (f: Record<string, string>) => {
    const capture = createModelCapture();
    const report = lint({ fs: new MemoryFs(f), files: Object.keys(f), config: defaultConfig(allRules), rules: [...allRules, capture.rule], toolVersion: 'test' });
    const headlines = report.findings.filter((x) => x.ruleId === 'outer-timeout-below-inner').map((x) => x.message.split('. ')[0]);
    const model = capture.model()!;
    const text = formatChainsText(chainsOf(model), model);
    return { headlines, text };
  };

  it('compares nginx with a delay the route\'s decorator stores, and the 15 s fallback with the call', () => {
    expect(run(files('@Timeout(180_000)', `import { Timeout } from './timeout.decorator';\n`)).headlines).toEqual(['nginx gives up at 60 s; GET /report/pdf handler may take 3 min']);
    expect(run(files('', '')).headlines).toEqual(['GET /report/pdf handler gives up at 15 s; render.example.com may take 2 min']);
  });

  it('claims nothing past the handler for a decorator from a package outside the workspace, and says why in chains', () => {
    const { headlines, text } = run(files('@Slow()', `import { Slow } from '@acme/nest-common';\n`));
    expect(headlines).toEqual([]);
    expect(text).toMatch(/GET \/report\/pdf handler[^\n]*\n\s+rxjs timeout\(\) in an interceptor unknown/);
    expect(text).toContain('the delay is not known: what @Slow() stores is not known here');
    expect(text).not.toMatch(/GET \/report\/pdf handler[^\n]*\n\s+no timeout of its own/);
  });

  const skipFlag = `import { SetMetadata } from '@nestjs/common';\n`;

  it('compares what is sure either way when the route may skip the interceptor', () => {
    // 90 s applied, 2 min skipped: nginx's 60 s is short either way. The handler's own 90 s is no sure give-up.
    expect(run(files(`@SetMetadata('no-timeout', process.env.SKIP_TIMEOUT)`, skipFlag, '90_000')).headlines).toEqual(['nginx gives up at 60 s; GET /report/pdf handler may take 90 s']);
    // 15 s applied, 2 min skipped: not known. The chain says the timer may not apply, and why.
    const { headlines, text } = run(files(`@SetMetadata('no-timeout', process.env.SKIP_TIMEOUT)`, skipFlag));
    expect(headlines).toEqual([]);
    expect(text).toContain("rxjs timeout() in an interceptor 15_000 = 15 s (set at api/src/timeout.interceptor.ts:9; the route may skip it: @SetMetadata('no-timeout', process.env.SKIP_TIMEOUT) stores a value for this.reflector.get('no-timeout', context.getHandler()) that is not known here)");
  });

  it.each([
    ['an object (always truthy)', `@SetMetadata('no-timeout', { reason: 'stream' })`, skipFlag, {}],
    ['an imported constant true', `@SetMetadata('no-timeout', SKIP)`, `${skipFlag}import { SKIP } from './flags';\n`, { 'api/src/flags.ts': 'export const SKIP = true;\n' }],
  ])('reads a skip flag stored as %s: the route skips the timeout', (_name, decorator, imports, extra) => {
    expect(run(files(decorator, imports, '15_000', extra)).headlines).toEqual(['nginx gives up at 60 s; render.example.com may take 2 min']);
  });

  it('passes over a handler that stores nothing under a key to the controller, as getAllAndOverride does', () => {
    const f = files(`@SetMetadata('timeout')`, skipFlag);
    f['api/src/timeout.interceptor.ts'] = f['api/src/timeout.interceptor.ts']!.replace("this.reflector.get<number>('timeout', context.getHandler())", "this.reflector.getAllAndOverride<number>('timeout', [context.getHandler(), context.getClass()])");
    f['api/src/report.controller.ts'] = f['api/src/report.controller.ts']!.replace("@Controller('report')", "@SetMetadata('timeout', 180_000)\n@Controller('report')");
    expect(run(f).headlines).toEqual(['nginx gives up at 60 s; GET /report/pdf handler may take 3 min']);
  });

  it('reads a skip flag stored without a value as not set: the fallback applies', () => {
    expect(run(files(`@SetMetadata('no-timeout')`, skipFlag, '90_000')).headlines).toEqual([
      'GET /report/pdf handler gives up at 90 s; render.example.com may take 2 min',
      'nginx gives up at 60 s; GET /report/pdf handler may take 90 s',
    ]);
  });
});
