// Splits a Go text/template source into tokens: text between actions, delimiters with their trim markers, and the tokens inside actions.

export type TokenKind =
  | 'text'
  | 'leftDelim'
  | 'rightDelim'
  | 'space'
  | 'identifier'
  | 'keyword'
  | 'field'
  | 'variable'
  | 'dot'
  | 'char'
  | 'string'
  | 'rawString'
  | 'number'
  | 'bool'
  | 'nil'
  | 'pipe'
  | 'leftParen'
  | 'rightParen'
  | 'declare'
  | 'assign'
  | 'comma'
  | 'eof';

export interface Token {
  kind: TokenKind;
  /** The token's text (for `text`, after trimming; for delimiters, the delimiter with its trim marker). */
  text: string;
  /** UTF-16 offsets into the template source, half-open. */
  start: number;
  end: number;
}

export class TemplateSyntaxError extends Error {
  constructor(message: string, readonly offset: number) {
    super(message);
  }
}

const KEYWORDS = new Set(['block', 'break', 'continue', 'define', 'else', 'end', 'if', 'range', 'template', 'with']);
const LEFT = '{{';
const RIGHT = '}}';
const TRIM_SPACE = /[ \t\r\n]/;

const isSpace = (c: string | undefined) => c === ' ' || c === '\t' || c === '\r' || c === '\n';
const isAlnum = (c: string | undefined) => c !== undefined && /[\p{L}\p{Nd}_]/u.test(c);

/**
 * Lexes a whole template. Comments produce no token, but their trim markers apply to the text around
 * them. Throws TemplateSyntaxError (caught by the parser's caller) with the offset of the fault.
 */
export function lex(src: string): Token[] {
  const tokens: Token[] = [];
  let pos = 0;
  // Whether the previous action ended with `-}}`: the next text loses its leading whitespace.
  let trimNext = false;
  while (pos <= src.length) {
    const open = src.indexOf(LEFT, pos);
    const textEnd = open < 0 ? src.length : open;
    let textStart = pos;
    let trimmedEnd = textEnd;
    if (trimNext) while (textStart < textEnd && TRIM_SPACE.test(src[textStart]!)) textStart++;
    const trimLeft = open >= 0 && src[open + 2] === '-' && isSpace(src[open + 3]);
    if (trimLeft) while (trimmedEnd > textStart && TRIM_SPACE.test(src[trimmedEnd - 1]!)) trimmedEnd--;
    if (trimmedEnd > textStart) tokens.push({ kind: 'text', text: src.slice(textStart, trimmedEnd), start: textStart, end: trimmedEnd });
    if (open < 0) break;
    const afterDelim = open + (trimLeft ? 3 : 2);
    // A comment must follow the delimiter directly (after the trim marker and its space).
    const commentStart = trimLeft ? afterDelim + 1 : afterDelim;
    if (src.startsWith('/*', commentStart)) {
      const close = src.indexOf('*/', commentStart + 2);
      if (close < 0) throw new TemplateSyntaxError('unclosed comment', open);
      let after = close + 2;
      let trimRight = false;
      if (src[after] === ' ' || src[after] === '\t' || src[after] === '\r' || src[after] === '\n') {
        if (src[after + 1] === '-' && src.startsWith(RIGHT, after + 2)) {
          trimRight = true;
          after += 2;
        }
      }
      if (!src.startsWith(RIGHT, after)) throw new TemplateSyntaxError('comment ends before closing delimiter', close);
      pos = after + 2;
      trimNext = trimRight;
      continue;
    }
    tokens.push({ kind: 'leftDelim', text: src.slice(open, afterDelim), start: open, end: afterDelim });
    const lexed = lexAction(src, afterDelim, tokens);
    pos = lexed.end;
    trimNext = lexed.trimRight;
  }
  tokens.push({ kind: 'eof', text: '', start: src.length, end: src.length });
  return tokens;
}

/** Lexes inside one action, up to and including its right delimiter. */
function lexAction(src: string, from: number, tokens: Token[]): { end: number; trimRight: boolean } {
  let pos = from;
  let parenDepth = 0;
  const push = (kind: TokenKind, start: number, end: number) => tokens.push({ kind, text: src.slice(start, end), start, end });
  for (;;) {
    // The right delimiter, with or without its trim marker (` -}}`).
    if (isSpace(src[pos]) && src[pos + 1] === '-' && src.startsWith(RIGHT, pos + 2)) {
      if (parenDepth > 0) throw new TemplateSyntaxError('unclosed left paren', pos);
      push('rightDelim', pos + 1, pos + 4);
      return { end: pos + 4, trimRight: true };
    }
    if (src.startsWith(RIGHT, pos)) {
      if (parenDepth > 0) throw new TemplateSyntaxError('unclosed left paren', pos);
      push('rightDelim', pos, pos + 2);
      return { end: pos + 2, trimRight: false };
    }
    const c = src[pos];
    if (c === undefined) throw new TemplateSyntaxError('unclosed action', from);
    const start = pos;
    if (isSpace(c)) {
      while (isSpace(src[pos]) && !(src[pos + 1] === '-' && src.startsWith(RIGHT, pos + 2))) pos++;
      if (pos === start) pos++;
      push('space', start, pos);
      continue;
    }
    if (c === '=') {
      push('assign', start, ++pos);
      continue;
    }
    if (c === ':') {
      if (src[pos + 1] !== '=') throw new TemplateSyntaxError('expected :=', pos);
      pos += 2;
      push('declare', start, pos);
      continue;
    }
    if (c === '|') {
      push('pipe', start, ++pos);
      continue;
    }
    if (c === ',') {
      push('comma', start, ++pos);
      continue;
    }
    if (c === '(') {
      parenDepth++;
      push('leftParen', start, ++pos);
      continue;
    }
    if (c === ')') {
      parenDepth--;
      if (parenDepth < 0) throw new TemplateSyntaxError('unexpected right paren', pos);
      push('rightParen', start, ++pos);
      continue;
    }
    if (c === '"') {
      pos++;
      for (;;) {
        const d = src[pos];
        if (d === undefined || d === '\n') throw new TemplateSyntaxError('unterminated quoted string', start);
        if (d === '\\') {
          pos += 2;
          continue;
        }
        pos++;
        if (d === '"') break;
      }
      push('string', start, pos);
      continue;
    }
    if (c === '`') {
      const close = src.indexOf('`', pos + 1);
      if (close < 0) throw new TemplateSyntaxError('unterminated raw quoted string', start);
      pos = close + 1;
      push('rawString', start, pos);
      continue;
    }
    if (c === "'") {
      pos++;
      for (;;) {
        const d = src[pos];
        if (d === undefined || d === '\n') throw new TemplateSyntaxError('unterminated character constant', start);
        if (d === '\\') {
          pos += 2;
          continue;
        }
        pos++;
        if (d === "'") break;
      }
      push('char', start, pos);
      continue;
    }
    if (c === '$') {
      pos++;
      while (isAlnum(src[pos])) pos++;
      push('variable', start, pos);
      continue;
    }
    if (c === '.') {
      if (/[0-9]/.test(src[pos + 1] ?? '')) {
        pos = lexNumber(src, pos);
        push('number', start, pos);
        continue;
      }
      pos++;
      if (!isAlnum(src[pos])) {
        push('dot', start, pos);
        continue;
      }
      while (isAlnum(src[pos])) pos++;
      push('field', start, pos);
      continue;
    }
    if (c === '+' || c === '-' || /[0-9]/.test(c)) {
      pos = lexNumber(src, pos);
      push('number', start, pos);
      continue;
    }
    if (isAlnum(c)) {
      while (isAlnum(src[pos])) pos++;
      const word = src.slice(start, pos);
      push(word === 'true' || word === 'false' ? 'bool' : word === 'nil' ? 'nil' : KEYWORDS.has(word) ? 'keyword' : 'identifier', start, pos);
      continue;
    }
    throw new TemplateSyntaxError(`unrecognized character in action: ${JSON.stringify(c)}`, pos);
  }
}

/** Scans a Go number literal (sign, base prefix, digits with underscores, fraction, exponent, imaginary suffix). */
function lexNumber(src: string, from: number): number {
  let pos = from;
  if (src[pos] === '+' || src[pos] === '-') pos++;
  let digits = /[0-9_]/;
  let exponent = /[eE]/;
  if (src[pos] === '0' && /[xXoObB]/.test(src[pos + 1] ?? '')) {
    const base = src[pos + 1]!.toLowerCase();
    pos += 2;
    digits = base === 'x' ? /[0-9a-fA-F_]/ : base === 'o' ? /[0-7_]/ : /[01_]/;
    exponent = base === 'x' ? /[pP]/ : /(?!)/;
  }
  while (digits.test(src[pos] ?? '')) pos++;
  if (src[pos] === '.') {
    pos++;
    while (digits.test(src[pos] ?? '')) pos++;
  }
  if (exponent.test(src[pos] ?? '')) {
    pos++;
    if (src[pos] === '+' || src[pos] === '-') pos++;
    while (/[0-9_]/.test(src[pos] ?? '')) pos++;
  }
  if (src[pos] === 'i') pos++;
  if (isAlnum(src[pos]) || src[pos] === '.') throw new TemplateSyntaxError(`bad number syntax: ${JSON.stringify(src.slice(from, pos + 1))}`, from);
  return pos;
}
