// Call chains in the editor over real stdio: code lenses on routes and handlers in YAML and TypeScript, the chain view's request, and hover.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allRules } from '../../rules/index.js';
import { CLI, copyWorkspace, LspTestClient } from './lsp-harness.js';

const EXAMPLES = path.resolve(__dirname, '../../examples');
const INGRESS = 'k8s/ingress.yaml';
const CHAT_SERVER = 'services/chat-api/src/server.ts';
const GATEWAY = 'nginx/conf.d/gateway.conf';
const built = fs.existsSync(CLI);
if (!built) console.warn('SKIPPED: dist/cli.js is not built; `npm test` builds it first.');

const lineOf = (text: string, needle: string) => text.split('\n').findIndex((l) => l.includes(needle));

interface Lens { range: { start: { line: number } }; command: { title: string } }
interface ViewChain { route: string; hops: Array<{ title: string; detail: string; timeouts: Array<{ name: string; value: string; source: string }>; location?: { uri: string; range: unknown } }> }

describe.skipIf(!built)('call chains in the language server', () => {
  let client: LspTestClient;

  beforeAll(async () => {
    client = new LspTestClient(copyWorkspace(EXAMPLES));
    await client.initialize();
    await client.open(GATEWAY);
    // The chain finding on the gateway arrives once the whole workspace is indexed and linked.
    await client.waitForDiagnostics(GATEWAY, (ds) => ds.some((d) => d.code === 'outer-timeout-below-inner'));
  });
  afterAll(async () => {
    await client?.shutdown();
    if (client) fs.rmSync(client.root, { recursive: true, force: true });
  });

  const lenses = async (file: string) => (await client.connection.sendRequest('textDocument/codeLens', { textDocument: { uri: client.uri(file) } })) as Lens[];

  it('puts a chain lens on an Ingress path and on a route handler, written in YAML and TypeScript, and on nginx locations', async () => {
    const ingress = await client.open(INGRESS);
    const titlesOn = (all: Lens[], line: number) => all.filter((l) => l.range.start.line === line).map((l) => l.command.title);
    const onIngress = await lenses(INGRESS);
    // The chain that links to its end stands for the others through the same path, which are counted.
    expect(titlesOn(onIngress, lineOf(ingress, 'path: /v1/chat/completions'))).toEqual(['chain: Ingress (stream) → chat-api → POST /v1/chat/completions → openai (stream) (+2 more)']);
    expect(titlesOn(onIngress, lineOf(ingress, 'path: /api/summarise'))).toEqual(['chain: POST /api/summarise 60 s → fetch 2 min → Ingress 60 s → summarise-api → POST /api/summarise → anthropic 4 min ×3']);
    expect(titlesOn(onIngress, lineOf(ingress, 'path: /api/users'))).toEqual(['chain: Ingress 60 s → user-api → ?']);
    const server = await client.open(CHAT_SERVER);
    expect(titlesOn(await lenses(CHAT_SERVER), lineOf(server, "app.post('/v1/chat/completions'"))).toEqual([expect.stringMatching(/^chain: .* → chat-api → POST \/v1\/chat\/completions → openai \(stream\) \(\+\d+ more\)$/)]);
    const gateway = fs.readFileSync(path.join(client.root, GATEWAY), 'utf8');
    // nginx locations keep their own lens (the location's timeouts) and get the chain lens beside it.
    expect(titlesOn(await lenses(GATEWAY), lineOf(gateway, 'location /api/users'))).toEqual(['read 10s · connect 90s (included) · send 60s (default) → http://user_api', 'chain: nginx 10 s → user-api → ?']);
  });

  it('hovers a timeout value that takes part in a chain, in YAML: the knob, its value and source, and the chains through its hop', async () => {
    const deployments = await client.open('k8s/deployments.yaml');
    const line = deployments.split('\n').findIndex((l, i, all) => l.includes('value: "240000"') && all[i - 1]!.includes('LLM_TIMEOUT_MS'));
    const hover = (await client.connection.sendRequest('textDocument/hover', { textDocument: { uri: client.uri('k8s/deployments.yaml') }, position: { line, character: deployments.split('\n')[line]!.indexOf('240000') + 2 } })) as { contents: { value: string } } | null;
    // Markdown escapes undone, to compare with the words.
    const text = (hover?.contents.value ?? '').replace(/\\(.)/g, '$1');
    expect(text).toContain('**timeout** of anthropic messages.create call');
    expect(text).toMatch(/Effective value: `240000 = 4 min` — \$LLM_TIMEOUT_MS = 240000 at k8s\/deployments\.yaml:\d+/);
    expect(text).toContain('summarise-api → POST /api/summarise → anthropic 4 min ×3');
    const configMap = await client.open('k8s/ingress-nginx-configmap.yaml');
    const read = lineOf(configMap, 'proxy-read-timeout');
    const onConfigMap = (await client.connection.sendRequest('textDocument/hover', { textDocument: { uri: client.uri('k8s/ingress-nginx-configmap.yaml') }, position: { line: read, character: configMap.split('\n')[read]!.indexOf('"60"') + 1 } })) as { contents: { value: string } } | null;
    expect((onConfigMap?.contents.value ?? '').replace(/\\(.)/g, '$1')).toMatch(/\*\*proxy-read-timeout\*\* of Ingress llm-platform\/\S+ path \/\S+\s+Effective value: `60 = 60 s` — inherited from k8s\/ingress-nginx-configmap\.yaml:14/);
  });

  it('an edit in TypeScript re-links the chains and clears a chain finding on the closed nginx file in front of it', async () => {
    const client2 = new LspTestClient(copyWorkspace(EXAMPLES));
    try {
      await client2.initialize();
      const users = 'services/chat-api/src/users-client.ts';
      const isGatewayChainFinding = (ds: Array<{ code?: unknown; message: string }>) => ds.some((d) => d.code === 'outer-timeout-below-inner' && d.message.startsWith('nginx gives up at 60 s; user-api'));
      // gateway.conf stays closed: its diagnostics are published because the workspace is indexed.
      await client2.waitForDiagnostics(GATEWAY, isGatewayChainFinding);
      const text = await client2.open(users);
      // The fetch to user-api gets a 20 s timeout: now shorter than nginx's 60 s, so the gateway no longer gives up first.
      await client2.change(users, text.replace("headers: { accept: 'application/json' },", "headers: { accept: 'application/json' },\n    signal: AbortSignal.timeout(20_000),"));
      const after = await client2.waitForDiagnostics(GATEWAY, (ds) => !isGatewayChainFinding(ds));
      expect(after.map((d) => d.code)).toContain('llm-route-default-read-timeout');
    } finally {
      await client2.shutdown();
      fs.rmSync(client2.root, { recursive: true, force: true });
    }
  });

  it('turning every chain rule off in the config file removes the chain findings, and the per-file ones stay', async () => {
    const client3 = new LspTestClient(copyWorkspace(EXAMPLES));
    try {
      await client3.initialize();
      const hasChainFinding = (ds: Array<{ code?: unknown }>) => ds.some((d) => d.code === 'outer-timeout-below-inner');
      await client3.waitForDiagnostics(GATEWAY, hasChainFinding);
      const configFile = path.join(client3.root, 'timeout-lint.config.json');
      const config = JSON.parse(fs.readFileSync(configFile, 'utf8')) as { rules: Record<string, unknown> };
      // Every rule that reads several inputs: the chain unit then has nothing to run.
      for (const rule of allRules.filter((r) => r.inputs.length > 1)) config.rules[rule.id] = 'off';
      fs.writeFileSync(configFile, JSON.stringify(config));
      await client3.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: client3.uri('timeout-lint.config.json'), type: 2 }] });
      const after = await client3.waitForDiagnostics(GATEWAY, (ds) => !hasChainFinding(ds));
      // streaming-route-buffered reads the code behind a location too (#13): it is a chain rule now.
      expect(after.map((d) => d.code).sort()).toEqual(['invalid-timeout-value', 'timeout-in-if']);
    } finally {
      await client3.shutdown();
      fs.rmSync(client3.root, { recursive: true, force: true });
    }
  });

  it('answers the chain view request with the linked chains through the route on that line, hop by hop, and hovers them', async () => {
    const ingress = await client.open(INGRESS);
    const position = { line: lineOf(ingress, 'path: /v1/chat/completions'), character: 10 };
    const chains = (await client.connection.sendRequest('timeoutLint/routeChain', { textDocument: { uri: client.uri(INGRESS) }, position })) as ViewChain[];
    expect(chains.map((c) => c.route)).toEqual([
      'Ingress (stream) → chat-api → POST /v1/chat/completions → openai (stream)',
      'Ingress 60 s → chat-api → POST /v1/chat/completions → fetch 5 min (default) → user-api → ?',
      'Ingress 60 s → chat-api → POST /v1/chat/completions → axios → user-api → ?',
    ]);
    expect(chains[0]!.hops.map((h) => h.title)).toEqual([
      'Ingress llm-platform/chat-api path /v1/chat/completions',
      'Service llm-platform/chat-api',
      'Deployment llm-platform/chat-api',
      'express server in services/chat-api',
      'POST /v1/chat/completions handler',
      'openai chat.completions.create call',
    ]);
    expect(chains[0]!.hops[0]!.timeouts).toContainEqual({ name: 'proxy-read-timeout', value: '60 = 60 s', source: 'inherited from k8s/ingress-nginx-configmap.yaml:14' });
    expect(chains[0]!.hops[0]!.detail).toBe('k8s/ingress.yaml:23 [streaming]');
    // Each hop says where it is written, for the view's link that opens it there.
    expect(chains[0]!.hops[0]!.location).toEqual({ uri: client.uri(INGRESS), range: { start: { line: 22, character: expect.any(Number) }, end: expect.anything() } });
    expect(chains[0]!.hops[4]!.location?.uri).toBe(client.uri(CHAT_SERVER));
    expect(chains[1]!.hops.at(-1)!.detail).toMatch(/the chain stops here: no code package matches user-api/);
    const hover = (await client.connection.sendRequest('textDocument/hover', { textDocument: { uri: client.uri(INGRESS) }, position })) as { contents: { value: string } } | null;
    expect(hover?.contents.value.split('\n')).toEqual([
      '**Call chains through this hop**',
      '- Ingress (stream) → chat-api → POST /v1/chat/completions → openai (stream)',
      '- Ingress 60 s → chat-api → POST /v1/chat/completions → fetch 5 min (default) → user-api → ?',
      '- Ingress 60 s → chat-api → POST /v1/chat/completions → axios → user-api → ?',
    ]);
  });
});
