// How a hop is named in a finding's headline (rules/util/chain-hops.ts).
import { describe, expect, it } from 'vitest';
import { hopHeadlineName } from '../../rules/util/chain-hops.js';
import type { Hop } from '../../server/src/engine/rule-api.js';

const call = (label: string, llm = false): Hop => ({ kind: 'outbound-call', label, span: { file: 'src/a.ts', start: 0, end: 1 }, timeouts: [], ...(llm ? { llm: true } : {}) }) as unknown as Hop;

describe('hop headline names', () => {
  it.each([
    ['fetch POST http://billing:8080/charge', true, 'billing:8080'],
    ['fetch POST https://{}/v1/x', true, '{}/v1/x'],
    // The URL is unknown: the library and method name the call, never the bare word "call".
    ['fetch POST call', true, 'fetch POST call'],
    ['axios GET call', true, 'axios GET call'],
    ['fetch POST http://billing:8080/charge', false, 'fetch POST billing:8080'],
  ])('%s (behind the gateway: %s) → %s', (label, behind, expected) => {
    expect(hopHeadlineName(call(label), behind)).toBe(expected);
  });

  it('an LLM call is the LLM call', () => {
    expect(hopHeadlineName(call('openai chat.completions.create', true), true)).toBe('the LLM call');
  });
});
