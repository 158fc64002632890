// TypeScript evaluation forms a linker must read through: assertions, satisfies, enums, freeze, spreads, templates, duration helpers.
import { describe, expect, it } from 'vitest';
import { parseTsText } from '../../server/src/engine/inputs/ts/file.js';
import { extractTsFacts, type TsValue } from '../../server/src/engine/inputs/ts/facts.js';
import { parseDurationPackage } from '../../server/src/engine/inputs/ts/values.js';

function constant(source: string, name = 'X'): TsValue | undefined {
  return extractTsFacts(parseTsText('src/c.ts', source)).constants.find((c) => c.name === name)?.value;
}

describe('TypeScript wrappers and forms are transparent', () => {
  const cases: Array<[string, Partial<TsValue> | 'unknown']> = [
    ['const X = 30_000 as number;', { kind: 'number', value: 30_000, text: '30_000' }],
    ['const X = <number>5000;', { kind: 'number', value: 5000 }],
    ['const X = (60 * 1000)!;', { kind: 'number', value: 60_000 }],
    ['const X = ({ timeout: 10 }) satisfies { timeout: number };', { kind: 'object' }],
    ["const X = { port: 3000 } as const;", { kind: 'object', properties: [expect.objectContaining({ name: 'port', value: expect.objectContaining({ value: 3000 }) })] as never }],
    ['const T = { t: 5 } as const; const X = (T as any).t;', { kind: 'number', value: 5 }],
    ['const enum Timeouts { Short = 1_000, Long = 60 * 1_000 }\nconst X = Timeouts.Long;', { kind: 'number', value: 60_000 }],
    ['enum Port { Http = 8080, Next }\nconst X = Port.Next;', { kind: 'number', value: 8081 }],
    ["enum E { A = 'a' }\nenum E { B = 1 }\nconst X = E.B;", 'unknown'],
    ['const X = Object.freeze({ timeout: 9000 }).timeout;', { kind: 'number', value: 9000 }],
    ['const BASE = { timeout: 1 }; const X = { ...BASE, retries: 2 }.timeout;', { kind: 'number', value: 1 }],
    ['const HOST = "api"; const PORT = 8080; const X = `http://${HOST}:${PORT}/v1`;', { kind: 'string', value: 'http://api:8080/v1' }],
    ['const X = `http://${process.env.HOST}/v1`;', { kind: 'template' }],
    ['const M = 60; const X = (M * 2 + 30) * 1000;', { kind: 'number', value: 150_000 }],
    ["import parse from 'parse-duration';\nconst X = parse('1m 30s');", { kind: 'number', value: 90_000, text: '1m 30s' }],
    ["import parse from 'parse-duration';\nconst X = parse('2h', 's');", { kind: 'number', value: 7200 }],
    ["import parse from 'parse-duration';\nconst X = parse('1 month');", 'unknown'],
    ["import ms from 'ms';\nconst X = ms('30s' as const);", { kind: 'number', value: 30_000 }],
    ['const seconds = (n: number) => n * 1000;\nconst X = seconds(30);', { kind: 'number', value: 30_000 }],
    ["function minutes(n: number, unit = 60_000) {\n  const total = n * unit;\n  return total;\n}\nconst X = minutes(2);", { kind: 'number', value: 120_000 }],
    ['const f = (n: number): number => (n > 0 ? f(n - 1) : 0);\nconst X = f(3);', 'unknown'],
    ["function pick(flag: boolean) {\n  if (flag) return 1;\n  return 2;\n}\nconst X = pick(true);", 'unknown'],
  ];
  it.each(cases)('%s', (source, expected) => {
    const value = constant(source);
    if (expected === 'unknown') expect(value === undefined || value.kind === 'unknown').toBe(true);
    else expect(value).toMatchObject(expected);
  });

  it('reads parse-duration sums and formats, and refuses what it does not know', () => {
    expect(parseDurationPackage('1h 20m', 'ms')).toBe(4_800_000);
    expect(parseDurationPackage('1500', 'ms')).toBe(1500);
    expect(parseDurationPackage('3s', 's')).toBe(3);
    expect(parseDurationPackage('3 fortnights', 'ms')).toBeUndefined();
    expect(parseDurationPackage('3s', 'parsecs')).toBeUndefined();
  });
});
