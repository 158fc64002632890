// CLI scenarios: each .scenario file names a workspace, a command line, the exit status and the exact output.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../server/src/cli/main.js';
import { listFilesRecursively } from '../helpers/fixture-fs.js';

const SCENARIOS = path.resolve(__dirname, 'scenarios');
const WORKSPACES = path.resolve(__dirname, 'workspaces');
/** Set UPDATE_SCENARIOS=1 to rewrite expected sections from the actual output (then review the diff). */
const UPDATE = process.env.UPDATE_SCENARIOS === '1';

interface Scenario {
  workspace: string;
  command: string[];
  status: number;
  sections: Map<string, string>;
}

function parseScenario(text: string): Scenario {
  const [header, ...rest] = text.split(/^--- /m);
  const field = (name: string) => new RegExp(`^${name}: (.*)$`, 'm').exec(header!)?.[1] ?? '';
  const sections = new Map<string, string>();
  for (const part of rest) {
    const newline = part.indexOf('\n');
    sections.set(part.slice(0, newline).trim(), part.slice(newline + 1));
  }
  return { workspace: field('workspace'), command: splitArgs(field('command')), status: Number(field('status')), sections };
}

/** File bytes as reviewable text: a BOM shows as <BOM> and every CR as ␍, so line endings are asserted too. */
function visible(bytes: Buffer): string {
  const hasBom = bytes.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf]));
  return (hasBom ? '<BOM>' : '') + bytes.subarray(hasBom ? 3 : 0).toString('utf8').replace(/\r/g, '␍');
}

function splitArgs(command: string): string[] {
  return [...command.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]!);
}

function serialize(original: string, actual: Map<string, string>, status: number): string {
  const [header] = original.split(/^--- /m);
  const updatedHeader = header!.replace(/^status: .*$/m, `status: ${status}`);
  return updatedHeader + [...actual].map(([name, body]) => `--- ${name}\n${body}`).join('');
}

const files = fs.existsSync(SCENARIOS) ? fs.readdirSync(SCENARIOS).filter((f) => f.endsWith('.scenario')).sort() : [];

describe.each(files)('scenario %s', (file) => {
  it('prints the expected output and exits with the expected status', () => {
    const text = fs.readFileSync(path.join(SCENARIOS, file), 'utf8');
    const scenario = parseScenario(text);
    const workdir = fs.mkdtempSync(path.join(os.tmpdir(), 'timeout-lint-scenario-'));
    fs.cpSync(path.join(WORKSPACES, scenario.workspace), workdir, { recursive: true });
    let stdout = '';
    let stderr = '';
    const status = runCli(scenario.command, { cwd: workdir, stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), isTTY: false });
    const actual = new Map<string, string>();
    for (const name of scenario.sections.keys()) {
      if (name === 'stdout') actual.set(name, stdout);
      else if (name === 'stderr') actual.set(name, stderr);
      else if (name.startsWith('file ')) actual.set(name, visible(fs.readFileSync(path.join(workdir, name.slice(5)))));
    }
    if (UPDATE) fs.writeFileSync(path.join(SCENARIOS, file), serialize(text, actual, status));
    fs.rmSync(workdir, { recursive: true, force: true });
    expect({ status, ...Object.fromEntries(actual) }).toEqual({ status: scenario.status, ...Object.fromEntries(scenario.sections) });
  });
});

it('every scenario workspace is used by a scenario', () => {
  const used = new Set(files.map((f) => parseScenario(fs.readFileSync(path.join(SCENARIOS, f), 'utf8')).workspace));
  const workspaces = fs.existsSync(WORKSPACES) ? fs.readdirSync(WORKSPACES) : [];
  expect(workspaces.filter((w) => !used.has(w))).toEqual([]);
  expect(listFilesRecursively(WORKSPACES).length).toBeGreaterThan(0);
});
