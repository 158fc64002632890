// Edits to nginx files that keep indentation, line endings and comments: insert, replace, remove.
import { indentationAt, type Span, type TextEdit, type WorkspaceModel } from '../../server/src/engine/rule-api.js';
import type { NginxArg, NginxBlock, NginxDirective } from '../../server/src/engine/inputs/nginx/api.js';

/**
 * Inserts `statement` (e.g. `proxy_read_timeout 300s;`) as the first statement of a block, with the
 * indentation of the block's first statement and the file's line ending.
 */
export function insertStatementEdit(model: WorkspaceModel, block: NginxBlock, statement: string): TextEdit | undefined {
  const directive = block.directive;
  if (!directive || directive.blockOpen === undefined) return undefined;
  const file = directive.span.file;
  const source = model.sources.get(file);
  if (!source) return undefined;
  const { text, eol } = source;
  const nodes = directive.block ?? [];
  // A comment trailing the `{` on its line belongs to the header; insert before the first own-line node.
  const first = nodes.find((n) => startsOwnLine(text, n.span.start)) ?? nodes[0];
  if (first && startsOwnLine(text, first.span.start)) {
    const indent = indentationAt(text, first.span.start);
    const lineStart = first.span.start - indent.length;
    return { file, start: lineStart, end: lineStart, newText: `${indent}${statement}${eol}` };
  }
  const blockIndent = indentationAt(text, directive.span.start);
  const unit = blockIndent.includes('\t') ? '\t' : '    ';
  if (first) {
    // `location /x { proxy_pass http://a; }` on one line stays on one line.
    return { file, start: directive.blockOpen + 1, end: directive.blockOpen + 1, newText: ` ${statement}` };
  }
  const closeOnOwnLine = directive.blockClose !== undefined && startsOwnLine(text, directive.blockClose);
  const tail = closeOnOwnLine ? '' : `${eol}${blockIndent}`;
  return { file, start: directive.blockOpen + 1, end: directive.blockOpen + 1, newText: `${eol}${blockIndent}${unit}${statement}${tail}` };
}

/** Replaces one argument token, keeping its quotes. */
export function replaceArgEdit(arg: NginxArg, newValue: string): TextEdit {
  const quote = arg.quote ?? '';
  return { file: arg.span.file, start: arg.span.start, end: arg.span.end, newText: `${quote}${newValue}${quote}` };
}

/** Replaces all arguments of a directive with one value (for `keepalive_timeout 5s 5` style lists use replaceArgEdit). */
export function replaceArgsEdit(directive: NginxDirective, newValue: string): TextEdit | undefined {
  const first = directive.args[0];
  const last = directive.args[directive.args.length - 1];
  if (!first || !last) return undefined;
  // A value an envsubst variable supplies is changed where the variable is set, not by replacing the placeholder.
  if (directive.args.some((arg) => arg.written !== undefined)) return undefined;
  return { file: first.span.file, start: first.span.start, end: last.span.end, newText: newValue };
}

/** Removes a directive; when it stands alone on its line the whole line goes, line break included. */
export function removeDirectiveEdit(model: WorkspaceModel, directive: NginxDirective): TextEdit | undefined {
  const source = model.sources.get(directive.span.file);
  if (!source) return undefined;
  const { text } = source;
  let start = directive.span.start;
  let end = directive.span.end;
  while (start > 0 && (text[start - 1] === ' ' || text[start - 1] === '\t')) start--;
  let after = end;
  while (after < text.length && (text[after] === ' ' || text[after] === '\t')) after++;
  const ownLine = (start === 0 || text[start - 1] === '\n' || text[start - 1] === '\r') && (after >= text.length || text[after] === '\n' || text[after] === '\r');
  if (ownLine) {
    end = after;
    if (text[end] === '\r') end++;
    if (text[end] === '\n') end++;
  } else {
    // Something else shares the line (a trailing comment, another statement): keep it and its indentation.
    start = directive.span.start;
    end = after;
  }
  return { file: directive.span.file, start, end, newText: '' };
}

/** `location /v1/chat` — the block header, the span that "missing setting" findings point at. */
export function blockHeaderSpan(directive: NginxDirective): Span {
  const last = directive.args[directive.args.length - 1];
  return { file: directive.span.file, start: directive.nameSpan.start, end: last ? last.span.end : directive.nameSpan.end };
}

function startsOwnLine(text: string, offset: number): boolean {
  let i = offset;
  while (i > 0 && (text[i - 1] === ' ' || text[i - 1] === '\t')) i--;
  return i === 0 || text[i - 1] === '\n' || text[i - 1] === '\r';
}
