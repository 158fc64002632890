// The language server over real stdio with hostile input: a unit too slow for its budget, a broken frame, a document over the size cap.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, LspTestClient, type Diagnostic } from './lsp-harness.js';

const built = fs.existsSync(CLI);
if (!built) console.warn('SKIPPED: dist/cli.js is not built; `npm test` builds it first.');

const GATEWAY = 'events {}\nhttp {\n    server {\n        location /api/ {\n            proxy_pass http://api:8080;\n            proxy_read_timeout 1.5m;\n        }\n    }\n}\n';
/** An entry the slow test rule (test-hooks.ts) works on for a minute: a stand-in for a unit that is slow by volume. */
const SLOW = 'slow/nginx.conf';
const BUDGET_MS = 500;
/** How the diagnostics spell that budget. */
const BUDGET_TEXT = '500 ms';
/** What the server must answer a hover within, whatever the folder holds. */
const HOVER_LIMIT_MS = 1000;

function makeWorkspace(files: Record<string, string>): string {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'timeout-lint-hostile-')));
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  }
  return root;
}

const codes = (diagnostics: Diagnostic[]) => diagnostics.map((d) => d.code);
/** A diagnostic's headline and its explanation (the first related entry), as a person reads them. */
const fullText = (d: Diagnostic) => [d.message, d.relatedInformation?.[0]?.message ?? ''].join(' ');
const isTooSlow = (d: Diagnostic) => d.code === 'not-analysed' && fullText(d).includes(`too slow: analysis stopped after ${BUDGET_TEXT}`);

/** Hovers nginx.conf every 50 ms until `until` resolves (and `tailMs` longer); returns when each was sent and how long it took. */
async function hoverWhile(client: LspTestClient, until: Promise<unknown>, tailMs: number): Promise<Array<{ sentAt: number; latencyMs: number; value: string | undefined }>> {
  let done = false;
  // A wait that fails ends the hovering too; the test awaits it and reports why.
  void until.then(() => setTimeout(() => (done = true), tailMs), () => (done = true));
  const samples: Array<{ sentAt: number; latencyMs: number; value: string | undefined }> = [];
  while (!done) {
    const sentAt = performance.now();
    const hover = await client.hover('nginx.conf', 'proxy_read_timeout');
    samples.push({ sentAt, latencyMs: performance.now() - sentAt, value: hover?.contents.value });
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return samples;
}

describe.skipIf(!built)('language server with a unit slower than its budget', () => {
  let client: LspTestClient;

  beforeAll(async () => {
    client = new LspTestClient(makeWorkspace({ 'nginx.conf': GATEWAY, [SLOW]: 'events {}\nhttp {\n    server {\n        listen 8080;\n    }\n}\n' }), { TIMEOUT_LINT_TEST_SLOW_RULE: '1' });
    await client.initialize({ unitBudgetMs: BUDGET_MS });
  });
  afterAll(async () => {
    await client?.shutdown();
    if (client) fs.rmSync(client.root, { recursive: true, force: true });
  });

  it('stops the slow unit at its budget, says so on its file, publishes the rest, and answers hovers within 1 s meanwhile', async () => {
    await client.open('nginx.conf');
    await client.waitForDiagnostics('nginx.conf', (ds) => codes(ds).includes('invalid-timeout-value'));
    // The opened file's unit goes first; the slow entry is linted next, while these hovers are sent.
    let stoppedAt = Infinity;
    const stopped = client.waitForDiagnostics(SLOW, (ds) => ds.some(isTooSlow)).then((ds) => ((stoppedAt = performance.now()), ds));
    const samples = await hoverWhile(client, stopped, 2000);
    const slow = await stopped;
    expect(slow).toHaveLength(1);
    expect(fullText(slow[0]!)).toContain(`the nginx entry ${SLOW} and the files it includes`);
    expect(codes(client.latest('nginx.conf')!)).toContain('invalid-timeout-value');
    // The output channel says it too, for the user who wonders why the server was busy.
    expect(client.logs.some((l) => l.includes(`: too slow: analysis stopped after ${BUDGET_TEXT} (the nginx entry ${SLOW}`))).toBe(true);
    expect(samples.some((s) => s.sentAt < stoppedAt)).toBe(true);
    expect(samples.length).toBeGreaterThan(10);
    for (const sample of samples) {
      expect(sample.latencyMs).toBeLessThan(HOVER_LIMIT_MS);
      expect(sample.value).toContain('proxy_read_timeout');
    }
    console.log(`hover latency with a slow unit (budget ${BUDGET_MS} ms): max ${Math.round(Math.max(...samples.map((s) => s.latencyMs)))} ms over ${samples.length} hovers; after the stop: max ${Math.round(Math.max(0, ...samples.filter((s) => s.sentAt > stoppedAt).map((s) => s.latencyMs)))} ms`);
  });

  it('stops the slow unit again after an edit of its file, and the diagnostic carries the new version', async () => {
    const text = await client.open(SLOW);
    const version = await client.change(SLOW, text.replace('listen 8080;', 'listen 8081;'));
    const stopped = client.waitForDiagnostics(SLOW, (ds) => ds.some(isTooSlow) && ds.every((d) => d.data?.version === version));
    const samples = await hoverWhile(client, stopped, 500);
    expect(codes(await stopped)).toEqual(['not-analysed']);
    for (const sample of samples) expect(sample.latencyMs).toBeLessThan(HOVER_LIMIT_MS);
  });
});

describe.skipIf(!built)('language server with a call-chain unit slower than its budget', () => {
  let client: LspTestClient;
  const chainTooSlow = (message: string) => message.includes(`too slow: analysis stopped after ${BUDGET_TEXT} (the call chains of the folder)`);

  beforeAll(async () => {
    client = new LspTestClient(makeWorkspace({ 'nginx.conf': GATEWAY, [SLOW]: 'events {}\nhttp {\n    server {\n        listen 8080;\n    }\n}\n' }), { TIMEOUT_LINT_TEST_SLOW_CHAIN_RULE: '1' });
    await client.initialize({ unitBudgetMs: BUDGET_MS });
  });
  afterAll(async () => {
    await client?.shutdown();
    if (client) fs.rmSync(client.root, { recursive: true, force: true });
  });

  it('warns once in a message (the chains have no file of their own), keeps the per-file diagnostics, and answers hovers within 1 s', async () => {
    const text = await client.open('nginx.conf');
    await client.waitForDiagnostics('nginx.conf', (ds) => codes(ds).includes('invalid-timeout-value'));
    const warned = client.waitUntil('the chain unit was reported too slow', () => client.shown.some((m) => chainTooSlow(m.message)));
    const samples = await hoverWhile(client, warned, 300);
    expect(client.shown.filter((m) => chainTooSlow(m.message))).toEqual([{ type: 2, message: expect.stringMatching(/^timeout-lint: too slow/) }]);
    for (const sample of samples) expect(sample.latencyMs).toBeLessThan(HOVER_LIMIT_MS);
    expect(codes(client.latest('nginx.conf')!)).toContain('invalid-timeout-value');
    expect(client.latest(SLOW) ?? []).toEqual([]);
    // An edit re-links the chains, stopped again: said in the log, not in a second message.
    await client.change('nginx.conf', text.replace('1.5m', '90s'));
    await client.waitUntil('the chain unit was stopped twice', () => client.logs.filter(chainTooSlow).length >= 2);
    expect(client.shown.filter((m) => chainTooSlow(m.message))).toHaveLength(1);
    await client.waitForDiagnostics('nginx.conf', (ds) => !codes(ds).includes('invalid-timeout-value'));
  });
});

describe.skipIf(!built)('language server given a broken LSP frame', () => {
  it.each([
    ['a Content-Length that is not a number', 'Content-Length: abc\r\n\r\n{}', /Content-Length value must be a number/],
    ['a body that is not JSON', 'Content-Length: 5\r\n\r\n{nope', /JSON/],
    ['a header line without a colon', 'garbage\r\n\r\n', /separate key and value/],
  ])('logs %s on stderr and exits with a non-zero code (the client restarts it)', async (_name, frame, reason) => {
    const server = spawn(process.execPath, [CLI, 'lsp', '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    server.stderr.on('data', (chunk) => (stderr += String(chunk)));
    const exited = new Promise<number | null>((resolve) => server.once('exit', (code) => resolve(code)));
    // stdin stays open: the server must not wait for more bytes after a frame it cannot read.
    server.stdin.write(frame);
    const timeout = new Promise<'hung'>((resolve) => setTimeout(() => resolve('hung'), 5000).unref());
    const outcome = await Promise.race([exited, timeout]);
    if (outcome === 'hung') server.kill();
    expect(outcome).toBe(1);
    expect(stderr).toMatch(/timeout-lint: language server: broken LSP stream while reading a message from the client: /);
    expect(stderr).toMatch(reason);
    server.stdin.destroy();
  });
});

describe.skipIf(!built)('language server given a document over the size cap', () => {
  let client: LspTestClient;

  beforeAll(async () => {
    // 9 MiB of comments: valid nginx, over the 8 MiB cap lint() reads.
    const line = `# ${'x'.repeat(1021)}\n`;
    client = new LspTestClient(makeWorkspace({ 'nginx.conf': GATEWAY, 'conf.d/huge.conf': line.repeat(9 * 1024) }));
    await client.initialize();
  });
  afterAll(async () => {
    await client?.shutdown();
    if (client) fs.rmSync(client.root, { recursive: true, force: true });
  });

  it('opened in the editor, it gets one diagnostic saying it was not analysed and why', async () => {
    await client.open('conf.d/huge.conf');
    const diagnostics = await client.waitForDiagnostics('conf.d/huge.conf', (ds) => ds.length > 0);
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({ code: 'not-analysed', range: { start: { line: 0, character: 0 } }, data: { version: 1 } });
    expect(diagnostics[0]!.message).toMatch(/^not analysed: conf\.d\/huge\.conf larger than 8 MiB \(9437184 bytes\)$/);
    // The rest of the folder is analysed as usual.
    await client.open('nginx.conf');
    await client.waitForDiagnostics('nginx.conf', (ds) => codes(ds).includes('invalid-timeout-value'));
  });
});

describe.skipIf(!built)('language server with an entry whose analysis overflows the stack', () => {
  let client: LspTestClient;
  const DEEP = 'deep/nginx.conf';

  beforeAll(async () => {
    // 20,000 nested locations: deeper than a recursive walk's stack. Sorted first, it is linted before nginx.conf.
    const depth = 20_000;
    const deep = `events {}\nhttp {\n    server {\n${'location / {\n'.repeat(depth)}proxy_read_timeout 1.5m;\n${'}\n'.repeat(depth)}    }\n}\n`;
    client = new LspTestClient(makeWorkspace({ 'nginx.conf': GATEWAY, [DEEP]: deep }));
    await client.initialize();
  });
  afterAll(async () => {
    await client?.shutdown();
    if (client) fs.rmSync(client.root, { recursive: true, force: true });
  });

  it('reports that entry on its file and goes on with the rest of the folder, now and after an edit', async () => {
    // The parser's nesting bound says so on the file (were it ever to overflow anyway, the server
    // says the analysis failed): either way the file speaks and the folder goes on.
    const deep = await client.waitForDiagnostics(DEEP, (ds) => ds.length > 0);
    const failed = deep.find((d) => d.code === 'not-analysed');
    expect(failed?.message).toMatch(/^(not analysed: the analysis failed \(.+\)|blocks nested more than \d+ levels deep are not analysed.*)$/);
    // nginx.conf is linted after it, unopened: its diagnostics prove the loop went on.
    await client.waitForDiagnostics('nginx.conf', (ds) => codes(ds).includes('invalid-timeout-value'));
    const text = await client.open('nginx.conf');
    await client.change('nginx.conf', text.replace('1.5m', '90s'));
    await client.waitForDiagnostics('nginx.conf', (ds) => !codes(ds).includes('invalid-timeout-value') && ds.every((d) => d.data?.version === 2));
    expect((await client.hover('nginx.conf', 'proxy_read_timeout'))?.contents.value).toContain('90s');
  });
});

/** The hostile inputs themselves (#20), not a test hook: each was a hang or a crash once. */
function hostileInputs(): Record<string, string> {
  const files: Record<string, string> = {
    'nginx.conf': GATEWAY,
    // 2,500 nested blocks.
    'deep/nginx.conf': `events {}\nhttp {\nserver {\n${'location / {\n'.repeat(2500)}proxy_pass http://127.0.0.1:1;\n${'}\n'.repeat(2500)}}\n}\n`,
    // Thirteen files including each other by glob.
    'bomb/nginx.conf': 'events {}\nhttp {\n    include conf.d/*.conf;\n}\n',
    // A regex location with nested quantifiers, and a URL in code that would make it backtrack.
    'regex/nginx.conf': 'events {}\nhttp {\n  server {\n    listen 80;\n    server_name api.example.com;\n    location ~ ^/(a+)+$ { proxy_pass http://127.0.0.1:1; }\n    location / { proxy_pass http://127.0.0.1:2; }\n  }\n}\n',
    'web/client.ts': `export const ask = () => fetch('http://api.example.com/${'a'.repeat(50_000)}!', { signal: AbortSignal.timeout(5_000) });\n`,
  };
  for (let i = 0; i < 13; i++) files[`bomb/conf.d/f${i}.conf`] = `server { listen ${8000 + i}; include conf.d/*.conf; }\n`;
  // YAML merge keys that multiply.
  let anchors = '    x0: &a0 {timeoutSeconds: 7}\n';
  for (let i = 1; i <= 9; i++) anchors += `    x${i}: &a${i} {<<: [${Array(9).fill(`*a${i - 1}`).join(', ')}], k${i}: 1}\n`;
  files['k8s/bomb.yaml'] = `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: bomb\n  annotations:\n${anchors}spec:\n  template:\n    spec:\n      containers:\n        - name: app\n          readinessProbe: {<<: *a9, httpGet: {path: /, port: 80}}\n`;
  return files;
}

describe.skipIf(!built)('language server on a folder of hostile inputs, default budget', () => {
  let client: LspTestClient;

  beforeAll(async () => {
    client = new LspTestClient(makeWorkspace(hostileInputs()));
    await client.initialize();
  });
  afterAll(async () => {
    await client?.shutdown();
    if (client) fs.rmSync(client.root, { recursive: true, force: true });
  });

  it('answers hovers within 1 s while it indexes them, and says what it did not analyse', async () => {
    await client.open('nginx.conf');
    const reported = Promise.all([
      client.waitForDiagnostics('deep/nginx.conf', (ds) => ds.some((d) => d.code === 'not-analysed')),
      client.waitForDiagnostics('bomb/nginx.conf', (ds) => ds.some((d) => d.code === 'not-analysed')),
      client.waitForDiagnostics('nginx.conf', (ds) => codes(ds).includes('invalid-timeout-value')),
    ]);
    const samples = await hoverWhile(client, reported, 2000);
    const [deep, bomb] = await reported;
    expect(fullText(deep.find((d) => d.code === 'not-analysed')!)).toMatch(/nested more than \d+ levels deep/);
    expect(fullText(bomb.find((d) => d.code === 'not-analysed')!)).toMatch(/includes that include each other multiply/);
    expect(samples.length).toBeGreaterThan(10);
    for (const sample of samples) {
      expect(sample.latencyMs).toBeLessThan(HOVER_LIMIT_MS);
      expect(sample.value).toContain('proxy_read_timeout');
    }
    console.log(`hover latency on a folder of hostile inputs (default budget): max ${Math.round(Math.max(...samples.map((s) => s.latencyMs)))} ms over ${samples.length} hovers`);
  });
});
