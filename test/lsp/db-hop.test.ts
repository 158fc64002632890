// The database hop in the editor over real stdio: a hover on a connection-string timeout shows its hop and chain (never the password), and the client gets a chain lens.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, copyWorkspace, LspTestClient } from './lsp-harness.js';

const WORKSPACE = path.resolve(__dirname, '../fixtures/db-acquire-timeout-above-request-budget/prisma-deployment-env');
const MANIFEST = 'k8s/billing.yaml';
const PRISMA = 'services/billing/src/lib/prisma.ts';
const built = fs.existsSync(CLI);
if (!built) console.warn('SKIPPED: dist/cli.js is not built; `npm test` builds it first.');

interface Lens { range: { start: { line: number } }; command: { title: string } }

describe.skipIf(!built)('the database hop in the language server', () => {
  let client: LspTestClient;

  beforeAll(async () => {
    client = new LspTestClient(copyWorkspace(WORKSPACE));
    await client.initialize();
    await client.open(MANIFEST);
    await client.waitForDiagnostics(MANIFEST, (ds) => ds.some((d) => d.code === 'db-acquire-timeout-above-request-budget'));
  });
  afterAll(async () => {
    await client?.shutdown();
    if (client) fs.rmSync(client.root, { recursive: true, force: true });
  });

  it('hovers DATABASE_URL in the Deployment: the Prisma timeouts it sets, their values, and the chain ending at the database', async () => {
    const manifest = await client.open(MANIFEST);
    const lines = manifest.split('\n');
    const line = lines.findIndex((l) => l.includes('pool_timeout=30'));
    const hover = (await client.connection.sendRequest('textDocument/hover', { textDocument: { uri: client.uri(MANIFEST) }, position: { line, character: lines[line]!.indexOf('pool_timeout') } })) as { contents: { value: string } } | null;
    const text = (hover?.contents.value ?? '').replace(/\\(.)/g, '$1');
    expect(text).toContain('**pool_timeout** of PrismaClient prisma (invoice.findUnique)');
    expect(text).toMatch(/Effective value: `30 = 30 s` — \$DATABASE_URL = 30 at k8s\/billing\.yaml:\d+/);
    expect(text).toContain('**connect_timeout** of PrismaClient prisma (invoice.findUnique)');
    expect(text).toContain('Ingress 20 s → billing → GET /invoices/:id → prisma 15 s');
    expect(text).not.toContain('Xk9-top-secret');
  });

  it('puts a chain lens on the line that creates the client', async () => {
    const source = await client.open(PRISMA);
    const line = source.split('\n').findIndex((l) => l.includes('new PrismaClient'));
    const lenses = (await client.connection.sendRequest('textDocument/codeLens', { textDocument: { uri: client.uri(PRISMA) } })) as Lens[];
    expect(lenses.filter((l) => l.range.start.line === line).map((l) => l.command.title).join('\n')).toContain('prisma');
  });
});
