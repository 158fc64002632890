// unresolved-chain-link names the chains.services entry that would link a workload or compose service whose code was not found.
import { describe, expect, it } from 'vitest';
import { allRules } from '../../rules/index.js';
import { defaultConfig } from '../../server/src/engine/config.js';
import { lint } from '../../server/src/engine/run.js';
import { MemoryFs } from '../../server/src/engine/workspace-fs.js';

function unresolved(files: Record<string, string>): Array<{ messageId: string; data: Record<string, string | number> }> {
  const rules = allRules.filter((r) => r.id === 'unresolved-chain-link');
  const report = lint({ fs: new MemoryFs(files), files: Object.keys(files), config: defaultConfig(allRules), rules, toolVersion: 'test' });
  return report.findings.map((f) => ({ messageId: f.messageId, data: f.data }));
}

const nginx = `events {}\nhttp {\n  server {\n    listen 80;\n    location /api/ { proxy_pass http://books:8080/; }\n  }\n}\n`;
const express = `import express from 'express';\nconst app = express();\napp.get('/x', (q, s) => s.end());\napp.listen(8080);\n`;

describe('the chains.services entry in unresolved-chain-link', () => {
  it('fills in the one code folder that serves requests', () => {
    const found = unresolved({
      'nginx.conf': nginx,
      'docker-compose.yml': 'services:\n  books:\n    image: registry.example.com/acme/bookkeeping:1\n',
      'svc/ledger/package.json': '{ "name": "ledger" }',
      'svc/ledger/server.ts': express,
    });
    expect(found).toEqual([{ messageId: 'stopsServicesEntry', data: expect.objectContaining({ entry: '`"chains": { "services": { "books": "svc/ledger" } }`', folder: 'svc/ledger', candidates: '' }) }]);
  });

  it('uses the Deployment\'s own name as the key, not its container\'s', () => {
    const found = unresolved({
      'k8s/books.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: books\nspec:\n  selector: { matchLabels: { app: books } }\n  template:\n    metadata: { labels: { app: books } }\n    spec:\n      containers: [{ name: main, image: acme/bookkeeping:1 }]\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: books\nspec:\n  selector: { app: books }\n  ports: [{ port: 8080 }]\n',
      'nginx.conf': nginx,
      'a/package.json': '{ "name": "a" }', 'a/server.ts': express,
      'b/package.json': '{ "name": "b" }', 'b/server.ts': express,
    });
    expect(found).toEqual([{ messageId: 'stopsServicesEntry', data: expect.objectContaining({ entry: '`"chains": { "services": { "books": "<code folder>" } }`', candidates: ' (code folders that serve requests: a, b)' }) }]);
  });

  it('keeps the plain message for other stops', () => {
    expect(unresolved({ 'nginx.conf': nginx.replace('books:8080', '$upstream') })).toEqual([{ messageId: 'stops', data: expect.any(Object) }]);
  });
});
