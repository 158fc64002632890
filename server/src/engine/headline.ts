// A finding message's headline: its first sentence, the part the Problems view and a CI log line show.

/** A headline longer than this is cut off in VS Code's Problems view at 1280 px, which shows about 75 characters of a message beside its source and position, and in most CI logs. */
export const MAX_HEADLINE_CHARS = 80;

/** Abbreviations whose period does not end a sentence. */
const ABBREVIATIONS = ['e.g.', 'i.e.', 'vs.', 'cf.', 'approx.'];

/**
 * The first sentence of a message: everything up to and including the first `.`, `!` or `?` that is
 * followed by whitespace (or ends the text), outside a backtick code span and not the end of one of a
 * few abbreviations. A period inside a number (`1.5m`), a path (`nginx.conf`) or a section number
 * (`§1.3`) is followed by a non-space character, so it never ends a sentence. A message with no such
 * end is all headline.
 */
export function headlineOf(message: string): string {
  return message.slice(0, headlineEnd(message)).trim();
}

/** What follows the headline (the explanation), or '' when the message is one sentence. */
export function detailsOf(message: string): string {
  return message.slice(headlineEnd(message)).trim();
}

function headlineEnd(message: string): number {
  let inCode = false;
  for (let i = 0; i < message.length; i++) {
    const ch = message[i]!;
    if (ch === '`') inCode = !inCode;
    if (inCode || (ch !== '.' && ch !== '!' && ch !== '?')) continue;
    const next = message[i + 1];
    if (next !== undefined && !/\s/.test(next)) continue;
    if (ch === '.' && endsWithAbbreviation(message.slice(0, i + 1))) continue;
    return i + 1;
  }
  return message.length;
}

function endsWithAbbreviation(text: string): boolean {
  const lower = text.toLowerCase();
  return ABBREVIATIONS.some((a) => lower.endsWith(a) && !/[a-z]/.test(lower[lower.length - a.length - 1] ?? ''));
}

/** The short first sentence an engine diagnostic gets when its own text has no place to end one. */
const ENGINE_HEADLINES: Readonly<Record<string, string>> = {
  'parse-error': 'Syntax error.',
  'include-error': 'Include not read.',
  'not-analysed': 'Not analysed.',
  'internal-error': 'Internal error.',
};

/** Where a clause of an engine diagnostic ends: the first sentence may end there instead. */
const CLAUSE_ENDS = [': ', '; ', ' (', ', '];

/**
 * An engine diagnostic's message (parse errors, files not analysed, includes not read), whose text
 * comes from parsers and readers: unchanged when its first sentence fits the Problems view; else its
 * first sentence ends at the last clause break that leaves a headline that fits (`a: b` → `a. b`;
 * `a (b)` at the end → `a. b`), so that the text keeps its words and order (names in it are not
 * capitalised or cut). Text with no such break gets a short sentence saying what kind of problem it is.
 */
export function engineMessage(id: string, message: string): string {
  if (headlineOf(message).length <= MAX_HEADLINE_CHARS) return message;
  let best = -1;
  let bestSep = '';
  for (const sep of CLAUSE_ENDS) {
    for (let at = message.indexOf(sep); at >= 0 && at < MAX_HEADLINE_CHARS; at = message.indexOf(sep, at + 1)) {
      if (sep === ' (' && !closesAtEnd(message, at + 1)) continue;
      // A break inside a code span, a quoted token or parentheses would cut a name or an aside.
      const before = message.slice(0, at);
      if ((before.split('`').length - 1) % 2 === 1 || (before.split('"').length - 1) % 2 === 1) continue;
      if (before.split('(').length !== before.split(')').length) continue;
      if (at > best && at >= 12) {
        best = at;
        bestSep = sep;
      }
    }
  }
  if (best < 0) return ENGINE_HEADLINES[id] ? `${ENGINE_HEADLINES[id]} ${message}` : message;
  const rest = message.slice(best + bestSep.length);
  return `${message.slice(0, best)}. ${bestSep === ' (' ? rest.slice(0, -1) : rest}`;
}

/** Whether the parenthesis at `open` is the one the message's last character closes. */
function closesAtEnd(message: string, open: number): boolean {
  if (!message.endsWith(')')) return false;
  let depth = 0;
  for (let i = open; i < message.length; i++) {
    if (message[i] === '(') depth++;
    else if (message[i] === ')' && --depth === 0) return i === message.length - 1;
  }
  return false;
}
