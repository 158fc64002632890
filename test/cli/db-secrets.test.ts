// No output of the CLI (any lint format, the code frame, any chains format) ever prints a password from a connection string.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../server/src/cli/main.js';

const FIXTURES = path.resolve(__dirname, '../fixtures');
// Passwords planted in the workspaces below: compose env, Deployment env, a code literal, a libpq key/value string, a query parameter.
const SECRETS = ['hunter2-secret', 'Xk9-top-secret', 'Literal-Pa55', 'kv-pass-77', 'param-pw-42'];

const workdirs: string[] = [];
afterAll(() => {
  for (const dir of workdirs) fs.rmSync(dir, { recursive: true, force: true });
});

function workspace(fixture: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'timeout-lint-secrets-'));
  workdirs.push(dir);
  fs.cpSync(path.join(FIXTURES, fixture), dir, { recursive: true, filter: (src) => !src.split(path.sep).includes('fixed') });
  return dir;
}

/** A second client whose connection string is written in code, on the line the finding points at. */
function plantLiteralClients(dir: string, folder: string): void {
  fs.writeFileSync(path.join(dir, folder, 'src', 'reports.ts'), [
    "import { Pool, Client } from 'pg';",
    "export const reports = new Pool({ connectionString: 'postgres://reports:Literal-Pa55@db:5432/reports' });",
    "export const audit = new Client('host=db user=audit password=kv-pass-77 dbname=audit');",
    "export const archive = new Pool({ connectionString: 'postgres://db/archive?user=arch&password=param-pw-42' });",
    "export async function monthly() { return (await reports.query('SELECT 1')).rows; }",
    '',
  ].join('\n'));
}

function run(cwd: string, args: string[]): string {
  let out = '';
  runCli(['--no-color', ...args], { cwd, stdout: (t) => (out += t), stderr: (t) => (out += t), isTTY: false });
  return out;
}

const COMMANDS: string[][] = [
  ['.'], ['.', '--code-frame'], ['.', '--format', 'json'], ['.', '--format', 'sarif'], ['.', '--format', 'github'],
  ['chains', '.'], ['chains', '.', '--format', 'json'], ['chains', '.', '--format', 'mermaid'], ['chains', '.', '--format', 'dot'],
];

describe.each([
  ['db-query-outlives-request/nginx-express-pg', 'api'],
  ['db-acquire-timeout-above-request-budget/prisma-deployment-env', 'services/billing'],
])('workspace %s', (fixture, folder) => {
  const dir = workspace(fixture);
  plantLiteralClients(dir, folder);

  it.each(COMMANDS.map((c) => [c.join(' '), c] as const))('timeout-lint %s prints no password', (_name, args) => {
    const out = run(dir, args);
    // The run must say something about the database, or the test proves nothing.
    expect(out.length).toBeGreaterThan(0);
    for (const secret of SECRETS) expect(out, `${secret} in: ${args.join(' ')}`).not.toContain(secret);
  });

  it('reports the database findings it is about', () => {
    const findings = JSON.parse(run(dir, ['.', '--format', 'json'])) as { files?: unknown };
    expect(JSON.stringify(findings)).toMatch(/db-(query-outlives-request|acquire-timeout-above-request-budget)/);
  });
});
