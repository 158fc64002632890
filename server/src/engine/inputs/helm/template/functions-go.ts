// The functions Go's text/template defines itself: and, or, not, comparisons, len, index, slice, print, printf, println.
import { strval } from './convert.js';
import type { Ev, FunctionDef } from './render-types.js';
import { sprint, sprintf, sprintln } from './format.js';
import { EvalError, GoStruct, goTypeName, isTruthy, Unresolved, valuesPathOf, type Value } from './values.js';

type BasicKind = 'bool' | 'int' | 'float' | 'string' | 'nil' | 'other';

function basicKind(value: Value): BasicKind {
  if (value === null) return 'nil';
  switch (typeof value) {
    case 'boolean':
      return 'bool';
    case 'bigint':
      return 'int';
    case 'number':
      return 'float';
    case 'string':
      return 'string';
    default:
      return 'other';
  }
}

/** Go's eq: true when the first argument equals any of the others; mixed kinds (int and float64) are an error. */
function eq(a: Value, others: Value[]): boolean {
  const ka = basicKind(a);
  for (const b of others) {
    const kb = basicKind(b);
    if (ka !== kb) {
      if (ka !== 'nil' && kb !== 'nil') throw new EvalError(`error calling eq: incompatible types for comparison: ${goTypeName(a)} and ${goTypeName(b)}`);
      continue;
    }
    if (ka === 'other') {
      if (Array.isArray(a) || a instanceof Map || Array.isArray(b) || b instanceof Map) throw new EvalError(`error calling eq: non-comparable type ${goTypeName(a)}`);
      if (a === b) return true;
      continue;
    }
    if (a === b || (ka === 'nil' && kb === 'nil')) return true;
  }
  return false;
}

/** Go's lt: only basic kinds of the same kind compare. */
function lt(a: Value, b: Value, name: string): boolean {
  const ka = basicKind(a);
  const kb = basicKind(b);
  if (ka === 'nil' || kb === 'nil' || ka === 'other' || kb === 'other' || ka === 'bool' || kb === 'bool') throw new EvalError(`error calling ${name}: invalid type for comparison`);
  if (ka !== kb) throw new EvalError(`error calling ${name}: incompatible types for comparison`);
  return (a as string | number | bigint) < (b as string | number | bigint);
}

const bool = (v: boolean) => v;

function utf8Length(text: string): number {
  let bytes = 0;
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
  }
  return bytes;
}

function index(base: Ev, keys: Value[]): Ev {
  let current = base;
  for (const key of keys) {
    const value = current.v;
    const path = current.path ?? valuesPathOf(value);
    if (value === null) throw new EvalError('error calling index: index of untyped nil');
    if (Array.isArray(value) || typeof value === 'string') {
      if (typeof key !== 'bigint') throw new EvalError(`error calling index: cannot index slice/array with type ${goTypeName(key)}`);
      const length = typeof value === 'string' ? value.length : value.length;
      if (key < 0n || key >= BigInt(length)) throw new EvalError(`error calling index: index out of range: ${key}`);
      const i = Number(key);
      current = typeof value === 'string' ? { v: BigInt(value.charCodeAt(i)) } : { v: value[i]!, path: path ? [...path, i] : undefined };
    } else if (value instanceof Map) {
      if (typeof key !== 'string') throw new EvalError(`error calling index: value has type ${goTypeName(key)}; should be string`);
      current = { v: value.get(key) ?? null, path: path ? [...path, key] : undefined };
    } else {
      throw new EvalError(`error calling index: can't index item of type ${goTypeName(value)}`);
    }
  }
  return current;
}

export const goFunctions: [string, FunctionDef][] = [
  [
    'and',
    {
      params: ['any'],
      variadic: 'any',
      lazy: (args) => {
        let last: Ev = { v: null };
        for (const arg of args) {
          last = arg();
          if (last.v instanceof Unresolved) return last;
          if (!isTruthy(last.v)) return last;
        }
        return last;
      },
    },
  ],
  [
    'or',
    {
      params: ['any'],
      variadic: 'any',
      lazy: (args) => {
        let last: Ev = { v: null };
        for (const arg of args) {
          last = arg();
          if (last.v instanceof Unresolved) return last;
          if (isTruthy(last.v)) return last;
        }
        return last;
      },
    },
  ],
  ['not', { params: ['any'], call: ([a]) => !isTruthy(a!.v) }],
  ['eq', { params: ['any'], variadic: 'any', call: ([a, ...rest]) => bool(eq(a!.v, rest.map((r) => r.v))) }],
  [
    'ne',
    {
      params: ['any', 'any'],
      call: ([a, b]) => !eq(a!.v, [b!.v]),
    },
  ],
  ['lt', { params: ['any', 'any'], call: ([a, b]) => lt(a!.v, b!.v, 'lt') }],
  ['le', { params: ['any', 'any'], call: ([a, b]) => lt(a!.v, b!.v, 'le') || eq(a!.v, [b!.v]) }],
  ['gt', { params: ['any', 'any'], call: ([a, b]) => !(lt(a!.v, b!.v, 'gt') || eq(a!.v, [b!.v])) }],
  ['ge', { params: ['any', 'any'], call: ([a, b]) => !lt(a!.v, b!.v, 'ge') }],
  [
    'len',
    {
      params: ['any'],
      call: ([a]) => {
        const value = a!.v;
        if (typeof value === 'string') return BigInt(utf8Length(value));
        if (Array.isArray(value)) return BigInt(value.length);
        if (value instanceof Map) return BigInt(value.size);
        if (value === null) throw new EvalError('error calling len: len of nil pointer');
        throw new EvalError(`error calling len: len of type ${goTypeName(value)}`);
      },
    },
  ],
  ['index', { params: ['any'], variadic: 'any', call: ([base, ...keys]) => index(base!, keys.map((k) => k.v)) }],
  [
    'slice',
    {
      params: ['any'],
      variadic: 'int',
      call: ([base, ...bounds]) => {
        const value = base!.v;
        if (!Array.isArray(value) && typeof value !== 'string') throw new EvalError(`error calling slice: can't slice item of type ${goTypeName(value)}`);
        const numbers = bounds.map((b) => Number(b.v as bigint));
        if (numbers.length > 3) throw new EvalError('error calling slice: too many slice indexes');
        const from = numbers[0] ?? 0;
        const to = numbers[1] ?? value.length;
        if (from < 0 || to < from || to > value.length) throw new EvalError(`error calling slice: index out of range: ${to}`);
        return value.slice(from, to);
      },
    },
  ],
  ['print', { params: [], variadic: 'any', deep: true, call: (args) => sprint(args.map((a) => a.v)) }],
  ['println', { params: [], variadic: 'any', deep: true, call: (args) => sprintln(args.map((a) => a.v)) }],
  ['printf', { params: ['string'], variadic: 'any', deep: true, call: ([format, ...args]) => sprintf(format!.v as string, args.map((a) => a.v)) }],
  ['html', { params: [], variadic: 'any', deep: true, call: (args) => sprint(args.map((a) => a.v)).replace(/[&'<>"\0]/g, (c) => ({ '&': '&amp;', "'": '&#39;', '<': '&lt;', '>': '&gt;', '"': '&#34;', '\0': '\uFFFD' })[c]!) }],
  ['urlquery', { params: [], variadic: 'any', deep: true, call: (args) => encodeURIComponent(sprint(args.map((a) => a.v))).replace(/%20/g, '+').replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`) }],
];

/** A struct's printed form for messages. */
export function describe(value: Value): string {
  return value instanceof GoStruct ? value.typeName : strval(value);
}
