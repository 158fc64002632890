// `npm run bench`: generates synthetic monorepos (1k and 10k files, two profiles), measures the floor, the CLI (cold and --cache), GC share, memory, the language server and growth, and prints targets met or not.
// Usage: node dist/bench.js [--files 1000,10000] [--profiles existing,dense] [--runs n] [--edits n] [--smoke] [--keep] [--generate-only <dir>]
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { parseNginxText } from '../server/src/engine/inputs/nginx/parser.js';
import { gcShareOf, mainThreadProfile } from './cpu-profile.js';
import { generateWorkspace, type GeneratedWorkspace } from './generate.js';
import { generateDenseWorkspace } from './generate-dense.js';
import { BenchLspClient } from './lsp-client.js';
import { liveHeapMB, readRssMB, runNode, writeProbeHook } from './process-probes.js';
import type { LspResult, Percentiles, Profile, SizeResult } from './results.js';
import { render, table } from './results-table.js';

const DIST = __dirname;
const CLI = path.join(DIST, 'cli.js');
const FLOOR = path.join(DIST, 'bench-floor.js');
const HELM = path.join(DIST, 'bench-helm.js');
const REPO = path.resolve(DIST, '..');
/** Debounce the server is started with: 0, so edit latency is the server's own work (the editor default is 150 ms). */
const LSP_DEBOUNCE_MS = 0;
const WAIT_LIMIT_MS = 120_000;

/**
 * The workspaces measured. `existing`: the monorepo of bench/generate.ts, mostly files the pre-scan
 * skips. `dense`: bench/generate-dense.ts, every TypeScript file with calls, every YAML a manifest.
 */
const PROFILES: Record<Profile, (root: string, total: number) => GeneratedWorkspace> = { existing: generateWorkspace, dense: generateDenseWorkspace };


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
  const heapFile = path.join(tmp, 'heap-lsp');
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
  const client = new BenchLspClient(ws.root, CLI, { BENCH_RSS_FILE: rssFile, BENCH_HEAP_FILE: heapFile }, [...serverArgs, '-r', hook]);
  let sampler: NodeJS.Timeout | undefined;
  try {
    // The live heap of a server that has read nothing yet: what "retained per input byte" subtracts.
    let heapBaseMB = NaN;
    await client.initialize(LSP_DEBOUNCE_MS, async () => {
      heapBaseMB = await liveHeapMB(client.pid, heapFile, WAIT_LIMIT_MS);
    });
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
    // Indexed and idle: what the server keeps for the whole workspace (parsed files, facts, models).
    const heapIndexedMB = await liveHeapMB(client.pid, heapFile, WAIT_LIMIT_MS);

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
    // Twenty at the full 300 edits, so that the p95 of the target (≤ 100 ms) is more than the maximum of a handful.
    for (let i = 0; i < Math.min(20, Math.max(2, Math.floor(edits / 15))); i++) {
      const pool = i % 2 === 0 ? nginxPool : yamlPool;
      const file = pool[i % pool.length]!;
      const sent = performance.now();
      await client.change(file, variant(file, edits + i + 1));
      relinkTimes.push((await client.waitForIdleAfter(sent, WAIT_LIMIT_MS)) - sent);
    }
    // The last re-link above ended idle: the heap after the edit burst, the server's steady state.
    const heapAfterEditsMB = await liveHeapMB(client.pid, heapFile, WAIT_LIMIT_MS);
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
      heapBaseMB,
      heapIndexedMB,
      heapAfterEditsMB,
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

/** The flag that runs the CLI on one thread; older CLIs (without it) answer it with a usage error. */
const CONCURRENCY_THREADS = ['--concurrency', '2'];

/** Whether this CLI knows `--concurrency` (exit 2 with the option named: it does not). */
function cliHasConcurrency(hook: string, tmp: string): boolean {
  const empty = fs.mkdtempSync(path.join(tmp, 'probe-'));
  const probe = runNode(CLI, [...CONCURRENCY_THREADS, '--format', 'json', '--root', empty], hook, tmp);
  return !(probe.status === 2 && probe.stderr.includes('--concurrency'));
}

/**
 * One cold run under the CPU profiler, apart from the timed runs (the profiler slows the run a
 * little). GC share comes from `--cpu-prof` rather than perf_hooks 'gc' entries: those are
 * delivered through the event loop, which a CLI that reads synchronously and then exits may never
 * turn again, and each scavenge would allocate an entry on the heap being measured; the profiler
 * keeps its samples outside the JS heap and Node writes the profile at exit itself. Sampling
 * slows mutator and collector alike, so the share is kept.
 */
function profiledGc(cliArgs: string[], hook: string, tmp: string): SizeResult['gc'] {
  const dir = fs.mkdtempSync(path.join(tmp, 'cpu-prof-'));
  const run = runNode(CLI, cliArgs, hook, tmp, {}, ['--cpu-prof', '--cpu-prof-dir', dir]);
  if (run.status !== 0 && run.status !== 1) throw new Error(`CLI (profiled) exited with ${run.status}: ${run.stderr}`);
  const { main, workers } = mainThreadProfile(dir);
  fs.rmSync(dir, { recursive: true, force: true });
  const gc = main ? gcShareOf(main) : { gcMs: NaN, totalMs: NaN, share: NaN };
  return { ...gc, workerGcMs: workers.reduce((sum, w) => sum + gcShareOf(w).gcMs, 0) };
}

async function measureSize(profile: Profile, total: number, runs: number, edits: number, tmp: string, hook: string, keep: boolean, concurrency: boolean): Promise<SizeResult> {
  const root = fs.mkdtempSync(path.join(tmp, `ws-${profile}-${total}-`));
  const genStart = performance.now();
  const ws = PROFILES[profile](root, total);
  log(`  generated ${ws.files.size} files (${Object.entries(ws.counts).map(([k, n]) => `${n} ${k}`).join(', ')}, ${ws.locations} nginx locations) in ${(performance.now() - genStart).toFixed(0)} ms`);
  const all = writeList(tmp, `all-${profile}-${total}.txt`, ws, new Set(['nginx', 'yaml', 'ts', 'other']));
  // What the CLI analyses: nginx, YAML and TS/JS sources (generated 'other' files are never parsed).
  const analysed = writeList(tmp, `analysed-${profile}-${total}.txt`, ws, new Set(['nginx', 'yaml', 'ts']));
  const inputBytes = ws.bytes.nginx + ws.bytes.yaml + ws.bytes.ts;
  const cliArgs = ['--format', 'json', '--root', root];
  const cacheDir = path.join(tmp, `cache-${profile}-${total}`);

  // Interleaved, so that load from other processes on the machine hits every measurement alike.
  const floorAll: number[] = [];
  const floorAnalysed: number[] = [];
  const cold: number[] = [];
  let coldRss = 0;
  let coldOut = '';
  const timings: RunTimingJson[] = [];
  const coldThreads: number[] = [];
  let coldThreadsRss = 0;
  let coldThreadsOut = '';
  runNode(FLOOR, [root, all], hook, tmp); // warm the page cache
  for (let r = 0; r < runs; r++) {
    // The default (one thread) and a worker thread (--concurrency 2), alternating which goes first.
    const threaded = () => {
      if (!concurrency) return;
      const c = runNode(CLI, [...cliArgs, ...CONCURRENCY_THREADS], hook, tmp);
      if (c.status !== 0 && c.status !== 1) throw new Error(`CLI --concurrency 2 exited with ${c.status}: ${c.stderr}`);
      coldThreads.push(c.ms);
      coldThreadsRss = Math.max(coldThreadsRss, c.rssMB);
      coldThreadsOut = c.stdout;
    };
    if (r % 2 === 1) threaded();
    floorAll.push(runNode(FLOOR, [root, all], hook, tmp).ms);
    floorAnalysed.push(runNode(FLOOR, [root, analysed], hook, tmp).ms);
    const c = runNode(CLI, cliArgs, hook, tmp, { TIMING: 'all' });
    if (c.status !== 0 && c.status !== 1) throw new Error(`CLI exited with ${c.status}: ${c.stderr}`);
    cold.push(c.ms);
    const measured = (JSON.parse(c.stdout) as { timing?: RunTimingJson }).timing;
    if (measured) timings.push(measured);
    coldRss = Math.max(coldRss, c.rssMB);
    coldOut = c.stdout;
    if (r % 2 === 0) threaded();
  }
  log(`  floor ${median(floorAll).toFixed(0)} ms (all), ${median(floorAnalysed).toFixed(0)} ms (nginx+YAML+TS, ${(inputBytes / 1024 / 1024).toFixed(1)} MB); cold CLI ${median(cold).toFixed(0)} ms${concurrency ? `, with --concurrency 2 ${median(coldThreads).toFixed(0)} ms` : ' (this CLI has no --concurrency)'}`);
  const sameFindingsConcurrency = concurrency ? findingsOf(coldOut).key === findingsOf(coldThreadsOut).key : true;
  if (!sameFindingsConcurrency) log(`  FAILED: the findings with --concurrency 2 differ from the default's (${profile}, ${total} files)`);
  const gc = profiledGc(cliArgs, hook, tmp);
  const gcThreads = concurrency ? profiledGc([...cliArgs, ...CONCURRENCY_THREADS], hook, tmp) : undefined;
  log(`  GC on the main thread: ${(gc.share * 100).toFixed(1)} % of ${gc.totalMs.toFixed(0)} ms (workers ${gc.workerGcMs.toFixed(0)} ms)${gcThreads ? `; --concurrency 2 ${(gcThreads.share * 100).toFixed(1)} % of ${gcThreads.totalMs.toFixed(0)} ms` : ''}; peak RSS ${coldRss.toFixed(0)} MB = ${((coldRss * 1024 * 1024) / inputBytes).toFixed(1)}× the input`);
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
  const retainedPerInputByte = ((lsp.heapIndexedMB - lsp.heapBaseMB) * 1024 * 1024) / inputBytes;
  log(`  LSP first diagnostics ${lsp.firstNginxMs.toFixed(0)} ms (nginx) ${lsp.firstYamlMs.toFixed(0)} ms (YAML), indexed in ${lsp.indexedMs.toFixed(0)} ms, edit p95 ${lsp.editAll.p95.toFixed(0)} ms, edit → chains re-linked ${lsp.relink.p50.toFixed(0)} ms (median); live heap ${lsp.heapBaseMB.toFixed(0)} → ${lsp.heapIndexedMB.toFixed(0)} MB indexed (${retainedPerInputByte.toFixed(1)} bytes per input byte), ${lsp.heapAfterEditsMB.toFixed(0)} MB after the edits`);
  if (!keep) fs.rmSync(root, { recursive: true, force: true });
  return {
    profile,
    files: ws.files.size,
    inputBytes,
    counts: ws.counts,
    megabytes: Object.fromEntries(Object.entries(ws.bytes).map(([k, b]) => [k, Number((b / 1024 / 1024).toFixed(2))])),
    locations: ws.locations,
    floorAllMs: median(floorAll),
    floorAnalysedMs: median(floorAnalysed),
    nginxMBps,
    coldMs: median(cold),
    coldRuns: cold,
    coldRssMB: coldRss,
    coldThreads: concurrency ? { ms: median(coldThreads), runs: coldThreads, rssMB: coldThreadsRss, sameFindings: sameFindingsConcurrency } : undefined,
    gc,
    gcThreads,
    retainedPerInputByte,
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


function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: { files: { type: 'string' }, profiles: { type: 'string' }, runs: { type: 'string' }, edits: { type: 'string' }, smoke: { type: 'boolean' }, keep: { type: 'boolean' }, 'generate-only': { type: 'string' } },
  });
  const profiles = (values.profiles ?? 'existing,dense').split(',') as Profile[];
  if (profiles.length === 0 || profiles.some((p) => !(p in PROFILES))) throw new Error(`--profiles takes ${Object.keys(PROFILES).join(', ')} (comma-separated)`);
  if (values['generate-only'] !== undefined) {
    // For profiling: one workspace of the first size and profile, written where asked, and nothing measured.
    const ws = PROFILES[profiles[0]!](path.resolve(values['generate-only']), Number((values.files ?? '10000').split(',')[0]));
    log(`generated ${ws.files.size} files (${profiles[0]} profile) in ${ws.root}`);
    return 0;
  }
  const smoke = Boolean(values.smoke);
  const sizes = (values.files ?? (smoke ? '300' : '1000,10000')).split(',').map(Number);
  if (sizes.some((n) => !Number.isInteger(n) || n < 50)) throw new Error('--files takes sizes of at least 50, like 1000,10000');
  const runs = Number(values.runs ?? (smoke ? 1 : 3));
  const edits = Number(values.edits ?? (smoke ? 12 : 300));
  for (const needed of [CLI, FLOOR, HELM]) if (!fs.existsSync(needed)) throw new Error(`${needed} is missing: run npm run build`);

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'timeout-lint-bench-'));
  const hook = writeProbeHook(tmp);
  const started = Date.now();
  const load = () => os.loadavg().map((l) => l.toFixed(2)).join(' ');
  const concurrency = cliHasConcurrency(hook, tmp);
  log(`timeout-lint bench: profiles ${profiles.join(', ')}, sizes ${sizes.join(', ')}, ${runs} runs, ${edits} edits, ${os.cpus().length} cores, load ${load()}${concurrency ? '' : '; this CLI has no --concurrency, so the cold CLI is measured one way only'}`);
  const results: Partial<Record<Profile, SizeResult[]>> = {};
  try {
    for (const profile of profiles) {
      for (const size of sizes) {
        log(`${profile} profile, workspace of ${size} files`);
        (results[profile] ??= []).push(await measureSize(profile, size, runs, edits, tmp, hook, Boolean(values.keep), concurrency));
      }
    }
  } finally {
    if (!values.keep) fs.rmSync(tmp, { recursive: true, force: true });
    else log(`kept ${tmp}`);
  }
  const rows = Object.fromEntries(profiles.map((p) => [p, table(p, sizes, results[p]!)]));
  const loadAfter = load();
  const seconds = (Date.now() - started) / 1000;
  console.log(profiles.map((p) => `${p} profile\n${render(sizes, results[p]!, rows[p]!)}`).join('\n\n'));
  // Chart rendering, in process: a chart-heavy workspace (200 charts) is a different shape from the monorepo.
  const helm = smoke ? undefined : spawnSync(process.execPath, [HELM], { encoding: 'utf8' });
  if (helm) console.log(`\n${helm.status === 0 ? helm.stdout.trim() : `Helm charts: the benchmark failed: ${helm.stderr.trim()}`}`);
  console.log(`\n${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown'}), node ${process.version}, load average ${loadAfter} (1/5/15 min), LSP debounce ${LSP_DEBOUNCE_MS} ms, ${runs} runs (median), ${edits} edits, cold CLI ${concurrency ? 'with default concurrency and --concurrency 2' : 'one way (no --concurrency)'}, ${seconds.toFixed(0)} s in all.`);

  const resultsDir = path.join(REPO, 'bench', 'results');
  fs.mkdirSync(resultsDir, { recursive: true });
  const out = path.join(resultsDir, `${new Date().toISOString().replace(/[:.]/g, '-')}${smoke ? '-smoke' : ''}.json`);
  fs.writeFileSync(out, `${JSON.stringify({ date: new Date().toISOString(), smoke, profiles, sizes, runs, edits, concurrency, cores: os.cpus().length, cpu: os.cpus()[0]?.model, node: process.version, loadavg: os.loadavg(), seconds, results, rows }, null, 2)}\n`);
  console.log(`Results written to ${path.relative(process.cwd(), out)}`);
  // Timings are never asserted (the machine may be busy); findings changed by the cache or by the
  // threads always fail the bench.
  const all = Object.values(results).flat();
  const cacheCorrect = all.every((r) => r.cacheHit && r.sameFindingsWithCache);
  const threadsCorrect = all.every((r) => r.coldThreads === undefined || r.coldThreads.sameFindings);
  if (!cacheCorrect) console.log('FAILED: the cache did not hit, or changed the findings.');
  if (!threadsCorrect) console.log(`FAILED: the findings with --concurrency 2 differ from the default's (${all.filter((r) => r.coldThreads && !r.coldThreads.sameFindings).map((r) => `${r.profile} ${r.files} files`).join(', ')}).`);
  return cacheCorrect && threadsCorrect ? 0 : 1;
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
