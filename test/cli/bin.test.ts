// The bundled command (dist/cli.js) runs as a real process and hands the exit code to the shell.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';

const CLI = path.resolve(__dirname, '../../dist/cli.js');
const WORKSPACES = path.resolve(__dirname, 'workspaces');

if (!fs.existsSync(CLI)) console.warn('SKIPPED: dist/cli.js is not built; `npm test` builds it first.');

describe.skipIf(!fs.existsSync(CLI))('dist/cli.js', () => {
  const run = (args: string[], cwd: string) => spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8' });

  it.each([
    ['clean', [], 0],
    ['gateway', [], 1],
    ['warnings-only', ['--max-warnings', '0'], 1],
    ['clean', ['--format', 'nope'], 2],
  ])('exits as documented in %s with %j', (workspace, args, status) => {
    expect(run(['--no-color', ...args], path.join(WORKSPACES, workspace)).status).toBe(status);
  });

  it('prints valid JSON with --format json', () => {
    const result = run(['--format', 'json'], path.join(WORKSPACES, 'gateway'));
    expect(JSON.parse(result.stdout).findings.length).toBeGreaterThan(0);
  });
});
