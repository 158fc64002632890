// GitHub annotations and SARIF results name files relative to the repository (GITHUB_WORKSPACE), whatever --root and the working folder are.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '../..');
const CLI = path.join(ROOT, 'dist/cli.js');
const GATEWAY = path.join(__dirname, 'workspaces/gateway');
const GATEWAY_FROM_REPO = 'test/cli/workspaces/gateway/nginx.conf';

if (!fs.existsSync(CLI)) console.warn('SKIPPED: dist/cli.js is not built; `npm test` builds it first.');

function run(args: string[], cwd: string, checkout: string | undefined): string {
  const env = { ...process.env };
  delete env.GITHUB_WORKSPACE;
  if (checkout !== undefined) env.GITHUB_WORKSPACE = checkout;
  return spawnSync(process.execPath, [CLI, ...args], { cwd, env, encoding: 'utf8', timeout: 60_000 }).stdout;
}

/** The `file=` property of every workflow command. */
const annotatedFiles = (output: string) => [...new Set([...output.matchAll(/^::\w+ file=([^,]+),/gm)].map((m) => m[1]))];
const sarifFiles = (output: string) => {
  const log = JSON.parse(output) as { runs: Array<{ results: Array<{ locations: Array<{ physicalLocation: { artifactLocation: { uri: string } } }> }> }> };
  return [...new Set(log.runs[0]!.results.flatMap((r) => r.locations.map((l) => l.physicalLocation.artifactLocation.uri)))];
};

describe.skipIf(!fs.existsSync(CLI))('report paths in GitHub Actions', () => {
  it.each([
    ['from the repository root with --root on a subfolder', ROOT, ['--root', 'test/cli/workspaces/gateway']],
    ['from inside the subfolder (a step with working-directory)', GATEWAY, ['--root', '.']],
    ['from inside the subfolder, naming no root', GATEWAY, []],
    ['from a sibling folder, with --root climbing over', path.join(__dirname, 'workspaces/clean'), ['--root', '../gateway']],
  ])('annotations are relative to GITHUB_WORKSPACE %s', (_name, cwd, args) => {
    expect(annotatedFiles(run([...args, '--format', 'github'], cwd, ROOT))).toEqual([GATEWAY_FROM_REPO]);
    expect(sarifFiles(run([...args, '--format', 'sarif'], cwd, ROOT))).toEqual([GATEWAY_FROM_REPO]);
  });

  it('a relative GITHUB_WORKSPACE is taken from the working folder', () => {
    expect(annotatedFiles(run(['--format', 'github'], GATEWAY, '../../../..'))).toEqual([GATEWAY_FROM_REPO]);
  });

  it('outside Actions, and for a root outside the checkout, paths stay relative to the working folder', () => {
    expect(annotatedFiles(run(['--format', 'github'], GATEWAY, undefined))).toEqual(['nginx.conf']);
    expect(annotatedFiles(run(['--format', 'github'], GATEWAY, path.join(__dirname, 'workspaces/clean')))).toEqual(['nginx.conf']);
  });

  it('the stylish report keeps paths relative to the working folder in Actions too', () => {
    const stylish = run(['--format', 'stylish', '--no-color'], GATEWAY, ROOT);
    expect(stylish.split('\n')[1]).toBe('nginx.conf');
  });
});
