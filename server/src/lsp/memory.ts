// Keeps the language server's memory near its live heap between bursts of work.
import * as v8 from 'node:v8';

/**
 * A full garbage collection, when the process was started with `--expose-gc` (the extension starts
 * the server so). Re-linking the call chains builds a whole workspace model and drops the previous
 * one; left to its own heuristics V8 grows the heap by hundreds of megabytes before it collects
 * them. Collecting once the new model is in place (the server is idle then) costs a few tens of
 * milliseconds and keeps the resident size close to what is actually live.
 */
export function collectGarbage(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (typeof gc === 'function') gc();
}

/**
 * V8 lets the old generation grow to about twice the live heap (up to four times) before a full
 * collection. The server keeps one workspace model alive and replaces it on every run, so most of
 * that headroom fills with dropped models: growing by 30 % instead keeps the resident size near the
 * live heap at the cost of more (concurrent) marking. Set once at start; later collections use it.
 */
export function limitHeapGrowth(): void {
  v8.setFlagsFromString('--heap-growing-percent=30');
}
