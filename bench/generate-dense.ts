// Generates the dense profile of `npm run bench`: a deterministic workspace where every TypeScript file makes HTTP and SDK calls, every YAML file is a Kubernetes manifest and every nginx file has many locations.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { random, type GeneratedKind, type GeneratedWorkspace } from './generate.js';

/**
 * Files per 10,000 of `total`: at the "10k" size 1,000 TypeScript files (~3.5 KB), 1,000 manifests
 * (~1.5–3 KB) and 200 nginx files (~19 KB), about 9.5 MB, the shape of real API packages, where the
 * pre-scan can skip almost nothing. Smaller sizes scale down in proportion.
 */
const PER_10K = { ts: 1000, yaml: 1000, nginx: 200 } as const;
/** TypeScript files and manifests per service (the same number of each). */
const FILES_PER_SERVICE = 4;
const SITES_PER_GATEWAY = 19;
const TS_BYTES = [3200, 3800] as const;
const NGINX_SITE_BYTES = [18_000, 22_000] as const;

interface Service {
  name: string;
  env: string;
  port: number;
  llm: boolean;
}

/** Writes the dense workspace for the size `total` under `root` (which must not exist yet or be empty). */
export function generateDenseWorkspace(root: string, total: number, seed = 19): GeneratedWorkspace {
  const rand = random(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;
  const chance = (p: number) => rand() < p;
  const between = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
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
  const scale = (n: number) => Math.max(1, Math.round((n * total) / 10_000));

  write('package.json', 'other', `${JSON.stringify({ name: 'bench-dense', private: true, workspaces: ['services/*'] }, null, 2)}\n`);
  const serviceCount = Math.max(1, Math.round(scale(PER_10K.ts) / FILES_PER_SERVICE));
  const services: Service[] = Array.from({ length: serviceCount }, (_, v) => {
    const name = `api-${String(v).padStart(4, '0')}`;
    return { name, env: name.toUpperCase().replace(/-/g, '_'), port: pick([3000, 8080, 8000, 9000]), llm: chance(0.25) };
  });

  for (const service of services) {
    const dir = `services/${service.name}`;
    write(`${dir}/package.json`, 'other', `${JSON.stringify({ name: `@dense/${service.name}`, version: '1.0.0' }, null, 2)}\n`);
    const ts = new TsWriter(service, services, pick, chance, between);
    for (const file of ['server', 'routes', 'clients', 'jobs']) write(`${dir}/src/${file}.ts`, 'ts', ts.file(file, between(TS_BYTES[0], TS_BYTES[1])));
    const k8s = new ManifestWriter(service, pick, chance, between);
    write(`${dir}/k8s/deployment.yaml`, 'yaml', k8s.deployment(service.name, 'server'));
    write(`${dir}/k8s/networking.yaml`, 'yaml', [k8s.serviceManifest(), k8s.ingress()].join('---\n'));
    write(`${dir}/k8s/worker.yaml`, 'yaml', k8s.deployment(`${service.name}-worker`, 'worker'));
    write(`${dir}/k8s/config.yaml`, 'yaml', [k8s.configMap(), k8s.autoscaler(), k8s.disruptionBudget()].join('---\n'));
  }

  const nginxFiles = scale(PER_10K.nginx);
  const gateways = Math.max(1, Math.round(nginxFiles / (SITES_PER_GATEWAY + 1)));
  const sitesPerGateway = Math.max(1, Math.floor(nginxFiles / gateways) - 1);
  for (let g = 0; g < gateways; g++) {
    const dir = `gateways/edge-${String(g).padStart(2, '0')}`;
    write(`${dir}/nginx.conf`, 'nginx', [
      `# edge gateway ${g}`,
      'worker_processes auto;',
      'events { worker_connections 8192; }',
      'http {',
      `    proxy_read_timeout ${pick(['30s', '60s', '120s'])};`,
      '    proxy_connect_timeout 5s;',
      '    keepalive_timeout 75s;',
      '    client_body_timeout 30s;',
      '    include conf.d/*.conf;',
      '}',
      '',
    ].join('\n'));
    for (let s = 0; s < sitesPerGateway; s++) {
      const target = between(NGINX_SITE_BYTES[0], NGINX_SITE_BYTES[1]);
      const lines = [`# site ${g}-${s}: routes to the API services`];
      let size = 0;
      for (let v = 0; size < target; v++) {
        const server = [`server {`, '    listen 443 ssl;', `    server_name api-${g}-${s}-${v}.example.com;`, '    ssl_certificate /etc/nginx/tls/site.crt;', '    ssl_certificate_key /etc/nginx/tls/site.key;'];
        for (let l = 0; l < 12 && size < target; l++) {
          const backend = pick(services);
          const llm = backend.llm && chance(0.4);
          const route = llm ? pick(['/v1/chat/completions', '/llm/', '/stream/']) : pick(['/api/', '/v1/', '/v2/', '/internal/', '/webhooks/']);
          const block = [`    location ${route}${backend.name}/r${l}/ {`, `        proxy_pass http://${backend.name}.apps.svc.cluster.local:80;`];
          if (chance(0.85)) block.push(`        proxy_connect_timeout ${chance(0.03) ? '90s' : pick(['1s', '3s', '5s'])};`);
          if (!llm || chance(0.5)) block.push(`        proxy_read_timeout ${pick(['10s', '30s', '60s', '120s', '300s'])};`);
          if (chance(0.5)) block.push(`        proxy_send_timeout ${pick(['30s', '60s'])};`);
          if (llm && chance(0.5)) block.push('        proxy_buffering off;');
          block.push('        proxy_set_header Host $host;', '        proxy_set_header X-Request-Id $request_id;', '        proxy_http_version 1.1;', '    }');
          locations++;
          server.push(...block);
          size += block.join('\n').length + 1;
        }
        server.push('}');
        lines.push(...server);
        size += 200;
      }
      write(`${dir}/conf.d/site-${String(s).padStart(3, '0')}.conf`, 'nginx', `${lines.join('\n')}\n`);
    }
  }
  return { root, files, bytes, counts, locations };
}

type Pick = <T>(items: readonly T[]) => T;

/** TypeScript files made of blocks (routes, clients, SDK calls), appended until the file reaches its size. */
class TsWriter {
  private n = 0;

  constructor(
    private readonly service: Service,
    private readonly services: readonly Service[],
    private readonly pick: Pick,
    private readonly chance: (p: number) => boolean,
    private readonly between: (lo: number, hi: number) => number,
  ) {}

  file(kind: string, targetBytes: number): string {
    const s = this.service;
    const header = [
      `// ${s.name}: ${kind}`,
      "import express, { type Request, type Response } from 'express';",
      "import Fastify from 'fastify';",
      "import axios from 'axios';",
      "import { request, Agent } from 'undici';",
      "import { Pool } from 'pg';",
      "import Redis from 'ioredis';",
      ...(s.llm ? ["import OpenAI from 'openai';"] : []),
      `const PORT = Number(process.env.${s.env}_PORT ?? ${s.port});`,
      `const UPSTREAM = process.env.${s.env}_UPSTREAM ?? 'http://${this.pick(this.services).name}.apps.svc.cluster.local';`,
      '',
    ];
    const blocks: string[] = [];
    let size = header.join('\n').length;
    if (kind === 'server') {
      const listen = this.listen();
      blocks.push(listen);
      size += listen.length;
    }
    while (size < targetBytes) {
      const block = this.block();
      blocks.push(block);
      size += block.length + 1;
    }
    return `${header.join('\n')}${blocks.join('\n')}\n`;
  }

  private listen(): string {
    return [
      'const app = express();',
      'app.use(express.json({ limit: "1mb" }));',
      "app.get('/healthz', (_req: Request, res: Response) => { res.send('ok'); });",
      'const server = app.listen(PORT);',
      `server.requestTimeout = ${this.pick([30_000, 60_000, 300_000])};`,
      `server.headersTimeout = ${this.pick([10_000, 65_000])};`,
      `server.keepAliveTimeout = ${this.pick([5_000, 65_000, 120_000])};`,
      '',
    ].join('\n');
  }

  private block(): string {
    const i = this.n++;
    const other = this.pick(this.services).name;
    const ms = () => this.pick([1_000, 2_000, 5_000, 10_000, 30_000, 60_000]);
    const kinds = this.service.llm ? 9 : 8;
    switch (Math.floor(this.between(0, kinds - 1))) {
      case 0:
        return [
          `const router${i} = express.Router();`,
          `router${i}.get('/api/items/:id', async (req: Request, res: Response) => {`,
          `  const upstream = await fetch(\`\${UPSTREAM}/items/\${req.params.id}\`${this.chance(0.6) ? `, { signal: AbortSignal.timeout(${ms()}) }` : ''});`,
          '  if (!upstream.ok) { res.status(502).json({ error: upstream.statusText }); return; }',
          '  res.json(await upstream.json());',
          '});',
          '',
        ].join('\n');
      case 1:
        return [
          `const fastify${i} = Fastify({ connectionTimeout: ${ms()}, requestTimeout: ${this.pick([0, 30_000, 60_000])}, keepAliveTimeout: ${this.pick([5_000, 72_000])} });`,
          `fastify${i}.post('/v1/orders', async (request, reply) => {`,
          `  const result = await axios.post('http://${other}.apps.svc.cluster.local/orders', request.body${this.chance(0.5) ? `, { timeout: ${ms()} }` : ''});`,
          '  return reply.code(201).send(result.data);',
          '});',
          `void fastify${i}.listen({ port: PORT + ${i + 1}, host: '0.0.0.0' });`,
          '',
        ].join('\n');
      case 2:
        return [
          `export const api${i} = axios.create({ baseURL: 'http://${other}.apps.svc.cluster.local'${this.chance(0.7) ? `, timeout: ${ms()}` : ''} });`,
          `export async function load${i}(id: string): Promise<unknown> {`,
          `  const { data } = await api${i}.get(\`/v1/resources/\${id}\`, { params: { expand: 'all' } });`,
          '  return data;',
          '}',
          '',
        ].join('\n');
      case 3:
        return [
          `const agent${i} = new Agent({ connectTimeout: ${ms()}, keepAliveTimeout: ${this.pick([4_000, 10_000])} });`,
          `export async function stream${i}(path: string): Promise<string> {`,
          `  const { body, statusCode } = await request(\`\${UPSTREAM}\${path}\`, { dispatcher: agent${i}${this.chance(0.6) ? `, headersTimeout: ${ms()}, bodyTimeout: ${ms()}` : ''} });`,
          '  if (statusCode >= 400) throw new Error(`upstream answered ${statusCode}`);',
          '  return body.text();',
          '}',
          '',
        ].join('\n');
      case 4:
        return [
          `const pool${i} = new Pool({ connectionString: process.env.DATABASE_URL, max: ${this.pick([5, 10, 20])}${this.chance(0.6) ? `, statement_timeout: ${ms()}, connectionTimeoutMillis: ${this.pick([2_000, 5_000])}` : ''}, idleTimeoutMillis: 30000 });`,
          `export async function query${i}(tenant: string): Promise<unknown[]> {`,
          `  const { rows } = await pool${i}.query('SELECT id, state, updated_at FROM jobs WHERE tenant = $1 ORDER BY updated_at DESC LIMIT 100', [tenant]);`,
          '  return rows;',
          '}',
          '',
        ].join('\n');
      case 5:
        return [
          `const redis${i} = new Redis(process.env.REDIS_URL ?? 'redis://cache:6379'${this.chance(0.6) ? `, { commandTimeout: ${this.pick([200, 1_000])}, connectTimeout: ${this.pick([2_000, 10_000])}, maxRetriesPerRequest: 2 }` : ''});`,
          `export async function cached${i}(key: string, load: () => Promise<string>): Promise<string> {`,
          `  const hit = await redis${i}.get(key);`,
          '  if (hit !== null) return hit;',
          '  const value = await load();',
          `  await redis${i}.set(key, value, 'EX', ${this.pick([60, 300, 3600])});`,
          '  return value;',
          '}',
          '',
        ].join('\n');
      case 6:
        return [
          `export async function notify${i}(event: { id: string; kind: string }): Promise<void> {`,
          `  const res = await fetch('http://${other}.apps.svc.cluster.local/webhooks/events', {`,
          "    method: 'POST',",
          "    headers: { 'content-type': 'application/json' },",
          '    body: JSON.stringify(event),',
          ...(this.chance(0.5) ? [`    signal: AbortSignal.timeout(${ms()}),`] : []),
          '  });',
          '  if (!res.ok) throw new Error(`webhook failed: ${res.status}`);',
          '}',
          '',
        ].join('\n');
      case 7:
        return [
          `export interface Page${i} { items: Array<{ id: string; score: number }>; next?: string }`,
          `export async function crawl${i}(start: string, limit = ${this.pick([5, 10, 50])}): Promise<Page${i}['items']> {`,
          `  const out: Page${i}['items'] = [];`,
          '  for (let cursor: string | undefined = start, n = 0; cursor && n < limit; n++) {',
          `    const { data } = await axios.get<Page${i}>(\`\${UPSTREAM}/pages/\${cursor}\`${this.chance(0.5) ? `, { timeout: ${ms()} }` : ''});`,
          '    out.push(...data.items);',
          '    cursor = data.next;',
          '  }',
          '  return out;',
          '}',
          '',
        ].join('\n');
      default:
        return [
          `const openai${i} = new OpenAI({ ${this.chance(0.6) ? `timeout: ${this.pick([60_000, 600_000])}, ` : ''}maxRetries: ${this.pick([0, 2])} });`,
          `export async function* complete${i}(prompt: string): AsyncGenerator<string> {`,
          `  const stream = await openai${i}.chat.completions.create({ model: 'gpt-4o-mini', stream: true, messages: [{ role: 'user', content: prompt }] });`,
          "  for await (const chunk of stream) yield chunk.choices[0]?.delta?.content ?? '';",
          '}',
          '',
        ].join('\n');
    }
  }
}

/** Kubernetes manifests of one service: Deployments with probes and env, Service + Ingress, ConfigMap + HPA + PDB. */
class ManifestWriter {
  constructor(
    private readonly service: Service,
    private readonly pick: Pick,
    private readonly chance: (p: number) => boolean,
    private readonly between: (lo: number, hi: number) => number,
  ) {}

  private metadata(name: string, extra: string[] = []): string[] {
    return [
      'metadata:',
      `  name: ${name}`,
      '  namespace: apps',
      '  labels:',
      `    app.kubernetes.io/name: ${this.service.name}`,
      '    app.kubernetes.io/part-of: dense-platform',
      '    app.kubernetes.io/managed-by: kustomize',
      ...extra,
    ];
  }

  deployment(name: string, role: string): string {
    const s = this.service;
    const env = Array.from({ length: this.between(8, 20) }, (_, e) => `            - name: ${s.env}_SETTING_${e}\n              value: "${this.pick(['enabled', 'disabled', '250', 'eu-west-1', 'json'])}"`);
    return [
      'apiVersion: apps/v1',
      'kind: Deployment',
      ...this.metadata(name, ['  annotations:', `    deployment.kubernetes.io/revision: "${this.between(1, 40)}"`, '    reloader.stakater.com/auto: "true"']),
      'spec:',
      `  replicas: ${this.pick([2, 3, 6])}`,
      `  progressDeadlineSeconds: ${this.pick([300, 600])}`,
      '  selector:',
      '    matchLabels:',
      `      app: ${name}`,
      '  template:',
      '    metadata:',
      '      labels:',
      `        app: ${name}`,
      `        role: ${role}`,
      '    spec:',
      `      terminationGracePeriodSeconds: ${this.pick([30, 60, 90])}`,
      '      containers:',
      '        - name: app',
      `          image: registry.example.com/${s.name}:1.${this.between(0, 30)}.${this.between(0, 9)}`,
      '          ports:',
      `            - containerPort: ${s.port}`,
      '              name: http',
      '          readinessProbe:',
      '            httpGet:',
      '              path: /healthz',
      '              port: http',
      `            periodSeconds: ${this.pick([5, 10, 15])}`,
      `            timeoutSeconds: ${this.chance(0.05) ? 20 : this.pick([1, 2, 3])}`,
      '          livenessProbe:',
      '            httpGet:',
      '              path: /healthz',
      '              port: http',
      `            periodSeconds: ${this.pick([10, 20])}`,
      `            timeoutSeconds: ${this.pick([1, 5])}`,
      '          resources:',
      `            requests: { cpu: ${this.pick(['100m', '250m'])}, memory: ${this.pick(['128Mi', '256Mi'])} }`,
      `            limits: { cpu: ${this.pick(['500m', '1'])}, memory: ${this.pick(['512Mi', '1Gi'])} }`,
      '          env:',
      `            - name: ${s.env}_PORT\n              value: "${s.port}"`,
      `            - name: UPSTREAM_TIMEOUT_MS\n              value: "${this.pick([5_000, 30_000, 60_000])}"`,
      ...env,
      '',
    ].join('\n');
  }

  serviceManifest(): string {
    return [
      'apiVersion: v1',
      'kind: Service',
      ...this.metadata(this.service.name),
      'spec:',
      '  selector:',
      `    app: ${this.service.name}`,
      '  ports:',
      '    - name: http',
      '      port: 80',
      '      targetPort: http',
      '',
    ].join('\n');
  }

  ingress(): string {
    const s = this.service;
    const llm = s.llm;
    return [
      'apiVersion: networking.k8s.io/v1',
      'kind: Ingress',
      ...this.metadata(s.name, [
        '  annotations:',
        ...(llm && this.chance(0.5) ? [] : [`    nginx.ingress.kubernetes.io/proxy-read-timeout: "${this.pick(['30', '60', '120', '300'])}"`]),
        `    nginx.ingress.kubernetes.io/proxy-connect-timeout: "${this.pick(['5', '10', '30'])}"`,
        `    nginx.ingress.kubernetes.io/proxy-send-timeout: "${this.pick(['30', '60'])}"`,
        '    nginx.ingress.kubernetes.io/proxy-body-size: 8m',
        '    cert-manager.io/cluster-issuer: letsencrypt',
      ]),
      'spec:',
      '  ingressClassName: nginx',
      '  tls:',
      `    - hosts: [${s.name}.apps.example.com]`,
      `      secretName: ${s.name}-tls`,
      '  rules:',
      `    - host: ${s.name}.apps.example.com`,
      '      http:',
      '        paths:',
      ...['/api', llm ? '/v1/chat/completions' : '/v1', '/webhooks'].flatMap((p) => [
        `          - path: ${p}`,
        '            pathType: Prefix',
        '            backend:',
        '              service:',
        `                name: ${s.name}`,
        '                port:',
        '                  number: 80',
      ]),
      '',
    ].join('\n');
  }

  configMap(): string {
    return [
      'apiVersion: v1',
      'kind: ConfigMap',
      ...this.metadata(`${this.service.name}-config`),
      'data:',
      `  LOG_LEVEL: ${this.pick(['info', 'debug', 'warn'])}`,
      `  REQUEST_TIMEOUT_MS: "${this.pick([10_000, 30_000, 60_000])}"`,
      `  DB_STATEMENT_TIMEOUT_MS: "${this.pick([5_000, 15_000])}"`,
      '  FEATURE_FLAGS: "search,export,audit"',
      ...Array.from({ length: this.between(4, 12) }, (_, k) => `  ${this.service.env}_LIMIT_${k}: "${this.pick([10, 100, 1000])}"`),
      '',
    ].join('\n');
  }

  autoscaler(): string {
    return [
      'apiVersion: autoscaling/v2',
      'kind: HorizontalPodAutoscaler',
      ...this.metadata(this.service.name),
      'spec:',
      '  scaleTargetRef:',
      '    apiVersion: apps/v1',
      '    kind: Deployment',
      `    name: ${this.service.name}`,
      `  minReplicas: ${this.pick([2, 3])}`,
      `  maxReplicas: ${this.pick([10, 20])}`,
      '  metrics:',
      '    - type: Resource',
      '      resource:',
      '        name: cpu',
      '        target: { type: Utilization, averageUtilization: 70 }',
      '',
    ].join('\n');
  }

  disruptionBudget(): string {
    return ['apiVersion: policy/v1', 'kind: PodDisruptionBudget', ...this.metadata(this.service.name), 'spec:', '  minAvailable: 1', '  selector:', '    matchLabels:', `      app: ${this.service.name}`, ''].join('\n');
  }
}
