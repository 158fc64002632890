// Enumerates fixture cases (test/fixtures/<rule-id>/<case>/) and lints them with the real engine.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { allRules } from '../../rules/index.js';
import { resolveConfig, type ResolvedConfig } from '../../server/src/engine/config.js';
import { fixToFixpoint, type FixpointResult } from '../../server/src/engine/fix.js';
import type { LintReport } from '../../server/src/engine/report.js';
import { lint } from '../../server/src/engine/run.js';
import { OverlayFs } from '../../server/src/engine/workspace-fs.js';
import { loadFixture } from './fixture-fs.js';

export const FIXTURES_DIR = path.resolve(__dirname, '../fixtures');

export interface FixtureCase {
  ruleId: string;
  name: string;
  dir: string;
  quiet: boolean;
}

export function fixtureCases(): FixtureCase[] {
  if (!fs.existsSync(FIXTURES_DIR)) return [];
  return fs.readdirSync(FIXTURES_DIR).sort().flatMap((ruleId) =>
    fs.readdirSync(path.join(FIXTURES_DIR, ruleId)).sort()
      .filter((name) => fs.statSync(path.join(FIXTURES_DIR, ruleId, name)).isDirectory())
      .map((name) => ({ ruleId, name, dir: path.join(FIXTURES_DIR, ruleId, name), quiet: name.startsWith('quiet') })),
  );
}

const isFixedOutput = (relative: string) => relative === 'fixed' || relative.startsWith('fixed/');

/**
 * Most fixtures hold one layer of a system on purpose (an Ingress whose Service is elsewhere), so
 * the information rule that shows where chains stop is on only in its own fixtures, unless a
 * fixture's config turns it on.
 */
const PARTIAL_WORKSPACE_RULE = 'unresolved-chain-link';

export function configFor(dir: string): ResolvedConfig {
  const file = path.join(dir, 'timeout-lint.config.json');
  const raw = fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as { rules?: Record<string, unknown> }) : undefined;
  const { config, errors } = resolveConfig(raw, allRules);
  if (errors.length > 0) throw new Error(`invalid fixture config ${file}: ${errors.join('; ')}`);
  const ownRule = path.basename(path.dirname(dir)) === PARTIAL_WORKSPACE_RULE;
  if (!ownRule && raw?.rules?.[PARTIAL_WORKSPACE_RULE] === undefined) config.rules.set(PARTIAL_WORKSPACE_RULE, { severity: 'off', options: {} });
  return config;
}

export function lintFixture(dir: string): { report: LintReport; files: string[]; texts: Map<string, string> } {
  const { fs: memory, files } = loadFixture(dir, isFixedOutput);
  const config = configFor(dir);
  const report = lint({ fs: memory, files, config, rules: allRules, toolVersion: 'test' });
  const texts = new Map(files.map((f) => [f, new TextDecoder().decode(memory.readFile(f))]));
  return { report, files, texts };
}

/** Applies every fix (unsafe ones too, the preferred choice first) to a fixpoint, as a user clicking quick fixes would. */
export function fixFixture(dir: string): FixpointResult {
  const { fs: memory, files } = loadFixture(dir, isFixedOutput);
  const config = configFor(dir);
  return fixToFixpoint(
    (overrides) => lint({ fs: new OverlayFs(memory, overrides), files, config, rules: allRules, toolVersion: 'test' }),
    { unsafe: true },
  );
}
