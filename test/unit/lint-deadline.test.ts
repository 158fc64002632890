// lint()'s cooperative stop: a run whose shouldStop answers true ends early, reports no partial findings, lists every input as not analysed, and leaves the parse cache valid.
import { describe, expect, it } from 'vitest';
import { allRules } from '../../rules/index.js';
import { defaultConfig } from '../../server/src/engine/config.js';
import { defineRule, type Rule } from '../../server/src/engine/rule.js';
import { lint, ParseCache, STOPPED_REASON, type LintOptions } from '../../server/src/engine/run.js';
import { MemoryFs } from '../../server/src/engine/workspace-fs.js';

const FILES = {
  'nginx.conf': 'events {}\nhttp {\n    include conf.d/*.conf;\n}\n',
  'conf.d/api.conf': 'server {\n    location /api/ {\n        proxy_pass http://api:8080;\n        proxy_read_timeout 1.5m;\n    }\n}\n',
  'conf.d/llm.conf': 'server {\n    location /v1/chat/ {\n        proxy_pass http://llm:8000;\n        proxy_connect_timeout 90s;\n    }\n}\n',
};
const INPUTS = Object.keys(FILES);

/** A rule that reports 1,000 times and swallows every error its reports throw, the stop included. */
const boundedSwallower = defineRule<object>({
  id: 'bounded-swallower', description: 'Swallows errors (test).', defaultSeverity: 'warning', fixable: 'never', inputs: ['nginx'],
  options: { schema: { type: 'object', additionalProperties: false, properties: {} }, defaults: {} },
  messages: { again: 'again' },
  check(ctx) {
    for (let i = 0; i < 1000; i++) {
      try {
        ctx.report({ messageId: 'again', data: {}, span: { file: 'nginx.conf', start: 0, end: i } });
      } catch {
        // A careless rule.
      }
    }
  },
}) as Rule;

/** A rule whose check never ends on its own: it reports the same finding again and again. */
function endlessReporter(): Rule {
  return defineRule<object>({
    id: 'endless-reporter', description: 'Reports forever (test).', defaultSeverity: 'warning', fixable: 'never', inputs: ['nginx'],
    options: { schema: { type: 'object', additionalProperties: false, properties: {} }, defaults: {} },
    messages: { again: 'again' },
    check(ctx) {
      const span = { file: 'nginx.conf', start: 0, end: 6 };
      for (;;) ctx.report({ messageId: 'again', data: {}, span });
    },
  }) as Rule;
}

function run(extra: Partial<LintOptions> = {}, fs = new MemoryFs(FILES)) {
  return lint({ fs, files: INPUTS, config: defaultConfig(allRules), rules: allRules, toolVersion: 'test', ...extra });
}

/** A shouldStop that answers true from its n-th question on, counting the questions. */
function stopAfter(n: number): { shouldStop: () => boolean; asked: () => number } {
  let asked = 0;
  return { shouldStop: () => ++asked >= n, asked: () => asked };
}

const ids = (report: ReturnType<typeof lint>) => report.findings.map((f) => `${f.ruleId}@${f.span.file}`).sort();

describe('lint() with shouldStop', () => {
  it('finds the same as a run without it while it answers false, and asks it many times', () => {
    const plain = run();
    let asked = 0;
    const watched = run({ shouldStop: () => (asked++, false) });
    expect(ids(watched)).toEqual(ids(plain));
    expect(watched.complete).toBe(plain.complete);
    expect(ids(plain)).toContain('invalid-timeout-value@conf.d/api.conf');
    // Reads, stats, listings, files, entries, rules: many chances to stop.
    expect(asked).toBeGreaterThan(INPUTS.length * 4);
  });

  it.each([1, 2, 5, 10, 30])('stopped at its %i-th question, reports no finding and every input as not analysed', (n) => {
    const stop = stopAfter(n);
    const report = run({ shouldStop: stop.shouldStop });
    expect(report.findings).toEqual([]);
    expect(report.complete).toBe(false);
    expect(report.notAnalysed).toEqual(INPUTS.map((file) => ({ file, reason: STOPPED_REASON })));
    // Sticky: once true, the run does not keep asking at every remaining step.
    expect(stop.asked()).toBeLessThanOrEqual(n + 1);
  });

  it('stops a rule that would report forever, at its next report', () => {
    const stop = stopAfter(5_000);
    const report = run({ rules: [...allRules, endlessReporter()], shouldStop: stop.shouldStop });
    expect(report.notAnalysed.map((n) => n.reason)).toEqual(INPUTS.map(() => STOPPED_REASON));
    expect(report.findings).toEqual([]);
  });

  it('still stops when a rule swallows the stop and finishes normally', () => {
    const report = run({ rules: [...allRules, boundedSwallower], shouldStop: stopAfter(200).shouldStop });
    expect(report.findings).toEqual([]);
    expect(report.notAnalysed.every((n) => n.reason === STOPPED_REASON)).toBe(true);
  });

  it('does not cache an nginx parse that a stop cut short: the next full run finds everything', () => {
    const fs = new MemoryFs(FILES);
    const cache = new ParseCache();
    const plain = run({}, fs);
    // Stop during the include reads of nginx.conf (the first few questions are the per-file checks and reads).
    for (const n of [3, 4, 5, 6, 7, 8]) run({ parseCache: cache, shouldStop: stopAfter(n).shouldStop }, fs);
    const after = run({ parseCache: cache }, fs);
    expect(ids(after)).toEqual(ids(plain));
  });

  it('stops an include expansion that grows without reading anything new (8 files including each other by glob)', () => {
    // Every file includes every file: the model expands one include path per ordering, about 8! of them,
    // which takes minutes; the parse itself reads each file once. Only the check inside the expansion stops it.
    const files: Record<string, string> = { 'nginx.conf': 'events {}\nhttp {\n    server {\n        location / {\n            include x*.conf;\n        }\n    }\n}\n' };
    for (let i = 1; i <= 8; i++) files[`x${i}.conf`] = `include x*.conf;\nproxy_read_timeout ${i}s;\n`;
    const fs = new MemoryFs(files);
    const stop = stopAfter(100);
    const report = lint({ fs, files: Object.keys(files), config: defaultConfig(allRules), rules: allRules, toolVersion: 'test', shouldStop: stop.shouldStop });
    // Either the stop ended it, or the expansion itself is bounded and the run finished before the 100th question.
    const stopped = report.notAnalysed.some((n) => n.reason === STOPPED_REASON);
    if (stopped) expect(report.notAnalysed.map((n) => n.reason)).toEqual(Object.keys(files).map(() => STOPPED_REASON));
    else expect(stop.asked()).toBeLessThan(100);
  }, 30_000);
});
