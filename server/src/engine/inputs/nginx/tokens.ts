// Token kinds and the character rules crossplane applies (Python's str.isspace, universal newlines).

export const TOKEN_EOF = 0;
export const TOKEN_WORD = 1;
export const TOKEN_QUOTED = 2;
export const TOKEN_COMMENT = 3;
export const TOKEN_OPEN = 4;
export const TOKEN_CLOSE = 5;
export const TOKEN_SEMI = 6;
/** The raw body of a `*_by_lua_block`: braces excluded from the value, included in the span. */
export const TOKEN_LUA = 7;

// Character classes for ASCII. crossplane works on Python code points, and every special
// character is ASCII, so anything else is either Unicode whitespace or an ordinary character.
export const NORMAL = 0;
export const SPACE = 1;
export const NEWLINE = 2;
export const SPECIAL = 3;
export const QUOTE = 4;
export const BACKSLASH = 5;
export const HASH = 6;

export const ASCII_CLASS = new Uint8Array(128);
for (const c of [9, 11, 12, 28, 29, 30, 31, 32]) ASCII_CLASS[c] = SPACE;
ASCII_CLASS[10] = NEWLINE;
ASCII_CLASS[13] = NEWLINE;
for (const c of [123, 125, 59]) ASCII_CLASS[c] = SPECIAL;
ASCII_CLASS[34] = QUOTE;
ASCII_CLASS[39] = QUOTE;
ASCII_CLASS[92] = BACKSLASH;
ASCII_CLASS[35] = HASH;

/** Non-ASCII characters for which Python's str.isspace() is true (JS `\s` is a different set). */
export function isUnicodeSpace(c: number): boolean {
  return c === 0x85 || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000;
}

/** Python's str.isspace() for one UTF-16 code unit (no astral character is whitespace). */
export function isPySpace(c: number): boolean {
  if (c < 128) {
    const k = ASCII_CLASS[c];
    return k === SPACE || k === NEWLINE;
  }
  return isUnicodeSpace(c);
}

/** Python's universal newlines: crossplane never sees a CR, so values never contain one. */
export function normalizeNewlines(s: string): string {
  return s.indexOf('\r') < 0 ? s : s.replace(/\r\n?/g, '\n');
}

/** Offset after the backslash at `i` and the character it escapes (a CRLF counts as one). */
export function skipEscape(text: string, i: number): number {
  return text.charCodeAt(i + 1) === 13 && text.charCodeAt(i + 2) === 10 ? i + 3 : i + 2;
}

/** Whether an escape pair ending at `end` escaped a line break (which then counts as a line). */
export function escapedLineBreak(text: string, end: number): boolean {
  const c = text.charCodeAt(end - 1);
  return c === 10 || c === 13;
}

/** Offset after the whitespace character at `i` (a CRLF counts as one). */
export function skipOneSpace(text: string, i: number): number {
  return text.charCodeAt(i) === 13 && text.charCodeAt(i + 1) === 10 ? i + 2 : i + 1;
}

/** The directives crossplane's Lua extension lexes as a raw block. */
export const LUA_BLOCK_DIRECTIVES: ReadonlySet<string> = new Set([
  'access_by_lua_block', 'balancer_by_lua_block', 'body_filter_by_lua_block', 'content_by_lua_block',
  'header_filter_by_lua_block', 'init_by_lua_block', 'init_worker_by_lua_block', 'log_by_lua_block',
  'rewrite_by_lua_block', 'set_by_lua_block', 'ssl_certificate_by_lua_block',
  'ssl_session_fetch_by_lua_block', 'ssl_session_store_by_lua_block',
]);

/** Inside quotes crossplane removes only the backslash before the same quote character. */
export function unquote(raw: string, q: number): string {
  let out = '';
  let last = 0;
  for (let i = 0; i < raw.length - 1; i++) {
    if (raw.charCodeAt(i) !== 92) continue;
    if (raw.charCodeAt(i + 1) === q) {
      out += raw.slice(last, i);
      last = i + 1;
    }
    i++;
  }
  return normalizeNewlines(out + raw.slice(last));
}
