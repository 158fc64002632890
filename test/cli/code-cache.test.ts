// dist/cli.js starts dist/cli-main.js from V8's code cache, and only from a cache made for that exact bundle.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const DIST = path.resolve(__dirname, '../../dist');
const FILES = ['cli.js', 'cli-main.js', 'cli-main.js.v8cache'];
const GATEWAY = path.resolve(__dirname, 'workspaces/gateway');
const built = FILES.every((f) => fs.existsSync(path.join(DIST, f)));
if (!built) console.warn('SKIPPED: dist/cli.js, cli-main.js or its code cache is not built; `npm test` builds them first.');

describe.skipIf(!built)('the CLI launcher and its code cache', () => {
  let copy: string;
  let expected: string;

  // A copy of the three files, so that each case can damage its own.
  const fresh = (name: string) => {
    const dir = path.join(copy, name);
    fs.mkdirSync(dir);
    for (const f of FILES) fs.copyFileSync(path.join(DIST, f), path.join(dir, f));
    return dir;
  };
  const run = (dir: string) => spawnSync(process.execPath, [path.join(dir, 'cli.js'), '--format', 'json', '--root', GATEWAY], { encoding: 'utf8', env: { ...process.env, TIMEOUT_LINT_DEBUG_CODE_CACHE: '1' } });
  const findingsOf = (stdout: string) => JSON.stringify((JSON.parse(stdout) as { findings: unknown[] }).findings);

  beforeAll(() => {
    copy = fs.mkdtempSync(path.join(os.tmpdir(), 'timeout-lint-code-cache-'));
    const direct = spawnSync(process.execPath, [path.join(DIST, 'cli-main.js'), '--format', 'json', '--root', GATEWAY], { encoding: 'utf8' });
    expect(direct.status).toBe(1);
    expected = findingsOf(direct.stdout);
  });

  afterAll(() => {
    if (copy) fs.rmSync(copy, { recursive: true, force: true });
  });

  it('uses the cache the build made, with the same report as the bundle run directly', () => {
    const result = run(fresh('intact'));
    expect(result.stderr).toBe('timeout-lint: code cache accepted\n');
    expect(result.status).toBe(1);
    expect(findingsOf(result.stdout)).toBe(expected);
  });

  it('never hands V8 a cache made for another bundle, even one of the same length', () => {
    const dir = fresh('edited');
    const bundle = path.join(dir, 'cli-main.js');
    // One character changed, the length kept: V8 alone would take the cache (it checks the length, not the text).
    const text = fs.readFileSync(bundle, 'utf8');
    const at = text.indexOf('"use strict"');
    fs.writeFileSync(bundle, `${text.slice(0, at)}'use strict'${text.slice(at + 12)}`);
    const result = run(dir);
    expect(result.stderr).toBe('timeout-lint: code cache stale\n');
    expect(findingsOf(result.stdout)).toBe(expected);
  });

  it('compiles as usual when V8 refuses the cached data, or when there is none', () => {
    const damaged = fresh('damaged');
    const cache = path.join(damaged, 'cli-main.js.v8cache');
    const bytes = fs.readFileSync(cache);
    // The header (naming this bundle) kept; V8's part of the file overwritten.
    bytes.fill(0x5a, bytes.indexOf(0x0a, 40) + 1);
    fs.writeFileSync(cache, bytes);
    const refused = run(damaged);
    expect(refused.stderr).toBe('timeout-lint: code cache rejected\n');
    expect(findingsOf(refused.stdout)).toBe(expected);

    const none = fresh('none');
    fs.rmSync(path.join(none, 'cli-main.js.v8cache'));
    const absent = run(none);
    expect(absent.stderr).toBe('timeout-lint: code cache absent\n');
    expect(findingsOf(absent.stdout)).toBe(expected);
  });

  it('takes a file that is not a cache at all for one made elsewhere', () => {
    const dir = fresh('foreign');
    fs.writeFileSync(path.join(dir, 'cli-main.js.v8cache'), 'not a cache');
    const result = run(dir);
    expect(result.stderr).toBe('timeout-lint: code cache stale\n');
    expect(findingsOf(result.stdout)).toBe(expected);
  });
});

describe.skipIf(!built)('what the launcher loads', () => {
  it('starts `lsp` from the server bundle alone: the CLI bundle is neither compiled nor held by the server process', async () => {
    const { spawn } = await import('node:child_process');
    // A preload that says on stderr whenever the process reads the CLI bundle, however it loads it
    // (the launcher's compileBundle and Node's module loader both read it with fs.readFileSync).
    const hook = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'timeout-lint-lsp-reads-')), 'reads.js');
    fs.writeFileSync(hook, `const fs = require('fs'); const read = fs.readFileSync; fs.readFileSync = function (file, ...rest) { if (String(file).endsWith('cli-main.js')) process.stderr.write('read cli-main.js\\n'); return read.call(this, file, ...rest); };\n`);
    const child = spawn(process.execPath, ['-r', hook, path.join(DIST, 'cli.js'), 'lsp', '--stdio'], { env: { ...process.env, TIMEOUT_LINT_DEBUG_CODE_CACHE: '1' }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const send = (message: object) => {
      const body = JSON.stringify({ jsonrpc: '2.0', ...message });
      child.stdin.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    };
    const answered = (id: number) => new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no answer to request ${id}: ${stdout}${stderr}`)), 20_000);
      const check = () => {
        if (!stdout.includes(`"id":${id}`)) return;
        clearTimeout(timer);
        child.stdout.off('data', check);
        resolve();
      };
      child.stdout.on('data', check);
      check();
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    send({ id: 1, method: 'initialize', params: { processId: process.pid, rootUri: null, capabilities: {} } });
    await answered(1);
    expect(stdout).toContain('"capabilities"');
    send({ id: 2, method: 'shutdown' });
    await answered(2);
    send({ method: 'exit' });
    expect(await exited).toBe(0);
    // The launcher says what became of the code cache whenever it compiles cli-main.js; the preload, whenever anything reads it.
    expect(stderr).not.toContain('code cache');
    expect(stderr).not.toContain('read cli-main.js');
    fs.rmSync(path.dirname(hook), { recursive: true, force: true });
  });

  it('keeps every bundle Latin-1, so that V8 holds its source at one byte per character', () => {
    for (const name of fs.readdirSync(DIST).filter((n) => n.endsWith('.js'))) {
      const text = fs.readFileSync(path.join(DIST, name), 'utf8');
      const wide = /[^\u0000-\u00ff]/.exec(text);
      expect(wide ? `${name}: ${JSON.stringify(text.slice(Math.max(0, wide.index - 40), wide.index + 10))}` : '').toBe('');
    }
  });
});
