// Sprig's list and dict functions (list, first, append, dict, merge, hasKey, pick…), with Sprig's semantics: merge fills empty destination values, keys come back sorted.
import { isEmpty, strslice, strval } from './convert.js';
import { checkedCount, fn, int, MAX_LIST, str } from './define.js';
import type { Ev, FunctionDef } from './render-types.js';
import { EvalError, goTypeName, Unresolved, valuesPathOf, type GoMap, type Value } from './values.js';

export const collectionFunctions: [string, FunctionDef][] = [
  // ---- lists ----
  ['list', fn([], (args) => args.map((a) => a.v), { variadic: 'any', acceptsUnresolved: true })],
  ['tuple', fn([], (args) => args.map((a) => a.v), { variadic: 'any', acceptsUnresolved: true })],
  ['first', fn(['any'], ([l]) => elementAt(l!, 0, 'first'))],
  ['last', fn(['any'], ([l]) => elementAt(l!, -1, 'last'))],
  ['rest', fn(['any'], ([l]) => asList(l!.v, 'rest').slice(1))],
  ['initial', fn(['any'], ([l]) => asList(l!.v, 'initial').slice(0, -1))],
  ['append', fn(['any', 'any'], ([l, v]) => (l!.v instanceof Unresolved ? l! : [...asList(l!.v, 'append'), v!.v]), { acceptsUnresolved: true })],
  ['push', fn(['any', 'any'], ([l, v]) => (l!.v instanceof Unresolved ? l! : [...asList(l!.v, 'push'), v!.v]), { acceptsUnresolved: true })],
  ['prepend', fn(['any', 'any'], ([l, v]) => (l!.v instanceof Unresolved ? l! : [v!.v, ...asList(l!.v, 'prepend')]), { acceptsUnresolved: true })],
  ['concat', fn([], (args) => args.flatMap((a) => asList(a.v, 'concat')), { variadic: 'any' })],
  ['reverse', fn(['any'], ([l]) => [...asList(l!.v, 'reverse')].reverse())],
  ['compact', fn(['any'], ([l]) => asList(l!.v, 'compact').filter((v) => !isEmpty(v)))],
  ['uniq', fn(['any'], ([l]) => uniq(asList(l!.v, 'uniq')), { deep: true })],
  ['has', fn(['any', 'any'], ([needle, l]) => asList(l!.v, 'has').some((v) => sameValue(v, needle!.v)), { deep: true })],
  ['without', fn(['any'], ([l, ...drop]) => asList(l!.v, 'without').filter((v) => !drop.some((d) => sameValue(v, d.v))), { variadic: 'any', deep: true })],
  ['sortAlpha', fn(['any'], ([l]) => strslice(l!.v).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)), { deep: true })],
  ['until', fn(['int'], ([n]) => Array.from({ length: Math.max(0, checkedCount(int(n), 'until')) }, (_, i) => BigInt(i)))],
  [
    'untilStep',
    fn(['int', 'int', 'int'], ([a, b, step]) => {
      const out: Value[] = [];
      const s = int(step);
      if (s === 0n) return out;
      for (let i = int(a); s > 0n ? i < int(b) : i > int(b); i += s) {
        out.push(i);
        if (out.length > MAX_LIST) throw new EvalError(`error calling untilStep: more than ${MAX_LIST} items`);
      }
      return out;
    }),
  ],
  // ---- dicts ----
  [
    'dict',
    fn(
      [],
      (args) => {
        const map: GoMap = new Map();
        for (let i = 0; i < args.length; i += 2) map.set(args[i]!.v instanceof Unresolved ? '' : strval(args[i]!.v), i + 1 < args.length ? args[i + 1]!.v : '');
        return map;
      },
      { variadic: 'any', acceptsUnresolved: true },
    ),
  ],
  ['hasKey', fn(['map', 'string'], ([m, k]) => asMap(m, 'hasKey').has(str(k)))],
  ['get', fn(['map', 'string'], ([m, k]) => getKey(m!, str(k)))],
  [
    'set',
    fn(
      ['map', 'string', 'any'],
      ([m, k, v]) => {
        if (m!.v instanceof Unresolved || k!.v instanceof Unresolved) return { v: new Unresolved((m!.v instanceof Unresolved ? m!.v : (k!.v as Unresolved)).reason) };
        asMap(m, 'set').set(str(k), v!.v);
        return m!;
      },
      { acceptsUnresolved: true },
    ),
  ],
  [
    'unset',
    fn(['map', 'string'], ([m, k]) => {
      asMap(m, 'unset').delete(str(k));
      return m!;
    }),
  ],
  ['keys', fn([], (args) => args.flatMap((m) => [...asMap(m, 'keys').keys()]).sort(), { variadic: 'map' })],
  ['values', fn(['map'], ([m]) => [...asMap(m, 'values').entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, v]) => v))],
  ['pick', fn(['map'], ([m, ...keys]) => new Map([...asMap(m, 'pick')].filter(([k]) => keys.some((key) => strval(key.v) === k))), { variadic: 'string' })],
  ['omit', fn(['map'], ([m, ...keys]) => new Map([...asMap(m, 'omit')].filter(([k]) => !keys.some((key) => strval(key.v) === k))), { variadic: 'string' })],
  ['pluck', fn(['string'], ([k, ...maps]) => maps.map((m) => asMap(m, 'pluck')).filter((m) => m.has(str(k))).map((m) => m.get(str(k))!), { variadic: 'map' })],
  [
    'dig',
    fn(['any'], (args) => {
      const dict = asMap(args[args.length - 1], 'dig');
      const fallback = args[args.length - 2]!.v;
      let current: Value = dict;
      for (const key of args.slice(0, -2)) {
        if (!(current instanceof Map) || !current.has(strval(key.v))) return fallback;
        current = current.get(strval(key.v))!;
      }
      return current;
    }, { variadic: 'any' }),
  ],
  [
    'merge',
    fn(['map'], ([dst, ...srcs]) => {
      for (const src of srcs) mergeInto(asMap(dst, 'merge'), asMap(src, 'merge'), false);
      return dst!;
    }, { variadic: 'map' }),
  ],
  [
    'mergeOverwrite',
    fn(['map'], ([dst, ...srcs]) => {
      for (const src of srcs) mergeInto(asMap(dst, 'mergeOverwrite'), asMap(src, 'mergeOverwrite'), true);
      return dst!;
    }, { variadic: 'map' }),
  ],
];

function asList(value: Value, name: string): Value[] {
  if (Array.isArray(value)) return value;
  if (value === null) return [];
  throw new EvalError(`error calling ${name}: cannot ${name} on type ${goTypeName(value)}`);
}

function asMap(ev: Ev | undefined, name: string): GoMap {
  const value = ev!.v;
  if (value instanceof Map) return value;
  if (value === null) return new Map();
  throw new EvalError(`error calling ${name}: wrong type for value; expected map[string]interface {}; got ${goTypeName(value)}`);
}

/** mergo's merge as Sprig calls it: nested maps merge; a key the destination lacks, or holds empty, takes the source's value (or always, when overwriting). */
function mergeInto(dst: GoMap, src: GoMap, overwrite: boolean, depth = 0): void {
  if (depth > 100) throw new EvalError('error calling merge: maps nest too deeply');
  for (const [key, value] of src) {
    const existing = dst.get(key);
    if (existing instanceof Map && value instanceof Map) {
      mergeInto(existing, value, overwrite, depth + 1);
      continue;
    }
    if (!dst.has(key) || isEmpty(existing ?? null) || overwrite) dst.set(key, value);
  }
}

function elementAt(list: Ev, at: number, name: string): Ev {
  const items = asList(list.v, name);
  if (items.length === 0) return { v: null };
  const i = at < 0 ? items.length + at : at;
  const base = list.path ?? valuesPathOf(list.v);
  return { v: items[i]!, path: base ? [...base, i] : undefined };
}

function getKey(map: Ev, key: string): Ev {
  const dict = asMap(map, 'get');
  if (!dict.has(key)) return { v: '' };
  const base = map.path ?? valuesPathOf(map.v);
  return { v: dict.get(key)!, path: base ? [...base, key] : undefined };
}

function sameValue(a: Value, b: Value): boolean {
  if (Array.isArray(a) || a instanceof Map || Array.isArray(b) || b instanceof Map) return strval(a) === strval(b) && typeof a === typeof b;
  return a === b;
}

function uniq(items: Value[]): Value[] {
  const out: Value[] = [];
  for (const item of items) if (!out.some((seen) => sameValue(seen, item))) out.push(item);
  return out;
}
