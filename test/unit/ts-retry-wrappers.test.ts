// Retry wrappers recorded on outbound calls: retry packages, same-file functions they reach, and hand-written retry loops.
import { describe, expect, it } from 'vitest';
import { parseTsText } from '../../server/src/engine/inputs/ts/file.js';
import { extractTsFacts } from '../../server/src/engine/inputs/ts/facts.js';

function wrappersOf(source: string): Array<{ kind: string; count?: number }> {
  const facts = extractTsFacts(parseTsText('src/llm.ts', source));
  return (facts.calls[0]?.retryWrappers ?? []).map((w) => ({ kind: w.kind, ...(w.count !== undefined ? { count: w.count } : {}) }));
}

const SDK = `import OpenAI from 'openai';\nconst openai = new OpenAI();\n`;

describe('retry wrappers', () => {
  it('reads p-retry and async-retry with their written retries', () => {
    expect(wrappersOf(`${SDK}import pRetry from 'p-retry';\npRetry(() => openai.chat.completions.create({}), { retries: 3 });`)).toEqual([{ kind: 'p-retry', count: 3 }]);
    expect(wrappersOf(`${SDK}import retry from 'async-retry';\nretry(async () => openai.chat.completions.create({}));`)).toEqual([{ kind: 'async-retry' }]);
  });

  it('follows a named function the wrapper calls', () => {
    expect(wrappersOf(`${SDK}import pRetry from 'p-retry';\nasync function ask() { return openai.chat.completions.create({}); }\npRetry(() => ask(), { retries: 1 });`)).toEqual([{ kind: 'p-retry', count: 1 }]);
  });

  it('reads retry operations', () => {
    expect(wrappersOf(`${SDK}import retry from 'retry';\nconst operation = retry.operation({ retries: 4 });\noperation.attempt(async () => { await openai.chat.completions.create({}); });`)).toEqual([{ kind: 'retry', count: 4 }]);
  });

  it('reads a for loop whose try returns on success, counting retries from its bounds', () => {
    expect(wrappersOf(`${SDK}async function f() { for (let i = 0; i < 3; i++) { try { return await openai.chat.completions.create({}); } catch (e) { } } }`)).toEqual([{ kind: 'loop', count: 2 }]);
    expect(wrappersOf(`${SDK}async function f() { while (true) { try { const r = await openai.chat.completions.create({}); break; } catch (e) { } } }`)).toEqual([{ kind: 'loop' }]);
  });

  it('ignores loops that do not retry: no exit from try, a catch that rethrows, no try at all', () => {
    expect(wrappersOf(`${SDK}async function f(xs: string[]) { for (let i = 0; i < xs.length; i++) { try { await openai.chat.completions.create({}); } catch (e) { console.log(e); } } }`)).toEqual([]);
    expect(wrappersOf(`${SDK}async function f() { for (let i = 0; i < 3; i++) { try { return await openai.chat.completions.create({}); } catch (e) { throw e; } } }`)).toEqual([]);
    expect(wrappersOf(`${SDK}async function f() { for (let i = 0; i < 3; i++) { await openai.chat.completions.create({}); } }`)).toEqual([]);
  });
});
