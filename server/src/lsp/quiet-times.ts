// How long the server waits before linting after a change: the policy, apart from the session that applies it.

/** The longest quiet time before re-linking a folder's call chains (see chainQuietMs). */
export const CHAIN_QUIET_MS = 300;
/** The longest quiet time after a keystroke (see editQuietMs). */
export const MAX_EDIT_DEBOUNCE_MS = 1_000;
/**
 * Units that lint faster than this keep the configured debounce: waiting as long as a 100 ms lint
 * doubles the time to a finding for no gain (the bench's edit p95 target is 50 ms), while a lint
 * this long competes with typing.
 */
export const SLOW_UNIT_MS = 250;

/**
 * The quiet time after a keystroke before re-linting: the configured debounce, or as long as the
 * last run of the units reading the file took (at most MAX_EDIT_DEBOUNCE_MS). A 40k-line file
 * whose lint takes a second is then linted when the user pauses, not between two keys, where
 * it would compete with the editor for the CPU.
 */
export function editQuietMs(lastUnitMs: number, debounceMs: number): number {
  if (lastUnitMs < SLOW_UNIT_MS) return debounceMs;
  return Math.min(MAX_EDIT_DEBOUNCE_MS, Math.max(debounceMs, Math.round(lastUnitMs)));
}

/**
 * The quiet time between the per-file findings of an edit and re-linking the folder's call chains:
 * as long as the last re-link took, at most CHAIN_QUIET_MS. A re-link runs to its end once started,
 * so an edit that arrives meanwhile waits for it: waiting as long as the re-link takes keeps it from
 * starting between two quick edits (it would delay the next edit's findings by its whole length),
 * while a folder that re-links in 60 ms gets its chain findings 60 ms after the pause, not 300.
 * Before the first re-link its cost is not known: the longest wait.
 */
export function chainQuietMs(lastChainMs: number | undefined): number {
  return lastChainMs === undefined ? CHAIN_QUIET_MS : Math.min(CHAIN_QUIET_MS, Math.round(lastChainMs));
}
