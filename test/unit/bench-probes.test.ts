// The bench's probes into the processes it starts: GC share from a real CPU profile, peak RSS at exit, the live heap after a full collection on request.
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { gcShareOf, mainThreadProfile, type CpuProfile } from '../../bench/cpu-profile.js';
import { liveHeapMB, readRssMB, runNode, writeProbeHook } from '../../bench/process-probes.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tl-bench-probes-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('gcShareOf', () => {
  it('counts the time of the samples taken in the garbage collector against the whole profile', () => {
    const profile: CpuProfile = {
      nodes: [
        { id: 1, callFrame: { functionName: '(root)' } },
        { id: 2, callFrame: { functionName: 'parse' } },
        { id: 3, callFrame: { functionName: '(garbage collector)' } },
      ],
      startTime: 0,
      endTime: 10_000,
      samples: [2, 3, 3, 2],
      timeDeltas: [1_000, 2_000, 1_500, 500],
    };
    expect(gcShareOf(profile)).toEqual({ gcMs: 3.5, totalMs: 10, share: 0.35 });
  });

  it('finds most of a run that only collects garbage in the collector, on the main thread of a real --cpu-prof', () => {
    const dir = fs.mkdtempSync(path.join(tmp, 'prof-'));
    const script = 'const keep = Array.from({ length: 200000 }, (_, i) => ({ i })); const until = Date.now() + 400; while (Date.now() < until) gc(); console.log(keep.length);';
    const run = spawnSync(process.execPath, ['--expose-gc', '--cpu-prof', '--cpu-prof-dir', dir, '-e', script], { encoding: 'utf8' });
    expect(run.status).toBe(0);
    const { main, workers } = mainThreadProfile(dir);
    expect(workers).toEqual([]);
    const share = gcShareOf(main!);
    expect(share.gcMs).toBeGreaterThan(100);
    expect(share.share).toBeGreaterThan(0.3);
    expect(share.share).toBeLessThanOrEqual(1);
  }, 60_000);
});

describe('the probe preload', () => {
  const hook = writeProbeHook(tmp);

  it('reports the peak RSS of a finished process, which grows with what it allocated', () => {
    const small = runNode('-e', ['0'], hook, tmp);
    const big = runNode('-e', ['const b = Buffer.alloc(200 * 1024 * 1024, 1); console.log(b[0]);'], hook, tmp);
    expect(small.status).toBe(0);
    expect(small.rssMB).toBeGreaterThan(10);
    expect(big.rssMB - small.rssMB).toBeGreaterThan(150);
  }, 60_000);

  it('answers SIGUSR2 with the live heap after a full collection: kept objects count, garbage does not', async () => {
    const heapFile = path.join(tmp, 'heap');
    // About 40 MB kept, and as much again dropped before the probe.
    const script = "globalThis.kept = Array.from({ length: 400000 }, (_, i) => ({ i, s: 'x' + i })); let drop = Array.from({ length: 400000 }, (_, i) => ({ i, s: 'y' + i })); drop = null; console.log('ready'); setInterval(() => {}, 1000);";
    const child = spawn(process.execPath, ['-r', hook, '-e', script], { env: { ...process.env, BENCH_RSS_FILE: path.join(tmp, 'rss'), BENCH_HEAP_FILE: heapFile }, stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      await new Promise<void>((resolve) => child.stdout!.once('data', () => resolve()));
      const kept = await liveHeapMB(child.pid, heapFile, 30_000);
      expect(kept).toBeGreaterThan(20);
      expect(kept).toBeLessThan(80);
    } finally {
      child.kill();
    }
    expect(readRssMB(path.join(tmp, 'no-such-file'))).toBeNaN();
  }, 60_000);
});
