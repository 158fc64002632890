// The --cache option: a hit reproduces the uncached report exactly; any change to what the run read, the config or the tool misses; a corrupt cache is ignored.
import { useTemporaryCacheSecretHome } from '../helpers/cache-secret.js';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createHmac } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { allRules } from '../../rules/index.js';
import { cacheKey, stableJson, type CacheKeyInputs } from '../../server/src/cli/cache.js';
import { runCli } from '../../server/src/cli/main.js';
import { resolveConfig } from '../../server/src/engine/config.js';

const WORKSPACE: Record<string, string> = {
  'nginx.conf': 'http {\n    include conf.d/*.conf;\n}\n',
  'conf.d/api.conf': 'server {\n    location /v1/chat/completions {\n        proxy_pass http://vllm;\n        include ../snippets/llm.conf;\n    }\n    location /api/ {\n        proxy_pass http://api;\n        proxy_connect_timeout 90s;\n    }\n}\n',
  'snippets/llm.conf': 'proxy_send_timeout 30s;\n',
  'k8s/ingress.yaml': '\ufeffapiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: chat\n  annotations:\n    nginx.ingress.kubernetes.io/proxy-read-timeout: "60s"\nspec:\n  ingressClassName: nginx\n  rules:\n    - host: llm.example.com\n      http:\n        paths:\n          - path: /v1/chat/completions\n            pathType: Prefix\n            backend:\n              service:\n                name: chat\n                port:\n                  number: 80\n',
  'src/app.ts': 'export const x = 1;\n',
  'docs/notes.md': '# Notes\n',
};

const secretHome = useTemporaryCacheSecretHome();

/** A cache file's content as the cache signs it, with the secret of `home` (the test's own, or a forger's). */
function signCacheFile(home: string, name: string, payload: string): string {
  const secret = Buffer.from(fs.readFileSync(path.join(home, 'timeout-lint', 'cache-secret'), 'utf8').trim(), 'hex');
  return `timeout-lint-hmac-sha256:${createHmac('sha256', secret).update(name).update('\0').update(payload).digest('hex')}\n${payload}`;
}

/** A cache file's payload (what follows the signature line). */
function payloadOf(file: string): string {
  const text = fs.readFileSync(file, 'utf8');
  return text.slice(text.indexOf('\n') + 1);
}

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) fs.rmSync(root, { recursive: true, force: true });
});

function makeWorkspace(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'timeout-lint-cache-'));
  roots.push(root);
  for (const [file, text] of Object.entries(WORKSPACE)) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  }
  return root;
}

function run(root: string, args: string[]): { status: number; stdout: string; stderr: string } {
  let stdout = '';
  let stderr = '';
  const status = runCli(['--format', 'json', ...args], { cwd: root, stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), isTTY: false });
  return { status, stdout, stderr };
}

const CACHE_FILE = '.timeout-lint-cache/lint-report.json';
const OLD = new Date('2001-01-01T00:00:00Z');

/** Runs with --cache after `mutate`; a hit is a run that left the (back-dated) cache file alone. */
function cachedRunAfter(mutate: (root: string) => void): { hit: boolean; cached: ReturnType<typeof run>; uncached: ReturnType<typeof run> } {
  const root = makeWorkspace();
  const first = run(root, ['--cache']);
  expect(first.stderr).toBe('');
  expect(JSON.parse(first.stdout).findings.length).toBeGreaterThan(3);
  const cacheFile = path.join(root, CACHE_FILE);
  expect(fs.existsSync(cacheFile)).toBe(true);
  fs.utimesSync(cacheFile, OLD, OLD);
  mutate(root);
  const cached = run(root, ['--cache']);
  const hit = fs.statSync(cacheFile).mtimeMs === OLD.getTime();
  const uncached = run(root, []);
  return { hit, cached, uncached };
}

const edit = (file: string, change: (text: string) => string) => (root: string) => {
  const absolute = path.join(root, file);
  fs.writeFileSync(absolute, change(fs.readFileSync(absolute, 'utf8')));
};

describe('--cache', () => {
  it.each<[string, (root: string) => void, boolean]>([
    ['nothing changed', () => undefined, true],
    ['a file lint() never reads changed', edit('docs/notes.md', (t) => `${t}More.\n`), true],
    ['a TypeScript source changed', edit('src/app.ts', (t) => `${t}export const TIMEOUT_MS = 2;\n`), false],
    ['an nginx entry changed (same size)', edit('conf.d/api.conf', (t) => t.replace('90s', '60s')), false],
    ['an included snippet changed', edit('snippets/llm.conf', () => 'proxy_read_timeout 300s;\n'), false],
    ['a manifest changed', edit('k8s/ingress.yaml', (t) => t.replace('"60s"', '"60"')), false],
    ['a file appeared in a glob-included folder', (root) => fs.writeFileSync(path.join(root, 'conf.d/new.conf'), 'server { location / { proxy_read_timeout 1s; } }\n'), false],
    ['a candidate was deleted', (root) => fs.rmSync(path.join(root, 'k8s/ingress.yaml')), false],
    ['the config file turned a rule off', (root) => fs.writeFileSync(path.join(root, 'timeout-lint.config.json'), JSON.stringify({ rules: { 'connect-timeout-above-75s': 'off' } })), false],
    ['the cache file is not JSON', (root) => fs.writeFileSync(path.join(root, CACHE_FILE), '{"format":1,"key":'), false],
    ['the cache file is JSON of another shape', (root) => fs.writeFileSync(path.join(root, CACHE_FILE), '{"format":1,"key":"x","observations":[],"report":null}'), false],
    ['the cache file is a folder', (root) => {
      fs.rmSync(path.join(root, CACHE_FILE));
      fs.mkdirSync(path.join(root, CACHE_FILE));
    }, false],
  ])('%s → hit %s, and the same report as without the cache', (_name, mutate, expectHit) => {
    const { hit, cached, uncached } = cachedRunAfter(mutate);
    expect(hit).toBe(expectHit);
    expect(cached.stderr).toBe('');
    expect(cached.status).toBe(uncached.status);
    expect(cached.stdout).toBe(uncached.stdout);
  });

  it('by metadata (the default) trusts size and modification time; --cache-strategy content hashes every file', () => {
    // The same bytes count, the same modification time: only the content strategy sees the change.
    // (A whole-second time: restoring a read mtime would lose its sub-millisecond part.)
    const stamp = new Date('2020-02-02T02:02:02Z');
    const sameMetadataEdit = (root: string) => {
      const file = path.join(root, 'src/app.ts');
      fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('x = 1', 'x = 2'));
      fs.utimesSync(file, stamp, stamp);
    };
    for (const [strategy, expectHit] of [['metadata', true], ['content', false]] as const) {
      const root = makeWorkspace();
      fs.utimesSync(path.join(root, 'src/app.ts'), stamp, stamp);
      run(root, ['--cache']);
      const cacheFile = path.join(root, CACHE_FILE);
      fs.utimesSync(cacheFile, OLD, OLD);
      sameMetadataEdit(root);
      const cached = run(root, ['--cache', '--cache-strategy', strategy]);
      expect(fs.statSync(cacheFile).mtimeMs === OLD.getTime(), strategy).toBe(expectHit);
      expect(cached.stdout).toBe(run(root, []).stdout);
    }
    expect(run(makeWorkspace(), ['--cache', '--cache-strategy', 'mtime']).status).toBe(2);
  });

  it('reproduces every output format from a hit', () => {
    const root = makeWorkspace();
    run(root, ['--cache']);
    for (const format of ['stylish', 'sarif', 'github', 'json']) {
      const uncached = run(root, ['--format', format, '--code-frame']);
      expect(run(root, ['--format', format, '--code-frame', '--cache']).stdout).toBe(uncached.stdout);
    }
  });

  it('stores each output beside the report and writes it out on a hit; a new report drops the old outputs', () => {
    const root = makeWorkspace();
    const cacheDir = path.join(root, '.timeout-lint-cache');
    const outputs = () => fs.readdirSync(cacheDir).filter((n) => n.includes('.output-')).sort();
    const first = run(root, ['--cache']);
    expect(outputs()).toHaveLength(1);
    // Another format on a hit: formatted from the stored report (texts re-read), then stored too.
    const stylish = run(root, ['--cache', '--format', 'stylish']);
    expect(stylish.stdout).toBe(run(root, ['--format', 'stylish']).stdout);
    expect(stylish.status).toBe(first.status);
    expect(outputs()).toHaveLength(2);
    // A hit in a stored format writes the stored text: proven by a marker put into it.
    const [jsonOutput] = outputs().filter((n) => payloadOf(path.join(cacheDir, n)) === first.stdout);
    expect(jsonOutput).toBeDefined();
    fs.writeFileSync(path.join(cacheDir, jsonOutput!), signCacheFile(secretHome(), jsonOutput!, 'stored output\n'));
    const replayed = run(root, ['--cache']);
    expect(replayed.stdout).toBe('stored output\n');
    expect(replayed.status).toBe(first.status);
    // --quiet and --max-warnings still decide the exit code from the stored report.
    expect(run(root, ['--cache', '--max-warnings', '0']).status).toBe(1);
    // A changed candidate: a new report, and the outputs of the old one are gone.
    edit('conf.d/api.conf', (t) => t.replace('90s', '95s'))(root);
    expect(run(root, ['--cache']).stdout).toBe(run(root, []).stdout);
    expect(outputs()).toHaveLength(1);
    // The entry's own files: its report and one output.
    expect(fs.readdirSync(cacheDir).filter((n) => n.startsWith('entry-'))).toHaveLength(2);
  });

  it('lints again when the stored report behind an entry is gone or damaged and the output is not stored', () => {
    for (const damage of [(file: string) => fs.rmSync(file), (file: string) => fs.writeFileSync(file, '{"findings": 3}')]) {
      const root = makeWorkspace();
      const cacheDir = path.join(root, '.timeout-lint-cache');
      run(root, ['--cache']);
      const report = fs.readdirSync(cacheDir).find((n) => n.endsWith('.report.json'));
      expect(report).toBeDefined();
      damage(path.join(cacheDir, report!));
      const stylish = run(root, ['--cache', '--format', 'stylish']);
      expect(stylish.stdout).toBe(run(root, ['--format', 'stylish']).stdout);
      expect(stylish.stderr).toBe('');
    }
  });

  it('never stores an output with TIMING measurements in it', () => {
    const root = makeWorkspace();
    const previous = process.env.TIMING;
    process.env.TIMING = 'all';
    try {
      const measured = run(root, ['--cache']);
      expect(JSON.parse(measured.stdout).timing).toBeDefined();
    } finally {
      if (previous === undefined) delete process.env.TIMING;
      else process.env.TIMING = previous;
    }
    expect(fs.readdirSync(path.join(root, '.timeout-lint-cache')).filter((n) => n.includes('.output-'))).toEqual([]);
    const hit = run(root, ['--cache']);
    expect(JSON.parse(hit.stdout).timing).toBeUndefined();
    expect(hit.stdout).toBe(run(root, []).stdout);
  });

  it('is never used or written by --fix-dry-run, and honours --cache-location', () => {
    const root = makeWorkspace();
    run(root, ['--cache', '--fix-dry-run']);
    expect(fs.existsSync(path.join(root, CACHE_FILE))).toBe(false);
    const elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), 'timeout-lint-cache-loc-'));
    roots.push(elsewhere);
    const first = run(root, ['--cache', '--cache-location', elsewhere]);
    expect(fs.existsSync(path.join(elsewhere, 'lint-report.json'))).toBe(true);
    expect(run(root, ['--cache', '--cache-location', elsewhere]).stdout).toBe(first.stdout);
  });

  it('keys on the tool version, the code, the config, the rules and the candidate list, not their order', () => {
    const base: CacheKeyInputs = {
      toolVersion: '1.0.0',
      codeFingerprint: 'abc',
      config: resolveConfig(undefined, allRules).config,
      ruleIds: allRules.map((r) => r.id),
      files: ['a.conf', 'b.yaml'],
      explicitFiles: new Set(),
    };
    const key = cacheKey(base);
    expect(cacheKey({ ...base, files: ['b.yaml', 'a.conf'] })).toBe(key);
    const changed: Array<Partial<CacheKeyInputs>> = [
      { toolVersion: '1.0.1' },
      { codeFingerprint: 'abd' },
      { config: resolveConfig({ rules: { 'timeout-in-if': 'off' } }, allRules).config },
      { config: resolveConfig({ nginx: { includePrefix: 'etc' } }, allRules).config },
      { ruleIds: base.ruleIds.slice(1) },
      { files: ['a.conf'] },
      { explicitFiles: new Set(['a.conf']) },
    ];
    for (const change of changed) expect(cacheKey({ ...base, ...change }), JSON.stringify(Object.keys(change))).not.toBe(key);
  });

  it('serialises Maps, Sets and key order stably', () => {
    expect(stableJson({ b: new Map([['y', 1], ['x', undefined]]), a: new Set([2, 1]) })).toBe('{"a":["1","2"],"b":[["x",null],["y",1]]}');
  });
});
