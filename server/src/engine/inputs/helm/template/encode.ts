// toYaml and toJson as Helm writes them: Go's encoding/json, and go-yaml v2 after a JSON round trip (sorted keys, its quoting rules).
import { formatFloatG } from './format.js';
import { needsQuotingAsString } from './resolve.js';
import { EvalError, GoMethod, GoStruct, MAX_VALUE_DEPTH, Unresolved, type Value } from './values.js';

/**
 * Helm's toYaml: the YAML go-yaml v2 writes, without the final newline. One known difference: go-yaml
 * folds plain and double-quoted strings longer than 80 columns at spaces; this writer keeps them on one
 * line (the same YAML value).
 */
export function toYaml(value: Value): string {
  const text = isBlockCollection(value) ? writeBlock(value, 0, 0) : `${writeScalar(value, 0, false, 0)}\n`;
  return text.endsWith('\n') ? text.slice(0, -1) : text;
}

function isBlockCollection(value: Value): value is Value[] | Map<string, Value> {
  return (Array.isArray(value) && value.length > 0) || (value instanceof Map && value.size > 0) || (value instanceof GoStruct && value.fields.size > 0);
}

function entriesOf(value: Map<string, Value> | GoStruct): [string, Value][] {
  const map = value instanceof GoStruct ? value.fields : value;
  return [...map.entries()].filter(([, item]) => !(item instanceof GoMethod)).sort(([a], [b]) => (yamlKeyLess(a, b) ? -1 : yamlKeyLess(b, a) ? 1 : 0));
}

/** A non-empty map or list written as a block at column `indent`, each line ending in a newline. */
function writeBlock(value: Value[] | Map<string, Value> | GoStruct, indent: number, depth: number): string {
  if (depth > MAX_VALUE_DEPTH) throw new EvalError(`value nests deeper than ${MAX_VALUE_DEPTH} levels`);
  const pad = ' '.repeat(indent);
  let out = '';
  if (Array.isArray(value)) {
    for (const item of value) {
      if (isBlockCollection(item)) {
        out += `${pad}- ${writeBlock(item, indent + 2, depth + 1).slice(indent + 2)}`;
      } else {
        out += `${pad}- ${writeScalar(item, indent + 2, false, depth)}\n`;
      }
    }
    return out;
  }
  for (const [key, item] of entriesOf(value)) {
    const keyText = writeScalar(key, indent, true, depth);
    if (Array.isArray(item) && item.length > 0) out += `${pad}${keyText}:\n${writeBlock(item, indent, depth + 1)}`;
    else if (isBlockCollection(item)) out += `${pad}${keyText}:\n${writeBlock(item, indent + 2, depth + 1)}`;
    else out += `${pad}${keyText}: ${writeScalar(item, indent + 2, false, depth)}\n`;
  }
  return out;
}

function writeScalar(value: Value, contentIndent: number, isKey: boolean, depth: number): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return String(value);
    case 'bigint':
      return value.toString();
    case 'number':
      return yamlNumber(value);
    case 'string':
      return yamlString(value, contentIndent, isKey);
  }
  if (Array.isArray(value)) return '[]';
  if (value instanceof Map || value instanceof GoStruct) return '{}';
  if (value instanceof Unresolved) throw new EvalError('cannot encode an unresolved value');
  throw new EvalError(`json: unsupported type: func (at depth ${depth})`);
}

/** A float64 after Go's JSON encoding and go-yaml's reading: integral values below 1e21 become ints. */
function yamlNumber(value: number): string {
  if (!Number.isFinite(value)) throw new EvalError(`json: unsupported value: ${formatFloatG(value)}`);
  if (Number.isInteger(value) && Math.abs(value) < 1e21) return BigInt(value).toString();
  return formatFloatG(value);
}

// libyaml's printable set (tab is not in it: a string with a tab is double-quoted).
const isPrintable = (code: number) => code === 0x0a || (code >= 0x20 && code <= 0x7e) || code === 0x85 || (code >= 0xa0 && code <= 0xd7ff) || (code >= 0xe000 && code <= 0xfffd && code !== 0xfeff) || (code >= 0x10000 && code <= 0x10ffff);

function yamlString(text: string, contentIndent: number, isKey: boolean): string {
  if (needsQuotingAsString(text)) return doubleQuoted(text);
  const chars = [...text];
  if (chars.some((ch) => !isPrintable(ch.codePointAt(0)!))) return doubleQuoted(text);
  if (text.includes('\n')) {
    const spaceBeforeBreak = / \n/.test(text);
    if (isKey || spaceBeforeBreak || text.endsWith(' ')) return doubleQuoted(text);
    return literalBlock(text, contentIndent);
  }
  if (plainAllowed(text)) return text;
  return `'${text.replace(/'/g, "''")}'`;
}

/** Whether libyaml may write a single-line string plain in block context. */
function plainAllowed(text: string): boolean {
  if (text.startsWith(' ') || text.endsWith(' ')) return false;
  if (/^(---|\.\.\.)([ \t]|$)/.test(text)) return false;
  const first = text[0]!;
  if ('#,[]{}&*!|>\'"%@`'.includes(first)) return false;
  if ('-?:'.includes(first) && (text.length === 1 || text[1] === ' ' || text[1] === '\t')) return false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    const nextBlank = i + 1 >= text.length || text[i + 1] === ' ' || text[i + 1] === '\t';
    if (c === ':' && nextBlank) return false;
    if (c === '#' && i > 0 && (text[i - 1] === ' ' || text[i - 1] === '\t')) return false;
  }
  return true;
}

function literalBlock(text: string, indent: number): string {
  const chomp = !text.endsWith('\n') ? '-' : text === '\n' || text.endsWith('\n\n') ? '+' : '';
  const hint = text.startsWith(' ') || text.startsWith('\n') ? '2' : '';
  const body = text.endsWith('\n') ? text.slice(0, -1) : text;
  const pad = ' '.repeat(indent);
  return `|${hint}${chomp}\n${body
    .split('\n')
    .map((line) => (line === '' ? '' : pad + line))
    .join('\n')}`;
}

const YAML_ESCAPES: Record<string, string> = { '\0': '\\0', '\x07': '\\a', '\b': '\\b', '\t': '\\t', '\n': '\\n', '\v': '\\v', '\f': '\\f', '\r': '\\r', '\x1b': '\\e', '"': '\\"', '\\': '\\\\', '\x85': '\\N', '\xa0': '\\_', '\u2028': '\\L', '\u2029': '\\P' };

function doubleQuoted(text: string): string {
  let out = '"';
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    const escape = YAML_ESCAPES[ch];
    if (escape) out += escape;
    else if (isPrintable(code) && code !== 0xfeff) out += ch;
    else if (code <= 0xff) out += `\\x${code.toString(16).toUpperCase().padStart(2, '0')}`;
    else if (code <= 0xffff) out += `\\u${code.toString(16).toUpperCase().padStart(4, '0')}`;
    else out += `\\U${code.toString(16).toUpperCase().padStart(8, '0')}`;
  }
  return `${out}"`;
}

/**
 * go-yaml v2's key order: runs of digits compare as numbers ("a2" before "a10"), a letter sorts after
 * a non-letter, otherwise by code point.
 */
export function yamlKeyLess(a: string, b: string): boolean {
  const ar = [...a];
  const br = [...b];
  const isLetter = (c: string) => /\p{L}/u.test(c);
  const isDigit = (c: string | undefined) => c !== undefined && /\p{Nd}/u.test(c);
  for (let i = 0; i < ar.length && i < br.length; i++) {
    if (ar[i] === br[i]) continue;
    const al = isLetter(ar[i]!);
    const bl = isLetter(br[i]!);
    if (al && bl) return ar[i]! < br[i]!;
    if (al || bl) return bl;
    let an = 0n;
    let bn = 0n;
    if (ar[i] === '0' || br[i] === '0') {
      for (let j = i - 1; j >= 0 && isDigit(ar[j]); j--) {
        if (ar[j] !== '0') {
          an = 1n;
          bn = 1n;
          break;
        }
      }
    }
    let ai = i;
    for (; ai < ar.length && isDigit(ar[ai]); ai++) an = an * 10n + BigInt(Number(ar[ai]));
    let bi = i;
    for (; bi < br.length && isDigit(br[bi]); bi++) bn = bn * 10n + BigInt(Number(br[bi]));
    if (an !== bn) return an < bn;
    if (ai !== bi) return ai < bi;
    return ar[i]! < br[i]!;
  }
  return ar.length < br.length;
}

/** Helm's toJson: Go's json.Marshal (sorted keys, <, > and & escaped, integral floats without a fraction). */
export function toJson(value: Value, depth = 0): string {
  if (depth > MAX_VALUE_DEPTH) throw new EvalError(`value nests deeper than ${MAX_VALUE_DEPTH} levels`);
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return String(value);
    case 'bigint':
      return value.toString();
    case 'number':
      return jsonNumber(value);
    case 'string':
      return jsonString(value);
  }
  if (Array.isArray(value)) return `[${value.map((item) => toJson(item, depth + 1)).join(',')}]`;
  if (value instanceof Map || value instanceof GoStruct) {
    const map = value instanceof GoStruct ? value.fields : value;
    const keys = [...map.keys()].filter((key) => !(map.get(key) instanceof GoMethod)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${keys.map((key) => `${jsonString(key)}:${toJson(map.get(key)!, depth + 1)}`).join(',')}}`;
  }
  if (value instanceof Unresolved) throw new EvalError('cannot encode an unresolved value');
  throw new EvalError('json: unsupported type: func');
}

function jsonNumber(value: number): string {
  if (!Number.isFinite(value)) throw new EvalError(`json: unsupported value: ${formatFloatG(value)}`);
  const abs = Math.abs(value);
  if (abs !== 0 && (abs < 1e-6 || abs >= 1e21)) {
    // Go writes e-07 as e-7 in JSON.
    return value.toExponential().replace(/e([+-])0*(\d)/, 'e$1$2');
  }
  if (Number.isInteger(value)) return BigInt(value).toString();
  return String(value);
}

function jsonString(text: string): string {
  let out = '"';
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (code < 0x20 || ch === '<' || ch === '>' || ch === '&' || code === 0x2028 || code === 0x2029) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

/** Helm's toPrettyJson: Go's json.MarshalIndent with two spaces. */
export function toPrettyJson(value: Value, indent = '', depth = 0): string {
  if (depth > MAX_VALUE_DEPTH) throw new EvalError(`value nests deeper than ${MAX_VALUE_DEPTH} levels`);
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `[\n${value.map((item) => inner + toPrettyJson(item, inner, depth + 1)).join(',\n')}\n${indent}]`;
  }
  if (value instanceof Map || value instanceof GoStruct) {
    const map = value instanceof GoStruct ? value.fields : value;
    const keys = [...map.keys()].filter((key) => !(map.get(key) instanceof GoMethod)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    if (keys.length === 0) return '{}';
    return `{\n${keys.map((key) => `${inner}${jsonString(key)}: ${toPrettyJson(map.get(key)!, inner, depth + 1)}`).join(',\n')}\n${indent}}`;
  }
  return toJson(value, depth);
}
