// The bundled command (dist/cli.js) runs as a real process and hands the exit code to the shell.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatTiming, timingRequest } from '../../server/src/cli/main.js';

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

  it('exits quietly with the run\'s status when the reader closes the pipe early (`| head`)', () => {
    // `head -c 1` reads one byte of the report and exits; the CLI's further writes (examples/ gives
    // more than a pipe buffer of JSON) then fail with EPIPE.
    const examples = path.resolve(__dirname, '../../examples');
    const piped = spawnSync('/bin/bash', ['-c', `"${process.execPath}" "${CLI}" --format json --root "${examples}" | head -c 1 >/dev/null; echo \${PIPESTATUS[0]}`], { encoding: 'utf8' });
    expect(piped.stderr).toBe('');
    expect(piped.stdout.trim()).toBe('1');
  });

  it('TIMING=all prints where the time went to stderr, like ESLint, and adds it to the JSON report', () => {
    const result = spawnSync(process.execPath, [CLI, '--format', 'json'], { cwd: path.join(WORKSPACES, 'gateway'), encoding: 'utf8', env: { ...process.env, TIMING: 'all' } });
    const timing = JSON.parse(result.stdout).timing as { parseMs: number; linkMs: number; rules: Record<string, number> };
    expect(timing.parseMs).toBeGreaterThan(0);
    expect(Object.keys(timing.rules)).toContain('llm-route-default-read-timeout');
    expect(Object.values(timing.rules).every((ms) => ms >= 0)).toBe(true);
    expect(result.stderr).toMatch(/^Rule +\| +Time \(ms\) \| Relative$/m);
    expect(result.stderr).toMatch(/^\(reading and parsing files\) +\| +\d+\.\d{3} \| +\d+\.\d%$/m);
    expect(result.stderr).toMatch(/^\(linking call chains\) +\|/m);
    expect(result.stderr).toMatch(/^llm-route-default-read-timeout +\|/m);
    const plain = run(['--format', 'json'], path.join(WORKSPACES, 'gateway'));
    expect(JSON.parse(plain.stdout).timing).toBeUndefined();
    expect(plain.stderr).toBe('');
  });

  it('prints valid JSON with --format json', () => {
    const result = run(['--format', 'json'], path.join(WORKSPACES, 'gateway'));
    expect(JSON.parse(result.stdout).findings.length).toBeGreaterThan(0);
  });
});

describe('TIMING values', () => {
  it.each([
    [undefined, undefined],
    ['', undefined],
    ['0', undefined],
    ['false', undefined],
    ['1', 10],
    ['true', 10],
    ['25', 25],
    ['all', Infinity],
    ['ALL', Infinity],
  ])('TIMING=%j lists %s rules', (value, limit) => {
    expect(timingRequest(value)).toBe(limit);
  });

  it('formats phases first, then the slowest rules up to the limit, with shares of the whole', () => {
    const text = formatTiming({ parseMs: 50, linkMs: 25, rules: { a: 5, b: 20, c: 0 } }, 1);
    expect(text.split('\n').filter(Boolean).map((l) => l.replace(/\s+/g, ' '))).toEqual([
      'Rule | Time (ms) | Relative',
      expect.stringMatching(/^-+:\|-+:\|-+:$/),
      '(reading and parsing files) | 50.000 | 50.0%',
      '(linking call chains) | 25.000 | 25.0%',
      'b | 20.000 | 20.0%',
    ]);
  });
});
