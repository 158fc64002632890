// Lexes a `*_by_lua_block` the way crossplane's Lua extension does (or OpenResty, which also knows long brackets).
import {
  escapedLineBreak, isPySpace, normalizeNewlines, skipEscape, skipOneSpace,
  TOKEN_CLOSE, TOKEN_COMMENT, TOKEN_LUA, TOKEN_OPEN, TOKEN_SEMI, TOKEN_WORD,
} from './tokens.js';

export interface LuaToken {
  kind: number;
  start: number;
  end: number;
  line: number;
  value: string;
  cutAtEof: boolean;
}

export interface LuaLex {
  tokens: LuaToken[];
  /** Where ordinary lexing resumes, and its line. */
  pos: number;
  line: number;
  /** crossplane's "expected { to start Lua block", raised once `tokens` have been read. */
  fatal?: { line: number; offset: number };
  /** nginx mode: what to report. */
  problem?: { message: string; start: number; end: number };
  /** nginx mode: crossplane would read this text differently. */
  quirk: boolean;
  /** The body ran to the end of the file. */
  unterminated: boolean;
  /** A whole block was read, so the next token starts a statement. */
  complete: boolean;
}

/**
 * Reads what follows a Lua block directive name: for `set_by_lua_block` the variable (up to
 * whitespace, whatever it contains), then the body between braces as one token, then the `;`
 * crossplane synthesises. In crossplane mode a token cut off by the end of the file is dropped.
 */
export function lexLuaDirective(text: string, pos: number, line: number, name: string, crossplaneMode: boolean): LuaLex {
  const len = text.length;
  const out: LuaLex = { tokens: [], pos: len, line, quirk: false, unterminated: false, complete: false };
  let i = pos;
  if (name === 'set_by_lua_block') {
    [i, line] = skipSpaces(text, i, line);
    if (i >= len) return { ...out, line };
    const argStart = i;
    while (i < len && !isPySpace(text.charCodeAt(i))) {
      if (text.charCodeAt(i) !== 92) i++;
      else if (i + 1 >= len) i = len;
      else {
        i = skipEscape(text, i);
        if (escapedLineBreak(text, i)) line++;
      }
    }
    const value = normalizeNewlines(text.slice(argStart, i));
    if (i >= len) {
      if (!crossplaneMode) {
        out.quirk = true;
        out.tokens.push(variableToken(value, argStart, len, line, true));
      }
      return { ...out, line };
    }
    const argEnd = i;
    // crossplane yields the variable with the line of the whitespace character after it.
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) line++;
    i = skipOneSpace(text, i);
    out.tokens.push(variableToken(value, argStart, argEnd, line, false));
  }
  [i, line] = skipSpaces(text, i, line);
  if (i >= len) return { ...out, line };
  if (text.charCodeAt(i) !== 123) {
    const c = text.charCodeAt(i);
    const n = text.charCodeAt(i + 1);
    out.fatal = { line: c === 92 && (n === 10 || n === 13) ? line + 1 : line, offset: i };
    if (!crossplaneMode) out.problem = { message: `expected "{" to start the Lua code of "${name}"`, start: i, end: i + 1 };
    return { ...out, pos: i, line };
  }
  const scan = scanLuaBody(text, i + 1, line, !crossplaneMode);
  out.quirk = scan.longBracket;
  if (scan.close < 0) {
    out.unterminated = true;
    if (!crossplaneMode) {
      out.quirk = true;
      out.problem = { message: `unexpected end of file, expecting "}" to close the Lua code of "${name}"`, start: i, end: i + 1 };
      out.tokens.push({ kind: TOKEN_LUA, start: i, end: len, line: scan.line, value: normalizeNewlines(text.slice(i + 1)), cutAtEof: true });
    }
    return { ...out, line: scan.line };
  }
  const close = scan.close;
  out.tokens.push({ kind: TOKEN_LUA, start: i, end: close + 1, line: scan.line, value: normalizeNewlines(text.slice(i + 1, close)), cutAtEof: false });
  out.tokens.push({ kind: TOKEN_SEMI, start: close + 1, end: close + 1, line: scan.line, value: ';', cutAtEof: false });
  return { ...out, pos: close + 1, line: scan.line, complete: true };
}

/** crossplane yields the variable unquoted, so its parser treats `{`, `}`, `;` and `#…` as such. */
function variableToken(value: string, start: number, end: number, line: number, cutAtEof: boolean): LuaToken {
  const kind = value === '{' ? TOKEN_OPEN : value === '}' ? TOKEN_CLOSE : value === ';' ? TOKEN_SEMI : value.startsWith('#') ? TOKEN_COMMENT : TOKEN_WORD;
  return { kind, start, end, line, value: kind === TOKEN_COMMENT ? value.slice(1) : value, cutAtEof };
}

function skipSpaces(text: string, i: number, line: number): [number, number] {
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (!isPySpace(c)) break;
    if (c === 10 || c === 13) line++;
    i = skipOneSpace(text, i);
  }
  return [i, line];
}

interface LuaBodyScan {
  /** Offset of the closing `}`, or -1 when the file ends first. */
  close: number;
  /** Line at the closing `}` (or at the end of the file). */
  line: number;
  /** A Lua long bracket (`[[ ]]`, `--[[ ]]`) was understood; crossplane would have counted its braces. */
  longBracket: boolean;
}

/**
 * Scans from just after the opening `{`. Braces count unless they are inside a quoted string or
 * a `--` comment, and a backslash pairs with the next character, all as crossplane does. With
 * `longBrackets` (nginx mode) Lua long strings and long comments are skipped too, as OpenResty's
 * own block parser does; crossplane does not understand them.
 */
function scanLuaBody(text: string, from: number, line: number, longBrackets: boolean): LuaBodyScan {
  const len = text.length;
  let depth = 1;
  let i = from;
  let longBracket = false;
  const cut = (): LuaBodyScan => ({ close: -1, line, longBracket });
  while (i < len) {
    const c = text.charCodeAt(i);
    if (c === 45 /* - */) {
      if (i + 1 >= len) return cut();
      if (text.charCodeAt(i + 1) !== 45) {
        i++;
        continue;
      }
      if (longBrackets) {
        const level = longBracketLevel(text, i + 2);
        if (level >= 0) {
          longBracket = true;
          const end = skipLongBracket(text, i + 2, level);
          if (end < 0) return cut();
          line += countLines(text, i, end);
          i = end;
          continue;
        }
      }
      // A line comment runs to a real line break; an escaped line break does not end it.
      i += 2;
      for (;;) {
        if (i >= len) return cut();
        const d = text.charCodeAt(i);
        if (d === 10 || d === 13) {
          line++;
          i += d === 13 && text.charCodeAt(i + 1) === 10 ? 2 : 1;
          break;
        }
        if (d === 92) {
          if (i + 1 >= len) return cut();
          i = skipEscape(text, i);
          if (escapedLineBreak(text, i)) line++;
          continue;
        }
        i++;
      }
      continue;
    }
    if (c === 123) {
      depth++;
      i++;
      continue;
    }
    if (c === 125) {
      if (--depth === 0) return { close: i, line, longBracket };
      i++;
      continue;
    }
    if (c === 34 || c === 39) {
      i++;
      for (;;) {
        if (i >= len) return cut();
        const d = text.charCodeAt(i);
        if (d === c) {
          i++;
          break;
        }
        if (d === 92) {
          if (i + 1 >= len) return cut();
          i = skipEscape(text, i);
          if (escapedLineBreak(text, i)) line++;
          continue;
        }
        if (d === 10) line++;
        else if (d === 13) {
          line++;
          if (text.charCodeAt(i + 1) === 10) i++;
        }
        i++;
      }
      continue;
    }
    if (c === 91 /* [ */ && longBrackets) {
      const level = longBracketLevel(text, i);
      if (level >= 0) {
        longBracket = true;
        const end = skipLongBracket(text, i, level);
        if (end < 0) return cut();
        line += countLines(text, i, end);
        i = end;
        continue;
      }
    }
    if (c === 92) {
      if (i + 1 >= len) return cut();
      i = skipEscape(text, i);
      if (escapedLineBreak(text, i)) line++;
      continue;
    }
    if (c === 10) line++;
    else if (c === 13) {
      line++;
      if (text.charCodeAt(i + 1) === 10) i++;
    }
    i++;
  }
  return cut();
}

/** The level of a long bracket opening at `i` (`[[` is 0, `[=[` is 1), or -1. */
function longBracketLevel(text: string, i: number): number {
  if (text.charCodeAt(i) !== 91) return -1;
  let j = i + 1;
  while (text.charCodeAt(j) === 61 /* = */) j++;
  return text.charCodeAt(j) === 91 ? j - i - 1 : -1;
}

/** Offset after the long bracket that closes one opened at `i`, or -1 at end of file. */
function skipLongBracket(text: string, i: number, level: number): number {
  const closing = `]${'='.repeat(level)}]`;
  const end = text.indexOf(closing, i + level + 2);
  return end < 0 ? -1 : end + closing.length;
}

function countLines(text: string, from: number, to: number): number {
  let lines = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) lines++;
    else if (c === 13) {
      lines++;
      if (text.charCodeAt(i + 1) === 10) i++;
    }
  }
  return lines;
}
