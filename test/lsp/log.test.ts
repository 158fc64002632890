// What the server tells the output channel (start, folders indexed, counts, timings, configuration errors) and where configuration errors are placed.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CLI, LspTestClient } from './lsp-harness.js';

const built = fs.existsSync(CLI);
if (!built) console.warn('SKIPPED: dist/cli.js is not built; `npm test` builds it first.');

const NGINX = 'events {}\nhttp {\n  server {\n    location / { proxy_connect_timeout 90s; proxy_pass http://a; }\n  }\n}\n';
// The unknown key is on line 3, column 5 (1-based).
const CONFIG = '{\n  "rules": {},\n    "nginxx": {}\n}\n';

describe.skipIf(!built)('server log and configuration errors', () => {
  let client: LspTestClient | undefined;
  afterEach(async () => {
    await client?.shutdown();
    if (client) fs.rmSync(client.root, { recursive: true, force: true });
    client = undefined;
  });

  async function start(settings: Record<string, unknown>): Promise<LspTestClient> {
    const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'timeout-lint-log-')));
    fs.writeFileSync(path.join(root, 'nginx.conf'), NGINX);
    fs.writeFileSync(path.join(root, 'timeout-lint.config.json'), CONFIG);
    client = new LspTestClient(root);
    client.settings = settings;
    await client.initialize();
    return client;
  }

  it('logs the start, the indexed folder with its counts and time, and a configuration error at its line and column', async () => {
    const c = await start({});
    await c.waitUntil('the folder is indexed', () => c.logs.some((l) => l.startsWith('indexed ')));
    expect(c.logs[0]).toMatch(/^timeout-lint \S+ language server started \(node v\d+[^)]*, \d+ rules\); workspace folders: /);
    expect(c.logs).toContainEqual(expect.stringMatching(/^configuration: timeout-lint\.config\.json:3:5: /));
    expect(c.logs.find((l) => l.startsWith('indexed '))).toMatch(/^indexed .+: \d+ candidate files, \d+ lint units \(\d+ runs, [\d.]+ m?s linting\) in [\d.]+ m?s; 1 error, 1 warning, 0 info$/);
    // (The error is the configuration problem, the warning the 90s connect timeout.)
    // Without trace.server: verbose, no line per lint run.
    expect(c.logs.some((l) => l.startsWith('linted '))).toBe(false);
    const config = await c.waitForDiagnostics('timeout-lint.config.json', (ds) => ds.length > 0);
    expect(config[0]!.range.start).toEqual({ line: 2, character: 4 });
  });

  it('logs every lint run with its time when trace.server is verbose', async () => {
    const c = await start({ trace: { server: 'verbose' } });
    await c.waitUntil('a lint run is logged', () => c.logs.some((l) => l.startsWith('linted nginx.conf in ')));
    expect(c.logs.find((l) => l.startsWith('linted nginx.conf in '))).toMatch(/^linted nginx\.conf in [\d.]+ m?s: 1 files read, 1 findings$/);
  });
});
