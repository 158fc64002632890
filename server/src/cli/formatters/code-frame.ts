// Source excerpts for terminal output: span positions, safe printing, colours, and the code frame.
import type { LintedFile } from '../../engine/report.js';
import { LineIndex, type Position } from '../../engine/text.js';
import type { FileId, Finding, Severity, Span } from '../../engine/types.js';
import { printable } from './escape.js';
import { maskCredentials } from '../../engine/inputs/ts/db/connection-string.js';

export { printable } from './escape.js';

/** A 1-based line and a 1-based column counted in UTF-16 code units (SARIF `utf16CodeUnits`). */
export interface LineColumn {
  line: number;
  column: number;
}

/** A 1-based range; `end` is exclusive, like SARIF's `endColumn`. */
export interface LineColumnRange {
  start: LineColumn;
  end: LineColumn;
}

/** Resolves spans to positions and file ids to the paths every formatter prints. */
export class SourceLocator {
  private readonly texts = new Map<FileId, string>();
  private readonly indexes = new Map<FileId, LineIndex>();
  private readonly prefix: string;

  constructor(files: readonly LintedFile[], cwdPrefix = '') {
    for (const file of files) this.texts.set(file.file, file.text);
    const slashed = cwdPrefix.replace(/\\/g, '/');
    this.prefix = slashed === '' || slashed.endsWith('/') ? slashed : `${slashed}/`;
  }

  /** False when the report has no text for the file, so positions are placeholders. */
  hasText(file: FileId): boolean {
    return this.texts.has(file);
  }

  lineIndex(file: FileId): LineIndex | undefined {
    let index = this.indexes.get(file);
    const text = this.texts.get(file);
    if (index === undefined && text !== undefined) {
      index = new LineIndex(text);
      this.indexes.set(file, index);
    }
    return index;
  }

  /**
   * The text of a zero-based line without its line break. Unlike `LineIndex.lineText` it runs no
   * regular expression over the line, so a megabyte-long line costs nothing per finding.
   */
  lineText(file: FileId, line: number): string {
    const text = this.texts.get(file) ?? '';
    const index = this.lineIndex(file);
    if (index === undefined) return '';
    const start = index.lineStart(line);
    let end = line + 1 < index.lineCount ? index.lineStart(line + 1) : text.length;
    if (end > start && text.charCodeAt(end - 1) === 10) end--;
    if (end > start && text.charCodeAt(end - 1) === 13) end--;
    return text.slice(start, end);
  }

  /** Zero-based positions of a span, or undefined when the file text is missing. */
  positions(span: Span): { start: Position; end: Position } | undefined {
    const index = this.lineIndex(span.file);
    if (index === undefined) return undefined;
    return { start: index.positionAt(span.start), end: index.positionAt(Math.max(span.start, span.end)) };
  }

  /** 1-based range of a span; 1:1-1:1 when the file text is missing (callers add a note). */
  range(span: Span): LineColumnRange {
    const positions = this.positions(span);
    if (positions === undefined) return { start: { line: 1, column: 1 }, end: { line: 1, column: 1 } };
    return { start: toLineColumn(positions.start), end: toLineColumn(positions.end) };
  }

  /** The path to print for a file id: the caller's prefix plus the workspace-relative id. */
  path(file: FileId): string {
    return this.prefix + file;
  }
}

function toLineColumn(position: Position): LineColumn {
  return { line: position.line + 1, column: position.character + 1 };
}

/** Said next to a finding whose file text is missing, so nobody trusts the 1:1 position. */
export const POSITION_UNKNOWN_NOTE = 'position unknown: the file text is not in the report';

/** ANSI styling that is a no-op when colour is off; plain SGR codes, no dependency. */
export interface Paint {
  bold(text: string): string;
  dim(text: string): string;
  underline(text: string): string;
  severity(severity: Severity, text: string): string;
}

export function createPaint(color: boolean): Paint {
  const sgr = (open: number, close: number) => (text: string) =>
    color && text !== '' ? `\u001b[${open}m${text}\u001b[${close}m` : text;
  const red = sgr(31, 39);
  const yellow = sgr(33, 39);
  const cyan = sgr(36, 39);
  return {
    bold: sgr(1, 22),
    dim: sgr(2, 22),
    underline: sgr(4, 24),
    severity: (severity, text) => (severity === 'error' ? red : severity === 'warning' ? yellow : cyan)(text),
  };
}

export interface CodeFrameOptions {
  color?: boolean;
  /** Prepended to every line of the frame. */
  indent?: string;
}

/**
 * A compiler-style excerpt of a finding: its source lines with `^^^` under the span, then one
 * `related:` line per related span, each followed by its own excerpt.
 */
export function formatCodeFrame(finding: Finding, locator: SourceLocator, options: CodeFrameOptions = {}): string[] {
  const paint = createPaint(options.color === true);
  const indent = options.indent ?? '';
  const lines = excerpt(finding.span, finding.severity, '^', locator, paint);
  for (const related of finding.related) {
    lines.push(`${paint.dim('related:')} ${relatedHeading(related.span, locator)}  ${printable(related.message)}`);
    // Related spans are underlined with '-', as rustc marks secondary spans, so '^' stays the finding.
    for (const line of excerpt(related.span, 'info', '-', locator, paint)) lines.push(line);
  }
  return lines.map((line) => (line === '' ? line : indent + line));
}

/** `path:line:col` of a span, with the missing-text note when positions are placeholders. */
export function relatedHeading(span: Span, locator: SourceLocator): string {
  const { start } = locator.range(span);
  const where = `${printable(locator.path(span.file))}:${start.line}:${start.column}`;
  return locator.hasText(span.file) ? where : `${where} (${POSITION_UNKNOWN_NOTE})`;
}

/** Spans longer than this many lines show their first two lines, an ellipsis and the last line. */
const MAX_SPAN_LINES = 4;
/** Tabs expand to the next multiple of this, in the excerpt and the underline alike. */
const TAB_WIDTH = 4;
/** Wider source lines are cut around the span so a minified file cannot flood the terminal. */
const MAX_LINE_CELLS = 160;
const CONTEXT_CELLS_BEFORE_SPAN = 40;

function excerpt(span: Span, severity: Severity, mark: '^' | '-', locator: SourceLocator, paint: Paint): string[] {
  const index = locator.lineIndex(span.file);
  const positions = locator.positions(span);
  if (index === undefined || positions === undefined) return [paint.dim(`  (${POSITION_UNKNOWN_NOTE})`)];
  const { start, end } = positions;
  // A span that stops right after a line break does not reach into the next line.
  const lastLine = end.line > start.line && end.character === 0 ? end.line - 1 : end.line;
  let shown = range(start.line, lastLine);
  if (shown.length > MAX_SPAN_LINES) shown = [start.line, start.line + 1, -1, lastLine];
  const gutterWidth = String(lastLine + 1).length;
  const gutter = (label: string) => paint.dim(`${label.padStart(gutterWidth)} |`);
  const out = [gutter('')];
  for (const line of shown) {
    if (line === -1) {
      out.push(paint.dim(`${'.'.repeat(Math.max(3, gutterWidth))}`));
      continue;
    }
    // A source line may hold a connection string: its password is starred out, same length, so the underline stays put.
    const text = maskCredentials(locator.lineText(span.file, line), { keepLength: true });
    // Continuation lines are underlined from their first non-blank character, not under the indentation.
    const from = line === start.line ? Math.min(start.character, text.length) : text.length - text.trimStart().length;
    const to = line === end.line ? Math.min(Math.max(end.character, from), text.length) : text.length;
    const rendered = renderLine(text, from, to);
    out.push(`${gutter(String(line + 1))} ${rendered.text}`.trimEnd());
    // An empty line in the middle of a multi-line span has nothing to underline.
    if (rendered.caretCount > 0 && (to > from || line === start.line)) {
      out.push(`${gutter('')} ${' '.repeat(rendered.caretColumn)}${paint.severity(severity, mark.repeat(rendered.caretCount))}`);
    }
  }
  return out;
}

function range(first: number, last: number): number[] {
  const out: number[] = [];
  for (let line = first; line <= last; line++) out.push(line);
  return out;
}

interface RenderedLine {
  text: string;
  caretColumn: number;
  caretCount: number;
}

/**
 * Lines longer than this many code units are cut to a stretch around the span before rendering,
 * so a minified or hostile one-line file (megabytes of `;`) costs no more than a short line.
 */
const MAX_RENDERED_UNITS = 4 * MAX_LINE_CELLS;

/** Renders one source line for display and places the underline for code units [from, to). */
export function renderLine(line: string, from: number, to: number): RenderedLine {
  if (line.length <= MAX_RENDERED_UNITS) return renderCut(line, from, to, false, false);
  let cutStart = Math.max(0, Math.min(from, line.length) - MAX_LINE_CELLS);
  let cutEnd = Math.min(line.length, cutStart + MAX_RENDERED_UNITS);
  // Never split a surrogate pair at either end of the cut.
  if (cutStart > 0 && isLowSurrogate(line.charCodeAt(cutStart))) cutStart--;
  if (cutEnd < line.length && isLowSurrogate(line.charCodeAt(cutEnd))) cutEnd++;
  const clamp = (unit: number) => Math.min(Math.max(unit - cutStart, 0), cutEnd - cutStart);
  return renderCut(line.slice(cutStart, cutEnd), clamp(from), clamp(to), cutStart > 0, cutEnd < line.length);
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

function renderCut(line: string, from: number, to: number, cutBefore: boolean, cutAfter: boolean): RenderedLine {
  const pieces: { unit: number; cell: number; text: string; width: number }[] = [];
  let cell = 0;
  for (let unit = 0; unit < line.length; ) {
    const codePoint = line.codePointAt(unit)!;
    const units = codePoint > 0xffff ? 2 : 1;
    let text = line.slice(unit, unit + units);
    let width: number;
    if (codePoint === 9) {
      width = TAB_WIDTH - (cell % TAB_WIDTH);
      text = ' '.repeat(width);
    } else {
      const shown = printable(text);
      // An escaped control takes the cells of what is shown (␛ one, <U+202E> eight), so carets stay aligned.
      width = shown === text ? cellWidth(codePoint) : shown.length;
      text = shown;
    }
    pieces.push({ unit, cell, text, width });
    cell += width;
    unit += units;
  }
  const totalCells = cell;
  const cellAt = (unit: number) => pieces.find((piece) => piece.unit >= unit)?.cell ?? totalCells;
  const caretStart = cellAt(from);
  // An empty span still gets one caret, so an insertion point is visible.
  const caretEnd = Math.max(cellAt(to), caretStart + 1);
  let windowStart = 0;
  let windowEnd = totalCells;
  if (totalCells > MAX_LINE_CELLS) {
    windowStart = Math.max(0, Math.min(caretStart - CONTEXT_CELLS_BEFORE_SPAN, totalCells - MAX_LINE_CELLS));
    windowEnd = windowStart + MAX_LINE_CELLS;
  }
  const visible = pieces.filter((piece) => piece.cell >= windowStart && piece.cell + piece.width <= windowEnd);
  const lead = windowStart > 0 || cutBefore ? '…' : '';
  const trail = windowEnd < totalCells || cutAfter ? '…' : '';
  const shift = (c: number) => Math.min(Math.max(c, windowStart), windowEnd + 1) - windowStart + lead.length;
  return {
    text: lead + visible.map((piece) => piece.text).join('') + trail,
    caretColumn: shift(caretStart),
    caretCount: Math.max(1, shift(caretEnd) - shift(caretStart)),
  };
}

/** Terminal cells of a code point: 0 for combining marks, 2 for East Asian wide and emoji. */
function cellWidth(codePoint: number): number {
  if ((codePoint >= 0x300 && codePoint <= 0x36f) || codePoint === 0x200d || (codePoint >= 0xfe00 && codePoint <= 0xfe0f)) {
    return 0;
  }
  const wide =
    (codePoint >= 0x1100 && codePoint <= 0x115f) ||
    (codePoint >= 0x2e80 && codePoint <= 0xa4cf) ||
    (codePoint >= 0xac00 && codePoint <= 0xd7a3) ||
    (codePoint >= 0xf900 && codePoint <= 0xfaff) ||
    (codePoint >= 0xfe30 && codePoint <= 0xfe4f) ||
    (codePoint >= 0xff00 && codePoint <= 0xff60) ||
    (codePoint >= 0xffe0 && codePoint <= 0xffe6) ||
    (codePoint >= 0x1f300 && codePoint <= 0x1faff) ||
    (codePoint >= 0x20000 && codePoint <= 0x3fffd);
  return wide ? 2 : 1;
}
