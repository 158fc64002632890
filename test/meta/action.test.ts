// The composite GitHub Action (action.yml): its inputs are the CLI's flags, and its scripts, run
// here with bash as the runner would run them, lint, write annotations or SARIF and fail as documented.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseCliArgs } from '../../server/src/cli/args.js';
import { FORMATS } from '../../server/src/cli/formatters/index.js';

const ROOT = path.resolve(__dirname, '../..');
const CLI = path.join(ROOT, 'dist/cli.js');

interface Step { name: string; id?: string; shell?: string; if?: string; uses?: string; with?: Record<string, string>; env?: Record<string, string>; run?: string }
interface Action {
  name: string;
  description: string;
  inputs: Record<string, { description: string; required: boolean; default: string }>;
  outputs: Record<string, { description: string; value: string }>;
  runs: { using: string; steps: Step[] };
}

const action = parse(fs.readFileSync(path.join(ROOT, 'action.yml'), 'utf8')) as Action;
const steps = action.runs.steps;
const lintStep = steps.find((s) => s.id === 'lint')!;
const failStep = steps.find((s) => s.name === 'Fail on findings')!;
const hasBash = spawnSync('bash', ['-c', 'true']).status === 0;

/** Every `${{ … }}` expression in the action's text. */
const expressions = [...fs.readFileSync(path.join(ROOT, 'action.yml'), 'utf8').matchAll(/\$\{\{\s*(.*?)\s*\}\}/g)].map((m) => m[1]!);

describe('action.yml', () => {
  it('is a composite action with the documented inputs, each described', () => {
    expect(action.runs.using).toBe('composite');
    expect(Object.keys(action.inputs).sort()).toEqual(['config', 'fail-level', 'format', 'root', 'version']);
    for (const [name, input] of Object.entries(action.inputs)) {
      expect(input.description.length, name).toBeGreaterThan(20);
      expect(input.required, name).toBe(false);
    }
    expect(FORMATS).toContain(action.inputs.format!.default);
    // The input's description names every format the CLI has.
    for (const format of FORMATS) expect(action.inputs.format!.description).toContain(`\`${format}\``);
  });

  it('uses every input it declares and declares every input it uses', () => {
    const used = new Set(expressions.flatMap((e) => [...e.matchAll(/\binputs\.([a-z-]+)/g)].map((m) => m[1]!)));
    expect([...used].sort()).toEqual(Object.keys(action.inputs).sort());
  });

  it('passes only flags the CLI accepts', () => {
    const script = lintStep.run!;
    const flags = [...new Set([...script.matchAll(/args\+?=\(([^)]*)\)/g)].flatMap((m) => [...m[1]!.matchAll(/(--[a-z][a-z-]*)/g)].map((f) => f[1]!)))];
    expect(flags.sort()).toEqual(['--config', '--format', '--max-warnings', '--output-file', '--root']);
    for (const flag of flags) expect(parseCliArgs([flag, '0']).error ?? '', flag).not.toMatch(/Unknown option/);
  });

  it('uploads SARIF only for the sarif format, before the step that fails the job', () => {
    const upload = steps.findIndex((s) => s.uses?.startsWith('github/codeql-action/upload-sarif@'));
    expect(upload).toBeGreaterThan(steps.indexOf(lintStep));
    expect(upload).toBeLessThan(steps.indexOf(failStep));
    expect(steps[upload]!.if).toMatch(/always\(\)/);
    expect(steps[upload]!.if).toMatch(/inputs\.format == 'sarif'/);
    expect(steps[upload]!.with?.sarif_file).toBe('${{ steps.lint.outputs.sarif-file }}');
    for (const output of Object.values(action.outputs)) expect(output.value).toMatch(/^\$\{\{ steps\.lint\.outputs\.[a-z-]+ \}\}$/);
  });

  it('hands inputs to its scripts through the environment, never spliced into the script', () => {
    for (const step of steps.filter((s) => s.run)) expect(step.run, step.name).not.toMatch(/\$\{\{/);
  });
});

describe.skipIf(!hasBash || !fs.existsSync(CLI))('action.yml scripts, run with bash', () => {
  const temps: string[] = [];
  afterAll(() => {
    for (const dir of temps) fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Runs a step's script as the runner does (`bash -eo pipefail`), with its env expressions evaluated. */
  function runStep(step: Step, inputs: Record<string, string>, outputs: Record<string, string> = {}) {
    const runnerTemp = fs.mkdtempSync(path.join(os.tmpdir(), 'timeout-lint-action-'));
    temps.push(runnerTemp);
    const githubOutput = path.join(runnerTemp, 'output');
    fs.writeFileSync(githubOutput, '');
    const values: Record<string, string> = { 'github.action_path': ROOT };
    for (const [name, input] of Object.entries(action.inputs)) values[`inputs.${name}`] = inputs[name] ?? input.default;
    for (const [name, value] of Object.entries(outputs)) values[`steps.lint.outputs.${name}`] = value;
    const env: Record<string, string> = { ...process.env, RUNNER_TEMP: runnerTemp, GITHUB_OUTPUT: githubOutput, GITHUB_WORKSPACE: ROOT } as Record<string, string>;
    for (const [name, value] of Object.entries(step.env ?? {})) {
      env[name] = value.replace(/\$\{\{\s*(.*?)\s*\}\}/g, (_m, expression: string) => {
        if (!(expression in values)) throw new Error(`unknown expression ${expression}`);
        return values[expression]!;
      });
    }
    const result = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', step.run!], { cwd: ROOT, env, encoding: 'utf8', timeout: 60_000 });
    const written = Object.fromEntries(fs.readFileSync(githubOutput, 'utf8').split('\n').filter(Boolean).map((line) => line.split(/=(.*)/s).slice(0, 2) as [string, string]));
    return { status: result.status, stdout: result.stdout, stderr: result.stderr, outputs: written };
  }

  it('writes annotations with paths from the repository, and the job fails on errors', () => {
    const lint = runStep(lintStep, { root: 'examples', version: 'checkout' });
    expect(lint.status).toBe(0);
    expect(lint.outputs['exit-code']).toBe('1');
    expect(lint.stdout).toMatch(/^::error file=examples\/nginx\/conf\.d\/gateway\.conf,line=17,/m);
    expect(runStep(failStep, {}, lint.outputs).status).toBe(1);
    expect(runStep(failStep, { 'fail-level': 'never' }, lint.outputs).status).toBe(0);
  });

  it('writes SARIF to the runner temp folder for the upload step', () => {
    const lint = runStep(lintStep, { root: 'examples', version: 'checkout', format: 'sarif' });
    expect(lint.outputs['exit-code']).toBe('1');
    const sarif = JSON.parse(fs.readFileSync(lint.outputs['sarif-file']!, 'utf8')) as { runs: Array<{ results: Array<{ locations: Array<{ physicalLocation: { artifactLocation: { uri: string } } }> }> }> };
    const uris = sarif.runs[0]!.results.map((r) => r.locations[0]!.physicalLocation.artifactLocation.uri);
    expect(uris).toContain('examples/nginx/conf.d/gateway.conf');
    expect(lint.stdout).toBe('');
  });

  it('fail-level warning fails on warnings alone; error does not', () => {
    const root = 'test/cli/workspaces/warnings-only';
    expect(runStep(lintStep, { root, version: 'checkout' }).outputs['exit-code']).toBe('0');
    expect(runStep(lintStep, { root, version: 'checkout', 'fail-level': 'warning' }).outputs['exit-code']).toBe('1');
  });

  it('a configuration error fails the job whatever the fail level', () => {
    const lint = runStep(lintStep, { root: 'test/cli/workspaces/bad-config', version: 'checkout', 'fail-level': 'never' });
    expect(lint.outputs['exit-code']).toBe('2');
    expect(runStep(failStep, { 'fail-level': 'never' }, lint.outputs).status).toBe(2);
  });

  it('refuses an unknown fail level', () => {
    const lint = runStep(lintStep, { root: 'examples', version: 'checkout', 'fail-level': 'sometimes' });
    expect(lint.status).toBe(2);
    expect(lint.stdout).toMatch(/^::error title=timeout-lint::fail-level must be/m);
  });
});
