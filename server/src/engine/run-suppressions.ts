// Applies suppression comments to findings and reports unused or malformed ones.
import type { SourceText } from './workspace-model.js';
import { FILE_WIDE, findSuppressions, type Suppression } from './suppressions.js';
import { LineIndex } from './text.js';
import type { FileId, Finding, Fix, Span } from './types.js';
import { ENGINE_DIAGNOSTIC_IDS } from './engine-diagnostics.js';

type MakeFinding = (id: string, message: string, span: Span, fix?: Fix) => Finding | undefined;

/** Drops suppressed findings and appends `unused-suppression` / `invalid-suppression` findings. */
export function applySuppressions(
  findings: Finding[],
  sources: ReadonlyMap<FileId, SourceText>,
  ruleIds: ReadonlySet<string>,
  make: MakeFinding,
): Finding[] {
  const byFile = new Map<FileId, { suppressions: Suppression[]; lines: LineIndex }>();
  for (const source of sources.values()) {
    const suppressions = findSuppressions(source.file, source.text);
    if (suppressions.length > 0) byFile.set(source.file, { suppressions, lines: new LineIndex(source.text) });
  }
  if (byFile.size === 0) return findings;
  const kept = findings.filter((finding) => {
    const entry = byFile.get(finding.span.file);
    if (!entry) return true;
    const line = entry.lines.positionAt(finding.span.start).line;
    const match = entry.suppressions.find((s) => (s.targetLine === line || s.targetLine === FILE_WIDE) && s.ruleIds.includes(finding.ruleId));
    if (!match) return true;
    match.used.add(finding.ruleId);
    return false;
  });
  for (const [file, { suppressions }] of byFile) {
    const text = sources.get(file)!.text;
    for (const s of suppressions) {
      const extra = (f: Finding | undefined) => f && kept.push(f);
      if (s.ruleIds.length === 0) {
        extra(make('invalid-suppression', 'Suppression comment names no rule: write `timeout-lint-disable-next-line <rule-id> -- <reason>`.', s.span));
        continue;
      }
      if (s.reason === undefined) extra(make('invalid-suppression', `Suppression of ${s.ruleIds.join(', ')} has no reason: add \` -- <why this is fine>\`.`, s.span));
      for (const id of s.ruleIds) {
        if (!ruleIds.has(id) && !ENGINE_DIAGNOSTIC_IDS.has(id)) {
          extra(make('invalid-suppression', `Suppression names unknown rule "${id}".`, s.span));
        } else if (!s.used.has(id)) {
          extra(make('unused-suppression', `Suppression of ${id} is unused: no ${id} finding on the next line.`, s.span, removalFix(text, s, id)));
        }
      }
    }
  }
  return kept;
}

/** Removes the whole comment line when it suppresses only this rule, else only the rule id. */
function removalFix(text: string, s: Suppression, id: string): Fix {
  const file = s.span.file;
  if (s.ruleIds.length > 1) {
    const comment = text.slice(s.span.start, s.span.end);
    const updated = comment.replace(new RegExp(`(,\\s*)?\\b${id.replace(/[-]/g, '\\-')}\\b(\\s*,)?`), (_m, before, after) => (before && after ? ',' : ''));
    return { title: `Remove ${id} from the suppression comment`, safety: 'safe', edits: [{ file, start: s.span.start, end: s.span.end, newText: updated }] };
  }
  let start = s.span.start;
  while (start > 0 && (text[start - 1] === ' ' || text[start - 1] === '\t')) start--;
  const ownLine = start === 0 || text[start - 1] === '\n' || text[start - 1] === '\r';
  let end = s.span.end;
  if (ownLine) {
    if (text[end] === '\r') end++;
    if (text[end] === '\n') end++;
  }
  return { title: 'Remove the unused suppression comment', safety: 'safe', edits: [{ file, start, end, newText: '' }] };
}
