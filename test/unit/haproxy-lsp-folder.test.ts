// The language server's folder state lints HAProxy files: a `.cfg` is a candidate, its own rules run in its unit, and chain rules reach across it.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lintFolderOnDisk } from '../helpers/lsp-folder.js';

const base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'timeout-lint-haproxy-lsp-')));
afterAll(() => fs.rmSync(base, { recursive: true, force: true }));

function lintFolder(files: Record<string, string>) {
  return lintFolderOnDisk(path.join(base, `w${fs.readdirSync(base).length}`), files);
}

describe('HAProxy files in the language server', () => {
  it('reports an HAProxy rule on haproxy.cfg and a chain rule through it, and leaves other .cfg files alone', () => {
    const folder = lintFolder({
      'lb/haproxy.cfg': 'defaults\n    mode http\n    timeout client 30s\n    timeout server 30s\nfrontend web\n    bind :80\n    use_backend ws if { hdr(upgrade) -i websocket }\n    default_backend api\nbackend ws\n    server w1 127.0.0.1:4000\nbackend api\n    server a1 127.0.0.1:3000\n',
      'setup.cfg': '[metadata]\nname = x\n',
      'api/package.json': '{ "name": "api", "engines": { "node": "22.x" }, "dependencies": { "express": "^4.21.0" } }\n',
      'api/src/server.ts': "import express from 'express';\nconst app = express();\napp.get('/x', (req, res) => { res.send('x'); });\napp.listen(3000);\n",
    });
    expect(folder.findingsFor('lb/haproxy.cfg').map((f) => f.finding.ruleId)).toContain('haproxy-tunnel-timeout-missing');
    expect(folder.findingsFor('api/src/server.ts').map((f) => f.finding.ruleId)).toContain('backend-keepalive-below-proxy-idle');
    expect(folder.findingsFor('setup.cfg')).toEqual([]);
  });
});
