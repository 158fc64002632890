// Splits nginx config text into tokens the way crossplane 0.5.7 does, or the way nginx does where crossplane has quirks.
import { lexLuaDirective, type LuaLex, type LuaToken } from './lua.js';
import {
  ASCII_CLASS, BACKSLASH, HASH, isPySpace, isUnicodeSpace, LUA_BLOCK_DIRECTIVES, NEWLINE, NORMAL, normalizeNewlines, QUOTE,
  SPACE, unquote, TOKEN_CLOSE, TOKEN_COMMENT, TOKEN_EOF, TOKEN_OPEN, TOKEN_QUOTED, TOKEN_SEMI, TOKEN_WORD,
} from './tokens.js';

export type ProblemSink = (message: string, start: number, end: number) => void;

const SPACE_NAMES: ReadonlyMap<number, string> = new Map([
  [0x0b, ' (vertical tab)'], [0x0c, ' (form feed)'], [0x85, ' (next line)'], [0xa0, ' (no-break space)'],
  [0x2028, ' (line separator)'], [0x2029, ' (paragraph separator)'], [0x202f, ' (narrow no-break space)'], [0x3000, ' (ideographic space)'],
]);

/**
 * A pull lexer: `next()` moves to the next token and exposes it through the public fields, so
 * the hot path allocates nothing but the token's string.
 *
 * In crossplane mode it reproduces crossplane's quirks exactly, including dropping a token that
 * runs into the end of the file. In nginx mode it keeps such tokens, ends `${x}` at whitespace,
 * understands Lua long brackets, and sets `quirk` whenever crossplane would have tokenised the
 * text differently.
 */
export class NginxLexer {
  kind = TOKEN_EOF;
  start = 0;
  end = 0;
  /** 1-based line of the token, counted the way crossplane counts it. */
  line = 1;
  value = '';
  quote: '"' | "'" | null = null;
  /** Line of the last token crossplane would yield (the line of its end-of-file error). */
  lastTokenLine = 0;
  /** nginx mode only: crossplane would tokenise this text differently somewhere. */
  quirk = false;
  /** A quoted string or Lua block ran to the end of the file (already reported). */
  unterminated = false;
  /** crossplane's "expected { to start Lua block", which ends its parse of the file. */
  luaFatal: { line: number; offset: number } | undefined;

  private pos = 0;
  private curLine = 1;
  /** crossplane's `next_token_is_directive`: whether a Lua directive name here starts a Lua block. */
  private directivePosition = true;
  private luaPending: string | null = null;
  private readonly queue: LuaToken[] = [];
  /** crossplane raises its Lua error only after the tokens queued before it have been read. */
  private luaFatalAfterQueue: { line: number; offset: number } | undefined;
  private readonly len: number;
  /** End of the last character reported by notNginxSpace, so a run of them is reported once. */
  private lastOddSpaceEnd = -1;

  constructor(
    private readonly text: string,
    private readonly crossplaneMode: boolean,
    private readonly onProblem: ProblemSink,
  ) {
    this.len = text.length;
  }

  next(): number {
    if (this.luaPending !== null) {
      const name = this.luaPending;
      this.luaPending = null;
      this.applyLua(lexLuaDirective(this.text, this.pos, this.curLine, name, this.crossplaneMode));
    }
    if (this.queue.length > 0) return this.emitQueued(this.queue.shift()!);
    if (this.luaFatalAfterQueue !== undefined) {
      this.luaFatal ??= this.luaFatalAfterQueue;
      this.luaFatalAfterQueue = undefined;
    }
    const text = this.text;
    const len = this.len;
    let pos = this.pos;
    let line = this.curLine;
    for (;;) {
      if (pos >= len) {
        this.pos = len;
        this.curLine = line;
        this.kind = TOKEN_EOF;
        this.start = this.end = len;
        return TOKEN_EOF;
      }
      const c = text.charCodeAt(pos);
      if (c < 128) {
        const k = ASCII_CLASS[c];
        if (k === SPACE) {
          if (c !== 32 && c !== 9 && !this.crossplaneMode) this.notNginxSpace(pos);
          pos++;
        } else if (k === NEWLINE) {
          line++;
          pos += c === 13 && text.charCodeAt(pos + 1) === 10 ? 2 : 1;
        } else break;
      } else if (isUnicodeSpace(c)) {
        if (!this.crossplaneMode) this.notNginxSpace(pos);
        pos++;
      } else break;
    }
    this.curLine = line;
    this.start = pos;
    this.line = line;
    this.quote = null;
    const c = text.charCodeAt(pos);
    if (c === 35) return this.lexComment(pos);
    if (c === 34 || c === 39) return this.lexQuoted(pos, c);
    if (c === 123 || c === 125 || c === 59) {
      this.pos = pos + 1;
      this.end = pos + 1;
      this.value = c === 123 ? '{' : c === 125 ? '}' : ';';
      this.directivePosition = true;
      this.lastTokenLine = line;
      this.kind = c === 123 ? TOKEN_OPEN : c === 125 ? TOKEN_CLOSE : TOKEN_SEMI;
      return this.kind;
    }
    return this.lexWord(pos);
  }

  /** A token that reached the end of the file: crossplane drops it and stops, nginx mode keeps it. */
  private cut(kind: number, end: number): number {
    this.pos = this.len;
    if (this.crossplaneMode) {
      this.kind = TOKEN_EOF;
      this.start = this.end = this.len;
      return TOKEN_EOF;
    }
    this.quirk = true;
    this.end = end;
    this.kind = kind;
    return kind;
  }

  private lexComment(pos: number): number {
    const text = this.text;
    const len = this.len;
    let i = pos + 1;
    for (;;) {
      if (i >= len) {
        this.value = text.slice(pos + 1, len);
        return this.cut(TOKEN_COMMENT, len);
      }
      const d = text.charCodeAt(i);
      if (d === 13 && text.charCodeAt(i + 1) !== 10 && !this.crossplaneMode) return this.commentToLineFeed(pos, i);
      if (d === 10 || d === 13) {
        this.pos = i;
        break;
      }
      if (d === 92) {
        // crossplane pairs a backslash with the next character everywhere, so a backslash before
        // the line break ends the comment and is not part of its text.
        if (i + 1 >= len) {
          this.value = text.slice(pos + 1, len);
          return this.cut(TOKEN_COMMENT, len);
        }
        const n = text.charCodeAt(i + 1);
        if (n === 10 || n === 13) {
          this.pos = i + (n === 13 && text.charCodeAt(i + 2) === 10 ? 3 : 2);
          this.curLine++;
          break;
        }
        i += 2;
        continue;
      }
      i++;
    }
    this.end = i;
    this.value = text.slice(pos + 1, i);
    this.lastTokenLine = this.line;
    this.kind = TOKEN_COMMENT;
    return TOKEN_COMMENT;
  }

  /**
   * nginx ends a comment at a line feed only (ngx_conf_read_token): after a carriage return that
   * is not part of a CRLF (old Mac line endings), the comment runs on to the next line feed and
   * hides the statements in between. crossplane (universal newlines) ends it at the CR.
   */
  private commentToLineFeed(pos: number, cr: number): number {
    const text = this.text;
    const lf = text.indexOf('\n', cr);
    const end = lf < 0 ? this.len : text.charCodeAt(lf - 1) === 13 ? lf - 1 : lf;
    // Lines are still counted the way crossplane counts them (a lone CR is a line break).
    for (let i = cr; i < end; i++) if (text.charCodeAt(i) === 13 && text.charCodeAt(i + 1) !== 10) this.curLine++;
    this.quirk = true;
    this.onProblem('nginx ends a comment only at a line feed: after this carriage return the comment runs on to the next line feed (or the end of the file), and nginx ignores the statements in between', cr, cr + 1);
    this.value = text.slice(pos + 1, end);
    if (end >= this.len) return this.cut(TOKEN_COMMENT, this.len);
    this.pos = end;
    this.end = end;
    this.lastTokenLine = this.line;
    this.kind = TOKEN_COMMENT;
    return TOKEN_COMMENT;
  }

  /**
   * nginx separates tokens with space, tab, CR and LF only (ngx_conf_read_token); other characters
   * Python calls whitespace (and crossplane splits on), such as U+00A0, are part of a token for
   * nginx: `events\u00a0{` is the unknown directive "events\u00a0". Reported once per run of them.
   */
  private notNginxSpace(pos: number): void {
    if (pos === this.lastOddSpaceEnd) {
      this.lastOddSpaceEnd = pos + 1;
      return;
    }
    this.lastOddSpaceEnd = pos + 1;
    const code = this.text.charCodeAt(pos);
    const name = `U+${code.toString(16).toUpperCase().padStart(4, '0')}${SPACE_NAMES.get(code) ?? ''}`;
    this.onProblem(`nginx does not read ${name} as whitespace: it becomes part of the token next to it`, pos, pos + 1);
  }

  private lexQuoted(pos: number, q: number): number {
    const text = this.text;
    const len = this.len;
    let i = pos + 1;
    let line = this.curLine;
    let slow = false;
    this.quote = q === 34 ? '"' : "'";
    for (;;) {
      if (i >= len) {
        this.curLine = line;
        this.value = unquote(text.slice(pos + 1, len), q);
        this.unterminated = true;
        if (!this.crossplaneMode) this.onProblem(`unexpected end of file, expecting ${this.quote} to close the quoted string`, pos, pos + 1);
        return this.cut(TOKEN_QUOTED, len);
      }
      const d = text.charCodeAt(i);
      if (d === q) break;
      if (d === 92) {
        if (i + 1 >= len) {
          i = len;
          continue;
        }
        const n = text.charCodeAt(i + 1);
        if (n === q) slow = true;
        else if (n === 10) line++;
        else if (n === 13) {
          line++;
          slow = true;
          if (text.charCodeAt(i + 2) === 10) i++;
        }
        i += 2;
        continue;
      }
      if (d === 10) line++;
      else if (d === 13) {
        line++;
        slow = true;
        if (text.charCodeAt(i + 1) === 10) i++;
      }
      i++;
    }
    this.curLine = line;
    this.pos = i + 1;
    this.end = i + 1;
    const raw = text.slice(pos + 1, i);
    this.value = slow ? unquote(raw, q) : raw;
    this.lastTokenLine = this.line;
    this.afterWordOrQuoted();
    this.kind = TOKEN_QUOTED;
    return TOKEN_QUOTED;
  }

  private lexWord(pos: number): number {
    const text = this.text;
    const len = this.len;
    let i = pos;
    let line = this.curLine;
    let cr = false;
    for (;;) {
      if (i >= len) break;
      const d = text.charCodeAt(i);
      const k = d < 128 ? ASCII_CLASS[d] : isUnicodeSpace(d) ? SPACE : NORMAL;
      if (k === NORMAL || k === QUOTE || k === HASH) {
        i++;
        continue;
      }
      if (k === SPACE || k === NEWLINE) break;
      if (k === BACKSLASH) {
        if (i + 1 >= len) {
          i = len;
          break;
        }
        const n = text.charCodeAt(i + 1);
        if (n === 10 || n === 13) {
          // The escaped line break is one character for crossplane and already counts as the
          // next line, so a token that starts with it starts on the next line.
          if (i === pos) this.line = line + 1;
          line++;
          if (n === 13) {
            cr = true;
            if (text.charCodeAt(i + 2) === 10) i++;
          }
        }
        i += 2;
        continue;
      }
      // `{`, `}` or `;`: ends the token unless it is the `{` of `${`.
      if (d !== 123 || i === pos || text.charCodeAt(i - 1) !== 36) break;
      // `${`: copy up to and including the next `}`, stopping early at whitespace.
      let last = 0;
      while (last !== 125) {
        if (i >= len) break;
        const e = text.charCodeAt(i);
        if (isPySpace(e)) break;
        if (e === 92) {
          if (i + 1 >= len) {
            i = len;
            break;
          }
          const n = text.charCodeAt(i + 1);
          last = n;
          if (n === 10 || n === 13) {
            line++;
            last = 10;
            if (n === 13) {
              cr = true;
              if (text.charCodeAt(i + 2) === 10) i++;
            }
          }
          i += 2;
        } else {
          last = e;
          i++;
        }
      }
      if (i >= len) break;
      const u = text.charCodeAt(i);
      if (!isPySpace(u)) continue;
      // crossplane appends the character after `${…}` whatever it is, even whitespace; nginx ends
      // the token there.
      if (!this.crossplaneMode) {
        this.quirk = true;
        break;
      }
      if (u === 10) line++;
      else if (u === 13) {
        line++;
        cr = true;
        if (text.charCodeAt(i + 1) === 10) i++;
      }
      i++;
    }
    this.curLine = line;
    this.value = cr ? normalizeNewlines(text.slice(pos, i)) : text.slice(pos, i);
    if (i >= len) return this.cut(TOKEN_WORD, len);
    this.pos = i;
    this.end = i;
    this.lastTokenLine = this.line;
    if (isPySpace(text.charCodeAt(i))) this.afterWordOrQuoted();
    this.kind = TOKEN_WORD;
    return TOKEN_WORD;
  }

  /** crossplane checks for a Lua block after a token ended by whitespace or a closing quote. */
  private afterWordOrQuoted(): void {
    const value = this.value;
    // Every Lua block directive ends in "_block"; checking the last letter first spares hashing
    // each directive name for the set lookup.
    if (this.directivePosition && value.charCodeAt(value.length - 1) === 107 && LUA_BLOCK_DIRECTIVES.has(value)) this.luaPending = value;
    else this.directivePosition = false;
  }

  private applyLua(lua: LuaLex): void {
    for (const t of lua.tokens) this.queue.push(t);
    this.pos = lua.pos;
    this.curLine = lua.line;
    if (lua.quirk) this.quirk = true;
    if (lua.unterminated) this.unterminated = true;
    if (lua.problem) this.onProblem(lua.problem.message, lua.problem.start, lua.problem.end);
    if (lua.fatal && this.luaFatal === undefined) this.luaFatalAfterQueue = lua.fatal;
    // After a Lua error nginx mode reads on, taking what follows as the directive's arguments.
    this.directivePosition = lua.complete;
  }

  private emitQueued(t: LuaToken): number {
    this.kind = t.kind;
    this.start = t.start;
    this.end = t.end;
    this.line = t.line;
    this.value = t.value;
    this.quote = null;
    if (!t.cutAtEof) this.lastTokenLine = t.line;
    return t.kind;
  }
}
