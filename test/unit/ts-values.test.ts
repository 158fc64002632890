// Static values and cross-file resolution: literals, arithmetic, consts, env reads with defaults, ms() helpers, spreads, imports through re-exports.
import { describe, expect, it } from 'vitest';
import { parseTsText } from '../../server/src/engine/inputs/ts/file.js';
import { extractTsFacts, type TsFileFacts, type TsValue } from '../../server/src/engine/inputs/ts/facts.js';
import { resolveImportedFunction, resolveImportedValue, resolveModulePath } from '../../server/src/engine/inputs/ts/resolve.js';
import { parseMsPackage } from '../../server/src/engine/inputs/ts/values.js';
import { nodeVersionHint } from '../../server/src/engine/inputs/ts/node-version.js';

function constant(source: string, name = 'X'): TsValue | undefined {
  return extractTsFacts(parseTsText('src/c.ts', source)).constants.find((c) => c.name === name)?.value;
}

describe('constant values', () => {
  const cases: Array<[string, Partial<TsValue> | undefined]> = [
    ['const X = 1_000_000;', { kind: 'number', value: 1_000_000, text: '1_000_000' }],
    ['const A = 60; const X = A * 5 * 1000 - 1;', { kind: 'number', value: 299_999 }],
    ['const X = `plain`;', { kind: 'string', value: 'plain' }],
    ['const X = "a" + 1;', { kind: 'string', value: 'a1' }],
    ['const X = process.env.T;', { kind: 'env', name: 'T', numeric: false }],
    ['const X = Number(process.env.T ?? 5000);', { kind: 'env', name: 'T', numeric: true, default: { kind: 'number', value: 5000 } as TsValue }],
    ["const X = parseInt(process.env.T || '30', 10);", { kind: 'env', name: 'T', numeric: true, default: { kind: 'string', value: '30' } as TsValue }],
    ['const X = +process.env.T! || 10;', { kind: 'env', name: 'T', numeric: true }],
    ['const X = Number(process.env.T_S ?? 30) * 1000;', { kind: 'env', name: 'T_S', numeric: true, multiplier: 1000 }],
    ["import ms from 'ms';\nconst X = ms('30s');", { kind: 'number', value: 30_000, text: '30s' }],
    ["import ms from 'ms';\nconst X = ms('2 hours');", { kind: 'number', value: 7_200_000 }],
    ['const X = ms("30s");', { kind: 'unknown' }],
    ["import { T } from './config';\nconst X = T;", { kind: 'import', module: './config', name: 'T' }],
    ["import * as cfg from './config';\nconst X = cfg.timeouts.llm;", { kind: 'import', module: './config', name: 'timeouts', path: ['llm'] }],
    ['const O = { a: { b: 7 } };\nconst X = O.a.b;', { kind: 'number', value: 7 }],
    ['const X = Math.min(1000, 2000);', { kind: 'number', value: 1000 }],
    ['let Y = 5; const X = Y;', { kind: 'unknown' }],
    ['function f(y) { const X = y; }\nconst X = Date.now();', undefined],
    ['const X = cond ? 1 : 2;', undefined],
  ];
  it.each(cases)('%s', (source, expected) => {
    const value = constant(source);
    if (expected === undefined) expect(value).toBeUndefined();
    else if (expected.kind === 'unknown') expect(value === undefined || value.kind === 'unknown').toBe(true);
    else expect(value).toMatchObject(expected);
  });

  it('parses the ms package grammar', () => {
    expect([parseMsPackage('100'), parseMsPackage('1.5h'), parseMsPackage('1m'), parseMsPackage('5 sec'), parseMsPackage('1y'), parseMsPackage('1x')]).toEqual([100, 5_400_000, 60_000, 5000, 31_557_600_000, undefined]);
  });

  it('records every env read with its span', () => {
    const source = 'const a = process.env.A;\nfunction f() { return import.meta.env.B; }';
    const facts = extractTsFacts(parseTsText('src/c.ts', source));
    expect(facts.envReads.map((r) => [r.name, source.slice(r.span.start, r.span.end)])).toEqual([['A', 'process.env.A'], ['B', 'import.meta.env.B']]);
  });

  it('an unused TIMEOUT constant produces no call fact', () => {
    const facts = extractTsFacts(parseTsText('src/c.ts', 'export const TIMEOUT = 30_000;\nexport function f() { return 1; }'));
    expect(facts.calls).toEqual([]);
    expect(facts.exports).toMatchObject([{ name: 'TIMEOUT', value: { kind: 'number', value: 30000 } }, { name: 'f', functionId: 0 }]);
  });
});

describe('cross-file resolution', () => {
  function workspace(files: Record<string, string>): Map<string, TsFileFacts> {
    return new Map(Object.entries(files).map(([file, text]) => [file, extractTsFacts(parseTsText(file, text))]));
  }

  it('resolves relative specifiers with extensions, index files and .js → .ts', () => {
    const exists = (f: string) => ['src/config.ts', 'src/lib/index.tsx', 'src/esm.ts'].includes(f);
    expect(resolveModulePath('src/app/main.ts', '../config', exists)).toBe('src/config.ts');
    expect(resolveModulePath('src/main.ts', './lib', exists)).toBe('src/lib/index.tsx');
    expect(resolveModulePath('src/main.ts', './esm.js', exists)).toBe('src/esm.ts');
    expect(resolveModulePath('src/main.ts', 'openai', exists)).toBeUndefined();
    expect(resolveModulePath('main.ts', '../outside', exists)).toBeUndefined();
  });

  it('resolves an axios timeout imported from a config file, through a barrel re-export', () => {
    const facts = workspace({
      'src/config/timeouts.ts': 'export const LLM_TIMEOUT_MS = Number(process.env.LLM_TIMEOUT_MS ?? 90_000);\nexport const HTTP = { timeoutMs: 2 * 1000 };',
      'src/config/index.ts': "export * from './timeouts';",
      'src/client.ts': "import axios from 'axios';\nimport { HTTP, LLM_TIMEOUT_MS } from './config';\nexport const api = axios.create({ timeout: HTTP.timeoutMs });\nexport const llm = axios.create({ timeout: LLM_TIMEOUT_MS });",
    });
    const clients = facts.get('src/client.ts')!.clients;
    const first = clients[0]!.timeouts[0]!.value!;
    const second = clients[1]!.timeouts[0]!.value!;
    expect(first).toMatchObject({ kind: 'import', module: './config', name: 'HTTP', path: ['timeoutMs'] });
    expect(resolveImportedValue(facts, 'src/client.ts', first as never)).toMatchObject({ kind: 'number', value: 2000, span: { file: 'src/config/timeouts.ts' } });
    expect(resolveImportedValue(facts, 'src/client.ts', second as never)).toMatchObject({ kind: 'env', name: 'LLM_TIMEOUT_MS', default: { value: 90000 } });
    expect(resolveImportedValue(facts, 'src/client.ts', { module: './config', name: 'MISSING' })).toMatchObject({ kind: 'unknown' });
  });

  it('looks in each module of a barrel tree once per question: a diamond of `export *` barrels, a name found deep in it, a name none exports, and a loop', () => {
    // index → 6 barrels → each re-exports the same 6 leaves (36 paths to each leaf) plus a loop back to index.
    const files: Record<string, string> = { 'src/index.ts': Array.from({ length: 6 }, (_, b) => `export * from './b${b}';`).join('\n') };
    for (let b = 0; b < 6; b++) files[`src/b${b}.ts`] = [...Array.from({ length: 6 }, (_, l) => `export * from './l${l}';`), "export * from './index';"].join('\n');
    for (let l = 0; l < 6; l++) files[`src/l${l}.ts`] = `export const VALUE_${l} = ${l + 1}_000;`;
    files['src/client.ts'] = "import { VALUE_5 } from './index';\nexport const t = VALUE_5;";
    const facts = workspace(files);
    let looks = 0;
    const exists = (f: string) => {
      looks++;
      return facts.has(f);
    };
    expect(resolveImportedValue(facts, 'src/client.ts', { module: './index', name: 'VALUE_5' }, { exists })).toMatchObject({ kind: 'number', value: 6000, span: { file: 'src/l5.ts' } });
    looks = 0;
    expect(resolveImportedValue(facts, 'src/client.ts', { module: './index', name: 'MISSING' }, { exists })).toMatchObject({ kind: 'unknown' });
    // 13 modules, each reached once by this question; every path through the diamond would be hundreds.
    expect(looks).toBeLessThan(13 * 8 * 4);
  });

  it('resolves an imported function a route handler calls, with a lookup function', () => {
    const facts = workspace({
      'src/llm.ts': "import OpenAI from 'openai';\nconst openai = new OpenAI();\nexport async function ask(q: string) { return openai.chat.completions.create({ model: 'm', messages: [q] }); }",
      'src/routes.ts': "import express from 'express';\nimport { ask } from './llm.js';\nconst app = express();\napp.post('/ask', async (req, res) => res.json(await ask(req.body)));",
    });
    const route = facts.get('src/routes.ts')!.routes[0]!;
    expect(route.importedCalls).toEqual([{ module: './llm.js', name: 'ask' }]);
    const target = resolveImportedFunction((f) => facts.get(f), 'src/routes.ts', route.importedCalls[0]!);
    expect(target?.file).toBe('src/llm.ts');
    expect(target!.fn.callIndices.map((i) => target!.facts.calls[i]!.library)).toEqual(['openai']);
  });
});

describe('node version hints', () => {
  it.each([
    [{ nvmrc: 'v20.11.1\n' }, { major: 20, source: 'nvmrc' }],
    [{ packageJson: '{"engines":{"node":">=18"}}' }, { minMajor: 18, source: 'engines' }],
    [{ packageJson: '{"engines":{"node":"22.x"}}' }, { major: 22, minMajor: 22 }],
    [{ packageJson: '{"engines":{"node":">=20 <21"}}' }, { major: 20, minMajor: 20 }],
    [{ packageJson: '{"engines":{"node":">=20.9.0 <21.0.0"}}' }, { major: 20, minMajor: 20 }],
    [{ packageJson: '{"volta":{"node":"26.0.0"},"engines":{"node":">=18"}}' }, { major: 26, source: 'volta' }],
    [{ toolVersions: 'python 3.12\nnodejs 24.1.0\n' }, { major: 24, source: 'tool-versions' }],
    [{ nvmrc: 'lts/*', packageJson: 'not json' }, undefined],
  ])('%j', (inputs, expected) => {
    const hint = nodeVersionHint(inputs);
    if (expected === undefined) expect(hint).toBeUndefined();
    else expect(hint).toMatchObject(expected);
  });
});
