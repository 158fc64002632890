// The configuration file written from what the linter found: include prefixes for unreadable absolute includes.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI, LspTestClient } from './lsp-harness.js';

const built = fs.existsSync(CLI);
if (!built) console.warn('SKIPPED: dist/cli.js is not built; `npm test` builds it first.');

describe.skipIf(!built)('timeoutLint/suggestConfig', () => {
  let client: LspTestClient | undefined;
  afterAll(async () => {
    await client?.shutdown();
    if (client) fs.rmSync(client.root, { recursive: true, force: true });
  });

  it('maps the container folder of absolute includes to the workspace folder whose files end the same way', async () => {
    const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'timeout-lint-suggest-')));
    fs.mkdirSync(path.join(root, 'deploy/nginx/conf.d'), { recursive: true });
    fs.writeFileSync(path.join(root, 'deploy/nginx/nginx.conf'), 'events {}\nhttp {\n    include /etc/nginx/conf.d/*.conf;\n}\n');
    fs.writeFileSync(path.join(root, 'deploy/nginx/conf.d/api.conf'), 'server {\n    location / { proxy_pass http://api; }\n}\n');
    client = new LspTestClient(root);
    const statuses: string[] = [];
    client.connection.onNotification('timeoutLint/status', (p: { state: string }) => {
      statuses.push(p.state);
    });
    await client.initialize();
    await client.waitUntil('the folder is indexed', () => statuses.at(-1) === 'idle');
    const suggestion = (await client.connection.sendRequest('timeoutLint/suggestConfig', { uri: client.uri('') })) as { exists: boolean; text: string; notes: string[]; configUri: string };
    expect(suggestion.exists).toBe(false);
    expect(suggestion.configUri).toBe(client.uri('timeout-lint.config.json'));
    expect(JSON.parse(suggestion.text)).toEqual({ nginx: { includePrefix: { '/etc/nginx': 'deploy/nginx' } } });
    expect(suggestion.notes).toEqual([expect.stringMatching(/^nginx\.includePrefix: \/etc\/nginx → deploy\/nginx \(1 unreadable include ends like files there\)$/)]);
  });
});
