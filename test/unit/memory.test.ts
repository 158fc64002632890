// The language server's memory helpers: a full collection only where the process allows one.
import { afterEach, describe, expect, it } from 'vitest';
import { collectGarbage } from '../../server/src/lsp/memory.js';

const holder = globalThis as { gc?: () => void };
const original = holder.gc;
afterEach(() => {
  if (original) holder.gc = original;
  else delete holder.gc;
});

describe('collectGarbage', () => {
  it('runs a full collection when node was started with --expose-gc', () => {
    let calls = 0;
    holder.gc = () => {
      calls++;
    };
    collectGarbage();
    expect(calls).toBe(1);
  });

  it('does nothing (and does not throw) without it', () => {
    delete holder.gc;
    expect(() => collectGarbage()).not.toThrow();
  });
});
