// How go-yaml v2 (Helm's YAML library) reads a plain scalar: YAML 1.1 booleans (yes/no/on/off/y/n), ints with base prefixes, floats, nulls, timestamps.

export type Resolved =
  | { tag: 'null' }
  | { tag: 'bool'; value: boolean }
  | { tag: 'int'; value: bigint }
  | { tag: 'float'; value: number }
  | { tag: 'timestamp' }
  | { tag: 'str' };

const TRUE = new Set(['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON']);
const FALSE = new Set(['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF']);
const NULL = new Set(['', '~', 'null', 'Null', 'NULL']);
// go-yaml v2's float pattern: the exponent needs a sign, so `1e6` stays a string while `1e+6` is a float.
const FLOAT = /^[-+]?[0-9]*\.?[0-9]+([eE][-+][0-9]+)?$/;
const BASE60_FLOAT = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/;
const TIMESTAMP = /^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?)?$/;

/** Resolves the text of a plain (unquoted) scalar the way go-yaml v2 does. */
export function resolvePlain(text: string): Resolved {
  if (NULL.has(text)) return { tag: 'null' };
  if (TRUE.has(text)) return { tag: 'bool', value: true };
  if (FALSE.has(text)) return { tag: 'bool', value: false };
  if (/^[+-]?\.(inf|Inf|INF)$/.test(text)) return { tag: 'float', value: text.startsWith('-') ? -Infinity : Infinity };
  if (/^\.(nan|NaN|NAN)$/.test(text)) return { tag: 'float', value: NaN };
  if (text.startsWith('.')) {
    const float = parseGoFloat(text);
    return float === undefined ? { tag: 'str' } : { tag: 'float', value: float };
  }
  if (!/^[-+0-9]/.test(text)) return { tag: 'str' };
  // Digits or a sign: a timestamp first, then an int, then a float (go-yaml v2's order).
  if (TIMESTAMP.test(text)) return { tag: 'timestamp' };
  const plain = text.replace(/_/g, '');
  const int = parseGoInt(plain);
  if (int !== undefined) return { tag: 'int', value: int };
  if (/^\+?(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/.test(plain)) return { tag: 'float', value: Number(plain.replace(/^\+/, '')) };
  if (FLOAT.test(plain)) return { tag: 'float', value: Number(plain) };
  return { tag: 'str' };
}

/** Go's strconv.ParseFloat for the decimal forms (what a plain scalar starting with "." can be). */
function parseGoFloat(text: string): number | undefined {
  return /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text) ? Number(text) : undefined;
}

/** Whether go-yaml v2 must quote a string so that it reads back as a string. */
export function needsQuotingAsString(text: string): boolean {
  return resolvePlain(text).tag !== 'str' || BASE60_FLOAT.test(text);
}

/** Go's strconv.ParseInt(text, 0, 64): optional sign, 0x/0o/0b prefixes, a leading 0 for octal. */
export function parseGoInt(text: string): bigint | undefined {
  const match = /^([+-]?)(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/.exec(text);
  if (!match) return undefined;
  const body = match[2]!;
  const digits = /^0[0-7]+$/.test(body) ? `0o${body.slice(1)}` : body.toLowerCase();
  const value = (match[1] === '-' ? -1n : 1n) * BigInt(digits);
  return value > 9223372036854775807n || value < -9223372036854775808n ? undefined : value;
}
