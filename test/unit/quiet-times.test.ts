import { describe, expect, it } from 'vitest';
import { CHAIN_QUIET_MS, chainQuietMs, editQuietMs, MAX_EDIT_DEBOUNCE_MS, SLOW_UNIT_MS } from '../../server/src/lsp/quiet-times.js';

describe('quiet times before linting', () => {
  it.each([
    // [last chain re-link in ms, quiet time before the next]
    [undefined, CHAIN_QUIET_MS],
    [0, 0],
    [40.4, 40],
    [SLOW_UNIT_MS, SLOW_UNIT_MS],
    [CHAIN_QUIET_MS, CHAIN_QUIET_MS],
    [520, CHAIN_QUIET_MS],
    [5_000, CHAIN_QUIET_MS],
  ])('re-links chains that took %s ms after %s ms', (last, quiet) => {
    expect(chainQuietMs(last)).toBe(quiet);
  });

  it.each([
    // [last unit run in ms, configured debounce, quiet time]
    [0, 150, 150],
    [SLOW_UNIT_MS - 1, 150, 150],
    [SLOW_UNIT_MS, 150, SLOW_UNIT_MS],
    [400.4, 150, 400],
    [400, 600, 600],
    [30_000, 150, MAX_EDIT_DEBOUNCE_MS],
  ])('lints a file whose units took %s ms (debounce %s) after %s ms', (last, debounce, quiet) => {
    expect(editQuietMs(last, debounce)).toBe(quiet);
  });
});
