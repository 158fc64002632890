// Go's fmt for template values: how text/template prints a value (%v), fmt.Sprint/Sprintln, and Sprintf with the common verbs.
import { EvalError, GoMethod, GoStruct, goTypeName, MAX_VALUE_DEPTH, sortedKeys, Unresolved, type Value } from './values.js';

/** Go's strconv.FormatFloat(v, 'g', -1, 64), which %v uses: shortest digits, exponent form when the exponent is below -4 or at least 6 (1e+06). */
export function formatFloatG(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  if (v === 0) return Object.is(v, -0) ? '-0' : '0';
  const [mantissa, expText] = v.toExponential().split('e') as [string, string];
  const exp = Number(expText);
  const negative = mantissa.startsWith('-');
  const digits = mantissa.replace(/^-/, '').replace('.', '');
  if (exp < -4 || exp >= 6) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const e = Math.abs(exp);
    return `${negative ? '-' : ''}${m}e${exp < 0 ? '-' : '+'}${e < 10 ? '0' : ''}${e}`;
  }
  return (negative ? '-' : '') + placeDecimal(digits, exp);
}

/** Writes the digits d1d2d3… × 10^exp (d1 in the units place at exp 0) as a plain decimal. */
function placeDecimal(digits: string, exp: number): string {
  if (exp < 0) return `0.${'0'.repeat(-exp - 1)}${digits}`;
  if (digits.length <= exp + 1) return digits + '0'.repeat(exp + 1 - digits.length);
  return `${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
}

/** What `{{ value }}` prints: Go's fmt %v of the value (nil prints empty in Helm, which strips "<no value>"). */
export function printValue(value: Value): string {
  return value === null ? '' : formatV(value);
}

/** fmt's %v (nil prints as <nil>, as inside lists and maps). */
export function formatV(value: Value, depth = 0): string {
  if (value === null) return '<nil>';
  if (depth > MAX_VALUE_DEPTH) throw new EvalError(`value nests deeper than ${MAX_VALUE_DEPTH} levels`);
  switch (typeof value) {
    case 'string':
      return value;
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      return value.toString();
    case 'number':
      return formatFloatG(value);
    default:
      if (Array.isArray(value)) return `[${value.map((item) => formatV(item, depth + 1)).join(' ')}]`;
      if (value instanceof Map) return `map[${sortedKeys(value).map((key) => `${key}:${formatV(value.get(key)!, depth + 1)}`).join(' ')}]`;
      if (value instanceof GoStruct) return value.text ?? `{${[...value.fields.values()].map((item) => formatV(item, depth + 1)).join(' ')}}`;
      if (value instanceof GoMethod) return `<func ${value.name}>`;
      if (value instanceof Unresolved) return value.partialText ?? '';
      return '';
  }
}

/** Go's strconv.Quote: double quotes, with Go escapes for quotes, backslashes and unprintable runes. */
export function goQuote(text: string): string {
  let out = '"';
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\x07') out += '\\a';
    else if (ch === '\b') out += '\\b';
    else if (ch === '\f') out += '\\f';
    else if (ch === '\v') out += '\\v';
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else if (code >= 0xd800 && code <= 0xdfff) out += '\\ufffd';
    else if (code !== 0x20 && /[\p{C}\p{Z}]/u.test(ch)) out += code > 0xffff ? `\\U${code.toString(16).padStart(8, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

/** fmt.Sprint: operands separated by a space when neither side is a string. */
export function sprint(args: Value[]): string {
  let out = '';
  args.forEach((arg, i) => {
    if (i > 0 && typeof arg !== 'string' && typeof args[i - 1] !== 'string') out += ' ';
    out += formatV(arg);
  });
  return out;
}

/** fmt.Sprintln: operands always separated by spaces, and a newline. */
export function sprintln(args: Value[]): string {
  return `${args.map((arg) => formatV(arg)).join(' ')}\n`;
}

interface Spec {
  minus: boolean;
  plus: boolean;
  sharp: boolean;
  space: boolean;
  zero: boolean;
  width?: number;
  precision?: number;
}

/** fmt.Sprintf with the verbs charts use (%s %d %v %q %f %t %x %X %o %b %e %g %c %T %%); a wrong verb prints as Go does (%!d(string=x)). */
export function sprintf(format: string, args: Value[]): string {
  let out = '';
  let argIndex = 0;
  for (let i = 0; i < format.length; i++) {
    const c = format[i]!;
    if (c !== '%') {
      out += c;
      continue;
    }
    const spec: Spec = { minus: false, plus: false, sharp: false, space: false, zero: false };
    i++;
    for (; i < format.length; i++) {
      const f = format[i];
      if (f === '-') spec.minus = true;
      else if (f === '+') spec.plus = true;
      else if (f === '#') spec.sharp = true;
      else if (f === ' ') spec.space = true;
      else if (f === '0') spec.zero = !spec.minus;
      else break;
    }
    let num = '';
    while (/[0-9]/.test(format[i] ?? '')) num += format[i++];
    if (num) spec.width = Math.min(Number(num), 1_000_000);
    if (format[i] === '.') {
      i++;
      let p = '';
      while (/[0-9]/.test(format[i] ?? '')) p += format[i++];
      spec.precision = Math.min(Number(p || '0'), 1_000_000);
    }
    const verb = format[i];
    if (verb === undefined) {
      out += '%!(NOVERB)';
      break;
    }
    if (verb === '%') {
      out += '%';
      continue;
    }
    if (argIndex >= args.length) {
      out += `%!${verb}(MISSING)`;
      continue;
    }
    out += pad(formatOne(verb, args[argIndex++]!, spec), spec, verb);
  }
  if (argIndex < args.length) {
    out += `%!(EXTRA ${args
      .slice(argIndex)
      .map((arg) => `${goTypeName(arg)}=${formatV(arg)}`)
      .join(', ')})`;
  }
  return out;
}

function pad(text: string, spec: Spec, verb: string): string {
  const width = spec.width ?? 0;
  const length = [...text].length;
  if (length >= width) return text;
  if (spec.minus) return text + ' '.repeat(width - length);
  if (spec.zero && /[dfeEgGxXob]/.test(verb) && /^[+-]?[0-9]/.test(text)) {
    const sign = /^[+-]/.test(text) ? text[0]! : '';
    return sign + '0'.repeat(width - length) + text.slice(sign.length);
  }
  return ' '.repeat(width - length) + text;
}

function badVerb(verb: string, value: Value): string {
  return value === null ? `%!${verb}(<nil>)` : `%!${verb}(${goTypeName(value)}=${formatV(value)})`;
}

function formatOne(verb: string, value: Value, spec: Spec, depth = 0): string {
  if (depth > MAX_VALUE_DEPTH) throw new EvalError(`value nests deeper than ${MAX_VALUE_DEPTH} levels`);
  if (verb === 'v') {
    if (typeof value === 'string' && spec.sharp) return goQuote(value);
    return withSign(formatV(value), value, spec);
  }
  if (verb === 'T') return goTypeName(value);
  if (Array.isArray(value) && verb !== 'T') return `[${value.map((item) => formatOne(verb, item, spec, depth + 1)).join(' ')}]`;
  if (value instanceof Map) return `map[${sortedKeys(value).map((key) => `${formatOne(verb, key, spec, depth + 1)}:${formatOne(verb, value.get(key)!, spec, depth + 1)}`).join(' ')}]`;
  switch (verb) {
    case 's':
      if (typeof value === 'string') return spec.precision !== undefined ? [...value].slice(0, spec.precision).join('') : value;
      if (value instanceof GoStruct && value.text !== undefined) return value.text;
      return badVerb(verb, value);
    case 'q':
      if (typeof value === 'string') return goQuote(value);
      if (typeof value === 'bigint') return `'${String.fromCodePoint(Number(value))}'`;
      return badVerb(verb, value);
    case 'd':
      if (typeof value === 'bigint') return withSign(value.toString(), value, spec);
      return badVerb(verb, value);
    case 'c':
      if (typeof value === 'bigint' && value >= 0n && value <= 0x10ffffn) return String.fromCodePoint(Number(value));
      return badVerb(verb, value);
    case 't':
      if (typeof value === 'boolean') return String(value);
      return badVerb(verb, value);
    case 'x':
    case 'X':
    case 'o':
    case 'b': {
      const radix = verb === 'o' ? 8 : verb === 'b' ? 2 : 16;
      let text: string;
      if (typeof value === 'bigint') text = (value < 0n ? '-' : '') + (value < 0n ? -value : value).toString(radix);
      else if (typeof value === 'string' && (verb === 'x' || verb === 'X')) text = [...new TextEncoder().encode(value)].map((b) => b.toString(16).padStart(2, '0')).join('');
      else return badVerb(verb, value);
      if (spec.sharp && verb !== 'b') text = (verb === 'o' ? '0' : '0x') + text;
      return verb === 'X' ? text.toUpperCase() : text;
    }
    case 'f':
    case 'F':
    case 'e':
    case 'E':
    case 'g':
    case 'G': {
      if (typeof value !== 'number') return badVerb(verb, value);
      return withSign(formatFloatVerb(value, verb, spec.precision), value, spec);
    }
    default:
      return badVerb(verb, value);
  }
}

function withSign(text: string, value: Value, spec: Spec): string {
  if ((typeof value === 'number' || typeof value === 'bigint') && !text.startsWith('-')) {
    if (spec.plus) return `+${text}`;
    if (spec.space) return ` ${text}`;
  }
  return text;
}

function formatFloatVerb(value: number, verb: string, precision: number | undefined): string {
  if (!Number.isFinite(value)) return Number.isNaN(value) ? 'NaN' : value > 0 ? '+Inf' : '-Inf';
  switch (verb) {
    case 'f':
    case 'F':
      return value.toFixed(Math.min(precision ?? 6, 100));
    case 'e':
    case 'E': {
      const text = goExponent(value.toExponential(Math.min(precision ?? 6, 100)));
      return verb === 'E' ? text.toUpperCase() : text;
    }
    default: {
      if (precision === undefined) return verb === 'G' ? formatFloatG(value).toUpperCase() : formatFloatG(value);
      const p = Math.max(1, Math.min(precision, 100));
      const exp = value === 0 ? 0 : Math.floor(Math.log10(Math.abs(Number(value.toPrecision(p)))));
      const text = exp < -4 || exp >= p ? goExponent(Number(value.toPrecision(p)).toExponential()) : String(Number(value.toPrecision(p)));
      return verb === 'G' ? text.toUpperCase() : text;
    }
  }
}

/** JS writes exponents as e+6; Go as e+06. */
function goExponent(text: string): string {
  return text.replace(/e([+-])(\d)$/, 'e$10$2');
}
