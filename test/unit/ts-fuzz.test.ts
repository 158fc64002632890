// Fuzzing the TypeScript reader: random and mutated sources never throw, and every span stays inside the text.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseTsText } from '../../server/src/engine/inputs/ts/file.js';
import { extractTsFacts } from '../../server/src/engine/inputs/ts/facts.js';
import { shouldParseTs } from '../../server/src/engine/inputs/ts/select.js';

const SEEDS = [
  "import axios from 'axios';\nconst api = axios.create({ baseURL: process.env.API, timeout: Number(process.env.T ?? 5_000) });\napi.defaults.timeout = 10;\nexport async function f() { return api.post('/x', {}, { timeout: '30s' }); }",
  "import OpenAI from 'openai';\nconst openai = new OpenAI({ timeout: 600_000, maxRetries: 2 });\nexport class S { c = openai; ask() { return this.c.chat.completions.create({ stream: true, max_tokens: 10 }); } }",
  "import express from 'express';\nconst app = express();\nconst r = express.Router();\nr.get('/a', async (req, res) => { const c = new AbortController(); setTimeout(() => c.abort(), 5000); await fetch(`${process.env.U}/x`, { signal: c.signal }); });\napp.use('/p', r);\nconst server = app.listen(3000);\nserver.keepAliveTimeout = 65_000;",
  "import Fastify from 'fastify';\nimport got from 'got';\nconst app = Fastify({ requestTimeout: 0 });\napp.route({ method: 'GET', url: '/x', handler: async () => got.extend({ timeout: { request: 1 } }).get('y') });",
  "@Controller('c') export class C { constructor(private readonly s: S) {} @Get('x') f() { return this.s.g(); } }\nexport const maxDuration = 60 * 5;\nmodule.exports = { a: 1 };",
];

const TOKENS = ['import', 'export', 'const', 'let', 'function', 'class', 'new', 'await', 'async', '=>', '(', ')', '{', '}', '[', ']', ',', ';', ':', '.', '...', '=', '??', '||', '+', '*',
  'axios', 'fetch', 'got', 'OpenAI', 'process.env.X', 'timeout', 'signal', 'AbortSignal.timeout', 'setTimeout', 'app', 'listen', 'get', "'/x'", '1_000', '`a${b}`', 'from', "'axios'", "'openai'", 'x', 'this', '@Get', '<div>', '</div>', '\n', ' '];

function spansIn(value: unknown, out: Array<{ start: number; end: number }> = []): Array<{ start: number; end: number }> {
  if (!value || typeof value !== 'object') return out;
  if (Array.isArray(value)) {
    for (const item of value) spansIn(item, out);
    return out;
  }
  const record = value as Record<string, unknown>;
  if (typeof record.file === 'string' && typeof record.start === 'number' && typeof record.end === 'number') out.push(record as { start: number; end: number });
  for (const key of Object.keys(record)) spansIn(record[key], out);
  return out;
}

function check(text: string, file: string): void {
  const parsed = parseTsText(file, text);
  const facts = extractTsFacts(parsed);
  shouldParseTs(file, text);
  // extractTsFacts turns an internal exception into a `not-analysed` problem; the fuzz wants none.
  expect(facts.problems.filter((p) => p.kind === 'not-analysed')).toEqual([]);
  for (const span of spansIn(facts)) {
    expect(span.start).toBeGreaterThanOrEqual(0);
    expect(span.end).toBeGreaterThanOrEqual(span.start);
    expect(span.end).toBeLessThanOrEqual(text.length);
  }
}

const file = fc.constantFrom('src/a.ts', 'src/a.tsx', 'src/a.js', 'app/api/x/route.ts', 'src/a.cjs');

describe('TypeScript reader fuzz', () => {
  it('never throws on random token soup', () => {
    fc.assert(fc.property(fc.array(fc.constantFrom(...TOKENS), { maxLength: 80 }), file, (tokens, name) => check(tokens.join(' '), name)), { numRuns: 1000 });
  });

  it('never throws on random text', () => {
    fc.assert(fc.property(fc.string({ maxLength: 200 }), file, (text, name) => check(text, name)), { numRuns: 200 });
  });

  it('never throws on mutated real sources', () => {
    const mutation = fc.tuple(fc.nat(), fc.nat({ max: 20 }), fc.constantFrom('', '(', '}', '{', ';', '`', "'", '/*', '0', ' as any', '...x'));
    fc.assert(
      fc.property(fc.constantFrom(...SEEDS), fc.array(mutation, { minLength: 1, maxLength: 6 }), file, (seed, mutations, name) => {
        let text = seed;
        for (const [at, length, insert] of mutations) {
          const start = at % (text.length + 1);
          text = text.slice(0, start) + insert + text.slice(start + length);
        }
        check(text, name);
      }),
      { numRuns: 1000 },
    );
  });

  it('reads a binding made from itself (found by this fuzz: `const r = r()` overflowed the stack)', () => {
    check("import express from 'express';\nconst r = r();\nr.get('/a', async (req, res) => { await fetch('x'); });\n", 'src/a.ts');
    check("const a = b();\nconst b = a();\na.get('/x', () => b.post('/y'));\n", 'src/a.ts');
  });

  it('keeps spans inside the text for the seeds themselves', () => {
    for (const seed of SEEDS) check(seed, 'src/a.ts');
  });
});
