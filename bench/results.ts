// What one size of one profile of `npm run bench` measured (written to bench/results/ as JSON).
import type { GcShare } from './cpu-profile.js';
import type { GeneratedWorkspace } from './generate.js';

/** `existing`: the monorepo of bench/generate.ts; `dense`: bench/generate-dense.ts. */
export type Profile = 'existing' | 'dense';

export interface LspResult {
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
  /** Live heap after a full collection (MB): before indexing, once indexed, after the edit burst. */
  heapBaseMB: number;
  heapIndexedMB: number;
  heapAfterEditsMB: number;
}

export interface Percentiles {
  p50: number;
  p95: number;
  max: number;
  n: number;
}

export interface SizeResult {
  profile: Profile;
  files: number;
  /** Bytes of the files the CLI analyses (nginx, YAML, TypeScript). */
  inputBytes: number;
  counts: GeneratedWorkspace['counts'];
  megabytes: Record<string, number>;
  locations: number;
  floorAllMs: number;
  floorAnalysedMs: number;
  nginxMBps: number;
  coldMs: number;
  coldRuns: number[];
  coldRssMB: number;
  /** Cold CLI with `--concurrency 2` (undefined: this CLI has no such option, so only one way was measured). */
  coldThreads: { ms: number; runs: number[]; rssMB: number; sameFindings: boolean } | undefined;
  /** Garbage collection on the main thread, from a separate profiled cold run (default concurrency, and off). */
  gc: GcShare & { workerGcMs: number };
  gcThreads: (GcShare & { workerGcMs: number }) | undefined;
  /** (Live heap of the indexed language server − its live heap before indexing) / input bytes. */
  retainedPerInputByte: number;
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
