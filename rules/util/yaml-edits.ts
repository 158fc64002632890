// Minimal text edits to YAML manifests: replace a scalar keeping its style, insert or remove a mapping entry, set an annotation.
import { isAlias, isMap, isScalar, type Node, type Pair, type YAMLMap } from 'yaml';
import { plainScalarType, type FileId, type ScalarFact, type Span, type TextEdit } from '../../server/src/engine/rule-api.js';
import type { K8sObject } from '../../server/src/engine/inputs/k8s/api.js';

/** The text of one YAML file as the engine holds it (BOM stripped) and its line ending. */
export interface YamlSource {
  file: FileId;
  text: string;
  eol: '\n' | '\r\n';
}

export type QuoteStyle = 'double' | 'single';

/**
 * Replaces a scalar's value and keeps how it was written: `"300s"` → `"300"`, `'300s'` → `'300'`.
 * A plain scalar stays plain unless the new text would no longer be a plain string; with
 * `mustBeString` (annotation values, ConfigMap data) a plain `300s` becomes `"300"`, because a plain
 * `300` is an integer and the API server rejects it where a string belongs. Block scalars
 * (`|`, `>`) are not edited: undefined.
 */
export function replaceScalarEdit(scalar: ScalarFact, value: string, options: { mustBeString?: boolean } = {}): TextEdit | undefined {
  const { span } = scalar;
  switch (scalar.style) {
    case 'double':
      return edit(span, renderScalar(value, 'double'));
    case 'single':
      return edit(span, renderScalar(value, 'single'));
    case 'plain':
      return edit(span, canBePlain(value, options.mustBeString ?? false) ? value : renderScalar(value, 'double'));
    default:
      return undefined;
  }
}

/** Renames a mapping key in place (the key's quotes, if any, are kept). */
export function renameKeyEdit(source: YamlSource, keySpan: Span, newKey: string): TextEdit {
  const first = source.text[keySpan.start];
  const quote: QuoteStyle | undefined = first === '"' ? 'double' : first === '\'' ? 'single' : undefined;
  return edit(keySpan, quote ? renderScalar(newKey, quote) : canBePlain(newKey, true) ? newKey : renderScalar(newKey, 'double'));
}

/** A value as a YAML flow scalar in the given quote style. */
export function renderScalar(value: string, quote: QuoteStyle): string {
  if (quote === 'single') return `'${value.replace(/'/g, '\'\'')}'`;
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/**
 * Inserts `key: value` (value already rendered as YAML) as the last entry of a mapping: on its own
 * line with the indentation of the first key for a block mapping, or `, key: value` before the `}`
 * of a flow mapping. Undefined when the mapping has no usable source range.
 */
export function insertMapEntryEdit(source: YamlSource, map: YAMLMap, key: string, value: string): TextEdit | undefined {
  return insertEntryText(source, map, `${key}: ${value}`, (indent) => `${indent}${key}: ${value}`);
}

/**
 * Removes one entry of a mapping. In a block mapping the entry's whole lines go (line break
 * included) when the entry starts its line; in a flow mapping the entry and one adjacent comma go.
 */
export function removeMapEntryEdit(source: YamlSource, map: YAMLMap, pair: Pair): TextEdit | undefined {
  const keyRange = rangeOf(pair.key);
  if (!keyRange) return undefined;
  const index = map.items.indexOf(pair as Pair<unknown, unknown>);
  if (index < 0) return undefined;
  const { text } = source;
  if (map.flow) {
    const end = entryEnd(pair);
    const next = map.items[index + 1];
    if (next) {
      const nextStart = rangeOf(next.key)?.[0];
      return nextStart === undefined ? undefined : { file: source.file, start: keyRange[0], end: nextStart, newText: '' };
    }
    const previous = map.items[index - 1];
    if (!previous) return { file: source.file, start: keyRange[0], end, newText: '' };
    return { file: source.file, start: entryEnd(previous), end, newText: '' };
  }
  const lineStart = lineStartOf(text, keyRange[0]);
  if (text.slice(lineStart, keyRange[0]).trim() !== '') return undefined;
  return { file: source.file, start: lineStart, end: afterLineOf(text, entryEnd(pair)), newText: '' };
}

/**
 * Adds `key: value` (value rendered as YAML) to `metadata.annotations` of an object, which must
 * not have the key yet. Creates the `annotations:` map when it is missing, with the file's indentation
 * step and line ending. Undefined when the annotations live behind an alias or anchor (editing
 * them would change other objects too) or `metadata` is not a mapping written in this object.
 */
export function insertAnnotationEdit(source: YamlSource, object: K8sObject, key: string, value: string): TextEdit | undefined {
  const metadataPair = ownPair(object.node, 'metadata');
  const metadata = metadataPair?.value;
  if (!metadataPair || !isMap(metadata) || metadata.anchor) return undefined;
  const firstKey = metadata.items[0] ? rangeOf(metadata.items[0].key) : undefined;
  const step = indentStep(source.text, rangeOf(metadataPair.key)?.[0], firstKey?.[0]);
  const annotationsPair = ownPair(metadata, 'annotations');
  if (annotationsPair) {
    const annotations = annotationsPair.value;
    if (isAlias(annotations)) return undefined;
    if (isMap(annotations)) return annotations.anchor ? undefined : insertMapEntryEdit(source, annotations, key, value);
    if (!isScalar(annotations) && annotations !== null && annotations !== undefined) return undefined;
    if (isScalar(annotations) && annotations.value !== null) return undefined;
    // `annotations:` with no value (or an explicit null): give it its first entry.
    const nullRange = isScalar(annotations) ? rangeOf(annotations) : undefined;
    const keyRange = rangeOf(annotationsPair.key);
    if (!keyRange) return undefined;
    if (nullRange && nullRange[1] > nullRange[0]) {
      return { file: source.file, start: nullRange[0], end: nullRange[1], newText: `{${key}: ${value}}` };
    }
    if (metadata.flow) return undefined;
    const indent = ' '.repeat(keyRange[0] - lineStartOf(source.text, keyRange[0]) + step);
    const at = afterLineOf(source.text, nullRange?.[1] ?? keyRange[1]);
    return { file: source.file, start: at, end: at, newText: `${lineBreakBefore(source, at)}${indent}${key}: ${value}${source.eol}` };
  }
  if (metadata.flow || !firstKey) return insertEntryText(source, metadata, `annotations: {${key}: ${value}}`, () => '');
  const inner = ' '.repeat(step);
  return insertEntryText(source, metadata, '', (indent) => `${indent}annotations:${source.eol}${indent}${inner}${key}: ${value}`);
}

/**
 * Removes `metadata.annotations[key]`; when it is the only annotation, the whole `annotations:`
 * entry goes so that no empty map is left behind.
 */
export function removeAnnotationEdit(source: YamlSource, object: K8sObject, keySpan: Span): TextEdit | undefined {
  const metadata = ownPair(object.node, 'metadata')?.value;
  if (!isMap(metadata)) return undefined;
  const annotationsPair = ownPair(metadata, 'annotations');
  const annotations = annotationsPair?.value;
  if (!annotationsPair || !isMap(annotations) || annotations.anchor) return undefined;
  const pair = annotations.items.find((p) => rangeOf(p.key)?.[0] === keySpan.start);
  if (!pair) return undefined;
  if (annotations.items.length === 1) return removeMapEntryEdit(source, metadata, annotationsPair);
  return removeMapEntryEdit(source, annotations, pair);
}

/** The quote style most annotation values of an object use (double unless they are all single-quoted). */
export function annotationQuoteStyle(source: YamlSource, object: K8sObject): QuoteStyle {
  const metadata = ownPair(object.node, 'metadata')?.value;
  const annotations = isMap(metadata) ? ownPair(metadata, 'annotations')?.value : undefined;
  if (!isMap(annotations)) return 'double';
  const quotes = annotations.items.map((p) => {
    const range = rangeOf(p.value);
    return range ? source.text[range[0]] : undefined;
  });
  return quotes.length > 0 && quotes.every((q) => q === '\'') ? 'single' : 'double';
}

/** The source text of a scalar token exactly as written (quotes included). */
export function tokenText(source: YamlSource, span: Span): string {
  return source.text.slice(span.start, span.end);
}

// ---------------------------------------------------------------------------------------------

function edit(span: Span, newText: string): TextEdit {
  return { file: span.file, start: span.start, end: span.end, newText };
}

// Characters that would make a plain scalar mean something else or fail to parse.
const PLAIN_UNSAFE = /^[\s\-?:,[\]{}#&*!|>'"%@`]|[\s]$|: | #|[\n\r\t]/;

function canBePlain(value: string, mustBeString: boolean): boolean {
  if (value === '' || PLAIN_UNSAFE.test(value)) return false;
  return !mustBeString || plainScalarType(value) === 'string';
}

function rangeOf(node: unknown): [number, number] | undefined {
  const range = (node as Node | null | undefined)?.range;
  return range ? [range[0], range[1]] : undefined;
}

function ownPair(map: YAMLMap, key: string): Pair | undefined {
  return map.items.find((p) => isScalar(p.key) && String(p.key.value) === key) as Pair | undefined;
}

/** Where an entry ends: its value's end, or its key's when the value is empty. */
function entryEnd(pair: Pair): number {
  const value = rangeOf(pair.value);
  if (value && value[1] > value[0]) return value[1];
  return rangeOf(pair.key)?.[1] ?? 0;
}

function insertEntryText(source: YamlSource, map: YAMLMap, flowText: string, blockLine: (indent: string) => string): TextEdit | undefined {
  const { text } = source;
  const last = map.items[map.items.length - 1];
  if (map.flow) {
    const range = rangeOf(map);
    if (!range) return undefined;
    if (!last) {
      const close = text.lastIndexOf('}', range[1]);
      return close < range[0] ? undefined : { file: source.file, start: close, end: close, newText: flowText };
    }
    const at = entryEnd(last);
    return { file: source.file, start: at, end: at, newText: `, ${flowText}` };
  }
  const firstKey = map.items[0] ? rangeOf(map.items[0].key) : undefined;
  if (!last || !firstKey) return undefined;
  const at = afterLineOf(text, entryEnd(last));
  return { file: source.file, start: at, end: at, newText: `${lineBreakBefore(source, at)}${blockLine(columnIndent(text, firstKey[0]))}${source.eol}` };
}

/** A line break to put first when inserting at the very end of a file that has none there. */
function lineBreakBefore(source: YamlSource, at: number): string {
  return at === source.text.length && at > 0 && !/[\r\n]$/.test(source.text) ? source.eol : '';
}

/** The offset just after the line break of the line that contains `offset - 1` (comments on it are kept with it). */
function afterLineOf(text: string, offset: number): number {
  if (offset > 0 && text[offset - 1] === '\n') return offset;
  const newline = text.indexOf('\n', offset);
  return newline < 0 ? text.length : newline + 1;
}

function lineStartOf(text: string, offset: number): number {
  let i = offset;
  while (i > 0 && text[i - 1] !== '\n' && text[i - 1] !== '\r') i--;
  return i;
}

/** Spaces up to the column of `offset` (YAML indentation is spaces only). */
function columnIndent(text: string, offset: number): string {
  return ' '.repeat(offset - lineStartOf(text, offset));
}

/** The number of columns the file indents a mapping under its key (`metadata:` → `  name:`), 2 when that cannot be seen. */
function indentStep(text: string, parentKeyOffset: number | undefined, childKeyOffset: number | undefined): number {
  if (parentKeyOffset === undefined || childKeyOffset === undefined) return 2;
  const step = (childKeyOffset - lineStartOf(text, childKeyOffset)) - (parentKeyOffset - lineStartOf(text, parentKeyOffset));
  return step > 0 ? step : 2;
}
