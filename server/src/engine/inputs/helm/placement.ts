// Places ranges of a rendered template back on the workspace: on the values-file text a printed value came from, else on the template text that printed it.
import { segmentIndexAt } from '../derived-sources.js';
import { isMap as isYamlMap, isScalar, isSeq, parseDocument, type Node as YamlNode } from 'yaml';
import type { Related, Span } from '../../types.js';
import type { DerivedSource } from '../input.js';
import type { FileId } from '../../types.js';
import type { CombinedValues, OutputSegment, Value, ValuesPath } from './template/index.js';

/** One render of one template with one values variant, and what is needed to place its ranges. */
export interface RenderedTemplate {
  /** The derived name: `<template file>@<values variant>`. */
  name: FileId;
  output: string;
  segments: readonly OutputSegment[];
  /** The rendered template's workspace file. */
  template: FileId;
  /** The variant's name as shown (`values.yaml`, `values-prod.yaml`). */
  variant: string;
  /** Workspace file of each engine template name (partials included). */
  templateFiles: ReadonlyMap<string, FileId>;
  values: CombinedValues;
  /** Texts of the values files, by workspace file. */
  valuesTexts: ReadonlyMap<FileId, string>;
}

/** A stretch of output and the workspace range it maps to, when that range holds the same text. */
interface Placed {
  span: Span;
  /** The workspace range is a values-file scalar (or key). */
  fromValues: boolean;
  /** Output offset where the workspace text starts being a verbatim copy (when it is one). */
  copyAt?: number;
  copyLength?: number;
  /**
   * A scalar `toYaml` printed from a values scalar: the printed token, which as a whole stands for the
   * written one (YAML types survive toYaml), so an edit of the whole token is an edit of the written one.
   */
  token?: { start: number; end: number };
}

/** Only this much of a `toYaml`'d value is re-read to find which values line each of its scalars came from. */
const MAX_SUBTREE_CHARS = 64 * 1024;

/** The derived source of a render, and the template range of an output range (whatever values it printed). */
export function derivedSourceOf(rendered: RenderedTemplate): DerivedSource & { templateRange(start: number, end: number): Span } {
  const { output, segments, values, valuesTexts } = rendered;
  const subScalars = new Map<OutputSegment, OutputScalar[]>();
  const fileOf = (segment: OutputSegment): FileId => rendered.templateFiles.get(segment.template) ?? rendered.template;

  /** Index of the segment holding output offset `at` (the last one for the end of the output). */
  const segmentAt = (at: number): number => segmentIndexAt(segments, at, output.length);

  /** The template range of output [start, end): exact inside template text, the whole action for printed values. */
  const onTemplate = (first: OutputSegment, start: number, end: number): Span => {
    const file = fileOf(first);
    const from = first.kind === 'text' ? first.srcStart + Math.min(start - first.outStart, first.srcEnd - first.srcStart) : first.srcStart;
    const lastIndex = segmentAt(Math.max(start, end - 1));
    const last = lastIndex >= 0 ? segments[lastIndex]! : first;
    let to = first.srcEnd;
    if (last === first) to = first.kind === 'text' ? Math.min(first.srcStart + (end - first.outStart), first.srcEnd) : first.srcEnd;
    else if (last.template === first.template) {
      const lastEnd = last.kind === 'text' ? last.srcStart + (end - last.outStart) : last.srcEnd;
      if (lastEnd >= from) to = Math.min(lastEnd, last.srcEnd);
    }
    return { file, start: from, end: Math.max(from, to) };
  };

  /** The values-file range of output [start, end) inside a segment that printed a value straight from `.Values`. */
  const onValues = (segment: OutputSegment, start: number): Placed | undefined => {
    const path = segment.valuesPath;
    if (!path) return undefined;
    const value = valueAt(values.values, path);
    if (value instanceof Map || Array.isArray(value)) {
      let scalars = subScalars.get(segment);
      if (!scalars) subScalars.set(segment, (scalars = scalarsOf(output, segment)));
      const scalar = scalars.find((s) => start >= s.outStart && start < Math.max(s.outEnd, s.outStart + 1));
      if (!scalar) return undefined;
      const located = values.locate([...path, ...scalar.path]);
      if (!located) return undefined;
      const { location } = located;
      const onKey = scalar.key && location.keyStart !== undefined && location.keyEnd !== undefined;
      const wStart = onKey ? location.keyStart! : location.valueStart;
      const wEnd = onKey ? location.keyEnd! : location.valueEnd;
      return { ...withCopy({ file: located.name, start: wStart, end: wEnd }, scalar.outStart, scalar.outEnd), token: { start: scalar.outStart, end: scalar.outEnd } };
    }
    if (value === undefined || value === null || typeof value === 'object') return undefined;
    const located = values.locate(path);
    if (!located) return undefined;
    return withCopy({ file: located.name, start: located.location.valueStart, end: located.location.valueEnd }, segment.outStart, segment.outEnd);
  };

  /** Where, in the output range, the values text appears verbatim (printed as written, or inside quotes). */
  const withCopy = (span: Span, outStart: number, outEnd: number): Placed => {
    const written = valuesTexts.get(span.file)?.slice(span.start, span.end);
    const printed = output.slice(outStart, outEnd);
    const at = written === undefined || written === '' ? -1 : printed.indexOf(written);
    return at < 0 ? { span, fromValues: true } : { span, fromValues: true, copyAt: outStart + at, copyLength: written!.length };
  };

  const place = (start: number, end: number): { placed: Placed; segment: OutputSegment } | undefined => {
    const index = segmentAt(start);
    if (index < 0) return undefined;
    const segment = segments[index]!;
    const fromValues = segment.valuesPath ? onValues(segment, start) : undefined;
    return { placed: fromValues ?? { span: onTemplate(segment, start, end), fromValues: false }, segment };
  };

  return {
    templateRange(start, end) {
      const index = segmentAt(start);
      return index < 0 ? { file: rendered.template, start: 0, end: 0 } : onTemplate(segments[index]!, start, end);
    },
    file: rendered.name,
    text: output,
    fallback: { file: rendered.template, start: 0, end: 0 },
    origin: (start, end) => place(start, end)?.placed.span,
    copiedFrom(start, end) {
      const found = place(start, end);
      if (found) {
        const { placed } = found;
        if (placed.token && start === placed.token.start && end === placed.token.end) return placed.span;
        if (placed.copyAt === undefined || start < placed.copyAt || end > placed.copyAt + placed.copyLength!) return undefined;
        return { file: placed.span.file, start: placed.span.start + (start - placed.copyAt), end: placed.span.start + (end - placed.copyAt) };
      }
      return undefined;
    },
    related(start, end): Related[] {
      const found = place(start, end);
      if (!found) return [];
      const { placed, segment } = found;
      const template = onTemplate(segment, start, end);
      if (placed.fromValues) return [{ span: template, message: `rendered by this template with ${rendered.variant}` }];
      if (template.file !== rendered.template) return [{ span: { file: rendered.template, start: 0, end: 0 }, message: `the template rendered with ${rendered.variant} that includes it` }];
      return [];
    },
  };
}

/** A scalar (or mapping key) of a value printed as YAML, with its path below the printed value. */
interface OutputScalar {
  outStart: number;
  outEnd: number;
  path: ValuesPath;
  key: boolean;
}

/** Re-reads the YAML a `toYaml` (and indent) printed, so each scalar in it is known by its path. */
function scalarsOf(output: string, segment: OutputSegment): OutputScalar[] {
  const text = output.slice(segment.outStart, segment.outEnd);
  if (text.length > MAX_SUBTREE_CHARS) return [];
  let document;
  try {
    document = parseDocument(text, { uniqueKeys: false, prettyErrors: false });
  } catch {
    return [];
  }
  if (document.errors.length > 0) return [];
  const found: OutputScalar[] = [];
  const at = (node: YamlNode | null | undefined, path: ValuesPath, key: boolean) => {
    if (!node || !isScalar(node) || !node.range) return;
    found.push({ outStart: segment.outStart + node.range[0], outEnd: segment.outStart + node.range[1], path, key });
  };
  const walk = (node: unknown, path: ValuesPath, depth: number): void => {
    if (depth > 100 || found.length > 10_000) return;
    if (isYamlMap(node)) {
      for (const pair of node.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
        if (key === undefined) continue;
        at(pair.key as YamlNode, [...path, key], true);
        if (isScalar(pair.value)) at(pair.value, [...path, key], false);
        else walk(pair.value, [...path, key], depth + 1);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, index) => (isScalar(item) ? at(item, [...path, index], false) : walk(item, [...path, index], depth + 1)));
    }
  };
  walk(document.contents, [], 0);
  return found;
}

function valueAt(root: Value, path: ValuesPath): Value | undefined {
  let current: Value | undefined = root;
  for (const step of path) {
    if (current instanceof Map && typeof step === 'string') current = current.get(step);
    else if (Array.isArray(current) && typeof step === 'number') current = current[step];
    else return undefined;
  }
  return current;
}
