// http-call-without-timeout on browser code: its own message and severity (the `browser` option), server calls unchanged, and the decision shown in chains.
import { createModelCapture } from '../../server/src/host/model-capture.js';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { allRules } from '../../rules/index.js';
import { chainsOf } from '../../server/src/engine/chain/chains.js';
import { ChainLocator, runtimeLine } from '../../server/src/engine/chain/describe.js';
import { resolveConfig } from '../../server/src/engine/config.js';
import type { WorkspaceModel } from '../../server/src/engine/workspace-model.js';
import { lint } from '../../server/src/engine/run.js';
import type { WorkspaceFs } from '../../server/src/engine/workspace-fs.js';
import { configFor, lintFixture } from '../helpers/fixture-cases.js';
import { runtimeHoverAt } from '../../server/src/lsp/hover.js';
import { scriptCodeEvidence, testCodeEvidence } from '../../server/src/engine/inputs/ts/runtime.js';
import { loadFixture } from '../helpers/fixture-fs.js';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'http-call-without-timeout');
const RULE = 'http-call-without-timeout';

function findingsOf(name: string, browser?: string, options: Record<string, string> = browser === undefined ? {} : { browser }) {
  const dir = path.join(FIXTURES, name);
  if (Object.keys(options).length === 0) return lintFixture(dir).report.findings.filter((f) => f.ruleId === RULE);
  const { fs, files } = loadFixture(dir, (relative) => relative.startsWith('fixed'));
  const { config, errors } = resolveConfig({ rules: { [RULE]: ['warning', options] } }, allRules);
  expect(errors).toEqual([]);
  return lint({ fs, files, config, rules: allRules, toolVersion: 'test' }).findings.filter((f) => f.ruleId === RULE);
}

const bySeverity = (findings: ReturnType<typeof findingsOf>) => findings.map((f) => `${f.span.file} ${f.severity} ${f.messageId}`).sort();

describe('http-call-without-timeout in test code', () => {
  it('reports calls in test files and test folders at info with the test message, and the service call at warning', () => {
    expect(bySeverity(findingsOf('test-code'))).toEqual([
      'e2e/helpers.ts info testCall',
      'src/__tests__/payments.test.ts info testCall',
      'src/payments.ts warning noTimeout',
      'test/orders.e2e-spec.ts info testCall',
    ]);
  });

  it('follows the tests option: off leaves test calls out, warning raises them, the service call never changes', () => {
    expect(bySeverity(findingsOf('test-code', undefined, { tests: 'off' }))).toEqual(['src/payments.ts warning noTimeout']);
    expect(bySeverity(findingsOf('test-code', undefined, { tests: 'warning' })).filter((line) => line.includes('testCall'))).toHaveLength(3);
    expect(resolveConfig({ rules: { [RULE]: ['warning', { tests: 'sometimes' }] } }, allRules).errors.join('\n')).toMatch(/tests/);
  });

  it.each([
    ['src/orders.test.ts', 'its name ends in .test.ts'], ['web/app.spec.tsx', 'its name ends in .spec.tsx'], ['test/app.e2e-spec.ts', 'its name ends in .e2e-spec.ts'],
    ['apps/api/src/events/e2e/trigger.e2e.ts', 'its name ends in .e2e.ts'], ['cypress/e2e/login.cy.ts', 'its name ends in .cy.ts'],
    ['apps/web/tests/utils/plugins.ts', 'it is under apps/web/tests/'], ['src/__mocks__/axios.ts', 'it is under src/__mocks__/'], ['e2e/helpers.ts', 'it is under e2e/'], ['apps/web/playwright/utils/helper.ts', 'it is under apps/web/playwright/'],
    ['src/testing/fixtures.ts', undefined], ['src/contest/entry.ts', undefined], ['src/latest.ts', undefined], ['src/attest/spec.ts', undefined],
  ])('test code evidence of %s: %s', (file, expected) => {
    expect(testCodeEvidence(file)).toBe(expected);
  });
});

describe('http-call-without-timeout in scripts', () => {
  it('reports calls under scripts/ at info with the script message; a browser file under public/scripts/ stays browser code; a server kept under scripts/, a helper there that the server requires, and the service call stay warnings', () => {
    expect(bySeverity(findingsOf('script-code'))).toEqual([
      'packages/scripts/src/nightly-report.ts info scriptCall',
      'public/scripts/cart.js info browserCall',
      'scripts/lib/price-feed.js warning fetchUndiciDefaults',
      'scripts/seed-catalogue.mjs info scriptCall',
      'scripts/server.js warning fetchUndiciDefaults',
      'scripts/warm-cache.ts info scriptCall',
      'src/server.js warning noTimeout',
    ]);
  });

  it('follows the scripts option: off leaves script calls out, warning raises them, browser and service calls never change', () => {
    expect(bySeverity(findingsOf('script-code', undefined, { scripts: 'off' }))).toEqual(['public/scripts/cart.js info browserCall', 'scripts/lib/price-feed.js warning fetchUndiciDefaults', 'scripts/server.js warning fetchUndiciDefaults', 'src/server.js warning noTimeout']);
    expect(bySeverity(findingsOf('script-code', undefined, { scripts: 'warning' })).filter((line) => line.includes('scriptCall'))).toEqual([
      'packages/scripts/src/nightly-report.ts warning scriptCall',
      'scripts/seed-catalogue.mjs warning scriptCall',
      'scripts/warm-cache.ts warning scriptCall',
    ]);
    expect(resolveConfig({ rules: { [RULE]: ['warning', { scripts: 'never' }] } }, allRules).errors.join('\n')).toMatch(/scripts/);
  });

  it.each([
    ['scripts/build-geo.js', 'it is under scripts/'], ['apps/web/scripts/generate-sitemap.ts', 'it is under apps/web/scripts/'],
    ['packages/scripts/src/report.ts', 'it is under packages/scripts/'], ['script/release.mjs', 'it is under script/'],
    ['src/transcripts/fetch.ts', undefined], ['src/scriptsRunner.ts', undefined], ['src/lib/script.ts', undefined], ['descriptions/x.ts', undefined],
  ])('script evidence of %s: %s', (file, expected) => {
    expect(scriptCodeEvidence(file)).toBe(expected);
  });
});

describe('http-call-without-timeout in browser code', () => {
  it("reports a 'use client' call at info with the browser message, and the route handler's call at warning with undici's defaults", () => {
    expect(bySeverity(findingsOf('browser-use-client'))).toEqual([
      'src/app/api/chat/route.ts warning fetchUndiciDefaults',
      'src/app/chat/page.tsx info browserCall',
    ]);
  });

  it('reports calls of a Vite front-end package at info and those of its express neighbour at warning', () => {
    expect(bySeverity(findingsOf('browser-vite-package'))).toEqual([
      'api/src/server.ts warning fetchUndiciDefaults',
      'web/src/api/orders.ts info browserCall',
      'web/src/api/orders.ts info browserCall',
    ]);
  });

  it('never names undici in a browser message', () => {
    for (const f of findingsOf('browser-vite-package').filter((f) => f.severity === 'info')) expect(f.message).not.toMatch(/undici|300 s/);
  });

  it('follows the browser option: warning raises browser calls, off leaves them out, server calls never change', () => {
    expect(bySeverity(findingsOf('browser-vite-package', 'warning'))).toEqual([
      'api/src/server.ts warning fetchUndiciDefaults',
      'web/src/api/orders.ts warning browserCall',
      'web/src/api/orders.ts warning browserCall',
    ]);
    expect(bySeverity(findingsOf('browser-vite-package', 'off'))).toEqual(['api/src/server.ts warning fetchUndiciDefaults']);
  });

  it('rejects an unknown browser severity in the configuration', () => {
    expect(resolveConfig({ rules: { [RULE]: ['warning', { browser: 'loud' }] } }, allRules).errors.join('\n')).toMatch(/browser/);
  });

  it("shows where each call hop runs in chains, and keeps undici's Node defaults off a browser fetch", () => {
    const dir = path.join(FIXTURES, 'browser-use-client');
    const { fs, files } = loadFixture(dir, (relative) => relative.startsWith('fixed'));
    const model = lintModel(fs, files, dir);
    const hops = chainsOf(model).chains.flatMap((c) => c.hops).filter((h) => h.ref.kind === 'ts-call');
    const lines = hops.map((h) => `${new ChainLocator(model).where(h.span)} ${runtimeLine(h)}`).sort();
    expect(lines).toEqual([
      'src/app/api/chat/route.ts:3 runs in: server (Next.js route handler src/app/api/chat/route.ts)',
      "src/app/chat/page.tsx:7 runs in: browser ('use client' at src/app/chat/page.tsx:1)",
    ]);
    const browserHop = hops.find((h) => h.runtime?.runtime === 'browser')!;
    expect(browserHop.timeouts.filter((t) => t.source === 'default')).toEqual([]);
    const serverHop = hops.find((h) => h.runtime?.runtime === 'server')!;
    expect(serverHop.timeouts.some((t) => t.knob === 'headersTimeout' && t.source === 'default')).toBe(true);
  });

  it('hover on a call names where it runs; elsewhere in the file it says nothing', () => {
    const dir = path.join(FIXTURES, 'browser-use-client');
    const { fs, files } = loadFixture(dir, (relative) => relative.startsWith('fixed'));
    const model = lintModel(fs, files, dir);
    const file = 'src/app/chat/page.tsx';
    const text = model.sources.get(file)!.text;
    expect(runtimeHoverAt([model], file, text.indexOf("fetch('/api/chat'") + 2)).toBe("**fetch call** runs in: browser ('use client' at src/app/chat/page.tsx:1)");
    expect(runtimeHoverAt([model], file, text.indexOf('useState'))).toBeUndefined();
  });
});

describe('http-call-without-timeout by importers', () => {
  it('decides modules of a Next.js app by the code that imports them: browser at info, server and shared at warning', () => {
    expect(bySeverity(findingsOf('browser-by-importers'))).toEqual([
      'lib/history.ts info browserCall',
      'lib/shared.ts warning fetchUndiciDefaults',
      'lib/suggestions.ts info browserCall',
      'lib/tools/weather.ts warning fetchUndiciDefaults',
    ]);
  });

  it('shows the importer evidence in chains and in the hover', () => {
    const dir = path.join(FIXTURES, 'browser-by-importers');
    const { fs, files } = loadFixture(dir, (relative) => relative.startsWith('fixed'));
    const model = lintModel(fs, files, dir);
    const lines = chainsOf(model).chains.flatMap((c) => c.hops).filter((h) => h.ref.kind === 'ts-call').map((h) => `${new ChainLocator(model).where(h.span)} ${runtimeLine(h)}`);
    expect(lines).toContain('lib/tools/weather.ts:2 runs in: server (only server code imports it: app/api/chat/route.ts (Next.js route handler app/api/chat/route.ts))');
    expect(lines).toContain("lib/shared.ts:6 runs in: unknown (imported by browser code (app/chat/page.tsx ('use client' at app/chat/page.tsx:1)) and by server code (app/api/chat/route.ts (Next.js route handler app/api/chat/route.ts)))");
    const text = model.sources.get('lib/suggestions.ts')!.text;
    expect(runtimeHoverAt([model], 'lib/suggestions.ts', text.indexOf("fetch('/api/suggestions'") + 2)).toBe("**fetch call** runs in: browser (only browser code imports it: components/panel.tsx, imported by app/chat/page.tsx ('use client' at app/chat/page.tsx:1))");
  });
});

describe('llm-call-without-timeout in browser code', () => {
  const dir = path.join(__dirname, '..', 'fixtures', 'llm-call-without-timeout', 'browser-use-client');
  const findings = (browser?: string) => {
    const { fs, files } = loadFixture(dir, (relative) => relative.startsWith('fixed'));
    const { config } = resolveConfig(browser ? { rules: { 'llm-call-without-timeout': ['warning', { browser }] } } : {}, allRules);
    return lint({ fs, files, config, rules: allRules, toolVersion: 'test' }).findings.filter((f) => f.ruleId === 'llm-call-without-timeout');
  };

  it("reports an AI SDK call in a 'use client' file at info with the browser message, and follows the browser option", () => {
    expect(findings().map((f) => [f.severity, f.messageId, f.data.evidence])).toEqual([['info', 'browserCall', "'use client' at src/app/chat/page.tsx:1"]]);
    expect(findings('warning').map((f) => f.severity)).toEqual(['warning']);
    expect(findings('off')).toEqual([]);
  });
});

function lintModel(fs: WorkspaceFs, files: string[], dir: string): WorkspaceModel {
  // The same no-op rule the CLI's `chains` command uses to keep a run's model.
  const capture = createModelCapture();
  lint({ fs, files, config: configFor(dir), rules: [capture.rule], toolVersion: 'test' });
  return capture.model()!;
}
