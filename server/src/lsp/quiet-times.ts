// How long the server waits before linting after a change: the policy, apart from the session that applies it.

/** The quiet time before re-linking the call chains of a folder whose last re-link was slow (see chainQuietMs). */
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
 * The quiet time between the per-file findings of an edit and re-linking the folder's call chains.
 * A re-link runs to its end once started, so one that took long last time waits CHAIN_QUIET_MS for
 * the user to pause typing; one that took less than SLOW_UNIT_MS starts at once (the per-file
 * units already waited for the debounce). Before the first re-link its cost is not known: it waits.
 */
export function chainQuietMs(lastChainMs: number | undefined): number {
  return lastChainMs !== undefined && lastChainMs < SLOW_UNIT_MS ? 0 : CHAIN_QUIET_MS;
}
