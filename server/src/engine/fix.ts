// Applying fixes: one implementation for the editor and the CLI, re-linting to a fixpoint.
import type { LintReport } from './report.js';
import type { FileId, Finding, Fix, FixSafety, TextEdit } from './types.js';

/** ESLint's limit too: a rule set that keeps producing fixes after this many passes is cut off. */
export const MAX_FIX_PASSES = 10;

/**
 * Applies edits to one text. Edits are sorted; one that overlaps an edit already applied is skipped.
 * Returns the new text and the edits that were applied.
 */
export function applyEdits(text: string, edits: readonly TextEdit[]): { text: string; applied: TextEdit[] } {
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  const applied: TextEdit[] = [];
  let lastEnd = -1;
  for (const edit of sorted) {
    // Adjacent edits are fine; an edit that starts inside an applied range is skipped.
    if (edit.start < lastEnd) continue;
    applied.push(edit);
    lastEnd = Math.max(lastEnd, edit.end);
  }
  let result = '';
  let cursor = 0;
  for (const edit of applied) {
    result += text.slice(cursor, edit.start) + edit.newText;
    cursor = edit.end;
  }
  return { text: result + text.slice(cursor), applied };
}

export interface FixOptions {
  /** Also apply unsafe fixes (they change behaviour). */
  unsafe: boolean;
  /** Only fixes of these rules (all rules when undefined). */
  ruleIds?: ReadonlySet<string>;
  /** Only findings in these files (all files when undefined). */
  files?: ReadonlySet<FileId>;
}

/** The fix to apply for a finding under the options: the preferred allowed fix, else the first allowed. */
export function chooseFix(finding: Finding, options: FixOptions): Fix | undefined {
  if (options.ruleIds && !options.ruleIds.has(finding.ruleId)) return undefined;
  if (options.files && !options.files.has(finding.span.file)) return undefined;
  const allowed = finding.fixes.filter((f) => isAllowed(f.safety, options.unsafe) && f.edits.length > 0 && !f.suggestion);
  return allowed.find((f) => f.preferred) ?? allowed[0];
}

function isAllowed(safety: FixSafety, unsafe: boolean): boolean {
  return safety === 'safe' || unsafe;
}

/**
 * Picks fixes whose edits do not overlap each other (a fix is applied whole or not at all) and
 * applies them. Returns the changed texts.
 */
export function applyFixesOnce(report: LintReport, texts: ReadonlyMap<FileId, string>, options: FixOptions): { changed: Map<FileId, string>; appliedFixes: number; appliedEdits: Map<FileId, TextEdit[]> } {
  const taken = new Map<FileId, Array<[number, number]>>();
  const editsByFile = new Map<FileId, TextEdit[]>();
  let appliedFixes = 0;
  for (const finding of report.findings) {
    const fix = chooseFix(finding, options);
    if (!fix || !fix.edits.every((e) => texts.has(e.file))) continue;
    if (fix.edits.some((e) => overlapsTaken(taken.get(e.file), e))) continue;
    for (const edit of fix.edits) {
      if (!taken.has(edit.file)) taken.set(edit.file, []);
      taken.get(edit.file)!.push([edit.start, edit.end]);
      if (!editsByFile.has(edit.file)) editsByFile.set(edit.file, []);
      editsByFile.get(edit.file)!.push(edit);
    }
    appliedFixes++;
  }
  const changed = new Map<FileId, string>();
  const appliedEdits = new Map<FileId, TextEdit[]>();
  for (const [file, edits] of editsByFile) {
    const { text: next, applied } = applyEdits(texts.get(file)!, edits);
    if (next !== texts.get(file)) {
      changed.set(file, next);
      appliedEdits.set(file, applied);
    }
  }
  return { changed, appliedFixes, appliedEdits };
}

function overlapsTaken(ranges: Array<[number, number]> | undefined, edit: TextEdit): boolean {
  // Two insertions at one offset would have an arbitrary order, so the second waits for the next pass.
  return (ranges ?? []).some(([start, end]) => (edit.start < end && start < edit.end) || (edit.start === start && edit.end === end));
}

export interface FixpointResult {
  /** Final text of every file that changed. */
  changed: Map<FileId, string>;
  /**
   * For every changed file, the text it had before the first fix and its final text as pieces of
   * that text and inserted text: a writer copies the original bytes of kept pieces, so bytes no fix
   * touched (invalid UTF-8 included) survive exactly.
   */
  origins: Map<FileId, { original: string; pieces: TextPiece[] }>;
  passes: number;
  appliedFixes: number;
  /** The report of the last lint, over the fixed texts. */
  report: LintReport;
  /** True when fixes were still being produced at the pass limit. */
  hitPassLimit: boolean;
}

/**
 * Lints, applies non-overlapping fixes, and lints again until nothing changes or MAX_FIX_PASSES.
 * `lintWith(overrides)` must lint the workspace as if the given files had the given texts.
 */
export function fixToFixpoint(
  lintWith: (overrides: ReadonlyMap<FileId, string>) => LintReport,
  options: FixOptions,
): FixpointResult {
  const overrides = new Map<FileId, string>();
  const origins = new Map<FileId, { original: string; pieces: TextPiece[] }>();
  let report = lintWith(overrides);
  let appliedFixes = 0;
  let passes = 0;
  for (; passes < MAX_FIX_PASSES; passes++) {
    const texts = new Map(report.files.map((f) => [f.file, overrides.get(f.file) ?? f.text]));
    const once = applyFixesOnce(report, texts, options);
    if (once.changed.size === 0) return { changed: overrides, origins, passes, appliedFixes, report, hitPassLimit: false };
    for (const [file, text] of once.changed) {
      const before = texts.get(file)!;
      const origin = origins.get(file) ?? { original: before, pieces: [{ start: 0, end: before.length }] };
      origin.pieces = applyEditsToPieces(origin.pieces, once.appliedEdits.get(file) ?? []);
      origins.set(file, origin);
      overrides.set(file, text);
    }
    appliedFixes += once.appliedFixes;
    report = lintWith(overrides);
  }
  return { changed: overrides, origins, passes, appliedFixes, report, hitPassLimit: true };
}

/** A piece of a fixed text: a range of the original text, kept as it was, or text a fix inserted. */
export type TextPiece = { start: number; end: number } | { text: string };

function pieceLength(piece: TextPiece): number {
  return 'text' in piece ? piece.text.length : piece.end - piece.start;
}

/**
 * Applies sorted, non-overlapping edits (offsets into the text the pieces spell) to the pieces,
 * keeping every untouched range as a range of the original.
 */
export function applyEditsToPieces(pieces: readonly TextPiece[], edits: readonly TextEdit[]): TextPiece[] {
  const out: TextPiece[] = [];
  let index = 0;
  let pieceStart = 0;
  let cursor = 0;
  const copyUntil = (to: number) => {
    while (cursor < to && index < pieces.length) {
      const piece = pieces[index]!;
      const pieceEnd = pieceStart + pieceLength(piece);
      if (pieceEnd <= cursor) {
        index++;
        pieceStart = pieceEnd;
        continue;
      }
      const from = cursor - pieceStart;
      const until = Math.min(to, pieceEnd) - pieceStart;
      out.push('text' in piece ? { text: piece.text.slice(from, until) } : { start: piece.start + from, end: piece.start + until });
      cursor = pieceStart + until;
    }
  };
  for (const edit of edits) {
    copyUntil(edit.start);
    if (edit.newText !== '') out.push({ text: edit.newText });
    cursor = Math.max(cursor, edit.end);
  }
  copyUntil(Infinity);
  return out.filter((piece) => pieceLength(piece) > 0);
}

/** The text the pieces spell, given the original. */
export function textOfPieces(original: string, pieces: readonly TextPiece[]): string {
  return pieces.map((piece) => ('text' in piece ? piece.text : original.slice(piece.start, piece.end))).join('');
}
