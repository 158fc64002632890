// `--stdin` / `-` with `--stdin-filename`: piped text is linted as the named file inside the root
// (`helm template . | timeout-lint - --stdin-filename chart.yaml`), alone or with the workspace.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCliArgs } from '../../server/src/cli/args.js';
import { runCli } from '../../server/src/cli/main.js';

const ROOT = path.resolve(__dirname, '../..');
const CLI = path.join(ROOT, 'dist/cli.js');
const EXAMPLES = path.join(ROOT, 'examples');
const HELM_OUTPUT = fs.readFileSync(path.join(__dirname, 'stdin/helm-template.yaml'));
const GATEWAY_NGINX = fs.readFileSync(path.join(__dirname, 'workspaces/gateway/nginx.conf'));
const FIX_CASE = path.join(ROOT, 'test/fixtures/annotation-value-not-string/unquoted-values');

interface JsonFinding { ruleId: string; file: string; range: { start: { line: number } }; related: Array<{ file: string }>; data: Record<string, unknown> }
interface JsonReport { complete: boolean; notAnalysed: Array<{ file: string; reason: string }>; findings: JsonFinding[] }

if (!fs.existsSync(CLI)) console.warn('SKIPPED: dist/cli.js is not built; `npm test` builds it first.');

function run(args: string[], input: Uint8Array | string, cwd = ROOT) {
  const result = spawnSync(process.execPath, [CLI, '--no-color', ...args], { cwd, input, maxBuffer: 64 * 1024 * 1024, timeout: 60_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr.toString('utf8'), text: result.stdout.toString('utf8') };
}

function lintJson(args: string[], input: Uint8Array | string, cwd = ROOT): { status: number | null; report: JsonReport; stderr: string } {
  const result = run([...args, '--format', 'json'], input, cwd);
  return { status: result.status, report: JSON.parse(result.text) as JsonReport, stderr: result.stderr };
}

const where = (report: JsonReport) => report.findings.map((f) => `${f.file}:${f.range.start.line} ${f.ruleId}`);

describe('parsing --stdin, - and --stdin-filename', () => {
  it.each([
    [['-'], true, []],
    [['--stdin'], true, []],
    [['--stdin-filename', 'chart.yaml'], true, []],
    [['-', 'k8s/', '--stdin-filename', 'k8s/x.yaml'], true, ['k8s/']],
    [['k8s/'], false, ['k8s/']],
    [['chains', '-'], true, []],
  ])('%j reads standard input: %s, other paths %j', (argv, stdin, paths) => {
    const { options } = parseCliArgs(argv);
    expect(options?.stdin).toBe(stdin);
    expect(options?.paths).toEqual(paths);
  });

  it('exits with 2 when standard input could not be read', () => {
    let stderr = '';
    const io = { cwd: __dirname, stdout: () => {}, stderr: (t: string) => (stderr += t), isTTY: false };
    expect(runCli(['-'], io)).toBe(2);
    expect(runCli(['-'], { ...io, stdin: { error: 'EBADF' } })).toBe(2);
    expect(stderr).toMatch(/cannot read standard input \(EBADF\)/);
  });

  it('refuses - twice and an empty --stdin-filename', () => {
    expect(parseCliArgs(['-', '-']).error).toMatch(/only once/);
    expect(parseCliArgs(['--stdin-filename', '']).error).toMatch(/needs a file name/);
  });
});

describe.skipIf(!fs.existsSync(CLI))('piped text', () => {
  const temps: string[] = [];
  afterAll(() => {
    for (const dir of temps) fs.rmSync(dir, { recursive: true, force: true });
  });
  const tempCopy = (from: string) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'timeout-lint-stdin-'));
    temps.push(dir);
    fs.cpSync(from, dir, { recursive: true });
    return dir;
  };

  it('lints `helm template` output as Kubernetes manifests at the lines of chart.yaml', () => {
    const { status, report } = lintJson(['-', '--stdin-filename', 'chart.yaml'], HELM_OUTPUT, __dirname);
    expect(where(report)).toEqual(['chart.yaml:57 probe-timeout-not-below-period', 'chart.yaml:78 llm-ingress-default-timeout']);
    expect(report.complete).toBe(true);
    expect(status).toBe(0);
  });

  it('lets the name decide the input: the same nginx text is nginx as nginx.conf, and no Kubernetes manifest as a .yaml file', () => {
    const asNginx = lintJson(['--stdin', '--stdin-filename', 'nginx.conf'], GATEWAY_NGINX, __dirname);
    expect(where(asNginx.report)).toEqual(['nginx.conf:10 invalid-timeout-value', 'nginx.conf:12 llm-route-default-read-timeout', 'nginx.conf:19 timeout-in-if']);
    expect(asNginx.status).toBe(1);
    const asYaml = lintJson(['--stdin', '--stdin-filename', 'gateway.yaml'], GATEWAY_NGINX, __dirname);
    expect(asYaml.report.findings.filter((f) => f.ruleId !== 'not-analysed' && f.ruleId !== 'parse-error')).toEqual([]);
  });

  it('reads TypeScript as client.ts', () => {
    const code = "export async function users() {\n  return fetch('https://users.internal/api');\n}\n";
    const { report } = lintJson(['-', '--stdin-filename', 'src/client.ts'], code, __dirname);
    expect(where(report)).toEqual(['src/client.ts:2 http-call-without-timeout']);
  });

  it('without --root, lints the piped text alone, not the files around it', () => {
    const cwd = path.join(__dirname, 'workspaces/gateway');
    const { report } = lintJson(['-', '--stdin-filename', 'chart.yaml'], HELM_OUTPUT, cwd);
    expect(report.findings.map((f) => f.file)).toEqual(['chart.yaml', 'chart.yaml']);
  });

  it('with --root, lints it in place of the file on disk, together with the rest of the workspace', () => {
    const server = 'examples/services/summarise-api/src/server.ts';
    const onDisk = fs.readFileSync(path.join(ROOT, server), 'utf8');
    const disk = lintJson(['--root', 'examples'], '');
    const same = lintJson(['--root', 'examples', '-', '--stdin-filename', server], onDisk);
    expect(where(same.report)).toEqual(where(disk.report));
    expect(same.status).toBe(disk.status);
    // The Istio route (60 s per try) is shorter than the SDK call only while the call may take 4 min (from the disk's environment).
    const istioOverCall = (r: JsonReport) => r.findings.filter((f) => f.file === 'examples/k8s/istio.yaml' && f.ruleId === 'outer-timeout-below-inner' && f.related.some((x) => x.file === server));
    expect(istioOverCall(disk.report)).toHaveLength(1);
    const shorter = onDisk.replace('Number(process.env.LLM_TIMEOUT_MS ?? 240_000)', '10_000');
    expect(shorter).not.toBe(onDisk);
    const edited = lintJson(['--root', 'examples', '-', '--stdin-filename', server], shorter);
    expect(istioOverCall(edited.report)).toEqual([]);
    expect(fs.readFileSync(path.join(ROOT, server), 'utf8')).toBe(onDisk);
  });

  it('with --root, the piped file need not exist: it joins an nginx include glob of its folder', () => {
    const root = tempCopy(path.join(__dirname, 'workspaces/clean'));
    fs.writeFileSync(path.join(root, 'nginx.conf'), 'events {}\nhttp {\n    include conf.d/*.conf;\n}\n');
    const server = 'server {\n    listen 80;\n    location /v1/chat/completions {\n        proxy_pass http://127.0.0.1:9000;\n    }\n}\n';
    const { report } = lintJson(['--root', '.', '-', '--stdin-filename', 'conf.d/llm.conf'], server, root);
    expect(where(report)).toContain('conf.d/llm.conf:3 llm-route-default-read-timeout');
  });

  it('--fix prints the fixed text to stdout and the report to stderr, and writes nothing', () => {
    const copy = tempCopy(FIX_CASE);
    const input = fs.readFileSync(path.join(copy, 'ingress.yaml'));
    const result = run(['--root', '.', '-', '--stdin-filename', 'ingress.yaml', '--fix'], input, copy);
    expect(result.text).toBe(fs.readFileSync(path.join(FIX_CASE, 'fixed/ingress.yaml'), 'utf8'));
    expect(result.stderr).toMatch(/Fixed \d+ problems? in 1 file/);
    expect(fs.readFileSync(path.join(copy, 'ingress.yaml'))).toEqual(input);
    expect(result.status).toBe(0);
  });

  it('--fix prints text with no safe fix back byte for byte (BOM, CRLF), with the report in --output-file', () => {
    const copy = tempCopy(path.join(__dirname, 'workspaces/clean'));
    const input = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(HELM_OUTPUT.toString('utf8').replace(/\n/g, '\r\n'))]);
    const result = run(['-', '--stdin-filename', 'chart.yaml', '--fix', '--format', 'json', '-o', 'report.json'], input, copy);
    expect(Buffer.compare(result.stdout, input)).toBe(0);
    // Both findings have only unsafe fixes, which --fix leaves alone.
    expect(where(JSON.parse(fs.readFileSync(path.join(copy, 'report.json'), 'utf8')) as JsonReport)).toEqual(['chart.yaml:57 probe-timeout-not-below-period', 'chart.yaml:78 llm-ingress-default-timeout']);
    expect(result.status).toBe(0);
  });

  it('lists binary input as not analysed (exit 0), and with --fix prints it back unchanged', () => {
    const binary = Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2, 3, 0, 0xff]);
    const { status, report } = lintJson(['-', '--stdin-filename', 'chart.yaml'], binary, __dirname);
    expect(report.notAnalysed).toEqual([{ file: 'chart.yaml', reason: 'is a binary file' }]);
    expect(report.complete).toBe(false);
    expect(status).toBe(0);
    const fixed = run(['-', '--stdin-filename', 'chart.yaml', '--fix'], binary, __dirname);
    expect(Buffer.compare(fixed.stdout, binary)).toBe(0);
    expect(fixed.status).toBe(0);
  });

  it('lists huge input as not analysed by its size, reading it to the end', () => {
    const huge = Buffer.alloc(9 * 1024 * 1024, 'a');
    const { status, report, stderr } = lintJson(['-'], huge, __dirname);
    expect(report.notAnalysed).toEqual([{ file: 'stdin.yaml', reason: `larger than 8 MiB (${huge.length} bytes)` }]);
    expect(stderr).toBe('');
    expect(status).toBe(0);
  });

  it('accepts empty input', () => {
    const { status, report } = lintJson(['-', '--stdin-filename', 'chart.yaml'], '', __dirname);
    expect(report.findings).toEqual([]);
    expect(status).toBe(0);
  });

  it('explains the chains of piped manifests', () => {
    const result = run(['chains', '-', '--stdin-filename', 'chart.yaml'], HELM_OUTPUT, __dirname);
    expect(result.status).toBe(0);
    expect(result.text).toContain('chart.yaml');
  });

  it.each([
    [['-', '--stdin-filename', '../outside.yaml'], /must name a file inside the workspace root/],
    [['-', '--stdin-filename', 'stdin'], /must name a file inside the workspace root/],
  ])('refuses %j with exit 2', (args, message) => {
    const result = run(args, HELM_OUTPUT, __dirname);
    expect(result.stderr).toMatch(message);
    expect(result.status).toBe(2);
  });
});
