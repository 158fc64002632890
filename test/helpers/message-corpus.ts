// Every workspace the tests lint (fixtures, examples/, the CLI scenario workspaces), linted in process
// with the real engine over the files the CLI's own discovery picks (.gitignore files and the config's
// `ignore` globs applied), so tests over all findings (headlines, fixes) see what users see.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { allRules } from '../../rules/index.js';
import { resolveConfig, type ResolvedConfig } from '../../server/src/engine/config.js';
import { fixToFixpoint, type FixpointResult } from '../../server/src/engine/fix.js';
import type { LintReport } from '../../server/src/engine/report.js';
import { lint } from '../../server/src/engine/run.js';
import { OverlayFs, type MemoryFs } from '../../server/src/engine/workspace-fs.js';
import { discoverFiles } from '../../server/src/host/discover.js';
import { configFor, fixtureCases } from './fixture-cases.js';
import { loadFixture } from './fixture-fs.js';

const REPO = path.resolve(__dirname, '../..');

export interface CorpusWorkspace {
  /** Repository-relative folder, for test names and reports. */
  name: string;
  dir: string;
  config: ResolvedConfig;
}

/** Fixture cases with their fixture config; examples/, the language server test workspace and the CLI workspaces with their own config file (the ones whose config is invalid on purpose are left out). */
export function corpusWorkspaces(): CorpusWorkspace[] {
  const out: CorpusWorkspace[] = fixtureCases().map((c) => ({ name: path.relative(REPO, c.dir), dir: c.dir, config: configFor(c.dir) }));
  const cliWorkspaces = path.join(REPO, 'test/cli/workspaces');
  const others = [path.join(REPO, 'examples'), path.join(REPO, 'test/lsp/workspace'), ...fs.readdirSync(cliWorkspaces).sort().map((d) => path.join(cliWorkspaces, d))];
  for (const dir of others) {
    if (!fs.statSync(dir).isDirectory()) continue;
    const file = path.join(dir, 'timeout-lint.config.json');
    let raw: unknown;
    try {
      raw = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '')) : undefined;
    } catch {
      continue;
    }
    const { config, errors } = resolveConfig(raw, allRules);
    if (errors.length === 0) out.push({ name: path.relative(REPO, dir), dir, config });
  }
  return out;
}

const isFixedOutput = (relative: string) => relative === 'fixed' || relative.startsWith('fixed/');

export interface LintedWorkspace {
  report: LintReport;
  memory: MemoryFs;
  files: string[];
  lintWith(overrides: ReadonlyMap<string, string>): LintReport;
}

/**
 * Every file of the folder is readable (an include may name an ignored file, as on disk), but only the
 * files `timeout-lint --root <dir>` would discover are linted (a fixture's expected `fixed/` output aside):
 * the same discovery, not a copy of its globbing.
 */
export function lintWorkspace(workspace: CorpusWorkspace): LintedWorkspace {
  const { fs: memory } = loadFixture(workspace.dir, isFixedOutput);
  const files = discoverFiles(memory, [''], workspace.config.ignore).files;
  const lintWith = (overrides: ReadonlyMap<string, string>) =>
    lint({ fs: overrides.size > 0 ? new OverlayFs(memory, overrides) : memory, files, config: workspace.config, rules: allRules, toolVersion: 'test' });
  return { report: lintWith(new Map()), memory, files, lintWith };
}

/** Safe fixes only, as `--fix` applies them. */
export function safeFixToFixpoint(linted: LintedWorkspace): FixpointResult {
  return fixToFixpoint(linted.lintWith, { unsafe: false });
}
