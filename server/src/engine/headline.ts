// A finding message's headline: its first sentence, the part the Problems view and a CI log line show.

/** A headline longer than this is cut off in VS Code's Problems view at 1280 px and in most CI logs. */
export const MAX_HEADLINE_CHARS = 120;

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
