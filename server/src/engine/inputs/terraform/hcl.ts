// A small recovering HCL (Terraform) parser: blocks, attributes and literal or reference expressions, each with its exact span. Never throws.
//
// It reads what the linker needs, not all of HCL: an expression is kept as its text and span, and
// classified only when it is a literal (number, string without interpolation, bool) or a plain
// reference (`var.idle`, `aws_lb.main.arn`, `"${var.idle}"`). Anything else is `other`: unknown.
import type { FileId, Problem, Span } from '../../types.js';

export type HclExpr =
  | { kind: 'number'; value: number; span: Span }
  | { kind: 'string'; value: string; span: Span }
  | { kind: 'bool'; value: boolean; span: Span }
  | { kind: 'ref'; path: string[]; span: Span }
  | { kind: 'other'; text: string; span: Span };

export interface HclAttribute {
  name: string;
  nameSpan: Span;
  value: HclExpr;
}

export interface HclBlock {
  type: string;
  typeSpan: Span;
  labels: Array<{ text: string; span: Span }>;
  body: HclBody;
  /** From the block type to its closing brace. */
  span: Span;
}

export interface HclBody {
  attributes: HclAttribute[];
  blocks: HclBlock[];
}

export interface HclFile {
  file: FileId;
  body: HclBody;
  problems: Problem[];
}

/** Blocks nest deeper than this only in hostile files: the rest is left out and reported. */
const MAX_DEPTH = 64;
const IDENT_START = /[A-Za-z_]/;
const IDENT = /[A-Za-z0-9_-]/;

export function parseHcl(file: FileId, text: string): HclFile {
  const parser = new HclParser(file, text);
  const body = parser.body(false, 0);
  return { file, body, problems: parser.problems };
}

class HclParser {
  pos = 0;
  readonly problems: Problem[] = [];

  constructor(
    private readonly file: FileId,
    private readonly text: string,
  ) {}

  body(closing: boolean, depth: number): HclBody {
    const body: HclBody = { attributes: [], blocks: [] };
    const text = this.text;
    for (;;) {
      this.skipSpace(true);
      if (this.pos >= text.length) {
        if (closing) this.problem('syntax', 'a block is not closed: "}" expected before the end of the file', text.length, text.length);
        return body;
      }
      const ch = text[this.pos]!;
      if (ch === '}') {
        if (closing) {
          this.pos++;
          return body;
        }
        this.problem('syntax', 'unexpected "}"', this.pos, this.pos + 1);
        this.pos++;
        continue;
      }
      if (!IDENT_START.test(ch)) {
        this.problem('syntax', `unexpected "${ch}": an attribute or a block expected`, this.pos, this.pos + 1);
        this.skipLine();
        continue;
      }
      const nameStart = this.pos;
      const name = this.ident();
      const nameSpan = this.span(nameStart, this.pos);
      this.skipSpace(false);
      if (text[this.pos] === '=' && text[this.pos + 1] !== '=') {
        this.pos++;
        body.attributes.push({ name, nameSpan, value: this.expression() });
        continue;
      }
      const labels: HclBlock['labels'] = [];
      while (this.pos < text.length && (text[this.pos] === '"' || IDENT_START.test(text[this.pos]!))) {
        const start = this.pos;
        const label = text[this.pos] === '"' ? this.quoted() : this.ident();
        labels.push({ text: label, span: this.span(start, this.pos) });
        this.skipSpace(false);
      }
      if (text[this.pos] !== '{') {
        this.problem('syntax', `"=" or "{" expected after ${name}`, this.pos, Math.min(text.length, this.pos + 1));
        this.skipLine();
        continue;
      }
      this.pos++;
      if (depth >= MAX_DEPTH) {
        this.problem('not-analysed', `not analysed: blocks nest more than ${MAX_DEPTH} deep`, nameStart, this.pos);
        this.skipBalanced();
        continue;
      }
      const inner = this.body(true, depth + 1);
      body.blocks.push({ type: name, typeSpan: nameSpan, labels, body: inner, span: this.span(nameStart, this.pos) });
    }
  }

  /** An attribute's value: up to the end of the line (or a closing brace) outside brackets, strings and heredocs. */
  private expression(): HclExpr {
    const text = this.text;
    this.skipSpace(false);
    const start = this.pos;
    let end = start;
    let depth = 0;
    while (this.pos < text.length) {
      const ch = text[this.pos]!;
      if (ch === '\n' && depth === 0) break;
      if (ch === '}' && depth === 0) break;
      if ((ch === '#' || (ch === '/' && text[this.pos + 1] === '/')) && depth === 0) {
        const newline = text.indexOf('\n', this.pos);
        this.pos = newline < 0 ? text.length : newline;
        break;
      }
      if (ch === '/' && text[this.pos + 1] === '*') {
        this.skipBlockComment();
        continue;
      }
      if (ch === '"') {
        this.quoted();
        end = this.pos;
        continue;
      }
      if (ch === '<' && text[this.pos + 1] === '<' && /[-A-Za-z_]/.test(text[this.pos + 2] ?? '')) {
        this.heredoc();
        end = this.pos;
        continue;
      }
      if (ch === '(' || ch === '[' || ch === '{') depth++;
      else if ((ch === ')' || ch === ']' || ch === '}') && depth > 0) depth--;
      this.pos++;
      if (!/\s/.test(ch)) end = this.pos;
    }
    const raw = text.slice(start, end);
    const span = this.span(start, end);
    if (raw === '') this.problem('syntax', 'a value expected after "="', start, start);
    return classify(raw, span);
  }

  /** A quoted string starting at `pos`, with `${…}` interpolations skipped as code; returns its raw inner text. */
  private quoted(): string {
    const text = this.text;
    const start = this.pos;
    this.pos++;
    while (this.pos < text.length) {
      const ch = text[this.pos]!;
      if (ch === '\\') {
        this.pos += 2;
        continue;
      }
      if (ch === '"') {
        this.pos++;
        return text.slice(start + 1, this.pos - 1);
      }
      if (ch === '\n') break;
      if ((ch === '$' || ch === '%') && text[this.pos + 1] === '{') {
        this.pos += 2;
        let depth = 1;
        while (this.pos < text.length && depth > 0 && text[this.pos] !== '\n') {
          const c = text[this.pos]!;
          if (c === '"') {
            this.quoted();
            continue;
          }
          if (c === '{') depth++;
          else if (c === '}') depth--;
          this.pos++;
        }
        continue;
      }
      this.pos++;
    }
    this.problem('syntax', 'a string is not closed', start, this.pos);
    return text.slice(start + 1, this.pos);
  }

  private heredoc(): void {
    const text = this.text;
    const match = /^<<-?([A-Za-z_][\w-]*)[ \t]*\r?\n/.exec(text.slice(this.pos, this.pos + 200));
    if (!match) {
      this.pos += 2;
      return;
    }
    const start = this.pos;
    this.pos += match[0].length;
    const marker = match[1]!;
    while (this.pos < text.length) {
      let lineEnd = text.indexOf('\n', this.pos);
      if (lineEnd < 0) lineEnd = text.length;
      const line = text.slice(this.pos, lineEnd).replace(/\r$/, '').trim();
      this.pos = lineEnd;
      if (line === marker) return;
      if (this.pos < text.length) this.pos++;
    }
    this.problem('syntax', `a heredoc is not closed by ${marker}`, start, this.pos);
  }

  private ident(): string {
    const start = this.pos;
    while (this.pos < this.text.length && IDENT.test(this.text[this.pos]!)) this.pos++;
    return this.text.slice(start, this.pos);
  }

  /** Skips spaces and comments; newlines too when `newlines`. */
  private skipSpace(newlines: boolean): void {
    const text = this.text;
    while (this.pos < text.length) {
      const ch = text[this.pos]!;
      if (ch === ' ' || ch === '\t' || ch === '\r' || (newlines && (ch === '\n' || ch === ';'))) this.pos++;
      else if (newlines && (ch === '#' || (ch === '/' && text[this.pos + 1] === '/'))) this.skipLine();
      else if (ch === '/' && text[this.pos + 1] === '*') this.skipBlockComment();
      else break;
    }
  }

  private skipLine(): void {
    const at = this.text.indexOf('\n', this.pos);
    this.pos = at < 0 ? this.text.length : at + 1;
  }

  private skipBlockComment(): void {
    const at = this.text.indexOf('*/', this.pos + 2);
    if (at < 0) this.problem('syntax', 'a comment is not closed', this.pos, this.text.length);
    this.pos = at < 0 ? this.text.length : at + 2;
  }

  /** Past the brace that closes the one just read (used for blocks too deep to read). */
  private skipBalanced(): void {
    let depth = 1;
    while (this.pos < this.text.length && depth > 0) {
      const ch = this.text[this.pos]!;
      if (ch === '"') {
        this.quoted();
        continue;
      }
      if (ch === '{') depth++;
      else if (ch === '}') depth--;
      this.pos++;
    }
  }

  private span(start: number, end: number): Span {
    return { file: this.file, start, end };
  }

  private problem(kind: Problem['kind'], message: string, start: number, end: number): void {
    this.problems.push({ kind, message, span: this.span(start, end) });
  }
}

const NUMBER = /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?$/;
const PLAIN_STRING = /^"((?:[^"\\$%]|\\.|\$(?!\{)|%(?!\{)|\$\$\{|%%\{)*)"$/;
const INTERPOLATED_REF = /^"\$\{\s*([A-Za-z_][\w-]*(?:\.[A-Za-z_][\w-]*|\[\d+\])+)\s*\}"$/;
const REF = /^[A-Za-z_][\w-]*(?:\.[A-Za-z_*][\w-]*|\[[^\]]*\])+$/;

function classify(raw: string, span: Span): HclExpr {
  if (NUMBER.test(raw)) return { kind: 'number', value: Number(raw), span };
  if (raw === 'true' || raw === 'false') return { kind: 'bool', value: raw === 'true', span };
  const plain = PLAIN_STRING.exec(raw);
  if (plain) return { kind: 'string', value: unescape(plain[1]!), span };
  const interpolated = INTERPOLATED_REF.exec(raw);
  const ref = interpolated?.[1] ?? (REF.test(raw) ? raw : undefined);
  if (ref) return { kind: 'ref', path: ref.replace(/\[[^\]]*\]/g, '').split('.'), span };
  return { kind: 'other', text: raw, span };
}

function unescape(text: string): string {
  return text.replace(/\$\$\{/g, '${').replace(/%%\{/g, '%{').replace(/\\(["\\nrt])/g, (_, c: string) => ({ n: '\n', r: '\r', t: '\t' } as Record<string, string>)[c] ?? c);
}
