// Parsing TypeScript/JavaScript without throwing, file selection, and the pre-scan never skipping a file the full analysis gets facts from.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from '@babel/parser';
import { describe, expect, it } from 'vitest';
import { hasFlowPragma, parseTsText, tsLanguageOf } from '../../server/src/engine/inputs/ts/file.js';
import { isTsSource, shouldParseTs } from '../../server/src/engine/inputs/ts/select.js';
import { extractTsFacts, tsFactsMatter } from '../../server/src/engine/inputs/ts/facts.js';

describe('isTsSource', () => {
  it.each([
    ['src/a.ts', true], ['src/a.tsx', true], ['a.mts', true], ['a.cts', true], ['a.js', true], ['a.jsx', true], ['a.mjs', true], ['a.cjs', true],
    ['src/types.d.ts', false], ['a.d.mts', false], ['node_modules/x/index.js', false], ['packages/a/node_modules/x.ts', false],
    ['dist/server.js', false], ['web/build/a.js', false], ['.next/server/app.js', false], ['out/a.js', false], ['src/a.json', false], ['src/a.tsbuildinfo', false],
  ])('%s → %s', (file, expected) => expect(isTsSource(file)).toBe(expected));
});

describe('parseTsText', () => {
  it('picks the language by extension', () => {
    expect(['a.ts', 'a.tsx', 'a.jsx', 'a.mjs', 'a.cts'].map(tsLanguageOf)).toEqual(['ts', 'tsx', 'jsx', 'js', 'ts']);
  });

  it('parses TS casts in .ts, JSX in .tsx and .js, and legacy decorators', () => {
    expect(parseTsText('a.ts', 'const x = <number>y;').problems).toEqual([]);
    expect(parseTsText('a.tsx', 'const x = <div>{y as number}</div>;').problems).toEqual([]);
    expect(parseTsText('a.js', 'const x = <div/>;').problems).toEqual([]);
    expect(parseTsText('a.ts', '@Controller("x") export class C { constructor(@Inject() private s: S) {} @Get() f() {} }').problems).toEqual([]);
    expect(parseTsText('a.cjs', 'const a = require("x"); module.exports = a;').problems).toEqual([]);
  });

  it('parses Flow in a .js file with the pragma, accessor fields and import attributes or assertions without errors', () => {
    expect(parseTsText('a.js', '// @flow\nfunction f(x: number): ?string { return (x: any); }').problems).toEqual([]);
    expect(parseTsText('a.ts', 'class A { accessor x = 1; @d accessor y: string; }').problems).toEqual([]);
    expect(parseTsText('a.mjs', "import a from './a.json' with { type: 'json' };\nimport b from './b.json' assert { type: 'json' };").problems).toEqual([]);
    expect(parseTsText('a.ts', 'export @dec class B {}\nexport default @dec class D {}').problems).toEqual([]);
    expect(parseTsText('a.ts', '@Injectable() export class S { constructor(@Inject(T) private t: T) {} }').problems).toEqual([]);
    // A decorated computed member (class-validator DTOs keyed by an enum), with parameter decorators in the same file.
    const dto = "@Controller('x')\nexport class Dto {\n  constructor(@Inject(T) private t: T) {}\n  @ApiProperty()\n  @IsString()\n  [Keys.NAME]: string;\n  @Get() f(@Res() res: Response) {}\n}";
    const parsed = parseTsText('a.ts', dto);
    expect(parsed.problems).toEqual([]);
    const members = ((parsed.program as unknown as { body: Array<{ declaration: { body: { body: Array<{ computed?: boolean; decorators?: unknown[]; params?: Array<{ decorators?: unknown[] }> }> } } }> }).body[0]!.declaration.body.body);
    expect(members.map((m) => [m.computed ?? false, m.decorators?.length ?? 0, (m.params ?? []).map((p) => p.decorators?.length ?? 0)])).toEqual([[false, 0, [1]], [true, 2, []], [false, 1, [1]]]);
    // Without the pragma a type annotation in .js is still an error: Flow is never guessed.
    expect(parseTsText('a.js', 'function f(x: number) {}').problems).not.toEqual([]);
  });

  it.each([
    ['// @flow\nx', true], ['/* @flow strict */\nx', true], ['#!/usr/bin/env node\n/**\n * @flow\n */\nx', true],
    ['// header\n\n// @flow\nx', true], ['x;\n// @flow', false], ["const s = '@flow';", false], ['// @flowtype\nx', false],
  ])('hasFlowPragma(%j) → %s', (text, expected) => expect(hasFlowPragma(text)).toBe(expected));

  it('reports a recoverable error and keeps the facts', () => {
    const source = "import axios from 'axios';\nconst a = 08;\naxios.get('/u', { timeout: 5 });";
    const file = parseTsText('a.ts', source);
    expect(file.problems).toMatchObject([{ kind: 'syntax', span: { start: source.indexOf('08') } }]);
    expect(extractTsFacts(file).calls).toHaveLength(1);
  });

  it('blanks an unrecoverable line, reports it, and keeps facts from the rest', () => {
    const source = "import axios from 'axios';\nconst broken = ;\naxios.get('/u', { timeout: 5 });";
    const file = parseTsText('a.ts', source);
    expect(file.problems).toHaveLength(1);
    expect(file.problems[0]).toMatchObject({ kind: 'syntax', span: { file: 'a.ts', start: source.indexOf('= ;') + 2 } });
    expect(file.program).toBeDefined();
    expect(extractTsFacts(file).calls).toHaveLength(1);
  });

  it('gives up without throwing on hopeless input', () => {
    const file = parseTsText('a.ts', '((((((((((');
    expect(file.problems.length).toBeGreaterThan(0);
    expect(extractTsFacts(file).problems.length).toBeGreaterThan(0);
  });
});

/** Every string in the TypeScript test files: the inline sources of all the fact tests. */
function testInputs(): string[] {
  const dir = path.resolve(__dirname);
  const out = new Set<string>();
  for (const name of fs.readdirSync(dir).filter((f) => /^ts-.*\.test\.ts$/.test(f))) {
    const ast = parse(fs.readFileSync(path.join(dir, name), 'utf8'), { sourceType: 'module', plugins: ['typescript'], errorRecovery: true });
    const visit = (node: unknown): void => {
      if (!node || typeof node !== 'object') return;
      if (Array.isArray(node)) return node.forEach(visit);
      const n = node as { type?: string; value?: unknown; quasis?: Array<{ value: { cooked: string } }> };
      if (n.type === 'StringLiteral' && typeof n.value === 'string' && n.value.length > 8) out.add(n.value);
      if (n.type === 'TemplateLiteral' && n.quasis) out.add(n.quasis.map((q) => q.value.cooked).join('X'));
      for (const key of Object.keys(node)) if (key !== 'loc') visit((node as Record<string, unknown>)[key]);
    };
    visit(ast.program);
  }
  return [...out];
}

describe('pre-scan', () => {
  const inputs = testInputs();
  const files = ['src/a.ts', 'app/api/chat/route.ts', 'pages/api/x.js', 'src/a.tsx'];

  it('finds the test inputs', () => expect(inputs.length).toBeGreaterThan(100));

  it('never skips a file the full analysis gets facts from (all test inputs)', () => {
    const missed: string[] = [];
    for (const text of inputs) {
      for (const file of files) {
        if (shouldParseTs(file, text)) continue;
        if (tsFactsMatter(extractTsFacts(parseTsText(file, text)))) missed.push(`${file}: ${text}`);
      }
    }
    expect(missed).toEqual([]);
  });

  it('skips ordinary code', () => {
    expect(shouldParseTs('src/util.ts', 'export function add(a: number, b: number) { return a + b; }\nexport const sum = (xs: number[]) => xs.reduce(add, 0);')).toBe(false);
    expect(shouldParseTs('src/Button.tsx', 'export default function Button() { return <button>ok</button>; }')).toBe(false);
  });

  it('keeps exported values, env reads, route files and library imports', () => {
    expect(shouldParseTs('src/c.ts', 'export const LIMIT = 5;')).toBe(true);
    expect(shouldParseTs('src/c.ts', 'const a = 5; export { a };')).toBe(true);
    expect(shouldParseTs('src/c.ts', 'const a = process.env.X;')).toBe(true);
    expect(shouldParseTs('app/api/x/route.ts', 'export function GET() {}')).toBe(true);
    expect(shouldParseTs('src/c.ts', "import ky from 'ky';")).toBe(true);
  });
});
