// Linking per-file facts into chains: DNS forms, selectors, named ports, env, code packages, handlers; and an edit in one file changing findings in another.
import { createModelCapture } from '../../server/src/host/model-capture.js';
import { describe, expect, it } from 'vitest';
import { allRules } from '../../rules/index.js';
import { chainsOf } from '../../server/src/engine/chain/chains.js';
import type { Chain } from '../../server/src/engine/chain/chain-types.js';
import { defaultConfig } from '../../server/src/engine/config.js';
import type { WorkspaceModel } from '../../server/src/engine/workspace-model.js';
import { lint } from '../../server/src/engine/run.js';
import { MemoryFs, OverlayFs, type WorkspaceFs } from '../../server/src/engine/workspace-fs.js';

function modelOf(files: Record<string, string>, services: Record<string, string> = {}): WorkspaceModel {
  const fs = new MemoryFs(files);
  const config = defaultConfig(allRules);
  config.chains.services = services;
  // The same no-op rule the CLI's `chains` command uses to keep a run's model.
  const capture = createModelCapture();
  lint({ fs, files: Object.keys(files), config, rules: [capture.rule], toolVersion: 'test' });
  return capture.model()!;
}

const labels = (chain: Chain) => chain.hops.map((h) => h.label);

function service(name: string, namespace: string, ports: string, selector = `app: ${name}`): string {
  return `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\n  namespace: ${namespace}\nspec:\n  selector:\n    ${selector}\n  ports:\n${ports}\n`;
}

function deployment(name: string, namespace: string, container: string): string {
  return `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\n  namespace: ${namespace}\nspec:\n  selector:\n    matchLabels:\n      app: ${name}\n  template:\n    metadata:\n      labels:\n        app: ${name}\n    spec:\n      containers:\n${container}\n`;
}

const nginx = (target: string) => `events {}\nhttp {\n  server {\n    listen 80;\n    server_name api.example.com;\n    location /api/ {\n      proxy_pass ${target};\n    }\n  }\n}\n`;

describe('gateway → Service by DNS name', () => {
  it.each([
    ['http://chat:8080', true],
    ['http://chat.llm:8080', true],
    ['http://chat.llm.svc:8080', true],
    ['http://chat.llm.svc.cluster.local:8080', true],
    ['http://chat.other.svc.cluster.local:8080', false],
    ['http://chat.llm.example.com:8080', false],
  ])('%s links to Service llm/chat: %s', (target, linked) => {
    const model = modelOf({
      'nginx.conf': nginx(target),
      'k8s/chat.yaml': service('chat', 'llm', '    - port: 8080'),
    });
    const chain = chainsOf(model).chains[0]!;
    expect(labels(chain).includes('Service llm/chat')).toBe(linked);
  });
});

describe('Service → workload → container', () => {
  it('follows the selector within the namespace only, and a named targetPort to its container', () => {
    const container = '        - name: sidecar\n          image: envoy:1\n        - name: app\n          image: chat:1\n          ports:\n            - name: http\n              containerPort: 8080';
    const model = modelOf({
      'nginx.conf': nginx('http://chat.llm.svc.cluster.local'),
      'k8s/chat.yaml': `${service('chat', 'llm', '    - port: 80\n      targetPort: http')}---\n${deployment('chat', 'llm', container)}---\n${deployment('chat', 'other', container)}`,
    });
    const chain = chainsOf(model).chains[0]!;
    expect(labels(chain)).toEqual(['nginx location /api/', 'Service llm/chat', 'Deployment llm/chat (container app)']);
  });

  it('records a named targetPort no container carries, and a selector that matches nothing', () => {
    const model = modelOf({
      'nginx.conf': nginx('http://chat.llm:80'),
      'k8s/chat.yaml': `${service('chat', 'llm', '    - port: 80\n      targetPort: grpc')}---\n${deployment('chat', 'llm', '        - name: chat\n          image: chat:1')}---\n${service('lonely', 'llm', '    - port: 80', 'app: nobody')}`,
      'other.conf': nginx('http://lonely.llm'),
    });
    const messages = chainsOf(model).unresolved.map((u) => u.message);
    expect(messages).toContain('targetPort grpc names no container port of Deployment chat');
    expect(messages.some((m) => m.startsWith('no workload in namespace llm has the pod labels app=nobody'))).toBe(true);
  });
});

describe('workload → code → handler → calls, with env from the container', () => {
  const files = {
    'nginx.conf': nginx('http://chat-api.default:8080'),
    'k8s/chat.yaml': `${service('chat-api', 'default', '    - port: 8080')}---\n${deployment('chat-api', 'default', '        - name: chat-api\n          image: chat:1\n          env:\n            - name: LLM_TIMEOUT_MS\n              value: "45000"')}`,
    'apps/chat/package.json': '{ "name": "@acme/chat-api" }',
    'apps/chat/src/server.ts': "import express from 'express';\nimport { ask } from './llm.js';\nconst app = express();\napp.post('/api/chat', async (req, res) => res.json(await ask(req.body)));\napp.get('/api/other', (req, res) => res.send('ok'));\napp.listen(8080);\n",
    'apps/chat/src/llm.ts': "import OpenAI from 'openai';\nconst openai = new OpenAI({ timeout: Number(process.env.LLM_TIMEOUT_MS ?? 600_000) });\nexport async function ask(body: { messages: [] }) {\n  return openai.chat.completions.create({ model: 'm', messages: body.messages });\n}\n",
  };

  it('finds the package by its package.json name without scope, every handler under the prefix, and the imported call', () => {
    const chains = chainsOf(modelOf(files)).chains;
    const withCall = chains.find((c) => c.hops.at(-1)!.kind === 'outbound-call')!;
    expect(labels(withCall)).toEqual([
      'nginx location /api/', 'Service default/chat-api', 'Deployment default/chat-api', 'express server in apps/chat', 'POST /api/chat handler', 'openai chat.completions.create call',
    ]);
    expect(chains.some((c) => labels(c).includes('GET /api/other handler'))).toBe(true);
  });

  it('reads process.env from the container that runs the code, and the code default without it', () => {
    const call = chainsOf(modelOf(files)).chains.map((c) => c.hops.at(-1)!).find((h) => h.kind === 'outbound-call')!;
    const timeout = call.timeouts.find((t) => t.knob === 'timeout')!;
    expect(timeout).toMatchObject({ ms: 45_000, source: 'env', env: { name: 'LLM_TIMEOUT_MS', fallback: false } });
    const without = { ...files, 'k8s/chat.yaml': files['k8s/chat.yaml'].replace(/\n {10}env:[\s\S]*$/, '\n') };
    const fallback = chainsOf(modelOf(without)).chains.map((c) => c.hops.at(-1)!).find((h) => h.kind === 'outbound-call')!;
    expect(fallback.timeouts.find((t) => t.knob === 'timeout')).toMatchObject({ ms: 600_000, source: 'env', env: { fallback: true } });
  });

  it('maps a workload to a folder by the config when no name matches', () => {
    const renamed = Object.fromEntries(Object.entries(files).map(([file, text]) => [file.replace('apps/chat/', 'apps/svc1/'), file.endsWith('package.json') ? '{ "name": "something-else" }' : text]));
    expect(chainsOf(modelOf(renamed)).unresolved.map((u) => u.message)).toContain('no code package matches chat-api, chat (by config `chains.services`, package.json name or folder name)');
    const mapped = chainsOf(modelOf(renamed, { 'chat-api': 'apps/svc1' })).chains;
    expect(mapped.some((c) => labels(c).includes('express server in apps/svc1'))).toBe(true);
  });
});

describe('ExternalName Services', () => {
  const externalName = (name: string, target: string) => `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\n  namespace: llm\nspec:\n  type: ExternalName\n  externalName: ${target}\n`;
  it('an alias of a host outside the workspace ends the chain there, with no unresolved link', () => {
    const model = modelOf({ 'nginx.conf': nginx('http://openai.llm:443'), 'k8s/openai.yaml': externalName('openai', 'api.openai.com') });
    const { chains, unresolved } = chainsOf(model);
    expect(chains.map(labels)).toEqual([['nginx location /api/', 'Service llm/openai']]);
    expect(chains[0]!.unresolved).toBeUndefined();
    expect(unresolved).toEqual([]);
  });
  it('an alias of another Service of the workspace is followed to its workloads', () => {
    const container = '        - name: chat\n          image: chat:1\n          ports:\n            - containerPort: 8080';
    const model = modelOf({
      'nginx.conf': nginx('http://chat-alias.llm:8080'),
      'k8s/alias.yaml': externalName('chat-alias', 'chat.llm.svc.cluster.local'),
      'k8s/chat.yaml': `${service('chat', 'llm', '    - port: 8080')}---\n${deployment('chat', 'llm', container)}`,
    });
    expect(chainsOf(model).chains.map(labels)).toEqual([['nginx location /api/', 'Service llm/chat-alias', 'Service llm/chat', 'Deployment llm/chat']]);
  });
});

describe('loopback addresses reach the package that listens on the port', () => {
  const app = (port: string) => `import express from 'express';\nconst app = express();\napp.get('/api/answer', async (_req, res) => { res.json(await fetch('https://api.example.net/x', { signal: AbortSignal.timeout(5_000) })); });\napp.listen(${port});\n`;
  it.each([
    ['http://127.0.0.1:3000', '3000', true],
    ['http://localhost:8080', 'Number(process.env.PORT ?? 8080)', true],
    ['http://[::1]:3000', '3000', true],
    ['http://127.0.0.1:3001', '3000', false],
    ['http://127.0.0.1', '3000', false],
  ])('%s → a server listening on %s: linked %s', (target, port, linked) => {
    const model = modelOf({
      'nginx.conf': nginx(target),
      'api/package.json': '{ "name": "api" }',
      'api/src/server.ts': app(port),
    });
    const kinds = chainsOf(model).chains.map((c) => c.hops.map((h) => h.kind));
    expect(kinds).toEqual([linked ? ['nginx-location', 'code-server', 'route-handler', 'outbound-call'] : ['nginx-location']]);
  });
});

describe('serverless handlers start their own chains', () => {
  const route = "export const maxDuration = 30;\nexport async function POST() {\n  const res = await fetch('https://api.example.com/api/answer', { signal: AbortSignal.timeout(20_000) });\n  return Response.json(await res.json());\n}\n";
  it('a Next.js handler no manifest runs is the entry: handler → its call → the gateway, which is not started again', () => {
    const model = modelOf({
      'web/package.json': '{ "name": "web", "dependencies": { "next": "15.0.0" } }',
      'web/app/api/answer/route.ts': route,
      'nginx.conf': nginx('http://answers:8080'),
    });
    const chains = chainsOf(model).chains;
    expect(chains.map(labels)).toEqual([['POST /api/answer handler', 'fetch GET https://api.example.com/api/answer', 'nginx location /api/']]);
    expect(chains[0]!.hops.map((h) => h.kind)).toEqual(['route-handler', 'outbound-call', 'nginx-location']);
  });
  it.each([
    ['a SvelteKit endpoint', 'web/src/routes/api/answer/+server.ts', "export async function POST() {\n  const res = await fetch('https://api.example.com/api/answer');\n  return new Response(await res.text());\n}\n", 'POST /api/answer handler'],
    ['a Nitro server route', 'web/server/api/answer.post.ts', "export default defineEventHandler(async () => {\n  const res = await fetch('https://api.example.com/api/answer');\n  return res.json();\n});\n", 'POST /api/answer handler'],
    ['a Remix loader', 'web/app/routes/api.answer.ts', "export async function loader() {\n  const res = await fetch('https://api.example.com/api/answer');\n  return res.json();\n}\n", 'GET /api/answer handler'],
  ])('%s no manifest runs is the entry of its call\'s chain, as a Next.js handler is', (_name, file, text, handler) => {
    const model = modelOf({ 'web/package.json': '{ "name": "web" }', [file]: text, 'nginx.conf': nginx('http://answers:8080') });
    expect(chainsOf(model).chains.map(labels)).toEqual([[handler, 'fetch GET https://api.example.com/api/answer', 'nginx location /api/']]);
  });
  it('a Next.js app a Deployment runs is reached through its Service instead; its call back to the gateway ends the chain (a loop)', () => {
    const model = modelOf({
      'nginx.conf': nginx('http://web:3000'),
      'web/package.json': '{ "name": "web", "dependencies": { "next": "15.0.0" } }',
      'web/app/api/answer/route.ts': route,
      'k8s/web.yaml': `${service('web', 'default', '    - port: 3000')}---\n${deployment('web', 'default', '        - name: web\n          image: web:1\n          ports:\n            - containerPort: 3000')}`,
    });
    const chains = chainsOf(model).chains;
    expect(chains.map((c) => c.hops.map((h) => h.kind))).toEqual([['nginx-location', 'k8s-service', 'workload', 'route-handler', 'outbound-call']]);
  });
});

describe('an edit in one file changes findings in another', () => {
  it('lowering the SDK timeout in code clears the finding on the nginx location', () => {
    const files = {
      'nginx.conf': nginx('http://chat-api:8080').replace('proxy_pass', 'proxy_read_timeout 120s;\n      proxy_pass'),
      'k8s/chat.yaml': `${service('chat-api', 'default', '    - port: 8080')}---\n${deployment('chat-api', 'default', '        - name: chat-api\n          image: chat:1')}`,
      'chat-api/package.json': '{ "name": "chat-api" }',
      'chat-api/src/server.ts': "import express from 'express';\nimport OpenAI from 'openai';\nconst openai = new OpenAI({ timeout: 300_000, maxRetries: 0 });\nconst app = express();\napp.post('/api/chat', async (req, res) => res.json(await openai.chat.completions.create({ model: 'm', messages: [] })));\napp.listen(8080);\n",
    };
    const memory = new MemoryFs(files);
    const run = (fs: WorkspaceFs) => lint({ fs, files: Object.keys(files), config: defaultConfig(allRules), rules: allRules, toolVersion: 'test' })
      .findings.filter((f) => f.ruleId === 'outer-timeout-below-inner').map((f) => `${f.span.file}: ${f.message}`);
    const before = run(memory);
    expect(before).toHaveLength(1);
    expect(before[0]).toMatch(/^nginx\.conf: nginx gives up at 2 min\b.* may take 5 min\. nginx location \/api\/:/);
    const edited = new OverlayFs(memory, new Map([['chat-api/src/server.ts', files['chat-api/src/server.ts'].replace('300_000', '90_000')]]));
    expect(run(edited)).toEqual([]);
  });
});

describe('mesh VirtualServices in front of a Service', () => {
  const virtualService = (namespace: string, host: string) =>
    `apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: chat-routes\n  namespace: ${namespace}\nspec:\n  hosts:\n    - ${host}\n  http:\n    - timeout: 30s\n      route:\n        - destination:\n            host: chat.llm.svc.cluster.local\n`;
  // Istio reads a short host in the VirtualService's own namespace (reviews → reviews.<its namespace>.svc.cluster.local).
  it.each([
    ['llm', 'chat', true],
    ['llm', 'chat.llm.svc.cluster.local', true],
    ['other', 'chat.llm.svc.cluster.local', true],
    ['other', 'chat.llm', true],
    ['other', 'chat', false],
  ])('a VirtualService in %s for host %s routes calls to Service llm/chat: %s', (namespace, host, routes) => {
    const model = modelOf({
      'nginx.conf': nginx('http://chat.llm:8080'),
      'k8s/chat.yaml': service('chat', 'llm', '    - port: 8080'),
      'k8s/vs.yaml': virtualService(namespace, host),
    });
    const chain = chainsOf(model).chains[0]!;
    expect(chain.hops.some((h) => h.kind === 'virtual-service')).toBe(routes);
    expect(labels(chain).includes('Service llm/chat')).toBe(true);
  });
});
