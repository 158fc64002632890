// Over every rule's findings on every fixture, examples/ and the CLI workspaces: headlines that fit
// the Problems view, preferred fixes that are safe, and safe fixes that finish the job in one pass.
import { describe, expect, it } from 'vitest';
import { allRules } from '../../rules/index.js';
import { chooseFix, type TextPiece } from '../../server/src/engine/fix.js';
import { headlineOf, MAX_HEADLINE_CHARS } from '../../server/src/engine/headline.js';
import type { LintReport } from '../../server/src/engine/report.js';
import { LineIndex } from '../../server/src/engine/text.js';
import type { Finding } from '../../server/src/engine/types.js';
import { corpusWorkspaces, lintWorkspace, safeFixToFixpoint } from '../helpers/message-corpus.js';

const workspaces = corpusWorkspaces();
/** Rules' findings; the engine's own diagnostics (parse errors, files not analysed) say what the parser saw. */
const ruleIds = new Set(allRules.map((r) => r.id));

/**
 * A value or place: a number (`60 s`, `3 attempts`), a code span, a quoted token, a path or object
 * name (`location /api/`, `Service shop/orders`), or the absence of a value (`no timeout`).
 */
function namesValue(headline: string): boolean {
  return /\d/.test(headline) || /`[^`]+`/.test(headline) || /"[^"]+"/.test(headline) || /\S\/\S|\s\/\S/.test(headline) || /\b(no|none|unset|default|unbounded)\b/i.test(headline);
}

describe.each(workspaces)('$name', (workspace) => {
  const linted = lintWorkspace(workspace);
  const findings = linted.report.findings.filter((f) => ruleIds.has(f.ruleId));

  it(`starts every message with a headline of at most ${MAX_HEADLINE_CHARS} characters that names a value`, () => {
    const bad = findings
      .map((f) => ({ rule: f.ruleId, headline: headlineOf(f.message) }))
      .filter((h) => h.headline.length > MAX_HEADLINE_CHARS || !namesValue(h.headline))
      .map((h) => `${h.rule} (${h.headline.length}): ${h.headline}`);
    expect(bad).toEqual([]);
  });

  it(`starts every engine diagnostic (parse errors, files not analysed) with a headline of at most ${MAX_HEADLINE_CHARS} characters`, () => {
    const bad = linted.report.findings
      .filter((f) => !ruleIds.has(f.ruleId) && headlineOf(f.message).length > MAX_HEADLINE_CHARS)
      .map((f) => `${f.ruleId} (${headlineOf(f.message).length}): ${headlineOf(f.message)}`);
    expect(bad).toEqual([]);
  });

  it('fills in every placeholder of its message', () => {
    const bad = findings.filter((f) => /(?<!\$)\{[A-Za-z]+\}/.test(f.message)).map((f) => `${f.ruleId}: ${f.message}`);
    expect(bad).toEqual([]);
  });

  it('marks only safe fixes preferred', () => {
    const bad = findings.flatMap((f) => f.fixes.filter((x) => x.preferred && x.safety !== 'safe').map((x) => `${f.ruleId}: ${x.title}`));
    expect(bad).toEqual([]);
  });

  it('converges in one pass of safe fixes and adds no finding', () => {
    const result = safeFixToFixpoint(linted);
    expect(result.hitPassLimit).toBe(false);
    // The pass that applied the fixes is the only one: linting the fixed texts offers no further safe edit.
    const leftover = result.report.findings.filter((f) => chooseFix(f, { unsafe: false })).map((f) => `${f.ruleId} ${f.span.file}: ${f.message}`);
    expect(leftover).toEqual([]);
    expect(result.passes).toBeLessThanOrEqual(1);
    const before = new Set(linted.report.findings.map((f) => findingKey(f, originalLine(linted.report, f.span.file, f.span.start))));
    const origins = result.origins;
    const added = result.report.findings.filter((f) => {
      const origin = origins.get(f.span.file);
      const offset = origin ? originalOffset(origin.pieces, f.span.start) : f.span.start;
      return !before.has(findingKey(f, originalLine(linted.report, f.span.file, offset)));
    }).map((f) => `${f.ruleId} ${f.span.file}: ${f.message}`);
    expect(added).toEqual([]);
  });
});

function findingKey(finding: Finding, line: number): string {
  return `${finding.ruleId}|${finding.span.file}|${line}`;
}

function originalLine(report: LintReport, file: string, offset: number): number {
  const text = report.files.find((f) => f.file === file)?.text ?? '';
  return new LineIndex(text).positionAt(offset).line;
}

/** An offset in a fixed text back to the original: inside inserted text it is the insertion point. */
function originalOffset(pieces: readonly TextPiece[], offset: number): number {
  let cursor = 0;
  let lastOriginal = 0;
  for (const piece of pieces) {
    const length = 'text' in piece ? piece.text.length : piece.end - piece.start;
    if ('text' in piece) {
      if (offset < cursor + length) return lastOriginal;
    } else {
      if (offset < cursor + length) return piece.start + (offset - cursor);
      lastOriginal = piece.end;
    }
    cursor += length;
  }
  return lastOriginal;
}

// MESSAGE_STATS=1 prints the distribution of headline and message lengths over the whole corpus.
describe.runIf(process.env.MESSAGE_STATS === '1')('message lengths', () => {
  it('prints the distribution', () => {
    const messages = workspaces.flatMap((w) => lintWorkspace(w).report.findings.map((f) => ({ rule: f.ruleId, message: f.message })));
    const unique = [...new Map(messages.map((m) => [m.message, m])).values()];
    const stats = (values: number[]) => {
      const sorted = [...values].sort((a, b) => a - b);
      const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
      return `min ${sorted[0]} p25 ${at(0.25)} median ${at(0.5)} p75 ${at(0.75)} p90 ${at(0.9)} max ${sorted[sorted.length - 1]}`;
    };
    const headlines = unique.map((m) => headlineOf(m.message).length);
    console.log(`${messages.length} findings, ${unique.length} distinct messages`);
    console.log(`headline: ${stats(headlines)}; over ${MAX_HEADLINE_CHARS}: ${headlines.filter((n) => n > MAX_HEADLINE_CHARS).length}`);
    console.log(`message:  ${stats(unique.map((m) => m.message.length))}`);
    const perRule = new Map<string, number[]>();
    for (const m of unique) perRule.set(m.rule, [...(perRule.get(m.rule) ?? []), headlineOf(m.message).length]);
    for (const [rule, lengths] of [...perRule].sort((a, b) => Math.max(...b[1]) - Math.max(...a[1]))) console.log(`  ${rule}: headline max ${Math.max(...lengths)} (${lengths.length} messages)`);
    const examples = workspaces.find((w) => w.name === 'examples')!;
    const linted = lintWorkspace(examples);
    const withSafeFix = linted.report.findings.filter((f) => chooseFix(f, { unsafe: false })).length;
    const fixed = safeFixToFixpoint(linted);
    console.log(`examples/: ${linted.report.findings.length} findings, ${withSafeFix} with a safe fix; --fix applies ${fixed.appliedFixes} fixes, ${fixed.report.findings.length} findings left`);
    expect(unique.length).toBeGreaterThan(0);
  });
});
