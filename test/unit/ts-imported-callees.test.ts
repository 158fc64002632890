// Calls through other modules: a module re-exporting fetch/axios, an SDK client or axios instance created in one module and used in another.
import { describe, expect, it } from 'vitest';
import { parseTsText } from '../../server/src/engine/inputs/ts/file.js';
import { extractTsFacts, type TsFileFacts, type TsOutboundCall } from '../../server/src/engine/inputs/ts/facts.js';
import { relinkImportedCallees } from '../../server/src/engine/inputs/ts/imports.js';

/** The calls `src/server.ts` makes once cross-file callees are resolved. */
function serverCalls(files: Record<string, string>): TsOutboundCall[] {
  const facts = new Map<string, TsFileFacts>(Object.entries(files).map(([file, text]) => [file, extractTsFacts(parseTsText(file, text))]));
  relinkImportedCallees(facts, (file) => files[file]);
  return facts.get('src/server.ts')!.calls;
}

const brief = (call: TsOutboundCall) => {
  const total = call.timeouts.filter((t) => t.kind === 'total' || t.kind === 'idle' || t.kind === 'time-to-headers');
  const set = total.find((t) => t.source === 'set');
  return `${call.library} ${call.method ?? ''} ${set ? `${set.option}=${set.ms}` : 'no timeout set'} via ${call.evidence?.map((e) => `${e.text} @${e.span.file}`).join('; ') ?? '-'}`;
};

describe('callees imported from workspace modules', () => {
  const cases: Array<[string, Record<string, string>, string[]]> = [
    ['a module re-exporting node-fetch', {
      'src/lib/http.ts': `export { default } from 'node-fetch';\n`,
      'src/server.ts': `import fetch from './lib/http';\nexport async function h() { return fetch('http://api:8080/x', { method: 'POST' }); }\n`,
    }, ['node-fetch POST no timeout set via node-fetch re-exported by src/lib/http.ts @src/lib/http.ts']],
    ['a module exporting cross-fetch under a name, through a barrel', {
      'src/lib/fetch.ts': `import crossFetch from 'cross-fetch';\nexport const apiFetch = crossFetch;\n`,
      'src/lib/index.ts': `export * from './fetch';\n`,
      'src/server.ts': `import { apiFetch } from './lib';\nexport async function h() { return apiFetch('http://api:8080/x', { timeout: 2000 }); }\n`,
    }, ['node-fetch GET timeout=2000 via cross-fetch re-exported by src/lib/fetch.ts @src/lib/fetch.ts']],
    ['an axios instance created in another module keeps its timeout', {
      'src/lib/api.ts': `import axios from 'axios';\nexport const api = axios.create({ baseURL: 'http://billing:8080', timeout: 5000 });\n`,
      'src/server.ts': `import { api } from './lib/api';\nexport async function h() { return api.post('/charge', {}); }\n`,
    }, ['axios POST timeout=5000 via axios.create client api created in src/lib/api.ts @src/lib/api.ts']],
    ['an OpenAI client exported from llm.ts keeps its options', {
      'src/llm.ts': `import OpenAI from 'openai';\nexport const openai = new OpenAI({ timeout: 20_000, maxRetries: 1 });\n`,
      'src/server.ts': `import { openai } from './llm';\nexport async function h() { return openai.chat.completions.create({ model: 'x', messages: [] }); }\n`,
    }, ['openai chat.completions.create timeout=20000 via OpenAI client openai created in src/llm.ts @src/llm.ts']],
    ['a default-exported client', {
      'src/llm.ts': `import Anthropic from '@anthropic-ai/sdk';\nexport default new Anthropic({ timeout: 30_000 });\n`,
      'src/server.ts': `import claude from './llm';\nexport async function h() { return claude.messages.create({ model: 'x', max_tokens: 10, messages: [] }); }\n`,
    }, ['anthropic messages.create timeout=30000 via Anthropic client created in src/llm.ts @src/llm.ts']],
    ['re-exports in a loop resolve to nothing', {
      'src/a.ts': `export { f } from './b';\n`,
      'src/b.ts': `export { f } from './a';\n`,
      'src/server.ts': `import { f } from './a';\nexport async function h() { return f('http://x'); }\n`,
    }, []],
    ['an imported plain function is not a client', {
      'src/util.ts': `export function f(u: string) { return u; }\n`,
      'src/server.ts': `import { f } from './util';\nexport async function h() { return f('http://x'); }\n`,
    }, []],
  ];
  it.each(cases)('%s', (_name, files, expected) => {
    expect(serverCalls(files).map(brief)).toEqual(expected);
  });
});

describe('callees imported through barrel trees', () => {
  it('finds a client behind a diamond of `export *` barrels that loop back to the root, and gives up on a name none exports', () => {
    // index → 6 barrels → each re-exports the same 6 leaves and the index again: every path to a leaf
    // was walked once per question before, and the loop until the hop limit.
    const files: Record<string, string> = { 'src/lib/index.ts': Array.from({ length: 6 }, (_, b) => `export * from './b${b}';`).join('\n') };
    for (let b = 0; b < 6; b++) files[`src/lib/b${b}.ts`] = [...Array.from({ length: 6 }, (_, l) => `export * from './l${l}';`), "export * from './index';"].join('\n');
    for (let l = 0; l < 5; l++) files[`src/lib/l${l}.ts`] = `export const NAME_${l} = 'n${l}';\n`;
    files['src/lib/l5.ts'] = "import axios from 'axios';\nexport const billing = axios.create({ baseURL: 'http://billing:8080', timeout: 4000 });\n";
    files['src/server.ts'] = "import { billing, NOT_EXPORTED } from './lib';\nexport async function h() { NOT_EXPORTED(); return billing.post('/charge', {}); }\n";
    const calls = serverCalls(files);
    expect(calls.map(brief)).toEqual(['axios POST timeout=4000 via axios.create client billing created in src/lib/l5.ts @src/lib/l5.ts']);
  });
});
