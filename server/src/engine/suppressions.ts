// Inline suppression comments: `# timeout-lint-disable-next-line <rule-id> -- <reason>` (or `//`), and `timeout-lint-disable-file` for the whole file.
import { LineIndex } from './text.js';
import type { FileId, Span } from './types.js';
import { memoizeByFileText } from './text-memo.js';

export interface Suppression {
  file: FileId;
  /** The whole comment, for the "unused suppression" finding and its removal fix. */
  span: Span;
  /** Zero-based line the suppression applies to, or FILE_WIDE. */
  targetLine: number;
  ruleIds: string[];
  reason: string | undefined;
  used: Set<string>;
}

/** The targetLine of `timeout-lint-disable-file`: every line of the file. */
export const FILE_WIDE = -1;

const MARKER = /(?:#|\/\/)\s*timeout-lint-disable-(next-line|file)\b([^\r\n]*)/g;

// Every linted file's text is searched on each run; most hold no suppression at all.
const mayHoldSuppression = memoizeByFileText((text) => text.includes('timeout-lint-disable'));

/** Finds every suppression comment in a file's text. */
export function findSuppressions(file: FileId, text: string): Suppression[] {
  if (!mayHoldSuppression(file, text)) return [];
  const suppressions: Suppression[] = [];
  const lines = new LineIndex(text);
  for (const match of text.matchAll(MARKER)) {
    const [ids, reason] = splitReason(match[2] ?? '');
    const start = match.index;
    const line = lines.positionAt(start).line;
    suppressions.push({
      file,
      span: { file, start, end: start + match[0].length },
      targetLine: match[1] === 'file' ? FILE_WIDE : line + 1,
      ruleIds: ids.split(/[\s,]+/).filter(Boolean),
      reason,
      used: new Set(),
    });
  }
  return suppressions;
}

function splitReason(rest: string): [string, string | undefined] {
  const separator = rest.indexOf(' -- ');
  const trailing = rest.trimEnd().endsWith(' --');
  if (separator < 0) return [trailing ? rest.trimEnd().slice(0, -2) : rest, undefined];
  const reason = rest.slice(separator + 4).trim();
  return [rest.slice(0, separator), reason === '' ? undefined : reason];
}
