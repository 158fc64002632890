// Where the extension wakes up and shows itself: package.json activation events against the files the inputs claim, and the status notification's `inputs` over stdio.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import picomatch from 'picomatch';
import { afterEach, describe, expect, it } from 'vitest';
import { allRules } from '../../rules/index.js';
import { defaultConfig } from '../../server/src/engine/config.js';
import { INPUTS } from '../../server/src/engine/inputs/index.js';
import { CLI, LspTestClient } from './lsp-harness.js';

const ROOT = path.resolve(__dirname, '../..');
const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { activationEvents: string[] };
const globs = manifest.activationEvents.filter((e) => e.startsWith('workspaceContains:')).map((e) => e.slice('workspaceContains:'.length));
// VS Code matches workspaceContains globs against workspace-relative paths, dot folders included.
const activates = picomatch(globs, { dot: true });
const languages = manifest.activationEvents.filter((e) => e.startsWith('onLanguage:')).map((e) => e.slice('onLanguage:'.length));

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
    const child = `${dir}/${entry.name}`;
    if (entry.isDirectory()) out.push(...filesUnder(child));
    else if (entry.isFile()) out.push(child);
  }
  return out;
}

describe('activation events', () => {
  it('do not wake up for a lone redis.conf, a Python project or any .conf file', () => {
    for (const file of ['redis.conf', 'etc/redis/redis.conf', 'supervisord.conf', 'setup.cfg', 'pyproject.toml', 'main.py']) expect(activates(file), file).toBe(false);
    expect(globs).not.toContain('**/*.conf');
  });

  it('wake up for every file an input claims by its name in examples/ and the fixtures (YAML and code through their languages)', () => {
    const config = defaultConfig(allRules);
    const byLanguage = /\.(ya?ml|[cm]?[jt]sx?)$/i;
    // Read only beside a file that activates or code that does (onLanguage): a chart's helpers beside its Chart.yaml,
    // an entrypoint script or Dockerfile beside the nginx config it places, Postgres settings beside the code whose
    // database calls they bound (a lone migrations folder in a Python project must not wake the extension).
    const besideOthers = /(\.(tpl|sh|sql)$|(^|\/)Dockerfile[^/]*$|(^|\/)postgres(ql)?(\.auto)?\.conf$)/i;
    const named = [...filesUnder('examples'), ...filesUnder('test/fixtures')]
      .map((file) => file.replace(/^test\/fixtures\/[^/]+\/[^/]+\//, '').replace(/^examples\//, ''))
      .filter((file) => !byLanguage.test(file) && !besideOthers.test(file) && INPUTS.some((input) => input.claim(file, { config, explicit: false }) === 'name'));
    expect(named.length).toBeGreaterThan(20);
    expect(named.filter((file) => !activates(file))).toEqual([]);
    expect(languages).toEqual(expect.arrayContaining(['nginx', 'yaml', 'dockercompose', 'helm', 'terraform', 'haproxy', 'typescript', 'javascript']));
  });
});

const built = fs.existsSync(CLI);
describe.skipIf(!built)('status notification', () => {
  let client: LspTestClient | undefined;
  afterEach(async () => {
    await client?.shutdown();
    if (client) fs.rmSync(client.root, { recursive: true, force: true });
    client = undefined;
  });

  async function finalStatus(files: Record<string, string>): Promise<{ state: string; inputs: boolean }> {
    const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'timeout-lint-status-')));
    for (const [name, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
      fs.writeFileSync(path.join(root, name), text);
    }
    client = new LspTestClient(root);
    const statuses: Array<{ state: string; inputs: boolean }> = [];
    client.connection.onNotification('timeoutLint/status', (p: { state: string; inputs: boolean }) => {
      statuses.push(p);
    });
    await client.initialize();
    await client.waitUntil('the server is idle', () => statuses.at(-1)?.state === 'idle');
    return statuses.at(-1)!;
  }

  it('says the workspace holds no input when its only .conf file is a lone redis.conf', async () => {
    expect(await finalStatus({ 'redis.conf': 'bind 127.0.0.1\nport 6379\ntimeout 0\n', 'main.py': 'print(1)\n' })).toMatchObject({ inputs: false });
  });

  it('says it holds inputs when it has an nginx configuration', async () => {
    expect(await finalStatus({ 'nginx.conf': 'events {}\nhttp { server { location / { proxy_pass http://a; } } }\n' })).toMatchObject({ inputs: true });
  });
});
