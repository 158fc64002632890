// Linear-time regular expressions for every pattern taken from the workspace or the configuration (RE2 semantics: no backtracking, so no pattern can hang a run).
import { RE2JS } from 're2js';

/**
 * A compiled pattern. `test` searches (anchors in the pattern apply), like RegExp.prototype.test;
 * `testExact` matches the whole text. Both run in time linear in the text.
 */
export interface SafeRegex {
  readonly source: string;
  test(text: string): boolean;
  testExact(text: string): boolean;
}

/** A pattern compiled, or the reason it cannot be evaluated safely (then a match is unknown, never guessed). */
export type CompiledRegex = { ok: true; regex: SafeRegex } | { ok: false; reason: string };

export interface SafeRegexOptions {
  caseInsensitive?: boolean;
  /** `.` matches a newline too. */
  dotAll?: boolean;
  /** `^` and `$` match at line breaks too. */
  multiline?: boolean;
}

// Patterns come from files that may be hostile: the cache is bounded, and dropped whole when full.
const MAX_CACHED = 10_000;
const cache = new Map<string, CompiledRegex>();

/**
 * Compiles an RE2-syntax pattern (Go/RE2 syntax: `(?P<name>…)` and `(?<name>…)` groups, inline
 * flags, `\A`, `\z`; captureless lookbehinds too). Compiled once per pattern and options.
 */
export function compileSafeRegex(source: string, options: SafeRegexOptions = {}): CompiledRegex {
  const flags = (options.caseInsensitive ? RE2JS.CASE_INSENSITIVE : 0) | (options.dotAll ? RE2JS.DOTALL : 0) | (options.multiline ? RE2JS.MULTILINE : 0) | RE2JS.LOOKBEHINDS;
  const key = `${flags}\u0000${source}`;
  let compiled = cache.get(key);
  if (compiled) return compiled;
  try {
    const re = RE2JS.compile(source, flags);
    compiled = { ok: true, regex: { source, test: (text) => re.test(text), testExact: (text) => re.testExact(text) } };
  } catch (error) {
    compiled = { ok: false, reason: re2Reason(error) };
  }
  if (cache.size >= MAX_CACHED) cache.clear();
  cache.set(key, compiled);
  return compiled;
}

/**
 * Compiles a pattern written for JavaScript's RegExp (the configuration's `llm.*Patterns`): the
 * JS-only spellings (`\u{…}`, `(?<name>…)`) are translated first. A pattern only a backtracking
 * engine can run (lookahead, backreferences) is refused with the reason.
 */
export function compileJsPattern(source: string, options: SafeRegexOptions = {}): CompiledRegex {
  let translated: string;
  try {
    translated = RE2JS.translateRegExp(source);
  } catch (error) {
    return { ok: false, reason: re2Reason(error) };
  }
  const compiled = compileSafeRegex(translated, options);
  return compiled.ok ? { ok: true, regex: { ...compiled.regex, source } } : compiled;
}

/**
 * Compiles a PCRE pattern as nginx uses it (`location ~`, `server_name ~`, `map` regexes; PCRE
 * without UTF mode, matched against bytes: pass one char per byte). Translated to RE2 where the two
 * differ: `(?'name'…)` groups, PCRE's `$` and `\Z` (end, or before a final newline), a `]` first in
 * a class, leading inline flags (`(?x)` has no RE2 equivalent). What RE2 cannot run (backreferences,
 * lookahead, atomic groups, possessive quantifiers, recursion, conditionals) is refused with the reason.
 *
 * Known small difference: with `~*`, RE2 also folds the case of bytes 0xC0–0xFE as Latin-1 letters,
 * where PCRE's default tables fold ASCII only; it matters only for raw non-ASCII bytes in a URI.
 */
export function compilePcrePattern(pattern: string, caseless: boolean): CompiledRegex {
  const options: SafeRegexOptions = { caseInsensitive: caseless };
  let body = pattern;
  const inline = /^\(\?([imsx]+)\)/.exec(body);
  if (inline) {
    if (inline[1]!.includes('x')) return { ok: false, reason: 'extended mode (?x) is not supported' };
    if (inline[1]!.includes('i')) options.caseInsensitive = true;
    if (inline[1]!.includes('s')) options.dotAll = true;
    if (inline[1]!.includes('m')) options.multiline = true;
    body = body.slice(inline[0].length);
  }
  const translated = translatePcreBody(body, options.multiline === true);
  if (typeof translated !== 'string') return translated;
  const compiled = compileSafeRegex(translated, options);
  return compiled.ok ? { ok: true, regex: { ...compiled.regex, source: pattern } } : compiled;
}

/** PCRE's end of subject (`$` without multiline, `\Z`): the end, or just before a final newline. */
const PCRE_END = '(?:\\n?\\z)';

function translatePcreBody(body: string, multiline: boolean): string | { ok: false; reason: string } {
  let out = '';
  let inClass = false;
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (ch === '\\') {
      const escaped = body.slice(i, i + 2);
      out += !inClass && escaped === '\\Z' ? PCRE_END : escaped;
      i++;
    } else if (inClass) {
      out += ch;
      if (ch === ']') inClass = false;
    } else if (ch === '[') {
      inClass = true;
      // A `]` right after `[` or `[^` is a literal in PCRE; escaped, it is one in RE2 as well.
      const negated = body[i + 1] === '^';
      const literalClose = body[i + (negated ? 2 : 1)] === ']';
      out += `[${negated ? '^' : ''}${literalClose ? '\\]' : ''}`;
      i += (negated ? 1 : 0) + (literalClose ? 1 : 0);
    } else if (ch === '(' && body[i + 1] === '?') {
      const named = /^\(\?'([A-Za-z_][A-Za-z0-9_]*)'/.exec(body.slice(i, i + 40));
      if (named) {
        out += `(?P<${named[1]}>`;
        i += named[0].length - 1;
      } else if (/^\(\?P=/.test(body.slice(i, i + 4))) {
        return { ok: false, reason: 'backreferences are not supported' };
      } else out += ch;
    } else if (ch === '$' && !multiline) out += PCRE_END;
    else out += ch;
  }
  return out;
}

/** RE2's error in words, e.g. "invalid escape sequence: `\1`". */
function re2Reason(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return `RE2 cannot evaluate it (${text.replace(/^error parsing regexp: /, '')})`;
}
