// `npm run bench`: generates synthetic monorepos (1k and 10k files), measures the floor, the CLI (cold and --cache), the language server, RSS and growth, and prints targets met or not.
// Usage: node dist/bench.js [--files 1000,10000] [--runs n] [--edits n] [--smoke] [--keep] [--generate-only <dir>]
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { parseNginxText } from '../server/src/engine/inputs/nginx/parser.js';
import { generateWorkspace, type GeneratedWorkspace } from './generate.js';
import { BenchLspClient } from './lsp-client.js';

const DIST = __dirname;
const CLI = path.join(DIST, 'cli.js');
const FLOOR = path.join(DIST, 'bench-floor.js');
const HELM = path.join(DIST, 'bench-helm.js');
const REPO = path.resolve(DIST, '..');
/** Debounce the server is started with: 0, so edit latency is the server's own work (the editor default is 150 ms). */
const LSP_DEBOUNCE_MS = 0;
const WAIT_LIMIT_MS = 120_000;

interface LspResult {
  debounceMs: number;
  firstNginxMs: number;
  firstYamlMs: number;
  indexedMs: number;
  edits: number;
  editNginx: Percentiles;
  editYaml: Percentiles;
  editAll: Percentiles;
  /** Edit → the server idle again: per-file findings, the quiet period and re-linking the call chains of the whole workspace. */
  relink: Percentiles;
  rssMB: number;
}

interface Percentiles {
  p50: number;
  p95: number;
  max: number;
  n: number;
}

interface SizeResult {
  files: number;
  counts: GeneratedWorkspace['counts'];
  megabytes: Record<string, number>;
  locations: number;
  floorAllMs: number;
  floorAnalysedMs: number;
  nginxMBps: number;
  coldMs: number;
  coldRuns: number[];
  coldRssMB: number;
  primeMs: number;
  warmMs: number;
  warmRuns: number[];
  warmRssMB: number;
  cacheHit: boolean;
  sameFindingsWithCache: boolean;
  findings: number;
  /** Where a cold run's time goes (TIMING=all, median over the cold runs): parsing, linking the call chains, the rules. */
  phases: { parseMs: number; linkMs: number; rulesMs: number; slowestRule: string; slowestRuleMs: number };
  chains: { linked: number; unresolved: number };
  lsp: LspResult;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function percentiles(values: number[]): Percentiles {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? NaN;
  return { p50: at(0.5), p95: at(0.95), max: sorted[sorted.length - 1] ?? NaN, n: sorted.length };
}

/** A preload that reports the process's peak RSS (KiB) into $BENCH_RSS_FILE on exit. */
function writeRssHook(dir: string): string {
  const hook = path.join(dir, 'rss-hook.cjs');
  fs.writeFileSync(hook, "process.on('exit', () => { try { require('fs').writeFileSync(process.env.BENCH_RSS_FILE, String(process.resourceUsage().maxRSS)); } catch {} });\n");
  return hook;
}

function readRssMB(file: string): number {
  try {
    return Number(fs.readFileSync(file, 'utf8')) / 1024;
  } catch {
    return NaN;
  }
}

/** Runs a node script to completion; returns wall time, peak RSS, exit status and stdout. */
function runNode(script: string, args: string[], hook: string, tmp: string, env: Record<string, string> = {}): { ms: number; rssMB: number; status: number | null; stdout: string; stderr: string } {
  const rssFile = path.join(tmp, `rss-${process.pid}-${Math.random().toString(36).slice(2)}`);
  const start = performance.now();
  const result = spawnSync(process.execPath, ['-r', hook, script, ...args], { env: { ...process.env, BENCH_RSS_FILE: rssFile, NO_COLOR: '1', ...env }, encoding: 'utf8', maxBuffer: 1 << 30 });
  const ms = performance.now() - start;
  const rssMB = readRssMB(rssFile);
  fs.rmSync(rssFile, { force: true });
  if (result.error) throw result.error;
  return { ms, rssMB, status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function writeList(tmp: string, name: string, ws: GeneratedWorkspace, kinds: ReadonlySet<string>): string {
  const list = path.join(tmp, name);
  fs.writeFileSync(list, [...ws.files].filter(([, kind]) => kinds.has(kind)).map(([file, kind]) => `${kind}\t${file}\n`).join(''));
  return list;
}

function measureNginxParser(ws: GeneratedWorkspace): number {
  const texts = [...ws.files].filter(([, kind]) => kind === 'nginx').map(([file]) => [file, fs.readFileSync(path.join(ws.root, file), 'utf8')] as const);
  const megabytes = texts.reduce((sum, [, t]) => sum + Buffer.byteLength(t), 0) / 1024 / 1024;
  const once = () => {
    const start = performance.now();
    for (const [file, text] of texts) parseNginxText(file, text);
    return performance.now() - start;
  };
  for (let i = 0; i < 2; i++) once();
  const times = Array.from({ length: 7 }, once);
  return megabytes / (median(times) / 1000);
}

async function measureLsp(ws: GeneratedWorkspace, hook: string, tmp: string, edits: number): Promise<LspResult> {
  const rssFile = path.join(tmp, 'rss-lsp');
  const sites = [...ws.files].filter(([f, k]) => k === 'nginx' && f.includes('/conf.d/')).map(([f]) => f);
  const deployments = [...ws.files].filter(([f]) => f.endsWith('/k8s/deployment.yaml')).map(([f]) => f);
  const spread = (list: string[], n: number) => Array.from({ length: Math.min(n, list.length) }, (_, i) => list[Math.floor(((i + 0.5) * list.length) / Math.min(n, list.length))]!);
  const nginxPool = spread(sites, 10);
  const yamlPool = spread(deployments, 10);
  const base = new Map<string, string>();
  for (const file of [...nginxPool, ...yamlPool]) base.set(file, fs.readFileSync(path.join(ws.root, file), 'utf8'));
  // Every variant has a finding, so every version is published and carries its version number.
  const variant = (file: string, i: number): string => file.endsWith('.yaml')
    ? base.get(file)!.replace(/timeoutSeconds: \d+/, `timeoutSeconds: ${30 + (i % 20)}`)
    : `${base.get(file)!}server { location /bench-edit/ { proxy_pass http://edit; proxy_connect_timeout ${76 + (i % 20)}s; } }\n`;

  // Started as the extension starts it (--expose-gc, client/src/extension.ts); BENCH_SERVER_NODE_ARGS
  // replaces those flags (experiments with V8's heap flags).
  const serverArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? '--expose-gc').split(/\s+/).filter(Boolean);
  const client = new BenchLspClient(ws.root, CLI, { BENCH_RSS_FILE: rssFile }, [...serverArgs, '-r', hook]);
  let sampler: NodeJS.Timeout | undefined;
  try {
    await client.initialize(LSP_DEBOUNCE_MS);
    // Where the server's resident size peaks (Linux /proc; elsewhere only the overall peak is known).
    let phase = 'indexing';
    const peaks: Record<string, number> = {};
    sampler = setInterval(() => {
      try {
        const kb = Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${client.pid}/status`, 'utf8'))?.[1]);
        if (kb > 0) peaks[phase] = Math.max(peaks[phase] ?? 0, kb / 1024);
      } catch {
        // The process is gone, or there is no /proc.
      }
    }, 10);
    const started = performance.now();
    // The user opens a file while the workspace is being indexed (the last site and manifest: indexed last).
    const firstNginx = sites[sites.length - 1]!;
    const firstYaml = deployments[deployments.length - 1]!;
    base.set(firstNginx, fs.readFileSync(path.join(ws.root, firstNginx), 'utf8'));
    base.set(firstYaml, fs.readFileSync(path.join(ws.root, firstYaml), 'utf8'));
    const openedNginx = performance.now();
    await client.open(firstNginx, variant(firstNginx, 0), 'nginx');
    const nginxAt = client.waitForVersion(firstNginx, 1, WAIT_LIMIT_MS);
    const openedYaml = performance.now();
    await client.open(firstYaml, variant(firstYaml, 0), 'yaml');
    const yamlAt = client.waitForVersion(firstYaml, 1, WAIT_LIMIT_MS);
    const firstNginxMs = (await nginxAt) - openedNginx;
    const firstYamlMs = (await yamlAt) - openedYaml;
    const indexedMs = (await client.waitForIdle(WAIT_LIMIT_MS * 3)) - started;

    phase = 'opening';
    for (const file of [...nginxPool, ...yamlPool]) {
      if (file === firstNginx || file === firstYaml) continue;
      await client.open(file, variant(file, 0), file.endsWith('.yaml') ? 'yaml' : 'nginx');
      await client.waitForVersion(file, 1, WAIT_LIMIT_MS);
    }
    const nginxTimes: number[] = [];
    const yamlTimes: number[] = [];
    const versions = new Map<string, number>();
    let lastEditAt = performance.now();
    phase = 'edits';
    for (let i = 0; i < edits; i++) {
      const pool = i % 2 === 0 ? nginxPool : yamlPool;
      const file = pool[Math.floor(i / 2) % pool.length]!;
      const sent = performance.now();
      lastEditAt = sent;
      const version = await client.change(file, variant(file, i + 1));
      versions.set(file, version);
      const at = await client.waitForVersion(file, version, WAIT_LIMIT_MS);
      (file.endsWith('.yaml') ? yamlTimes : nginxTimes).push(at - sent);
    }
    // A few edits followed by a pause: how long until the call chains are re-linked and their findings republished.
    const relinkTimes: number[] = [];
    phase = 'relinks';
    await client.waitForIdleAfter(lastEditAt, WAIT_LIMIT_MS);
    for (let i = 0; i < Math.min(6, Math.max(2, Math.floor(edits / 50))); i++) {
      const pool = i % 2 === 0 ? nginxPool : yamlPool;
      const file = pool[i % pool.length]!;
      const sent = performance.now();
      await client.change(file, variant(file, edits + i + 1));
      relinkTimes.push((await client.waitForIdleAfter(sent, WAIT_LIMIT_MS)) - sent);
    }
    clearInterval(sampler);
    if (Object.keys(peaks).length > 0) log(`  language server RSS peaks (MB): ${Object.entries(peaks).map(([p, mb]) => `${p} ${mb.toFixed(0)}`).join(', ')}`);
    await client.shutdown();
    return {
      debounceMs: LSP_DEBOUNCE_MS,
      firstNginxMs,
      firstYamlMs,
      indexedMs,
      edits,
      editNginx: percentiles(nginxTimes),
      editYaml: percentiles(yamlTimes),
      editAll: percentiles([...nginxTimes, ...yamlTimes]),
      relink: percentiles(relinkTimes),
      rssMB: readRssMB(rssFile),
    };
  } catch (error) {
    clearInterval(sampler);
    await client.shutdown();
    throw error;
  }
}

interface RunTimingJson {
  parseMs: number;
  linkMs: number;
  rules: Record<string, number>;
}

/** Medians of the cold runs' phases; the slowest rule is the one with the highest median. */
function phasesOf(timings: RunTimingJson[]): SizeResult['phases'] {
  if (timings.length === 0) return { parseMs: NaN, linkMs: NaN, rulesMs: NaN, slowestRule: 'n/a', slowestRuleMs: NaN };
  const rules = Object.keys(timings[0]!.rules);
  const perRule = rules.map((id) => [id, median(timings.map((t) => t.rules[id] ?? 0))] as const).sort((a, b) => b[1] - a[1]);
  return {
    parseMs: median(timings.map((t) => t.parseMs)),
    linkMs: median(timings.map((t) => t.linkMs)),
    rulesMs: median(timings.map((t) => Object.values(t.rules).reduce((sum, ms) => sum + ms, 0))),
    slowestRule: perRule[0]?.[0] ?? 'n/a',
    slowestRuleMs: perRule[0]?.[1] ?? NaN,
  };
}

/** The findings of a JSON report, without file texts (identical findings is what the cache must keep); timings differ from run to run. */
function findingsOf(stdout: string): { key: string; count: number } {
  const { timing: _timing, ...report } = JSON.parse(stdout) as { findings?: unknown[]; timing?: unknown };
  return { key: JSON.stringify(report), count: report.findings?.length ?? 0 };
}

async function measureSize(total: number, runs: number, edits: number, tmp: string, hook: string, keep: boolean): Promise<SizeResult> {
  const root = fs.mkdtempSync(path.join(tmp, `ws-${total}-`));
  const genStart = performance.now();
  const ws = generateWorkspace(root, total);
  log(`  generated ${ws.files.size} files (${Object.entries(ws.counts).map(([k, n]) => `${n} ${k}`).join(', ')}, ${ws.locations} nginx locations) in ${(performance.now() - genStart).toFixed(0)} ms`);
  const all = writeList(tmp, `all-${total}.txt`, ws, new Set(['nginx', 'yaml', 'ts', 'other']));
  // What the CLI analyses: nginx, YAML and TS/JS sources (generated 'other' files are never parsed).
  const analysed = writeList(tmp, `analysed-${total}.txt`, ws, new Set(['nginx', 'yaml', 'ts']));
  const cliArgs = ['--format', 'json', '--root', root];
  const cacheDir = path.join(tmp, `cache-${total}`);

  // Interleaved, so that load from other processes on the machine hits every measurement alike.
  const floorAll: number[] = [];
  const floorAnalysed: number[] = [];
  const cold: number[] = [];
  let coldRss = 0;
  let coldOut = '';
  const timings: RunTimingJson[] = [];
  runNode(FLOOR, [root, all], hook, tmp); // warm the page cache
  for (let r = 0; r < runs; r++) {
    floorAll.push(runNode(FLOOR, [root, all], hook, tmp).ms);
    floorAnalysed.push(runNode(FLOOR, [root, analysed], hook, tmp).ms);
    const c = runNode(CLI, cliArgs, hook, tmp, { TIMING: 'all' });
    if (c.status !== 0 && c.status !== 1) throw new Error(`CLI exited with ${c.status}: ${c.stderr}`);
    cold.push(c.ms);
    const measured = (JSON.parse(c.stdout) as { timing?: RunTimingJson }).timing;
    if (measured) timings.push(measured);
    coldRss = Math.max(coldRss, c.rssMB);
    coldOut = c.stdout;
  }
  log(`  floor ${median(floorAll).toFixed(0)} ms (all), ${median(floorAnalysed).toFixed(0)} ms (nginx+YAML+TS); cold CLI ${median(cold).toFixed(0)} ms`);
  const phases = phasesOf(timings);
  const chains = (JSON.parse(coldOut) as { summary: { chains?: { linked: number; unresolved: number } } }).summary.chains ?? { linked: 0, unresolved: 0 };
  log(`  cold CLI phases: parse ${phases.parseMs.toFixed(0)} ms, linking ${chains.linked} chains (${chains.unresolved} links unresolved) ${phases.linkMs.toFixed(0)} ms, rules ${phases.rulesMs.toFixed(0)} ms (slowest ${phases.slowestRule} ${phases.slowestRuleMs.toFixed(0)} ms)`);

  const prime = runNode(CLI, [...cliArgs, '--cache', '--cache-location', cacheDir], hook, tmp);
  const cacheFile = path.join(cacheDir, 'lint-report.json');
  const stored = fs.statSync(cacheFile).mtimeMs;
  const warm: number[] = [];
  let warmRss = 0;
  let warmOut = '';
  for (let r = 0; r < runs; r++) {
    const w = runNode(CLI, [...cliArgs, '--cache', '--cache-location', cacheDir], hook, tmp);
    warm.push(w.ms);
    warmRss = Math.max(warmRss, w.rssMB);
    warmOut = w.stdout;
  }
  const cacheHit = fs.statSync(cacheFile).mtimeMs === stored;
  const coldFindings = findingsOf(coldOut);
  const sameFindingsWithCache = coldFindings.key === findingsOf(warmOut).key && coldFindings.key === findingsOf(prime.stdout).key;
  log(`  warm CLI ${median(warm).toFixed(0)} ms (hit: ${cacheHit}, same findings: ${sameFindingsWithCache}, ${coldFindings.count} findings)`);

  const nginxMBps = measureNginxParser(ws);
  const lsp = await measureLsp(ws, hook, tmp, edits);
  log(`  LSP first diagnostics ${lsp.firstNginxMs.toFixed(0)} ms (nginx) ${lsp.firstYamlMs.toFixed(0)} ms (YAML), indexed in ${lsp.indexedMs.toFixed(0)} ms, edit p95 ${lsp.editAll.p95.toFixed(0)} ms, edit → chains re-linked ${lsp.relink.p50.toFixed(0)} ms (median)`);
  if (!keep) fs.rmSync(root, { recursive: true, force: true });
  return {
    files: ws.files.size,
    counts: ws.counts,
    megabytes: Object.fromEntries(Object.entries(ws.bytes).map(([k, b]) => [k, Number((b / 1024 / 1024).toFixed(2))])),
    locations: ws.locations,
    floorAllMs: median(floorAll),
    floorAnalysedMs: median(floorAnalysed),
    nginxMBps,
    coldMs: median(cold),
    coldRuns: cold,
    coldRssMB: coldRss,
    primeMs: prime.ms,
    warmMs: median(warm),
    warmRuns: warm,
    warmRssMB: warmRss,
    cacheHit,
    sameFindingsWithCache,
    findings: coldFindings.count,
    phases,
    chains,
    lsp,
  };
}

interface Row {
  metric: string;
  values: string[];
  target: string;
  met: boolean | undefined;
}

function table(sizes: number[], results: SizeResult[]): Row[] {
  const big = results[results.length - 1]!;
  const small = results[0]!;
  const f = (n: number, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');
  const each = (fn: (r: SizeResult) => string) => results.map(fn);
  const rows: Row[] = [
    { metric: 'floor: read+parse all files (ms)', values: each((r) => f(r.floorAllMs)), target: '', met: undefined },
    { metric: 'floor: read+parse nginx+YAML+TS (ms)', values: each((r) => f(r.floorAnalysedMs)), target: '', met: undefined },
    { metric: 'cold CLI (ms)', values: each((r) => f(r.coldMs)), target: '', met: undefined },
    { metric: '  … reading + parsing + models (ms)', values: each((r) => f(r.phases.parseMs)), target: '', met: undefined },
    { metric: '  … linking call chains (ms)', values: each((r) => f(r.phases.linkMs)), target: '', met: undefined },
    { metric: '  … call chains linked / links unresolved', values: each((r) => `${r.chains.linked} / ${r.chains.unresolved}`), target: '', met: undefined },
    { metric: '  … all rules (ms); slowest rule', values: each((r) => `${f(r.phases.rulesMs)}; ${r.phases.slowestRule} ${f(r.phases.slowestRuleMs)}`), target: '', met: undefined },
    { metric: 'cold CLI / floor of the same files', values: each((r) => f(r.coldMs / r.floorAnalysedMs, 2)), target: '≤ 1.3', met: results.every((r) => r.coldMs / r.floorAnalysedMs <= 1.3) },
    { metric: 'cold CLI / floor of all files', values: each((r) => f(r.coldMs / r.floorAllMs, 2)), target: '< 1 (pre-scans)', met: results.every((r) => r.coldMs < r.floorAllMs) },
    { metric: 'warm CLI --cache (ms)', values: each((r) => f(r.warmMs)), target: '', met: undefined },
    { metric: 'warm / cold', values: each((r) => f(r.warmMs / r.coldMs, 2)), target: '≤ 0.2', met: results.every((r) => r.warmMs / r.coldMs <= 0.2) },
    { metric: 'cache hit, same findings as uncached', values: each((r) => `${r.cacheHit ? 'hit' : 'MISS'}, ${r.sameFindingsWithCache ? 'same' : 'DIFFERENT'} (${r.findings})`), target: 'hit, same', met: results.every((r) => r.cacheHit && r.sameFindingsWithCache) },
    { metric: 'LSP first diagnostics, nginx, indexing (ms)', values: each((r) => f(r.lsp.firstNginxMs)), target: '≤ 200', met: results.every((r) => r.lsp.firstNginxMs <= 200) },
    { metric: 'LSP first diagnostics, YAML, indexing (ms)', values: each((r) => f(r.lsp.firstYamlMs)), target: '≤ 200', met: results.every((r) => r.lsp.firstYamlMs <= 200) },
    { metric: 'LSP full index (ms)', values: each((r) => f(r.lsp.indexedMs)), target: '', met: undefined },
    { metric: 'LSP edit → diagnostics nginx p50/p95 (ms)', values: each((r) => `${f(r.lsp.editNginx.p50)}/${f(r.lsp.editNginx.p95)}`), target: 'p95 ≤ 50 @max', met: big.lsp.editNginx.p95 <= 50 },
    { metric: 'LSP edit → diagnostics YAML p50/p95 (ms)', values: each((r) => `${f(r.lsp.editYaml.p50)}/${f(r.lsp.editYaml.p95)}`), target: 'p95 ≤ 50 @max', met: big.lsp.editYaml.p95 <= 50 },
    { metric: 'LSP edit → diagnostics all p50/p95 (ms)', values: each((r) => `${f(r.lsp.editAll.p50)}/${f(r.lsp.editAll.p95)} (n=${r.lsp.editAll.n})`), target: 'p95 ≤ 50 @max', met: big.lsp.editAll.p95 <= 50 },
    { metric: 'LSP edit → chains re-linked p50/max (ms)', values: each((r) => `${f(r.lsp.relink.p50)}/${f(r.lsp.relink.max)} (n=${r.lsp.relink.n})`), target: '', met: undefined },
    { metric: 'peak RSS cold CLI (MB)', values: each((r) => f(r.coldRssMB)), target: '≤ 300 @max', met: big.coldRssMB <= 300 },
    { metric: 'peak RSS warm CLI (MB)', values: each((r) => f(r.warmRssMB)), target: '≤ 300 @max', met: big.warmRssMB <= 300 },
    { metric: 'peak RSS language server (MB)', values: each((r) => f(r.lsp.rssMB)), target: '≤ 300 @max', met: big.lsp.rssMB <= 300 },
    { metric: 'nginx parser (MB/s, parseNginxText)', values: each((r) => f(r.nginxMBps, 1)), target: '≥ 60', met: results.every((r) => r.nginxMBps >= 60) },
  ];
  if (results.length > 1) {
    const files = big.files / small.files;
    const growth = (a: number, b: number) => `${f(b / a, 1)}×`;
    rows.push(
      { metric: `growth ${sizes[0]}→${sizes[sizes.length - 1]}: cold CLI`, values: ['', growth(small.coldMs, big.coldMs)], target: `≤ ${f(files * 1.1, 0)}×`, met: big.coldMs / small.coldMs <= files * 1.1 },
      { metric: '  … linking call chains (no quadratic linking)', values: ['', growth(small.phases.linkMs, big.phases.linkMs)], target: `≤ ${f(files * 1.1, 0)}×`, met: big.phases.linkMs / small.phases.linkMs <= files * 1.1 },
      { metric: '  … floor (all files), for comparison', values: ['', growth(small.floorAllMs, big.floorAllMs)], target: '', met: undefined },
      { metric: '  … warm CLI', values: ['', growth(small.warmMs, big.warmMs)], target: `≤ ${f(files * 1.1, 0)}×`, met: big.warmMs / small.warmMs <= files * 1.1 },
      { metric: '  … LSP full index', values: ['', growth(small.lsp.indexedMs, big.lsp.indexedMs)], target: `≤ ${f(files * 1.1, 0)}×`, met: big.lsp.indexedMs / small.lsp.indexedMs <= files * 1.1 },
      { metric: '  … LSP edit p95', values: ['', growth(small.lsp.editAll.p95, big.lsp.editAll.p95)], target: `≤ ${f(files * 1.1, 0)}×`, met: big.lsp.editAll.p95 / small.lsp.editAll.p95 <= files * 1.1 },
    );
  }
  return rows;
}

function render(sizes: number[], results: SizeResult[], rows: Row[]): string {
  const header = ['metric', ...results.map((r, i) => `${sizes[i]} (${r.files} files)`), 'target', 'met'];
  const body = rows.map((r) => [r.metric, ...r.values, r.target, r.met === undefined ? '' : r.met ? 'yes' : 'NO']);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => (b[i] ?? '').length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...body.map(line)].join('\n');
}

function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: { files: { type: 'string' }, runs: { type: 'string' }, edits: { type: 'string' }, smoke: { type: 'boolean' }, keep: { type: 'boolean' }, 'generate-only': { type: 'string' } },
  });
  if (values['generate-only'] !== undefined) {
    // For profiling: one workspace of the first size, written where asked, and nothing measured.
    const ws = generateWorkspace(path.resolve(values['generate-only']), Number((values.files ?? '10000').split(',')[0]));
    log(`generated ${ws.files.size} files in ${ws.root}`);
    return 0;
  }
  const smoke = Boolean(values.smoke);
  const sizes = (values.files ?? (smoke ? '300' : '1000,10000')).split(',').map(Number);
  if (sizes.some((n) => !Number.isInteger(n) || n < 50)) throw new Error('--files takes sizes of at least 50, like 1000,10000');
  const runs = Number(values.runs ?? (smoke ? 1 : 3));
  const edits = Number(values.edits ?? (smoke ? 12 : 300));
  for (const needed of [CLI, FLOOR, HELM]) if (!fs.existsSync(needed)) throw new Error(`${needed} is missing: run npm run build`);

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'timeout-lint-bench-'));
  const hook = writeRssHook(tmp);
  const started = Date.now();
  const load = () => os.loadavg().map((l) => l.toFixed(2)).join(' ');
  log(`timeout-lint bench: sizes ${sizes.join(', ')}, ${runs} runs, ${edits} edits, ${os.cpus().length} cores, load ${load()}`);
  const results: SizeResult[] = [];
  try {
    for (const size of sizes) {
      log(`workspace of ${size} files`);
      results.push(await measureSize(size, runs, edits, tmp, hook, Boolean(values.keep)));
    }
  } finally {
    if (!values.keep) fs.rmSync(tmp, { recursive: true, force: true });
    else log(`kept ${tmp}`);
  }
  const rows = table(sizes, results);
  const loadAfter = load();
  const seconds = (Date.now() - started) / 1000;
  console.log(render(sizes, results, rows));
  // Chart rendering, in process: a chart-heavy workspace (200 charts) is a different shape from the monorepo.
  const helm = smoke ? undefined : spawnSync(process.execPath, [HELM], { encoding: 'utf8' });
  if (helm) console.log(`\n${helm.status === 0 ? helm.stdout.trim() : `Helm charts: the benchmark failed: ${helm.stderr.trim()}`}`);
  console.log(`\n${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown'}), node ${process.version}, load average ${loadAfter} (1/5/15 min), LSP debounce ${LSP_DEBOUNCE_MS} ms, ${runs} runs (median), ${edits} edits, ${seconds.toFixed(0)} s in all.`);

  const resultsDir = path.join(REPO, 'bench', 'results');
  fs.mkdirSync(resultsDir, { recursive: true });
  const out = path.join(resultsDir, `${new Date().toISOString().replace(/[:.]/g, '-')}${smoke ? '-smoke' : ''}.json`);
  fs.writeFileSync(out, `${JSON.stringify({ date: new Date().toISOString(), smoke, sizes, runs, edits, cores: os.cpus().length, cpu: os.cpus()[0]?.model, node: process.version, loadavg: os.loadavg(), seconds, results, rows }, null, 2)}\n`);
  console.log(`Results written to ${path.relative(process.cwd(), out)}`);
  // Timings are never asserted (the machine may be busy); wrong findings with the cache always fail.
  const correct = results.every((r) => r.cacheHit && r.sameFindingsWithCache);
  if (!correct) console.log('FAILED: the cache did not hit, or changed the findings.');
  return correct ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exitCode = 1;
  },
);
