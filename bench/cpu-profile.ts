// Reads V8 CPU profiles (`node --cpu-prof`) for `npm run bench`: how much of a run the garbage collector took.
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The parts of a `.cpuprofile` file this module reads (the Chrome DevTools profile format). */
export interface CpuProfile {
  nodes: Array<{ id: number; callFrame: { functionName: string } }>;
  startTime: number;
  endTime: number;
  /** Node id of each sample, in order. */
  samples: number[];
  /** Microseconds from the previous sample (the first: from startTime) to each sample. */
  timeDeltas: number[];
}

export interface GcShare {
  /** Time of the samples taken while V8 was collecting garbage on this thread (ms). */
  gcMs: number;
  /** The profile's whole span, from profiler start to process exit (ms). */
  totalMs: number;
  share: number;
}

/**
 * The garbage collector's share of a profiled thread's time: each sample stands for the interval
 * that ends at it, and V8 marks the samples taken during a collection pause with the
 * `(garbage collector)` node. Concurrent marking on V8's helper threads is not sampled; that is
 * fine, since the pauses on the main thread are what lengthen the run.
 */
export function gcShareOf(profile: CpuProfile): GcShare {
  const gcNodes = new Set(profile.nodes.filter((n) => n.callFrame.functionName === '(garbage collector)').map((n) => n.id));
  let gcUs = 0;
  for (let i = 0; i < profile.samples.length; i++) if (gcNodes.has(profile.samples[i]!)) gcUs += profile.timeDeltas[i] ?? 0;
  const totalUs = profile.endTime - profile.startTime;
  return { gcMs: gcUs / 1000, totalMs: totalUs / 1000, share: totalUs > 0 ? gcUs / totalUs : NaN };
}

/**
 * The profile of the main thread among those `--cpu-prof-dir` collected: Node names them
 * `CPU.<date>.<time>.<pid>.<thread id>.<seq>.cpuprofile`, thread 0 being the main thread (worker
 * threads, with --concurrency, write their own).
 */
export function mainThreadProfile(dir: string): { main: CpuProfile | undefined; workers: CpuProfile[] } {
  const workers: CpuProfile[] = [];
  let main: CpuProfile | undefined;
  for (const name of fs.readdirSync(dir).filter((n) => n.endsWith('.cpuprofile')).sort()) {
    const profile = JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8')) as CpuProfile;
    if (name.split('.')[4] === '0') main = profile;
    else workers.push(profile);
  }
  return { main, workers };
}
