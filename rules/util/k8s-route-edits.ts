// Minimal YAML text edits for route, mesh and workload fixes (replace one value token, insert one key in the file's style) and exact duration spellings.
import { isMap, isScalar, type Node, type Pair, type Scalar, type YAMLMap } from 'yaml';
import { parseGoDuration, type SourceText, type Span, type TextEdit } from '../../server/src/engine/rule-api.js';

/**
 * Replaces the value token at `span` (a scalar as written, quotes included) with `newValue`,
 * keeping single or double quotes. Block scalars (`|`, `>`) are left alone. A plain value that
 * would stop being one scalar in a flow collection (`{retryOn: 5xx,gateway-error}`) is
 * double-quoted instead.
 */
export function replaceValueEdit(source: SourceText, span: Span, newValue: string, options: { flowContext?: boolean } = {}): TextEdit | undefined {
  const first = source.text[span.start];
  const last = source.text[span.end - 1];
  if (first === '|' || first === '>') return undefined;
  const quoted = span.end - span.start >= 2 && (first === '"' || first === "'") && last === first;
  const quote = quoted ? first : options.flowContext && /[,[\]{}#]|: /.test(newValue) ? '"' : '';
  return { file: span.file, start: span.start, end: span.end, newText: `${quote}${newValue}${quote}` };
}

/** A value to insert: a scalar, or a one-key mapping (`timeouts: {request: 300s}`). */
export type InsertValue = string | { key: string; value: string };

/**
 * Inserts `key: value` as the last entry of a mapping, in the mapping's own style:
 * - block mapping: a new line after the last entry (its trailing comment kept on its line), with the
 *   column of the mapping's keys, the file's indentation step for a nested mapping, and the file's
 *   line ending;
 * - flow mapping: `, key: value` before the closing brace (keys double-quoted when the mapping's
 *   keys are, as in JSON-style manifests).
 */
export function insertKeyEdit(source: SourceText, map: YAMLMap, key: string, value: InsertValue, root?: Node): TextEdit | undefined {
  const { text, eol, file } = source;
  if (map.flow) return insertIntoFlowMap(source, map, key, value);
  const firstKey = map.items.map((p) => p.key).find((k): k is Scalar => isScalar(k) && k.range !== undefined && k.range !== null);
  const last = map.items[map.items.length - 1];
  if (!firstKey || !last) return undefined;
  const indent = ' '.repeat(firstKey.range![0] - lineStart(text, firstKey.range![0]));
  let end = pairEnd(last);
  if (end === undefined) return undefined;
  // Block collections and block scalars end after their line break; step back to the last character written.
  while (end > 0 && /[ \t\r\n]/.test(text[end - 1]!)) end--;
  let lineEnd = end;
  while (lineEnd < text.length && text[lineEnd] !== '\n' && text[lineEnd] !== '\r') lineEnd++;
  const step = ' '.repeat(indentStep(text, root ?? map));
  const body = typeof value === 'string' ? `${indent}${key}: ${value}` : `${indent}${key}:${eol}${indent}${step}${value.key}: ${value.value}`;
  if (lineEnd >= text.length) return { file, start: lineEnd, end: lineEnd, newText: `${eol}${body}` };
  const next = text[lineEnd] === '\r' && text[lineEnd + 1] === '\n' ? lineEnd + 2 : lineEnd + 1;
  return { file, start: next, end: next, newText: `${body}${eol}` };
}

/**
 * The GEP-2257 spelling of a whole number of milliseconds (reference/timeout-facts.md §6.1):
 * one unit of a second or more when it is exact (`2m`, `90s`), else components from hours down
 * (`1s500ms`, `500ms`, `27h46m40s`). Undefined for fractions, negatives and values above 99999 h.
 * Every result is also a valid Go (Istio, Contour) duration.
 */
export function gatewayApiSpelling(ms: number): string | undefined {
  if (!Number.isSafeInteger(ms) || ms < 0) return undefined;
  if (ms === 0) return '0s';
  for (const [unit, unitMs] of SINGLE_UNITS) {
    if (ms % unitMs === 0 && ms / unitMs <= 99_999) return `${ms / unitMs}${unit}`;
  }
  const hours = Math.floor(ms / 3_600_000);
  if (hours > 99_999) return undefined;
  const parts: Array<[number, string]> = [
    [hours, 'h'],
    [Math.floor(ms / 60_000) % 60, 'm'],
    [Math.floor(ms / 1000) % 60, 's'],
    [ms % 1000, 'ms'],
  ];
  return parts.filter(([n]) => n > 0).map(([n, unit]) => `${n}${unit}`).join('');
}

/**
 * What a duration that Gateway API rejects was meant to be, read as Go would read it plus a
 * `d` (24 h) unit: `1.5s` → 1500, `1d` → 86400000, `100000s` → 100000000. Undefined when the
 * intent is not clear (no unit, a sign, spaces, unknown units).
 */
export function intendedDurationMs(text: string): number | undefined {
  if (!/^(?:(?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|\u00b5s|\u03bcs|ms|s|m|h|d))+$/.test(text)) return undefined;
  let total = 0;
  for (const [, number, unit] of text.matchAll(/(\d+(?:\.\d*)?|\.\d+)(ns|us|\u00b5s|\u03bcs|ms|s|m|h|d)/g)) {
    const parsed = unit === 'd' ? parseGoDuration(`${number}h`) : parseGoDuration(`${number}${unit}`);
    if (!parsed.ok) return undefined;
    total += unit === 'd' ? parsed.ms * 24 : parsed.ms;
  }
  return total;
}

/** Rounds a budget up to whole seconds (whole milliseconds below one second), so fixes write readable values. */
export function roundUpBudgetMs(ms: number): number {
  return ms >= 1000 ? Math.ceil(ms / 1000) * 1000 : Math.max(1, Math.ceil(ms));
}

/** Rounds a per-attempt share down to whole seconds (whole milliseconds below one second). */
export function roundDownShareMs(ms: number): number {
  return ms >= 1000 ? Math.floor(ms / 1000) * 1000 : Math.max(1, Math.floor(ms));
}

const SINGLE_UNITS: ReadonlyArray<readonly [string, number]> = [
  ['h', 3_600_000],
  ['m', 60_000],
  ['s', 1000],
];

function insertIntoFlowMap(source: SourceText, map: YAMLMap, key: string, value: InsertValue): TextEdit | undefined {
  const { text, file } = source;
  const range = map.range;
  if (!range) return undefined;
  const keys = map.items.map((p) => p.key).filter((k): k is Scalar => isScalar(k));
  const quoteKeys = keys.length > 0 && keys.every((k) => k.type === 'QUOTE_DOUBLE');
  const q = (s: string): string => (quoteKeys ? `"${s}"` : s);
  const rendered = `${q(key)}: ${typeof value === 'string' ? q(value) : `{${q(value.key)}: ${q(value.value)}}`}`;
  const last = map.items[map.items.length - 1];
  if (!last) {
    const open = text.indexOf('{', range[0]);
    return open < 0 || open >= range[1] ? undefined : { file, start: open + 1, end: open + 1, newText: rendered };
  }
  const end = pairEnd(last);
  return end === undefined ? undefined : { file, start: end, end, newText: `, ${rendered}` };
}

/** Where a pair's value ends (the key's end when the value is empty). */
function pairEnd(pair: Pair): number | undefined {
  const value = pair.value as Node | null | undefined;
  if (value && value.range && !(isScalar(value) && value.range[0] === value.range[1])) return value.range[1];
  const key = pair.key as Node | null | undefined;
  if (!key?.range) return undefined;
  return key.range[1];
}

function lineStart(text: string, offset: number): number {
  let start = offset;
  while (start > 0 && text[start - 1] !== '\n' && text[start - 1] !== '\r') start--;
  return start;
}

/** The file's indentation step: the column difference between a key and the keys of its nested block mapping (2 when none is found). */
function indentStep(text: string, root: Node): number {
  const stack: Array<{ node: unknown; depth: number }> = [{ node: root, depth: 0 }];
  while (stack.length > 0) {
    const { node, depth } = stack.pop()!;
    if (!isMap(node) || node.flow || depth > 12) continue;
    for (const pair of node.items) {
      const child = pair.value;
      if (isMap(child) && !child.flow && isScalar(pair.key) && pair.key.range) {
        const childKey = child.items[0]?.key;
        if (isScalar(childKey) && childKey.range) {
          const column = (offset: number): number => offset - lineStart(text, offset);
          const step = column(childKey.range[0]) - column(pair.key.range[0]);
          if (step > 0 && lineStart(text, childKey.range[0]) !== lineStart(text, pair.key.range[0])) return step;
        }
      }
      if (isMap(child)) stack.push({ node: child, depth: depth + 1 });
    }
  }
  return 2;
}
