// The message corpus lints what the CLI lints: a harness that skipped the config's `ignore` globs once
// saw 23 findings on examples/ where users saw 26, and missed the two longest headlines.
import { describe, expect, it } from 'vitest';
import { runCli } from '../../server/src/cli/main.js';
import { corpusWorkspaces, lintWorkspace } from '../helpers/message-corpus.js';


interface JsonReport { findings: Array<{ ruleId: string; file: string; message: string }> }

function cliReport(dir: string): JsonReport {
  let stdout = '';
  let stderr = '';
  runCli(['--root', dir, '--format', 'json'], { cwd: dir, stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), isTTY: false });
  expect(stderr).toBe('');
  return JSON.parse(stdout) as JsonReport;
}

describe('message corpus', () => {
  it.each(['examples', 'test/cli/workspaces/gateway'])('lints the same findings as the CLI on %s', (name) => {
    const workspace = corpusWorkspaces().find((w) => w.name === name);
    expect(workspace, name).toBeDefined();
    const harness = lintWorkspace(workspace!).report.findings.map((f) => `${f.ruleId} ${f.span.file}: ${f.message}`).sort();
    const cli = cliReport(workspace!.dir).findings.map((f) => `${f.ruleId} ${f.file}: ${f.message}`).sort();
    expect(harness.length).toBeGreaterThan(0);
    expect(harness).toEqual(cli);
  });

  it('leaves out what examples/ ignores (its config ignores clean/**)', () => {
    const examples = corpusWorkspaces().find((w) => w.name === 'examples')!;
    const linted = lintWorkspace(examples);
    expect(linted.files.some((f) => f.startsWith('clean/'))).toBe(false);
    expect(linted.files.some((f) => f.startsWith('nginx/'))).toBe(true);
  });
});
