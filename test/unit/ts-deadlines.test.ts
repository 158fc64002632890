// Deadlines code sets on its own work (`Promise.race` against a timer): which races count, the delay's value, and a delay that is a parameter of the function registering the routes.
import { describe, expect, it } from 'vitest';
import { extractTsFacts } from '../../server/src/engine/inputs/ts/facts.js';
import { parseTsText } from '../../server/src/engine/inputs/ts/file.js';
import type { TsDeadline } from '../../server/src/engine/inputs/ts/types.js';
import { allRules } from '../../rules/index.js';
import { defaultConfig } from '../../server/src/engine/config.js';
import { lint } from '../../server/src/engine/run.js';
import { MemoryFs } from '../../server/src/engine/workspace-fs.js';

function deadlines(source: string): TsDeadline[] {
  const facts = extractTsFacts(parseTsText('src/routes.ts', source));
  return facts.functions.flatMap((f) => f.deadlines ?? []);
}

describe('Promise.race deadlines', () => {
  it.each([
    ['a timer promise in a const', `async function h() { const t = new Promise((_, reject) => setTimeout(() => reject(new Error('late')), 30_000)); return Promise.race([work(), t]); }`, 30_000],
    ['an inline timer promise', `async function h() { return Promise.race([work(), new Promise((_, reject) => { setTimeout(() => reject(new Error('late')), 45000); })]); }`, 45_000],
    ['a timer handle assigned in the executor', `async function h() { let id; const t = new Promise((_, reject) => { id = setTimeout(() => reject(new Error('x')), 2 * 60 * 1000); }); await Promise.race([work(), t]); clearTimeout(id); }`, 120_000],
    ['a resolving timer (a sleep race)', `async function h() { return Promise.race([work(), new Promise((resolve) => setTimeout(resolve, 5000))]); }`, 5_000],
    ['a same-file helper timeout(ms)', `function timeout(ms) { return new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), ms)); }\nasync function h() { return Promise.race([work(), timeout(20000)]); }`, 20_000],
    ['an arrow helper with a constant', `const LIMIT = 15_000;\nconst deadline = (ms) => new Promise((_, r) => setTimeout(() => r(new Error('t')), ms));\nasync function h() { return Promise.race([work(), deadline(LIMIT)]); }`, 15_000],
    ['globalThis.setTimeout', `async function h() { return Promise.race([work(), new Promise((_, r) => globalThis.setTimeout(() => r(new Error('t')), 1000))]); }`, 1_000],
  ])('reads %s', (_name, source, ms) => {
    const found = deadlines(source);
    expect(found).toHaveLength(1);
    expect(found[0]!.value).toMatchObject({ kind: 'number', value: ms });
    expect(found[0]!.text).toMatch(/^Promise\.race with a timer of /);
  });

  it.each([
    ['p-timeout with milliseconds (v5+)', `import pTimeout from 'p-timeout';\nasync function h() { return pTimeout(work(), { milliseconds: 50_000 }); }`, 50_000],
    ['p-timeout with a number (v4)', `import pTimeout from 'p-timeout';\nasync function h() { return pTimeout(work(), 8000, 'too slow'); }`, 8_000],
    ['p-timeout as a named import', `import { pTimeout } from 'p-timeout';\nconst LIMIT = 12_000;\nasync function h() { return pTimeout(work(), { milliseconds: LIMIT }); }`, 12_000],
  ])('reads %s', (_name, source, ms) => {
    const found = deadlines(source);
    expect(found).toHaveLength(1);
    expect(found[0]!.value).toMatchObject({ kind: 'number', value: ms });
    expect(found[0]!.text).toContain('(p-timeout)');
  });

  it('ignores a pTimeout that is not p-timeout\'s', () => {
    expect(deadlines(`function pTimeout(p, ms) { return p; }\nasync function h() { return pTimeout(work(), 5000); }`)).toEqual([]);
  });

  it.each([
    ['a race of two calls', `async function h() { return Promise.race([a(), b()]); }`],
    ['a race of a list built elsewhere', `async function h(list) { return Promise.race(list); }`],
    ['a timer armed in a callback the executor hands on', `async function h() { return Promise.race([work(), new Promise((_, r) => emitter.on('x', () => setTimeout(r, 10)))]); }`],
    ['a shadowed Promise', `import Promise from 'bluebird';\nasync function h() { return Promise.race([work(), new Promise((_, r) => setTimeout(r, 10))]); }`],
  ])('ignores %s', (_name, source) => {
    expect(deadlines(source)).toEqual([]);
  });

  it('marks a delay that is a destructured parameter of the registering function, with its argument and property', () => {
    const found = deadlines(`export default function registerRoutes(app, { limits: { completionMs } }) {
  app.post('/api/complete', async (req, res) => {
    const t = new Promise((_, reject) => setTimeout(() => reject(new Error('late')), completionMs));
    res.json(await Promise.race([work(req.body), t]));
  });
}`);
    expect(found).toHaveLength(1);
    expect(found[0]!.value.kind).toBe('unknown');
    expect(found[0]!.param).toEqual({ functionId: 0, index: 1, path: ['limits', 'completionMs'] });
  });

  it('marks a delay read from a parameter object (`options.timeoutMs`)', () => {
    const found = deadlines(`export function register(router, options) {
  router.get('/x', async (req, res) => { res.json(await Promise.race([work(), new Promise((_, r) => setTimeout(r, options.timeoutMs))])); });
}`);
    expect(found[0]!.param).toEqual({ functionId: 0, index: 1, path: ['timeoutMs'] });
  });

  it('records the arguments of calls to other workspace modules, and the parameters a caller hands on', () => {
    const facts = extractTsFacts(parseTsText('src/routes/index.ts', `import registerChat from './chat';\nimport axios from 'axios';\nexport default function registerAll(app, deps) { registerChat(app, deps); axios.get('https://x'); }`));
    expect(facts.callArguments).toHaveLength(1);
    expect(facts.callArguments![0]!.callee).toEqual({ module: './chat', name: 'default' });
    expect(facts.callArguments![0]!.forwarded).toEqual([{ index: 0, param: { functionId: 0, index: 0, path: [] } }, { index: 1, param: { functionId: 0, index: 1, path: [] } }]);
  });
});

describe('a handler deadline in the chain', () => {
  const files = (servers: string[]): Record<string, string> => ({
    'nginx/nginx.conf': 'events {}\nhttp {\n  server {\n    listen 80;\n    location /api/ {\n      proxy_pass http://127.0.0.1:3000;\n      proxy_read_timeout 30s;\n    }\n  }\n}\n',
    'app/package.json': '{ "name": "app", "dependencies": { "express": "^4.19.0" } }',
    'app/routes.js': `export default function registerRoutes(app, { timeoutMs }) {
  app.post('/api/report', async (req, res) => {
    const late = new Promise((_, reject) => setTimeout(() => reject(new Error('late')), timeoutMs));
    res.json(await Promise.race([buildReport(req.body), late]));
  });
}
`,
    ...Object.fromEntries(servers.map((text, i) => [`app/server${i || ''}.js`, text])),
  });
  const server = (ms: number) => `import express from 'express';\nimport registerRoutes from './routes.js';\nconst app = express();\nregisterRoutes(app, { timeoutMs: ${ms} });\napp.listen(3000);\n`;
  const run = (f: Record<string, string>) => lint({ fs: new MemoryFs(f), files: Object.keys(f), config: defaultConfig(allRules), rules: allRules, toolVersion: 'test' });

  it('takes the value its one caller passes, and the gateway in front must wait longer', () => {
    const report = run(files([server(90_000)]));
    const finding = report.findings.find((f) => f.ruleId === 'outer-timeout-below-inner' && f.span.file === 'nginx/nginx.conf');
    expect(finding?.message, JSON.stringify(report.findings.map((f) => [f.ruleId, f.message]))).toMatch(/gives up at 30 s; POST \/api\/report handler may take 90 s.*Promise.race timer 90 s, set at app\/server.js:4/);
  });

  it('leaves it unknown when two callers pass different values', () => {
    const report = run(files([server(90_000), server(10_000)]));
    expect(report.findings.filter((f) => f.ruleId === 'outer-timeout-below-inner')).toEqual([]);
  });

  it('leaves out a race of unknown delay: a helper may race only part of the work', () => {
    // withTimeout() races loadUser() only; its delay differs per call, and the 2 min fetch after it is not raced at all.
    const f: Record<string, string> = {
      'nginx/nginx.conf': 'events {}\nhttp {\n  server {\n    listen 80;\n    location /api/ {\n      proxy_pass http://127.0.0.1:3000;\n      proxy_read_timeout 60s;\n    }\n  }\n}\n',
      'app/package.json': '{ "name": "app", "dependencies": { "express": "^4.19.0" } }',
      'app/server.js': `import express from 'express';
const app = express();
function withTimeout(promise, ms) {
  return Promise.race([promise, new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), ms))]);
}
app.post('/api/report', async (req, res) => {
  const user = await withTimeout(loadUser(req), 2_000);
  const pdf = await fetch('https://render.example.com/pdf', { method: 'POST', signal: AbortSignal.timeout(120_000) });
  res.json({ user, pdf: await pdf.text() });
});
app.get('/api/profile', async (req, res) => {
  res.json(await withTimeout(loadUser(req), 5_000));
});
async function loadUser(req) { return { id: req.query.id }; }
app.listen(3000);
`,
    };
    expect(run(f).findings.filter((x) => x.ruleId === 'outer-timeout-below-inner').map((x) => x.message.split('. ')[0])).toEqual(['nginx gives up at 60 s; render.example.com may take 2 min']);
  });

  it('counts only the callers outside tests', () => {
    const f = files([server(90_000)]);
    // A test registers the routes with a value of its own; it never runs in production.
    f['app/test/routes.test.js'] = `import express from 'express';\nimport registerRoutes from '../routes.js';\nregisterRoutes(express(), { timeoutMs: 50 });\n`;
    const report = run(f);
    const finding = report.findings.find((x) => x.ruleId === 'outer-timeout-below-inner' && x.span.file === 'nginx/nginx.conf');
    expect(finding?.message).toMatch(/handler may take 90 s/);
    expect(finding?.related?.some((r) => r.message.includes('comes from the one call of registerRoutes outside tests'))).toBe(true);
  });
});
