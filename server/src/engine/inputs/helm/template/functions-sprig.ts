// The Sprig string, default, type, semver and math functions charts use most, with Sprig's own semantics (and its quirks).
import { RE2JS } from 're2js';
import { deepCopy, isEmpty, strslice, strval, toFloat64, toInt64 } from './convert.js';
import { checkedCount, fn, int, str, text } from './define.js';
import { base64Decode, base64Encode, sha256Hex } from './digest.js';
import { goQuote } from './format.js';
import type { Ev, FunctionDef } from './render-types.js';
import { parseConstraint, parseSemVer, satisfies } from './semver.js';
import { EvalError, goKindName, goTypeName, Unresolved, type Value } from './values.js';

function indent(spaces: bigint, body: string, name: string, maxChars: number): string {
  if (spaces < 0n) throw new EvalError(`error calling ${name}: negative Repeat count`);
  const lines = body.split('\n').length;
  // Checked before building: a wide indent of many lines could exhaust memory before any bound is seen.
  if (spaces * BigInt(lines) + BigInt(body.length) > BigInt(maxChars)) throw new EvalError(`error calling ${name}: the result would exceed ${maxChars} characters`);
  const pad = ' '.repeat(Number(spaces));
  return pad + body.replace(/\n/g, `\n${pad}`);
}

/** Go's strings.Title: a letter after a separator is upper-cased (ASCII other than letters, digits and _ separates; beyond ASCII, only spaces do). */
function title(value: string): string {
  const isSeparator = (ch: string) => {
    if (ch.charCodeAt(0) <= 0x7f) return !/[0-9A-Za-z_]/.test(ch);
    return !/[\p{L}\p{Nd}]/u.test(ch) && /\s/u.test(ch);
  };
  let previous = ' ';
  let out = '';
  for (const ch of value) {
    out += isSeparator(previous) ? ch.toUpperCase() : ch;
    previous = ch;
  }
  return out;
}

/** Sprig's trunc: the first n bytes (n ≥ 0) or the last -n (n < 0). */
function trunc(n: bigint, value: string): string {
  const count = Number(n);
  if (count < 0) return value.length + count < 0 ? value : value.slice(value.length + count);
  return value.length > count ? value.slice(0, count) : value;
}

function regex(pattern: string, name: string): RE2JS {
  try {
    return RE2JS.compile(pattern);
  } catch (error) {
    throw new EvalError(`error calling ${name}: error parsing regexp: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function compareInts(args: Ev[], pick: (a: bigint, b: bigint) => boolean): bigint {
  return args.map((arg) => toInt64(arg.v)).reduce((best, next) => (pick(next, best) ? next : best));
}

export const sprigFunctions: [string, FunctionDef][] = [
  // ---- strings ----
  ['upper', text(['string'], ([s]) => str(s).toUpperCase())],
  ['lower', text(['string'], ([s]) => str(s).toLowerCase())],
  ['title', text(['string'], ([s]) => title(str(s)))],
  ['untitle', text(['string'], ([s]) => str(s).replace(/(^|[^\p{L}\p{Nd}_'])(\p{L})/gu, (_, a: string, b: string) => a + b.toLowerCase()))],
  ['trim', text(['string'], ([s]) => str(s).trim())],
  ['trimAll', text(['string', 'string'], ([cut, s]) => trimCutset(str(s), str(cut)))],
  ['trimPrefix', text(['string', 'string'], ([p, s]) => (str(s).startsWith(str(p)) ? str(s).slice(str(p).length) : str(s)))],
  ['trimSuffix', text(['string', 'string'], ([p, s]) => (str(p) !== '' && str(s).endsWith(str(p)) ? str(s).slice(0, str(s).length - str(p).length) : str(s)))],
  ['trunc', text(['int', 'string'], ([n, s]) => trunc(int(n), str(s)))],
  ['abbrev', text(['int', 'string'], ([n, s]) => (Number(int(n)) < 4 || str(s).length <= Number(int(n)) ? str(s) : `${str(s).slice(0, Number(int(n)) - 3)}...`))],
  ['replace', text(['string', 'string', 'string'], ([a, b, s]) => (str(a) === '' ? [...str(s)].map((c) => str(b) + c).join('') + str(b) : str(s).split(str(a)).join(str(b))))],
  ['nospace', text(['string'], ([s]) => str(s).replace(/\s/g, ''))],
  [
    'repeat',
    fn(['int', 'string'], ([n, s], ctx) => {
      if (int(n) < 0n) throw new EvalError('error calling repeat: negative Repeat count');
      const count = Math.min(checkedCount(int(n), 'repeat'), Math.floor(ctx.exec.limits.maxOutputChars / Math.max(1, str(s).length)) + 1);
      return ctx.exec.checkString(str(s).repeat(count));
    }),
  ],
  ['substr', fn(['int', 'int', 'string'], ([a, b, s]) => substr(Number(int(a)), Number(int(b)), str(s)))],
  ['contains', fn(['string', 'string'], ([sub, s]) => str(s).includes(str(sub)))],
  ['hasPrefix', fn(['string', 'string'], ([p, s]) => str(s).startsWith(str(p)))],
  ['hasSuffix', fn(['string', 'string'], ([p, s]) => str(s).endsWith(str(p)))],
  ['quote', fn([], (args) => args.filter((a) => a.v !== null).map((a) => goQuote(strval(a.v))).join(' '), { variadic: 'any', pathFrom: 'last', deep: true })],
  ['squote', fn([], (args) => args.filter((a) => a.v !== null).map((a) => `'${strval(a.v)}'`).join(' '), { variadic: 'any', pathFrom: 'last', deep: true })],
  ['cat', fn([], (args) => args.filter((a) => a.v !== null).map((a) => strval(a.v)).join(' '), { variadic: 'any', deep: true })],
  ['indent', text(['int', 'string'], ([n, s], ctx) => indent(int(n), str(s), 'indent', ctx.exec.limits.maxOutputChars))],
  ['nindent', text(['int', 'string'], ([n, s], ctx) => `\n${indent(int(n), str(s), 'nindent', ctx.exec.limits.maxOutputChars)}`)],
  ['split', fn(['string', 'string'], ([sep, s]) => new Map(goSplit(str(s), str(sep)).map((part, i) => [`_${i}`, part] as [string, Value])))],
  ['splitList', fn(['string', 'string'], ([sep, s]) => goSplit(str(s), str(sep)))],
  ['join', fn(['string', 'any'], ([sep, list]) => strslice(list!.v).join(str(sep)), { deep: true })],
  ['toString', fn(['any'], ([v]) => strval(v!.v), { pathFrom: 'last', deep: true })],
  ['toStrings', fn(['any'], ([v]) => strslice(v!.v), { deep: true })],
  ['b64enc', fn(['string'], ([s]) => base64Encode(str(s)), { pathFrom: 'last' })],
  ['b64dec', fn(['string'], ([s]) => base64Decode(str(s)) ?? 'illegal base64 data at input byte 0')],
  ['sha256sum', fn(['string'], ([s]) => sha256Hex(str(s)))],
  ['regexMatch', fn(['string', 'string'], ([p, s]) => regex(str(p), 'regexMatch').test(str(s)))],
  ['regexFind', fn(['string', 'string'], ([p, s]) => (regex(str(p), 'regexFind').exec(str(s))?.[0] as string | undefined) ?? '')],
  ['regexReplaceAll', fn(['string', 'string', 'string'], ([p, s, r]) => regex(str(p), 'regexReplaceAll').matcher(str(s)).replaceAll((...m: unknown[]) => expandGo(str(r), m)))],
  ['regexReplaceAllLiteral', fn(['string', 'string', 'string'], ([p, s, r]) => regex(str(p), 'regexReplaceAllLiteral').matcher(str(s)).replaceAll(RE2JS.quoteReplacement(str(r))))],
  // ---- defaults and flow ----
  [
    'default',
    fn(
      ['any'],
      ([d, given]) => {
        if (given === undefined) return d!;
        if (given.v instanceof Unresolved) return given;
        if (!isEmpty(given.v)) return given;
        return d!;
      },
      { variadic: 'any', acceptsUnresolved: true },
    ),
  ],
  ['empty', fn(['any'], ([v]) => isEmpty(v!.v))],
  [
    'coalesce',
    fn(
      [],
      (args) => {
        for (const arg of args) {
          if (arg.v instanceof Unresolved) return arg;
          if (!isEmpty(arg.v)) return arg;
        }
        return null;
      },
      { variadic: 'any', acceptsUnresolved: true },
    ),
  ],
  [
    'ternary',
    fn(
      ['any', 'any', 'any'],
      ([a, b, cond]) => {
        if (cond!.v instanceof Unresolved) return cond!;
        if (typeof cond!.v !== 'boolean') throw new EvalError(`error calling ternary: wrong type for value; expected bool; got ${goTypeName(cond!.v)}`);
        return cond!.v ? a! : b!;
      },
      { acceptsUnresolved: true },
    ),
  ],
  ['deepCopy', fn(['any'], ([v]) => deepCopy(v!.v), { acceptsUnresolved: true })],
  ['typeOf', fn(['any'], ([v]) => goTypeName(v!.v))],
  ['deepEqual', fn(['any', 'any'], ([a, b]) => deepEqual(a!.v, b!.v, 0), { deep: true })],
  ['typeIs', fn(['string', 'any'], ([t, v]) => goTypeName(v!.v) === str(t))],
  ['kindOf', fn(['any'], ([v]) => goKindName(v!.v))],
  ['kindIs', fn(['string', 'any'], ([k, v]) => goKindName(v!.v) === str(k))],
  [
    'semverCompare',
    fn(['string', 'string'], ([c, v]) => {
      const constraint = parseConstraint(str(c));
      if (!constraint) return new Unresolved(`semverCompare: constraint ${JSON.stringify(str(c))} is not supported`);
      const version = parseSemVer(str(v));
      if (!version) throw new EvalError(`error calling semverCompare: invalid semantic version: ${JSON.stringify(str(v))}`);
      return satisfies(version, constraint);
    }),
  ],
  // ---- math and conversions ----
  ['add', fn([], (args) => args.reduce((sum, a) => BigInt.asIntN(64, sum + toInt64(a.v)), 0n), { variadic: 'any' })],
  ['add1', fn(['any'], ([a]) => BigInt.asIntN(64, toInt64(a!.v) + 1n))],
  ['sub', fn(['any', 'any'], ([a, b]) => BigInt.asIntN(64, toInt64(a!.v) - toInt64(b!.v)))],
  ['mul', fn(['any'], (args) => args.reduce((product, a) => BigInt.asIntN(64, product * toInt64(a.v)), 1n), { variadic: 'any' })],
  ['div', fn(['any', 'any'], ([a, b]) => intDivide(toInt64(a!.v), toInt64(b!.v), 'div', false))],
  ['mod', fn(['any', 'any'], ([a, b]) => intDivide(toInt64(a!.v), toInt64(b!.v), 'mod', true))],
  ['max', fn(['any'], (args) => compareInts(args, (a, b) => a > b), { variadic: 'any' })],
  ['min', fn(['any'], (args) => compareInts(args, (a, b) => a < b), { variadic: 'any' })],
  ['addf', fn([], (args) => args.reduce((sum, a) => sum + toFloat64(a.v), 0), { variadic: 'any' })],
  ['subf', fn(['any'], ([a, ...rest]) => rest.reduce((acc, b) => acc - toFloat64(b.v), toFloat64(a!.v)), { variadic: 'any' })],
  ['mulf', fn(['any'], (args) => args.reduce((acc, a) => acc * toFloat64(a.v), 1), { variadic: 'any' })],
  ['divf', fn(['any'], ([a, ...rest]) => rest.reduce((acc, b) => acc / toFloat64(b.v), toFloat64(a!.v)), { variadic: 'any' })],
  ['floor', fn(['any'], ([a]) => Math.floor(toFloat64(a!.v)))],
  ['ceil', fn(['any'], ([a]) => Math.ceil(toFloat64(a!.v)))],
  ['int', fn(['any'], ([a]) => toInt64(a!.v), { pathFrom: 'last' })],
  ['int64', fn(['any'], ([a]) => toInt64(a!.v), { pathFrom: 'last' })],
  ['float64', fn(['any'], ([a]) => toFloat64(a!.v), { pathFrom: 'last' })],
  ['atoi', fn(['string'], ([a]) => (/^[+-]?[0-9]+$/.test(str(a)) ? BigInt.asIntN(64, BigInt(str(a))) : 0n), { pathFrom: 'last' })],
  ['toDecimal', fn(['any'], ([a]) => parseInt(strval(a!.v), 8) || 0)],
];

/**
 * Go's Regexp.Expand of a replacement template: `$1`, `${1}`, `$name`, `${name}` (the longest name;
 * an unknown group is empty), `$$` for a dollar. `match` is what re2js passes a replacer function.
 */
function expandGo(template: string, match: unknown[]): string {
  const named = (typeof match[match.length - 1] === 'object' ? match[match.length - 1] : {}) as Record<string, string | undefined>;
  const groups = match.slice(0, match.findIndex((item) => typeof item === 'number'));
  const group = (name: string) => (/^[0-9]+$/.test(name) ? String(groups[Number(name)] ?? '') : (named[name] ?? ''));
  return template.replace(/\$(?:\$|\{([A-Za-z0-9_]+)\}|([A-Za-z0-9_]+))/g, (all, braced: string | undefined, bare: string | undefined) => (all === '$$' ? '$' : group((braced ?? bare)!)));
}

function trimCutset(value: string, cutset: string): string {
  const chars = new Set(cutset);
  const list = [...value];
  let start = 0;
  let end = list.length;
  while (start < end && chars.has(list[start]!)) start++;
  while (end > start && chars.has(list[end - 1]!)) end--;
  return list.slice(start, end).join('');
}

/** Sprig's substr; bounds Go would panic on are an error. */
function substr(start: number, end: number, value: string): string {
  const sliced = (from: number, to: number) => {
    if (from > to || to > value.length || from < 0) throw new EvalError(`error calling substr: slice bounds out of range [${from}:${to}]`);
    return value.slice(from, to);
  };
  if (start < 0) return sliced(0, end);
  if (end < 0 || end > value.length) return sliced(start, value.length);
  return sliced(start, end);
}

/** Go's strings.Split: an empty separator splits into characters. */
function goSplit(value: string, sep: string): string[] {
  return sep === '' ? [...value] : value.split(sep);
}

/** Go's reflect.DeepEqual over template values (an int64 never equals a float64). */
function deepEqual(a: Value, b: Value, depth: number): boolean {
  if (depth > 100) throw new EvalError('error calling deepEqual: values nest too deeply');
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, i) => deepEqual(item, b[i]!, depth + 1));
  if (a instanceof Map && b instanceof Map) return a.size === b.size && [...a].every(([key, item]) => b.has(key) && deepEqual(item, b.get(key)!, depth + 1));
  return a === b;
}

function intDivide(a: bigint, b: bigint, name: string, remainder: boolean): bigint {
  if (b === 0n) throw new EvalError(`error calling ${name}: runtime error: integer divide by zero`);
  return remainder ? a % b : BigInt.asIntN(64, a / b);
}

