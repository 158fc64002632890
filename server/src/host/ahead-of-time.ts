// Per-file work computed ahead on worker threads while the run reads other files (the CLI's cold run).
//
// Inputs declare work that is a pure function of a file's name and text (`Input.precompute`: for
// TypeScript, parse and extract facts). Workers take files from the end of the list while the run
// takes them from the front; a shared state per file says who took it, so no file is computed twice
// and the run never waits for more than the one file a worker is finishing. The run uses a result
// only for the exact text it read itself; anything else (no worker, a changed file, a failed or
// stuck worker) falls back to computing on the run's own thread, so results never depend on timing.
import { availableParallelism } from 'node:os';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import type { ClaimContext, Input } from '../engine/inputs/input.js';
import type { FileId } from '../engine/types.js';

/** What a worker is started with (workerData). */
export interface AheadWorkerData {
  kind: typeof AHEAD_WORKER_KIND;
  root: string;
  /** The files, with the id of the input whose precompute each one gets. */
  files: Array<[FileId, string]>;
  /** [0]: the next index to take, counting down; then one state per file. */
  shared: SharedArrayBuffer;
  port: MessagePort;
  maxFileBytes: number;
}

/** A worker's answer for one file. */
export interface AheadResult {
  index: number;
  /** The text the result was made from; undefined when the worker skipped the file (unread, or not wanted). */
  text?: string;
  value?: unknown;
}

export const AHEAD_WORKER_KIND = 'timeout-lint-ahead';

/** The state of one file in the shared array. */
export const FREE = 0;
export const TAKEN_BY_RUN = 1;
export const TAKEN_BY_WORKER = 2;
export const DONE = 3;

/** Below this many files, starting a worker costs more than it saves. */
const MIN_FILES_PER_WORKER = 150;
/** A worker that finishes no file for this long is given up on; the run computes the rest itself. */
const STALL_MS = 15_000;
const DEFAULT_MAX_FILE_BYTES = 8 * 1024 * 1024;

export type Concurrency = number | 'auto' | 'off';

/** How many workers a run gets: none for small runs, one core always left to the run itself. */
export function workerCount(concurrency: Concurrency, files: number): number {
  if (concurrency === 'off') return 0;
  const wanted = concurrency === 'auto' ? Math.min(availableParallelism() - 1, 3) : Math.max(0, Math.floor(concurrency) - 1);
  return Math.max(0, Math.min(wanted, Math.floor(files / MIN_FILES_PER_WORKER)));
}

export interface AheadOfTimeOptions {
  root: string;
  files: readonly FileId[];
  inputs: readonly Input[];
  claim: ClaimContext;
  concurrency: Concurrency;
  /** The script a worker runs (the CLI bundle itself). */
  workerScript: string;
  maxFileBytes?: number;
}

/** Results computed ahead by workers; `get` is what lint's `precomputed` option asks. */
export class AheadOfTime {
  private readonly index = new Map<FileId, number>();
  private readonly inputOf: string[] = [];
  private readonly states: Int32Array;
  private readonly results = new Map<number, AheadResult>();
  private readonly ports: MessagePort[] = [];
  private readonly workers: Worker[] = [];
  private givenUp = false;
  /** Files whose result a worker supplied, and files the run computed itself (for tests and TIMING). */
  readonly counts = { fromWorkers: 0, byRun: 0 };

  /** Starts workers for the files whose first name-claiming input has a precompute; undefined when none are worth starting. */
  static start(options: AheadOfTimeOptions): AheadOfTime | undefined {
    // One thread asked for (the default): no claim is asked of any file.
    if (workerCount(options.concurrency, options.files.length) === 0) return undefined;
    const files: Array<[FileId, string]> = [];
    for (const file of options.files) {
      const input = options.inputs.find((candidate) => candidate.claim(file, options.claim) === 'name');
      if (input?.precompute) files.push([file, input.id]);
    }
    const workers = workerCount(options.concurrency, files.length);
    if (workers === 0) return undefined;
    return new AheadOfTime(options, files, workers);
  }

  private constructor(options: AheadOfTimeOptions, files: Array<[FileId, string]>, workers: number) {
    const shared = new SharedArrayBuffer(4 * (files.length + 1));
    const counter = new Int32Array(shared, 0, 1);
    counter[0] = files.length - 1;
    this.states = new Int32Array(shared, 4, files.length);
    files.forEach(([file, input], i) => {
      this.index.set(file, i);
      this.inputOf.push(input);
    });
    for (let w = 0; w < workers; w++) {
      const { port1, port2 } = new MessageChannel();
      const workerData: AheadWorkerData = { kind: AHEAD_WORKER_KIND, root: options.root, files, shared, port: port2, maxFileBytes: options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES };
      const worker = new Worker(options.workerScript, { workerData, transferList: [port2], stdout: true, stderr: true });
      // A worker never keeps the process alive, and its failure only means the run computes more itself.
      worker.unref();
      worker.on('error', () => undefined);
      this.workers.push(worker);
      this.ports.push(port1);
    }
  }

  /** The result for this input, file and exact text, or undefined (the caller computes it). */
  get(input: string, file: FileId, text: string): unknown {
    const i = this.index.get(file);
    if (i === undefined || this.inputOf[i] !== input) return undefined;
    const result = this.results.get(i) ?? this.await(i);
    const used = result !== undefined && result.text === text;
    if (used) this.counts.fromWorkers++;
    else this.counts.byRun++;
    return used ? result.value : undefined;
  }

  get workerCount(): number {
    return this.workers.length;
  }

  /**
   * Waits until every file is taken (by a worker or the run) and the taken ones are finished, or the
   * time is up; true when all were. A front end that only wants the results (and tests) use it.
   */
  settle(timeoutMs: number): boolean {
    const deadline = Date.now() + timeoutMs;
    for (let i = 0; i < this.states.length; i++) {
      while (Atomics.load(this.states, i) === FREE || Atomics.load(this.states, i) === TAKEN_BY_WORKER) {
        const left = deadline - Date.now();
        if (left <= 0) return false;
        Atomics.wait(this.states, i, Atomics.load(this.states, i), Math.min(left, 100));
      }
    }
    this.drain();
    return true;
  }

  /** Stops the workers (results already received stay usable). */
  close(): void {
    this.givenUp = true;
    for (const worker of this.workers) void worker.terminate();
    for (const port of this.ports) port.close();
  }

  private await(i: number): AheadResult | undefined {
    if (this.givenUp) return undefined;
    // Not taken yet: the run takes it, and the workers will skip it.
    if (Atomics.compareExchange(this.states, i, FREE, TAKEN_BY_RUN) === FREE) return undefined;
    if (Atomics.load(this.states, i) === TAKEN_BY_RUN) return undefined;
    // Taken by a worker: it is finishing this very file (workers take one at a time).
    const started = Date.now();
    while (Atomics.load(this.states, i) !== DONE) {
      Atomics.wait(this.states, i, TAKEN_BY_WORKER, 100);
      if (Date.now() - started > STALL_MS) {
        this.close();
        return undefined;
      }
    }
    // The result was posted before the state said done: it is in a port's queue now.
    for (;;) {
      const known = this.results.get(i);
      if (known) return known;
      if (!this.drain()) return undefined;
    }
  }

  /** Moves every queued result into the map; false when nothing was queued. */
  private drain(): boolean {
    let any = false;
    for (const port of this.ports) {
      for (let message = receiveMessageOnPort(port); message; message = receiveMessageOnPort(port)) {
        const result = message.message as AheadResult;
        this.results.set(result.index, result);
        any = true;
      }
    }
    return any;
  }
}
