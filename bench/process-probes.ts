// What `npm run bench` learns from inside the processes it starts: peak RSS at exit and the live heap after a full collection on request, through one preload (`node -r`).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';

/**
 * The preload. At exit it writes `process.resourceUsage().maxRSS` (KiB; the whole process, worker
 * threads included) to $BENCH_RSS_FILE: spawnSync gives no rusage of the child, and the exit hook
 * costs nothing during the run. With $BENCH_HEAP_FILE set, SIGUSR2 (free in Node; SIGUSR1 starts
 * the inspector) runs a full collection and writes the heap still in use: the live heap. The
 * collection needs `gc`, exposed by `--expose-gc` (as the extension starts the server) or else
 * through V8's flag at that moment; the handler runs between tasks, so it waits for the process to
 * finish what it is doing, and the signal listener keeps no process alive.
 */
const HOOK = `
const fs = require('fs');
process.on('exit', () => { try { fs.writeFileSync(process.env.BENCH_RSS_FILE, String(process.resourceUsage().maxRSS)); } catch {} });
if (process.env.BENCH_HEAP_FILE) process.on('SIGUSR2', () => {
  let gc = globalThis.gc;
  if (typeof gc !== 'function') { require('v8').setFlagsFromString('--expose-gc'); gc = require('vm').runInNewContext('gc'); }
  gc();
  const file = process.env.BENCH_HEAP_FILE;
  fs.writeFileSync(file + '.tmp', String(process.memoryUsage().heapUsed));
  fs.renameSync(file + '.tmp', file);
});
`;

export function writeProbeHook(dir: string): string {
  const hook = path.join(dir, 'probe-hook.cjs');
  fs.writeFileSync(hook, HOOK);
  return hook;
}

export function readRssMB(file: string): number {
  try {
    return Number(fs.readFileSync(file, 'utf8')) / 1024;
  } catch {
    return NaN;
  }
}

export interface NodeRun {
  ms: number;
  rssMB: number;
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a node script to completion with the preload; returns wall time, peak RSS, exit status and output. */
export function runNode(script: string, args: string[], hook: string, tmp: string, env: Record<string, string> = {}, nodeArgs: string[] = []): NodeRun {
  const rssFile = path.join(tmp, `rss-${process.pid}-${Math.random().toString(36).slice(2)}`);
  const start = performance.now();
  const result = spawnSync(process.execPath, [...nodeArgs, '-r', hook, script, ...args], { env: { ...process.env, BENCH_RSS_FILE: rssFile, NO_COLOR: '1', ...env }, encoding: 'utf8', maxBuffer: 1 << 30 });
  const ms = performance.now() - start;
  const rssMB = readRssMB(rssFile);
  fs.rmSync(rssFile, { force: true });
  if (result.error) throw result.error;
  return { ms, rssMB, status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Asks a process started with the preload and $BENCH_HEAP_FILE for its live heap (MB) after a full collection. */
export async function liveHeapMB(pid: number | undefined, heapFile: string, limitMs: number): Promise<number> {
  if (pid === undefined) return NaN;
  fs.rmSync(heapFile, { force: true });
  process.kill(pid, 'SIGUSR2');
  const until = performance.now() + limitMs;
  while (performance.now() < until) {
    if (fs.existsSync(heapFile)) {
      const bytes = Number(fs.readFileSync(heapFile, 'utf8'));
      fs.rmSync(heapFile, { force: true });
      return bytes / 1024 / 1024;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return NaN;
}
