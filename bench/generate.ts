// Generates a deterministic synthetic monorepo (nginx gateways, Kubernetes manifests, TypeScript services, other files) for `npm run bench`.
import * as fs from 'node:fs';
import * as path from 'node:path';

/** A small deterministic PRNG (LCG), so every run of the benchmark sees the same bytes. */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

export type GeneratedKind = 'nginx' | 'yaml' | 'ts' | 'other';

export interface GeneratedWorkspace {
  root: string;
  /** Workspace-relative path → kind, in generation order. */
  files: Map<string, GeneratedKind>;
  bytes: Record<GeneratedKind, number>;
  counts: Record<GeneratedKind, number>;
  locations: number;
}

/**
 * Shares of the file count: real monorepos are mostly source code; nginx and manifests are a
 * minority, and a good part of the YAML is CI, Helm values or compose files, not manifests.
 */
const SHARE = { nginx: 0.1, yaml: 0.3, ts: 0.5 } as const;
const SITES_PER_GATEWAY = 40;
const SERVICE_FILES = 20;

const TIMEOUTS = ['5s', '10s', '30s', '60s', '120s', '300s', '1m', '2m', '750ms', '90s'];

/** Writes a workspace of about `total` files under `root` (which must not exist yet or be empty). */
export function generateWorkspace(root: string, total: number, seed = 42): GeneratedWorkspace {
  const rand = random(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;
  const chance = (p: number) => rand() < p;
  const files = new Map<string, GeneratedKind>();
  const bytes: Record<GeneratedKind, number> = { nginx: 0, yaml: 0, ts: 0, other: 0 };
  const counts: Record<GeneratedKind, number> = { nginx: 0, yaml: 0, ts: 0, other: 0 };
  let locations = 0;
  const write = (file: string, kind: GeneratedKind, text: string) => {
    const absolute = path.join(root, file);
    fs.mkdirSync(path.dirname(absolute), { recursive: true });
    fs.writeFileSync(absolute, text);
    files.set(file, kind);
    bytes[kind] += Buffer.byteLength(text);
    counts[kind]++;
  };

  write('.gitignore', 'other', 'node_modules/\ndist/\n.timeout-lint-cache/\n');
  write('package.json', 'other', `${JSON.stringify({ name: 'bench-monorepo', private: true, workspaces: ['services/*'] }, null, 2)}\n`);

  // --- nginx gateways: an nginx.conf per gateway, shared snippets, and conf.d sites with many locations.
  const nginxTarget = Math.max(4, Math.round(total * SHARE.nginx));
  const gateways = Math.max(1, Math.round(nginxTarget / (SITES_PER_GATEWAY + 4)));
  const sitesPerGateway = Math.max(1, Math.floor((nginxTarget - gateways * 4) / gateways));
  for (let g = 0; g < gateways; g++) {
    const dir = `gateways/gw-${String(g).padStart(3, '0')}`;
    write(`${dir}/nginx.conf`, 'nginx', [
      `# gateway ${g}: generated for the benchmark`,
      'worker_processes auto;',
      'events { worker_connections 4096; }',
      'http {',
      '    include mime.types;',
      `    proxy_read_timeout ${pick(TIMEOUTS)};`,
      '    proxy_connect_timeout 5s;',
      '    keepalive_timeout 65s;',
      '    include snippets/*.conf;',
      '    include conf.d/*.conf;',
      '}',
      '',
    ].join('\n'));
    write(`${dir}/mime.types`, 'nginx', `types {\n${Array.from({ length: 60 }, (_, i) => `    application/x-type-${i} ext${i};`).join('\n')}\n}\n`);
    write(`${dir}/snippets/proxy.conf`, 'nginx', 'proxy_set_header Host $host;\nproxy_set_header X-Real-IP $remote_addr;\nproxy_http_version 1.1;\n');
    write(`${dir}/snippets/logging.conf`, 'nginx', "log_format main '$remote_addr [$time_local] \"$request\" $status $request_time';\naccess_log /var/log/nginx/access.log main;\n");
    for (let s = 0; s < sitesPerGateway; s++) {
      const lines = [`# site ${g}-${s}`, `upstream backend_${g}_${s} {`, `    server 10.${g % 250}.${s % 250}.1:8080 max_fails=3 fail_timeout=30s;`, '    keepalive 16;', '}'];
      const servers = 1 + Math.floor(rand() * 2);
      for (let v = 0; v < servers; v++) {
        lines.push('server {', '    listen 443 ssl;', `    server_name site-${g}-${s}-${v}.example.com;`, '    client_body_timeout 30s;');
        const count = 4 + Math.floor(rand() * 8);
        for (let l = 0; l < count; l++) {
          locations++;
          const llm = chance(0.1);
          const route = llm ? pick(['/v1/chat/completions', '/llm/', '/api/generate', '/stream/']) : pick(['/', '/api/', '/static/', '= /health', '~ ^/v[0-9]+/', '/admin/']);
          lines.push(`    location ${route}${route.endsWith('/') ? `r${l}/` : ''} {`);
          lines.push(`        proxy_pass http://${llm ? 'vllm-backend' : `backend_${g}_${s}`};`);
          if (chance(0.8)) lines.push(`        proxy_connect_timeout ${chance(0.03) ? '90s' : pick(['1s', '3s', '5s', '10s'])};`);
          if (!llm || chance(0.5)) lines.push(`        proxy_read_timeout ${chance(0.02) ? '1.5m' : pick(TIMEOUTS)};  # gateway above the service`);
          if (chance(0.5)) lines.push(`        proxy_send_timeout ${pick(TIMEOUTS)};`);
          if (chance(0.05)) lines.push(`        if ($http_x_slow = "1") { proxy_read_timeout 600s; }`);
          lines.push('        include snippets/proxy.conf;', '    }');
        }
        lines.push('}');
      }
      write(`${dir}/conf.d/site-${String(s).padStart(4, '0')}.conf`, 'nginx', `${lines.join('\n')}\n`);
    }
  }

  // --- services: Kubernetes manifests, TypeScript clients, handlers and LLM calls, plain TS, other files.
  const remaining = total - files.size;
  const services = Math.max(1, Math.round(remaining / SERVICE_FILES));
  for (let v = 0; v < services; v++) {
    const name = `svc-${String(v).padStart(4, '0')}`;
    const dir = `services/${name}`;
    const llm = chance(0.15);
    const readTimeout = pick(['30', '60', '120', '300', '600']);
    const annotation = chance(0.05) ? `${readTimeout}s` : readTimeout;
    const yamlFiles: Array<[string, string]> = [
      [`${dir}/k8s/deployment.yaml`, [
        'apiVersion: apps/v1', 'kind: Deployment', `metadata:\n  name: ${name}\n  namespace: apps`, 'spec:', '  replicas: 2',
        `  selector:\n    matchLabels:\n      app: ${name}`, '  template:', `    metadata:\n      labels:\n        app: ${name}`, '    spec:', '      containers:',
        `        - name: app\n          image: registry.example.com/${name}:1.${v % 20}.0`, '          ports:\n            - containerPort: 8080',
        '          readinessProbe:', '            httpGet:\n              path: /healthz\n              port: 8080',
        `            periodSeconds: ${pick([5, 10, 15])}`, `            timeoutSeconds: ${chance(0.05) ? 20 : pick([1, 2, 3])}`,
        '          env:', `            - name: UPSTREAM_TIMEOUT_MS\n              value: "${Number(readTimeout) * 900}"`, '',
      ].join('\n')],
      [`${dir}/k8s/service.yaml`, ['apiVersion: v1', 'kind: Service', `metadata:\n  name: ${name}\n  namespace: apps`, 'spec:', `  selector:\n    app: ${name}`, '  ports:\n    - port: 80\n      targetPort: 8080', ''].join('\n')],
      [`${dir}/k8s/ingress.yaml`, [
        'apiVersion: networking.k8s.io/v1', 'kind: Ingress', `metadata:\n  name: ${name}\n  namespace: apps`, '  annotations:',
        ...(llm && chance(0.5) ? [] : [`    nginx.ingress.kubernetes.io/proxy-read-timeout: "${annotation}"`]),
        `    nginx.ingress.kubernetes.io/proxy-connect-timeout: "${pick(['5', '10', '30'])}"`,
        'spec:', '  ingressClassName: nginx', '  rules:', `    - host: ${name}.apps.example.com`, '      http:', '        paths:',
        `          - path: ${llm ? '/v1/chat/completions' : '/api'}`, '            pathType: Prefix', '            backend:',
        `              service:\n                name: ${name}\n                port:\n                  number: 80`, '',
      ].join('\n')],
      [`${dir}/helm/values.yaml`, `replicaCount: 2\nimage:\n  repository: registry.example.com/${name}\n  tag: "1.${v % 20}.0"\nresources:\n  limits:\n    cpu: 500m\n    memory: 256Mi\ntimeouts:\n  read: ${readTimeout}\n`],
      [`${dir}/.ci/pipeline.yml`, `stages: [build, test, deploy]\nbuild:\n  script:\n    - npm ci\n    - npm run build\ntest:\n  script:\n    - npm test\n  timeout: 20m\n`],
    ];
    if (chance(0.3)) {
      yamlFiles.push([`${dir}/k8s/virtualservice.yaml`, [
        'apiVersion: networking.istio.io/v1beta1', 'kind: VirtualService', `metadata:\n  name: ${name}\n  namespace: apps`, 'spec:',
        `  hosts:\n    - ${name}.apps.svc.cluster.local`, '  http:', '    - route:', `        - destination:\n            host: ${name}`,
        `      timeout: ${pick(['10s', '30s', '60s'])}`, '      retries:', `        attempts: ${pick([2, 3, 5])}`,
        ...(chance(0.7) ? [`        perTryTimeout: ${pick(['2s', '5s', '20s'])}`] : []), '',
      ].join('\n')]);
    }
    for (const [file, text] of yamlFiles) write(file, 'yaml', text);

    write(`${dir}/package.json`, 'other', `${JSON.stringify({ name: `@bench/${name}`, version: '1.0.0', main: 'dist/index.js' }, null, 2)}\n`);
    write(`${dir}/README.md`, 'other', `# ${name}\n\nA generated service. Reads time out after ${readTimeout} seconds at the ingress.\n`);
    write(`${dir}/src/client.ts`, 'ts', [
      "import { request } from 'undici';",
      `export const BASE_URL = process.env.${name.toUpperCase().replace(/-/g, '_')}_URL ?? 'http://${name}.apps.svc';`,
      'export interface Order { id: string; total: number; items: Array<{ sku: string; qty: number }> }',
      'export async function getOrder(id: string): Promise<Order> {',
      `  const res = await fetch(\`\${BASE_URL}/api/orders/\${id}\`, { signal: AbortSignal.timeout(${pick([2000, 5000, 30000])}) });`,
      '  if (!res.ok) throw new Error(`status ${res.status}`);',
      '  return (await res.json()) as Order;',
      '}',
      'export async function listOrders(): Promise<Order[]> {',
      `  const { body } = await request(\`\${BASE_URL}/api/orders\`, { headersTimeout: ${pick([1000, 10000])}, bodyTimeout: ${pick([5000, 60000])} });`,
      '  return (await body.json()) as Order[];',
      '}',
      '',
    ].join('\n'));
    write(`${dir}/src/handler.ts`, 'ts', [
      "import express, { type Request, type Response } from 'express';",
      "import { getOrder } from './client.js';",
      'const app = express();',
      "app.get('/api/orders/:id', async (req: Request, res: Response) => {",
      '  const order = await getOrder(req.params.id!);',
      '  res.json(order);',
      '});',
      `const server = app.listen(8080);`,
      `server.requestTimeout = ${pick([30_000, 60_000, 300_000])};`,
      `server.headersTimeout = ${pick([10_000, 65_000])};`,
      '',
    ].join('\n'));
    if (llm) {
      write(`${dir}/src/llm.ts`, 'ts', [
        "import OpenAI from 'openai';",
        `const client = new OpenAI({ timeout: ${pick([60_000, 600_000])}, maxRetries: ${pick([0, 2])} });`,
        'export async function* complete(prompt: string): AsyncGenerator<string> {',
        "  const stream = await client.chat.completions.create({ model: 'gpt-4o-mini', stream: true, messages: [{ role: 'user', content: prompt }] });",
        "  for await (const chunk of stream) yield chunk.choices[0]?.delta?.content ?? '';",
        '}',
        '',
      ].join('\n'));
    }
    // Ordinary code that calls no HTTP API at all: the bulk of any monorepo.
    const plain = Math.max(0, SERVICE_FILES - 9 - (llm ? 1 : 0) - (yamlFiles.length - 5));
    for (let p = 0; p < plain; p++) {
      const fn = `compute${p}`;
      write(`${dir}/src/lib/util-${p}.ts`, 'ts', [
        `// utility ${p} of ${name}`,
        `export interface Item${p} { key: string; weight: number; tags: readonly string[] }`,
        `export function ${fn}(items: readonly Item${p}[], factor = ${1 + Math.floor(rand() * 9)}): Map<string, number> {`,
        '  const out = new Map<string, number>();',
        '  for (const item of items) {',
        '    const prior = out.get(item.key) ?? 0;',
        `    out.set(item.key, prior + item.weight * factor + item.tags.filter((t) => t.startsWith('${pick(['a', 'b', 'x'])}')).length);`,
        '  }',
        '  return out;',
        '}',
        `export const sorted${p} = <T,>(xs: T[], by: (x: T) => number): T[] => [...xs].sort((a, b) => by(a) - by(b));`,
        `export class Cache${p}<V> { private readonly m = new Map<string, { v: V; at: number }>(); constructor(private readonly ttlMs = ${pick([1000, 60000])}) {}`,
        '  get(k: string): V | undefined { const e = this.m.get(k); return e && Date.now() - e.at < this.ttlMs ? e.v : undefined; }',
        '  set(k: string, v: V): void { this.m.set(k, { v, at: Date.now() }); } }',
        '',
      ].join('\n'));
    }
    write(`${dir}/tsconfig.json`, 'other', '{ "extends": "../../tsconfig.base.json", "include": ["src"] }\n');
  }
  return { root, files, bytes, counts, locations };
}
