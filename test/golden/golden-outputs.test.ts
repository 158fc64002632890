// Stored outputs of the whole product on every fixture, examples/ and the benchmark's generated
// workspaces: findings, the files --fix writes, and `chains`. A refactor that should change nothing
// (moving an input into its own folder, retaining facts instead of trees) must leave them identical;
// a change that means to alter behaviour updates them on purpose (`npx vitest run test/golden -u`)
// and the diff shows exactly which findings, fixes and chains moved.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateDenseWorkspace } from '../../bench/generate-dense.js';
import { generateWorkspace } from '../../bench/generate.js';
import { allRules } from '../../rules/index.js';
import { toJsonChains } from '../../server/src/cli/formatters/chains/json.js';
import { chainsOf } from '../../server/src/engine/chain/chains.js';
import type { LintReport } from '../../server/src/engine/report.js';
import { lint } from '../../server/src/engine/run.js';
import { LineIndex } from '../../server/src/engine/text.js';
import { createModelCapture } from '../../server/src/host/model-capture.js';
import { configFor, fixFixture, fixtureCases } from '../helpers/fixture-cases.js';
import { loadFixture } from '../helpers/fixture-fs.js';

const CLI = path.resolve(__dirname, '../../dist/cli.js');
const EXAMPLES = path.resolve(__dirname, '../../examples');
const OUTPUTS = path.resolve(__dirname, '__outputs__');

const sha = (text: string | Uint8Array) => createHash('sha256').update(text).digest('hex').slice(0, 16);

/** One line per finding: stable, readable in a diff, and independent of the order rules ran in. */
function findingLines(report: LintReport, texts: Map<string, string>): string[] {
  const indexes = new Map<string, LineIndex>();
  const at = (file: string, offset: number) => {
    let index = indexes.get(file);
    if (!index) indexes.set(file, (index = new LineIndex(texts.get(file) ?? '')));
    const p = index.positionAt(offset);
    return `${p.line + 1}:${p.character + 1}`;
  };
  return report.findings.map((f) => {
    const related = f.related.map((r) => `${r.span.file}:${at(r.span.file, r.span.start)}`).join(',');
    const fixes = f.fixes.map((x) => `${x.safety}${x.preferred ? '*' : ''}`).join(',');
    return `${f.span.file}:${at(f.span.file, f.span.start)}-${at(f.span.file, f.span.end)} ${f.severity} ${f.ruleId} [${fixes}] {${related}} ${f.message}`;
  }).sort();
}

describe('golden outputs: fixtures', () => {
  for (const fixture of fixtureCases()) {
    it(`${fixture.ruleId}/${fixture.name}`, async () => {
      const { fs: memory, files } = loadFixture(fixture.dir, (relative) => relative === 'fixed' || relative.startsWith('fixed/'));
      const capture = createModelCapture();
      const report = lint({ fs: memory, files, config: configFor(fixture.dir), rules: [...allRules, capture.rule], toolVersion: 'test' });
      const texts = new Map(files.map((f) => [f, new TextDecoder().decode(memory.readFile(f))]));
      const model = capture.model();
      const chains = model ? toJsonChains(chainsOf(model), model) : undefined;
      const fixed = fixFixture(fixture.dir);
      const written = Object.fromEntries([...fixed.changed].map(([file, bytes]) => [file, sha(bytes)]).sort(([a], [b]) => String(a).localeCompare(String(b))));
      const stored = { findings: findingLines(report, texts), notAnalysed: report.notAnalysed ?? [], fixed: written, chains };
      await expect(`${JSON.stringify(stored, null, 1)}\n`).toMatchFileSnapshot(path.join(OUTPUTS, 'fixtures', fixture.ruleId, `${fixture.name}.json`));
    });
  }
});

/** The CLI on a copy of a workspace: its JSON report, its chains, and the bytes --fix --unsafe-fixes writes. */
function cliOutputs(root: string, digestOnly: boolean): object {
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'tl-golden-'));
  try {
    fs.cpSync(root, copy, { recursive: true });
    const run = (args: string[]) => spawnSync(process.execPath, [CLI, '--root', copy, ...args], { cwd: copy, encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 });
    const lintRun = run(['--format', 'json']);
    type Range = { start: { line: number; column: number }; end: { line: number; column: number } };
    const report = JSON.parse(lintRun.stdout) as { findings: Array<{ ruleId: string; file: string; range: Range; severity: string; message: string; related: Array<{ file: string; range: Range }> }>; summary: unknown };
    const where = (file: string, r: Range) => `${file}:${r.start.line}:${r.start.column}`;
    const findings = report.findings.map((f) => `${where(f.file, f.range)}-${f.range.end.line}:${f.range.end.column} ${f.severity} ${f.ruleId} {${f.related.map((r) => where(r.file, r.range)).join(',')}} ${f.message}`).sort();
    const chainsRun = run(['chains', '--format', 'json']);
    const chains = chainsRun.stdout.split(copy).join('<root>');
    const before = snapshotFiles(copy);
    const fixRun = run(['--fix', '--unsafe-fixes', '--format', 'json']);
    const after = snapshotFiles(copy);
    const fixedFiles = Object.fromEntries([...after].filter(([file, digest]) => before.get(file) !== digest).sort(([a], [b]) => a.localeCompare(b)));
    const perRule: Record<string, number> = {};
    for (const f of report.findings) perRule[f.ruleId] = (perRule[f.ruleId] ?? 0) + 1;
    const sortedPerRule = Object.fromEntries(Object.entries(perRule).sort(([a], [b]) => a.localeCompare(b)));
    if (digestOnly) {
      return { exit: lintRun.status, summary: report.summary, perRule: sortedPerRule, findings: sha(findings.join('\n')), chains: sha(chains), fixExit: fixRun.status, fixedFiles: Object.keys(fixedFiles).length, fixed: sha(JSON.stringify(fixedFiles)) };
    }
    return { exit: lintRun.status, summary: report.summary, perRule: sortedPerRule, findings, fixExit: fixRun.status, fixed: fixedFiles, chains: JSON.parse(chains) as unknown };
  } finally {
    fs.rmSync(copy, { recursive: true, force: true });
  }
}

function snapshotFiles(root: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (relative: string) => {
    for (const entry of fs.readdirSync(path.join(root, relative), { withFileTypes: true })) {
      const child = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.name === '.timeout-lint-cache') continue;
      if (entry.isDirectory()) walk(child);
      else if (entry.isFile()) out.set(child, sha(fs.readFileSync(path.join(root, child))));
    }
  };
  walk('');
  return out;
}

describe.skipIf(!fs.existsSync(CLI))('golden outputs: CLI on whole workspaces', () => {
  it('examples/', async () => {
    await expect(`${JSON.stringify(cliOutputs(EXAMPLES, false), null, 1)}\n`).toMatchFileSnapshot(path.join(OUTPUTS, 'examples.json'));
  });

  it('examples/clean', async () => {
    await expect(`${JSON.stringify(cliOutputs(path.join(EXAMPLES, 'clean'), false), null, 1)}\n`).toMatchFileSnapshot(path.join(OUTPUTS, 'examples-clean.json'));
  });

  // The benchmark's generator is seeded: the same bytes every run, so the outputs are stable. The
  // 10,000-file profile takes a minute or two (lint, chains and a fix to fixpoint): CI runs it, and so
  // does GOLDEN_10K=1 locally.
  const full = process.env.CI === 'true' || process.env.GOLDEN_10K === '1';
  // Both bench profiles: the existing monorepo (most TypeScript files skipped by the pre-scan) and the
  // dense one (every TypeScript file with calls, every YAML a manifest), whose findings a change
  // meant only to make the engine cheaper must leave alone as well.
  const profiles = [
    { name: 'benchmark workspace', file: 'bench', generate: generateWorkspace },
    { name: 'dense benchmark workspace', file: 'bench-dense', generate: generateDenseWorkspace },
  ];
  for (const profile of profiles) {
    for (const size of [1000, 10000]) {
      const skip = size > 1000 && !full;
      it.skipIf(skip)(`${profile.name}, ${size} files${skip ? ' (skipped: set GOLDEN_10K=1 or CI=true)' : ''}`, { timeout: 600_000 }, async () => {
        const root = fs.mkdtempSync(path.join(os.tmpdir(), `tl-golden-${profile.file}-${size}-`));
        try {
          profile.generate(root, size);
          await expect(`${JSON.stringify(cliOutputs(root, true), null, 1)}\n`).toMatchFileSnapshot(path.join(OUTPUTS, `${profile.file}-${size}.json`));
        } finally {
          fs.rmSync(root, { recursive: true, force: true });
        }
      });
    }
  }
});
