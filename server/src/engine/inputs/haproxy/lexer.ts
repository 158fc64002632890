// Splits one HAProxy configuration line into words the way HAProxy's parse_line() does (src/tools.c), keeping each token's span.
import type { FileId, Span } from '../../types.js';
import type { HaproxyEnvRef, HaproxyWord } from './ast.js';

/**
 * HAProxy refuses a line with more words than this ("too many words"): `MAX_LINE_ARGS` in
 * include/haproxy/defaults.h (3.5-dev5).
 */
export const MAX_LINE_WORDS = 64;

export interface LexedLine {
  words: HaproxyWord[];
  /** The `#` comment ending the line, if any. */
  comment?: Span;
  /** Why HAProxy refuses the line, with the offending range; the words read before it are kept. */
  error?: { message: string; start: number; end: number };
  /** Text HAProxy silently drops (after a carriage return) or where it stops (a NUL). */
  notes: Array<{ message: string; start: number; end: number }>;
}

export interface LexContext {
  file: FileId;
  /** 1-based line number, the value of the `.LINE` pseudo-variable. */
  line: number;
  /** The current section's name (or kind), the value of `.SECTION`. */
  section: string;
  env: ReadonlyMap<string, string> | undefined;
}

const TEMPLATE_EXPRESSION = /\{\{|\{%|\}\}|%\}/;

/** C's isspace() without the line feed, which never occurs inside a line. */
function isBlank(c: number): boolean {
  return c === 32 || c === 9 || c === 11 || c === 12;
}
const isAlpha = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isHex = (c: number): boolean => isDigit(c) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);

/** Reads `text[start, end)`, one line without its line feed, from its first non-blank character. */
export function lexLine(text: string, start: number, end: number, ctx: LexContext): LexedLine {
  const out: LexedLine = { words: [], notes: [] };
  const span = (s: number, e: number): Span => ({ file: ctx.file, start: s, end: e });
  let squote = false;
  let dquote = false;
  let quoteAt = -1;
  let emptyQuote = false;
  // The token being read: its start, the words it makes so far (several only through `${VAR[*]}`), and flags.
  let tokenStart = -1;
  let parts: string[] = [];
  let hasArg = false;
  let quoted = false;
  let unresolved = false;
  let refs: HaproxyEnvRef[] = [];

  const begin = (at: number): void => {
    if (tokenStart >= 0) return;
    tokenStart = at;
    parts = [''];
    hasArg = false;
    quoted = false;
    unresolved = false;
    refs = [];
  };
  const emit = (s: string): void => {
    parts[parts.length - 1] += s;
    hasArg = true;
    emptyQuote = false;
  };
  const finish = (at: number): void => {
    if (tokenStart < 0) return;
    if (hasArg) {
      // A template expression (Jinja, Go templates, consul-template) is filled in before HAProxy reads the file.
      const templated = TEMPLATE_EXPRESSION.test(text.slice(tokenStart, at));
      for (const value of parts) {
        const word: HaproxyWord = { value, span: span(tokenStart, at), quoted };
        if (refs.length > 0) word.envRefs = refs;
        if (unresolved || templated) word.unresolved = true;
        out.words.push(word);
      }
    }
    tokenStart = -1;
  };
  const fail = (message: string, s: number, e: number): LexedLine => {
    finish(s);
    out.error = { message, start: s, end: Math.max(e, s + 1) };
    return out;
  };

  let i = start;
  while (i < end) {
    const c = text.charCodeAt(i);
    if (c === 0 || c === 13) {
      // parse_line() ends the line at a CR or NUL, even inside quotes.
      const rest = text.slice(i + 1, end);
      if (c === 0) out.notes.push({ message: 'NUL character: HAProxy stops reading the file here ("Stray NUL character")', start: i, end: i + 1 });
      else if (/[^ \t\v\f\r]/.test(rest)) out.notes.push({ message: 'HAProxy ignores the rest of a line after a carriage return', start: i, end });
      break;
    }
    if (c === 35 && !squote && !dquote) {
      let commentEnd = end;
      while (commentEnd > i && text.charCodeAt(commentEnd - 1) === 13) commentEnd--;
      out.comment = span(i, commentEnd);
      finish(i);
      i = end;
      break;
    }
    if (c === 34 && !squote) {
      begin(i);
      quoted = true;
      if (dquote) {
        if (emptyQuote) hasArg = true;
        dquote = false;
      } else {
        dquote = true;
        quoteAt = i;
        emptyQuote = true;
      }
      i++;
      continue;
    }
    if (c === 39 && !dquote) {
      begin(i);
      quoted = true;
      if (squote) {
        if (emptyQuote) hasArg = true;
        squote = false;
      } else {
        squote = true;
        quoteAt = i;
        emptyQuote = true;
      }
      i++;
      continue;
    }
    if (c === 92 && !squote) {
      begin(i);
      const n = i + 1 < end ? text.charCodeAt(i + 1) : -1;
      if (n === 32 || n === 92 || n === 35 || n === 39 || n === 34) {
        emit(String.fromCharCode(n));
        i += 2;
      } else if (n === 116 || n === 110 || n === 114) {
        emit(n === 116 ? '\t' : n === 110 ? '\n' : '\r');
        i += 2;
      } else if (n === 36 && dquote) {
        emit('$');
        i += 2;
      } else if (n === 120) {
        const h1 = i + 2 < end ? text.charCodeAt(i + 2) : -1;
        const h2 = i + 3 < end ? text.charCodeAt(i + 3) : -1;
        if (!isHex(h1) || !isHex(h2)) return fail('truncated or invalid hexadecimal sequence', i, Math.min(i + 4, end));
        emit(String.fromCharCode(parseInt(text.slice(i + 2, i + 4), 16)));
        i += 4;
      } else {
        // Any other pair is not an escape: the backslash stays, and the next character is read normally.
        emit('\\');
        i += 1;
      }
      continue;
    }
    if (isBlank(c) && !squote && !dquote) {
      finish(i);
      i++;
      continue;
    }
    if (c === 36 && dquote) {
      begin(i);
      const ref = readEnvRef(text, i, end, ctx);
      if ('error' in ref) return fail(ref.error, ref.at, ref.errorEnd);
      refs.push(ref.ref);
      if (ref.ref.value !== undefined) emitEnv(ref.ref.value, ref.ref.wordExpand);
      else {
        unresolved = true;
        hasArg = true;
        emptyQuote = false;
      }
      i = ref.next;
      continue;
    }
    begin(i);
    emit(text[i]!);
    i++;
  }
  if (squote || dquote) return fail('unmatched quote', quoteAt, end);
  finish(i);
  if (out.words.length > MAX_LINE_WORDS) {
    const extra = out.words[MAX_LINE_WORDS]!;
    out.error = { message: `too many words (HAProxy reads at most ${MAX_LINE_WORDS})`, start: extra.span.start, end: out.words[out.words.length - 1]!.span.end };
  }
  return out;

  function emitEnv(value: string, wordExpand: boolean): void {
    if (!wordExpand) {
      if (value.length > 0) emit(value);
      return;
    }
    // `${VAR[*]}` splits the value at spaces into separate words of the same token.
    emptyQuote = false;
    let k = 0;
    while (k < value.length) {
      if (isBlank(value.charCodeAt(k))) {
        while (k < value.length && isBlank(value.charCodeAt(k))) k++;
        if (hasArg) parts.push('');
        continue;
      }
      let e = k;
      while (e < value.length && !isBlank(value.charCodeAt(e))) e++;
      emit(value.slice(k, e));
      k = e;
    }
    if (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
  }
}

type EnvRead = { ref: HaproxyEnvRef; next: number } | { error: string; at: number; errorEnd: number };

/** Reads `$NAME`, `${NAME}`, `${NAME-default}` or `${NAME[*]}` at `at` (the `$`), inside double quotes. */
function readEnvRef(text: string, at: number, end: number, ctx: LexContext): EnvRead {
  let j = at + 1;
  const brace = j < end && text.charCodeAt(j) === 123 ? j : -1;
  if (brace >= 0) j++;
  const first = j < end ? text.charCodeAt(j) : -1;
  if (!isAlpha(first) && first !== 95 && first !== 46) {
    return { error: 'forbidden first character in environment variable name', at: j < end ? j : at, errorEnd: Math.min(j + 1, end) };
  }
  const nameStart = j;
  if (first === 46) j++;
  while (j < end) {
    const c = text.charCodeAt(j);
    if (!isAlpha(c) && !isDigit(c) && c !== 95) break;
    j++;
  }
  const name = text.slice(nameStart, j);
  let value: string | undefined;
  if (name.startsWith('.')) {
    if (name === '.LINE') value = String(ctx.line);
    else if (name === '.FILE') value = ctx.file;
    else if (name === '.SECTION') value = ctx.section;
    else return { error: `unknown pseudo-variable '${name}'`, at: nameStart, errorEnd: j };
  } else {
    value = ctx.env?.get(name);
  }
  let wordExpand = false;
  if (brace >= 0 && j < end && text.charCodeAt(j) === 91) {
    if (text.charCodeAt(j + 1) !== 42 || text.charCodeAt(j + 2) !== 93 || j + 2 >= end) {
      return { error: 'truncated or invalid word expansion sequence', at: j, errorEnd: Math.min(j + 3, end) };
    }
    wordExpand = true;
    j += 3;
  }
  let defaultValue: string | undefined;
  if (brace >= 0) {
    if (j < end && text.charCodeAt(j) === 45) {
      const close = text.indexOf('}', j);
      if (close < 0 || close >= end) return { error: 'unmatched brace in environment variable name', at, errorEnd: end };
      defaultValue = text.slice(j + 1, close);
      j = close;
    } else if (j >= end || text.charCodeAt(j) !== 125) {
      return { error: 'unmatched brace in environment variable name', at, errorEnd: Math.min(j + 1, end) };
    }
    j++;
  }
  const ref: HaproxyEnvRef = { name, span: { file: ctx.file, start: at, end: j }, wordExpand };
  if (defaultValue !== undefined) ref.defaultValue = defaultValue;
  if (value !== undefined) ref.value = value;
  return { ref, next: j };
}
