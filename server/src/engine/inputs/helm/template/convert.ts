// Sprig's and the cast library's conversions between Go values: strval, toInt64, toFloat64, strslice.
import { formatV } from './format.js';
import { parseGoInt } from './resolve.js';
import { GoStruct, type Value } from './values.js';

/** Sprig's strval: strings as they are, anything else as fmt's %v (nil is "<nil>"). */
export function strval(value: Value): string {
  if (typeof value === 'string') return value;
  if (value instanceof GoStruct && value.text !== undefined) return value.text;
  return formatV(value);
}

/** cast.ToInt64 as Sprig uses it: floats truncate, strings parse (base prefixes, "1.0"), anything unreadable is 0. */
export function toInt64(value: Value): bigint {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? BigInt.asIntN(64, BigInt(Math.trunc(value))) : 0n;
  if (typeof value === 'boolean') return value ? 1n : 0n;
  if (typeof value === 'string') {
    const trimmed = /^([+-]?[0-9]+)\.0*$/.exec(value)?.[1] ?? value;
    return parseGoInt(trimmed) ?? 0n;
  }
  return 0n;
}

/** cast.ToFloat64: ints convert, strings parse as Go's ParseFloat, anything unreadable is 0. */
export function toFloat64(value: Value): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string') {
    const text = value.replace(/_/g, '');
    if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) return Number(text);
    if (/^[+-]?(inf|infinity)$/i.test(text)) return text.startsWith('-') ? -Infinity : Infinity;
    if (/^nan$/i.test(text)) return NaN;
    const int = parseGoInt(text);
    return int === undefined ? 0 : Number(int);
  }
  return 0;
}

/** Sprig's strslice: a list's items as strings (nil items skipped); a single value as a one-item list. */
export function strslice(value: Value): string[] {
  if (Array.isArray(value)) return value.filter((item) => item !== null).map(strval);
  if (value === null) return [];
  return [strval(value)];
}

/** Sprig's empty: nil, false, 0, and empty strings, lists and maps. */
export function isEmpty(value: Value): boolean {
  if (value === null) return true;
  if (typeof value === 'string') return value.length === 0;
  if (typeof value === 'boolean') return !value;
  if (typeof value === 'bigint') return value === 0n;
  if (typeof value === 'number') return value === 0;
  if (Array.isArray(value)) return value.length === 0;
  if (value instanceof Map) return value.size === 0;
  return false;
}

/** A deep copy of lists and maps (Sprig's deepCopy); other values are immutable. */
export function deepCopy(value: Value, depth = 0): Value {
  if (depth > 100) return value;
  if (Array.isArray(value)) return value.map((item) => deepCopy(item, depth + 1));
  if (value instanceof Map) return new Map([...value].map(([key, item]) => [key, deepCopy(item, depth + 1)]));
  return value;
}
