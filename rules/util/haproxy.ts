// Words and edits for HAProxy rules: where a setting comes from, and edits that keep indentation, quotes and line endings.
import type { HaproxySection, HaproxySetting } from '../../server/src/engine/inputs/haproxy/api.js';
import { indentationAt, type Span, type TextEdit, type WorkspaceModel } from '../../server/src/engine/rule-api.js';
import { placeOf } from './places.js';

/**
 * A duration as HAProxy reads it, always with a unit: a bare number would be milliseconds
 * (facts §20), the mistake these edits must never write.
 */
export function haproxyDuration(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0 && ms >= 120_000) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${Math.ceil(ms)}ms`;
}

/** Replaces a value token, keeping the quotes it was written with. */
export function replaceHaproxyValueEdit(model: WorkspaceModel, span: Span, value: string): TextEdit | undefined {
  const source = model.sources.get(span.file);
  if (!source) return undefined;
  const written = source.text.slice(span.start, span.end);
  // A value assembled from several tokens or an environment variable is not ours to rewrite.
  if (/[\s$\\]/.test(written)) return undefined;
  const quote = written.startsWith('"') || written.startsWith('\'') ? written[0]! : '';
  if (quote && !written.endsWith(quote)) return undefined;
  return { file: span.file, start: span.start, end: span.end, newText: `${quote}${value}${quote}` };
}

/**
 * Adds `statement` as the first line of a section, indented like the section's first statement
 * (four spaces when it has none), with the file's line ending.
 */
export function insertHaproxyStatementEdit(model: WorkspaceModel, section: HaproxySection, statement: string): TextEdit | undefined {
  const file = section.header.span.file;
  const source = model.sources.get(file);
  if (!source) return undefined;
  const { text, eol } = source;
  const first = section.statements[0];
  const indent = first && first.line !== section.header.line ? indentationAt(text, first.span.start) : '    ';
  const lineEnd = text.indexOf('\n', section.header.span.end);
  if (lineEnd < 0) return { file, start: text.length, end: text.length, newText: `${eol}${indent}${statement}${eol}` };
  return { file, start: lineEnd + 1, end: lineEnd + 1, newText: `${indent}${statement}${eol}` };
}

/** `set at haproxy.cfg:12`, `inherited from defaults at haproxy.cfg:5`, or `HAProxy default`. */
export function describeHaproxySetting(model: WorkspaceModel, setting: HaproxySetting<unknown>): string {
  const source = setting.source;
  if (source.kind === 'default') return 'HAProxy default';
  const at = placeOf(model, setting.valueSpan ?? source.statement.span);
  return source.kind === 'set' ? `set at ${at}` : `inherited from defaults at ${at}`;
}
