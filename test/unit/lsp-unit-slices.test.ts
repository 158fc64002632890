// A workspace folder in the language server under a tiny unit budget: a unit that makes progress is linted in slices to the end; one that does not is reported too slow.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { allRules } from '../../rules/index.js';
import { defineRule, type Rule } from '../../server/src/engine/rule.js';
import { FolderState, type FolderHost } from '../../server/src/lsp/folder.js';
import { DEFAULT_SETTINGS } from '../../server/src/lsp/settings.js';

const base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'timeout-lint-slices-')));
afterAll(() => fs.rmSync(base, { recursive: true, force: true }));

const SOURCES = 20;
/** Files whose call has no timeout (a finding each); the others pass a signal. */
const FINDINGS = 5;
/** How long the first read of each source takes: a cold disk and parser, the same on every machine. */
const COLD_READ_MS = 30;

function makeFolder(name: string, files: Record<string, string>, rules: readonly Rule[], unitBudgetMs: number, coldReads = false) {
  const root = path.join(base, name);
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  }
  const stopped: string[] = [];
  const host: FolderHost = { openDocuments: () => new Map(), rules, unitBudgetMs, unitNotAnalysed: (_f, _e, message) => stopped.push(message) };
  const folder = new FolderState(pathToFileURL(root).toString(), root, host);
  if (coldReads) {
    const readFile = folder.cache.readFile.bind(folder.cache);
    const warm = new Set<string>();
    folder.cache.readFile = (file) => {
      if (file.endsWith('.ts') && !warm.has(file)) {
        warm.add(file);
        for (const until = performance.now() + COLD_READ_MS; performance.now() < until; );
      }
      return readFile(file);
    };
  }
  folder.loadConfig(DEFAULT_SETTINGS);
  folder.discover();
  folder.relintAll();
  let runs = 0;
  while (folder.hasWork() && runs < 500) {
    folder.lintNext();
    runs++;
  }
  return { folder, stopped, runs };
}

describe('a unit under a budget far too small for it', () => {
  it('is linted in slices when each run caches parsed files, and ends with its real findings', () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < SOURCES; i++) {
      const options = i < FINDINGS ? '' : ', { signal: AbortSignal.timeout(5000) }';
      files[`src/client${i}.ts`] = `export async function load${i}(): Promise<Response> {\n  return fetch('https://api.example.com/${i}'${options});\n}\n`;
    }
    // Reading them cold takes 600 ms, the budget is 100 ms: every run is stopped after a few files, each cached for the next run.
    const { folder, stopped, runs } = makeFolder('sliced', files, allRules, 100, true);
    expect(stopped).toEqual([]);
    // One TypeScript unit and the chain unit, and the TypeScript unit run again at least five times.
    expect(runs).toBeGreaterThanOrEqual(2 + 5);
    for (let i = 0; i < SOURCES; i++) {
      const ids = folder.findingsFor(`src/client${i}.ts`).map((f) => f.finding.ruleId);
      if (i < FINDINGS) expect(ids).toContain('http-call-without-timeout');
      expect(ids).not.toContain('not-analysed');
    }
  });

  it('is reported too slow, on each file it read, when a run makes no progress', () => {
    const busy = defineRule<object>({
      id: 'busy-rule', description: 'Works until stopped (test).', defaultSeverity: 'warning', fixable: 'never', inputs: ['nginx'],
      options: { schema: { type: 'object', additionalProperties: false, properties: {} }, defaults: {} },
      messages: { again: 'again' },
      check(ctx) {
        for (;;) ctx.report({ messageId: 'again', data: {}, span: { file: 'nginx.conf', start: 0, end: 0 } });
      },
    }) as Rule;
    const files = { 'nginx.conf': 'events {}\nhttp {\n    include conf.d/*.conf;\n}\n', 'conf.d/api.conf': 'server {\n    listen 80;\n}\n' };
    // The budget leaves room to read the includes on a loaded machine: the busy rule runs until stopped whatever it is.
    const { folder, stopped } = makeFolder('busy', files, [...allRules, busy], 400);
    expect(stopped.filter((m) => m.includes('the nginx entry nginx.conf'))).toHaveLength(1);
    for (const file of Object.keys(files)) {
      expect(folder.findingsFor(file).map((f) => [f.finding.ruleId, f.finding.message])).toEqual([
        ['not-analysed', 'Not analysed. too slow: analysis stopped after 400 ms (the nginx entry nginx.conf and the files it includes); the rest of the folder was analysed'],
      ]);
    }
  });
});
