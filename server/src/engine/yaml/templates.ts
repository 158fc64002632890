// Recognises Helm/Go-template, Jinja and envsubst expressions, which make a YAML value (or a whole document) unknown until rendered.
import { isCollection, isScalar, visit, type Document } from 'yaml';

// `{{ … }}` (Helm, Go templates, Jinja expressions), `{% … %}` (Jinja statements), `${VAR}` (envsubst, compose).
const TEMPLATE_EXPRESSION = /\{\{|\{%|\$\{[A-Za-z_]/;
// Only the first two change YAML structure; `${VAR}` is a plain scalar YAML reads without complaint.
const STRUCTURAL_TEMPLATE = /\{\{|\{%/;

/**
 * What the in-process Helm renderer prints where a value cannot be known offline (inputs/helm/render.ts):
 * the text itself, the same length quoted (inside flow collections) and an unknown mapping entry. The
 * YAML readers see them as template expressions, so the values are unknown to the rules.
 */
export const RENDERED_UNKNOWN = '${UNRESOLVED}';
export const RENDERED_UNKNOWN_QUOTED = '"${UNRESOLV}"';
export const RENDERED_UNKNOWN_ENTRY = '${U}: ${UNRE}';
const RENDERED_UNKNOWN_PARTS = /\$\{UNRESOLV(?:ED)?\}/g;

/** True when a text holds a value the renderer could not know (see {@link RENDERED_UNKNOWN}). */
export function holdsRenderedUnknown(text: string): boolean {
  return text.includes('${UNRESOLV');
}

/** A name as shown to users: the renderer's unknown parts read `<unknown>` (`${UNRESOLVED}-api` → `<unknown>-api`). */
export function displayName(text: string): string {
  return holdsRenderedUnknown(text) ? text.replace(RENDERED_UNKNOWN_PARTS, '<unknown>') : text;
}

/** True when a scalar's value contains a template expression, so its rendered value is unknown. */
export function containsTemplateExpression(text: string): boolean {
  return TEMPLATE_EXPRESSION.test(text);
}

/**
 * The first `{{ … }}` or `{% … %}` in `text[from, to)` that is not inside a comment line, as
 * offsets of the whole expression (to the end of the line when it is not closed there).
 */
export function findTemplateExpression(text: string, from: number, to: number): { start: number; end: number } | undefined {
  const pattern = /\{\{|\{%/g;
  pattern.lastIndex = from;
  for (let match = pattern.exec(text); match && match.index < to; match = pattern.exec(text)) {
    if (isInCommentLine(text, match.index)) continue;
    const closer = match[0] === '{{' ? '}}' : '%}';
    const lineEnd = endOfLine(text, match.index, to);
    const close = text.indexOf(closer, match.index + 2);
    const end = close >= 0 && close + closer.length <= lineEnd ? close + closer.length : lineEnd;
    return { start: match.index, end };
  }
  return undefined;
}

/** True when the text may hold `{{`/`{%` expressions that YAML parses as structure. */
export function mayHoldStructuralTemplate(text: string): boolean {
  return STRUCTURAL_TEMPLATE.test(text);
}

/**
 * The start offset of a template expression that YAML silently read as structure: an unquoted
 * `x: {{ .Values.x }}` is valid YAML (a flow mapping inside a flow mapping), so a parse without
 * errors does not mean the document is plain YAML. Quoted expressions are values, not structure.
 */
export function findTemplateParsedAsStructure(document: Document.Parsed, text: string): number | undefined {
  let found: number | undefined;
  visit(document, {
    Node(_key, node) {
      const start = node.range?.[0];
      if (start === undefined) return undefined;
      const structural =
        (isCollection(node) && node.flow && (text.startsWith('{{', start) || text.startsWith('{%', start))) ||
        (isScalar(node) && node.type === 'PLAIN' && text.startsWith('{%', start));
      if (!structural) return undefined;
      found = start;
      return visit.BREAK;
    },
  });
  return found;
}

function isInCommentLine(text: string, offset: number): boolean {
  let lineStart = offset;
  while (lineStart > 0 && text[lineStart - 1] !== '\n' && text[lineStart - 1] !== '\r') lineStart--;
  const before = text.slice(lineStart, offset);
  // A `#` at the start of the line or after a space starts a comment (YAML 1.2 §6.6); one inside quotes is rare enough to ignore.
  return /(^|\s)#/.test(before);
}

function endOfLine(text: string, from: number, limit: number): number {
  let i = from;
  while (i < limit && text[i] !== '\n' && text[i] !== '\r') i++;
  return i;
}
