// The value model of the template engine: Go's dynamic values (nil, string, bool, int64, float64, []interface{}, map[string]interface{}) plus an explicit "unresolved" value.

/** A values path: map keys and list indexes from the root of `.Values`. */
export type ValuesPath = readonly (string | number)[];

/**
 * A value the engine cannot know (an unsupported function, `lookup`, time, randomness, a value computed
 * from another unresolved value). It is never replaced by a guess: printing it marks the output range
 * unresolved. `partialText` is what could be rendered around the unknown parts (an included helper whose
 * output is partly unknown), printed as is but still reported unresolved.
 */
export class Unresolved {
  constructor(readonly reason: string, readonly partialText?: string) {}
}

/** A Go method value (`.Files.Get`, `.Capabilities.APIVersions.Has`): invoked with the command's arguments. */
export class GoMethod {
  constructor(readonly name: string, readonly call: (args: Value[]) => Value) {}
}

/**
 * A Go struct (`.Chart`, `.Capabilities`, `.Files`): a missing field is an error, unlike a map's missing key.
 * `text` is what printing it shows (Go calls its String method), when it has one.
 */
export class GoStruct {
  constructor(readonly typeName: string, readonly fields: ReadonlyMap<string, Value>, readonly text?: string) {}
}

/** Go's map[string]interface{}: a JS Map, printed and iterated in sorted key order like Go templates do. */
export type GoMap = Map<string, Value>;

/**
 * A template value. `null` is Go's nil, `bigint` an int64, `number` a float64 (Helm reads every number
 * of a values file as float64, through JSON), arrays are []interface{}, Maps map[string]interface{}.
 */
export type Value = null | string | boolean | bigint | number | Value[] | GoMap | GoStruct | GoMethod | Unresolved;

// Containers read from a values file remember where they came from, so a field chain reaching a
// scalar through `$x := .Values.a` or `with .Values.a` still knows its values path.
const containerPaths = new WeakMap<object, ValuesPath>();

export function setValuesPath(container: Value[] | GoMap, path: ValuesPath): void {
  containerPaths.set(container, path);
}

export function valuesPathOf(value: Value): ValuesPath | undefined {
  return typeof value === 'object' && value !== null && (Array.isArray(value) || value instanceof Map) ? containerPaths.get(value) : undefined;
}

export function isMap(value: Value): value is GoMap {
  return value instanceof Map;
}

export function isList(value: Value): value is Value[] {
  return Array.isArray(value);
}

export function isUnresolved(value: Value): value is Unresolved {
  return value instanceof Unresolved;
}

/** Go template truthiness: false, 0, nil, and empty strings, lists and maps are false. */
export function isTruthy(value: Value): boolean {
  if (value === null) return false;
  switch (typeof value) {
    case 'string':
      return value.length > 0;
    case 'boolean':
      return value;
    case 'bigint':
      return value !== 0n;
    case 'number':
      return value !== 0;
    default:
      if (Array.isArray(value)) return value.length > 0;
      if (value instanceof Map) return value.size > 0;
      return true;
  }
}

/** Go's type name of a value, as fmt's %T and error messages print it. */
export function goTypeName(value: Value): string {
  if (value === null) return '<nil>';
  switch (typeof value) {
    case 'string':
      return 'string';
    case 'boolean':
      return 'bool';
    case 'bigint':
      return 'int64';
    case 'number':
      return 'float64';
    default:
      if (Array.isArray(value)) return '[]interface {}';
      if (value instanceof Map) return 'map[string]interface {}';
      if (value instanceof GoStruct) return value.typeName;
      if (value instanceof GoMethod) return 'func';
      return 'unresolved';
  }
}

/** Go's reflect kind name (Sprig's kindOf/kindIs). */
export function goKindName(value: Value): string {
  if (value === null) return 'invalid';
  switch (typeof value) {
    case 'string':
      return 'string';
    case 'boolean':
      return 'bool';
    case 'bigint':
      return 'int64';
    case 'number':
      return 'float64';
    default:
      if (Array.isArray(value)) return 'slice';
      if (value instanceof Map) return 'map';
      if (value instanceof GoStruct) return 'struct';
      if (value instanceof GoMethod) return 'func';
      return 'unresolved';
  }
}

/** Sorted keys, as Go's template range and fmt print maps (byte order of the UTF-8 keys; code-unit order is the same for the BMP). */
export function sortedKeys(map: GoMap): string[] {
  return [...map.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Converts plain JS data (JSON-like: objects, arrays, numbers) into template values; integers stay float64 like Helm's values. */
export function fromPlain(data: unknown, path?: ValuesPath): Value {
  if (data === null || data === undefined) return null;
  if (typeof data === 'string' || typeof data === 'boolean' || typeof data === 'bigint' || typeof data === 'number') return data;
  if (Array.isArray(data)) {
    const list: Value[] = data.map((item, i) => fromPlain(item, path ? [...path, i] : undefined));
    if (path) setValuesPath(list, path);
    return list;
  }
  if (data instanceof Map || data instanceof GoStruct || data instanceof GoMethod || data instanceof Unresolved) return data as Value;
  if (typeof data === 'object') {
    const map: GoMap = new Map();
    for (const [key, item] of Object.entries(data as Record<string, unknown>)) map.set(key, fromPlain(item, path ? [...path, key] : undefined));
    if (path) setValuesPath(map, path);
    return map;
  }
  return null;
}

/** Converts a template value back to plain JS data (maps become objects); unresolved and functions become undefined. */
export function toPlain(value: Value): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(toPlain);
  if (value instanceof Map) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of value) out[key] = toPlain(item);
    return out;
  }
  return undefined;
}

/** A failure while evaluating (a Go template exec error, a bound reached): the whole template fails with this reason. */
export class EvalError extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

/** Values nest at most this deep when printed or encoded: a map that contains itself (via `set`) fails instead of recursing forever. */
export const MAX_VALUE_DEPTH = 100;

/** The first unresolved value inside a value (itself, or nested in lists and maps); each container is visited once, so shared and cyclic values are cheap. */
export function findUnresolved(value: Value, seen = new Set<object>()): Unresolved | undefined {
  if (value instanceof Unresolved) return value;
  if (!Array.isArray(value) && !(value instanceof Map)) return undefined;
  if (seen.has(value)) return undefined;
  seen.add(value);
  for (const item of value instanceof Map ? value.values() : value) {
    const found = findUnresolved(item, seen);
    if (found) return found;
  }
  return undefined;
}
