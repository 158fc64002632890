// Linking into code on evidence: compose image placeholders, a root manifest over one code package, longer sibling nginx locations, evidence on hops.
import { createModelCapture } from '../../server/src/host/model-capture.js';
import { describe, expect, it } from 'vitest';
import { allRules } from '../../rules/index.js';
import { chainsOf } from '../../server/src/engine/chain/chains.js';
import type { Chain } from '../../server/src/engine/chain/chain-types.js';
import { defaultConfig } from '../../server/src/engine/config.js';
import type { WorkspaceModel } from '../../server/src/engine/workspace-model.js';
import { lint } from '../../server/src/engine/run.js';
import { MemoryFs } from '../../server/src/engine/workspace-fs.js';
import { imageNamespaces } from '../../server/src/engine/chain/image-name.js';

function modelOf(files: Record<string, string>): WorkspaceModel {
  // The same no-op rule the CLI's `chains` command uses to keep a run's model.
  const capture = createModelCapture();
  lint({ fs: new MemoryFs(files), files: Object.keys(files), config: defaultConfig(allRules), rules: [capture.rule], toolVersion: 'test' });
  return capture.model()!;
}

const summary = (chain: Chain) => chain.hops.map((h) => `${h.label}${h.evidence?.length ? ` {${h.evidence.map((e) => e.text).join('; ')}}` : ''}`);
const nginx = (locations: string) => `events {}\nhttp {\n  server {\n    listen 80;\n${locations}\n  }\n}\n`;
const server = `import express from 'express';\nimport OpenAI from 'openai';\nconst openai = new OpenAI();\nconst app = express();\napp.post('/api/chat', async (req, res) => res.json(await openai.chat.completions.create({ model: 'm', messages: [] })));\napp.listen(3000);\n`;

describe('linking compose services to code', () => {
  it('takes the default of an image placeholder as the image name, with that evidence', () => {
    const model = modelOf({
      'nginx.conf': nginx('    location /api/ { proxy_pass http://app:3000; }'),
      'docker-compose.yml': 'services:\n  app:\n    image: ${APP_IMAGE:-chat-api:latest}\n',
      'services/chat/package.json': '{ "name": "chat-api" }',
      'services/chat/src/server.ts': server,
    });
    const { chains, unresolved } = chainsOf(model);
    expect(unresolved).toEqual([]);
    expect(summary(chains[0]!)).toEqual([
      'nginx location /api/',
      'compose service app',
      'express server in services/chat {image name chat-api from the placeholder default of ${APP_IMAGE:-chat-api:latest}}',
      'POST /api/chat handler',
      'openai chat.completions.create call',
    ]);
  });

  it('a placeholder without default gives no image name: the link stays unresolved', () => {
    const model = modelOf({
      'nginx.conf': nginx('    location /api/ { proxy_pass http://app:3000; }'),
      'docker-compose.yml': 'services:\n  app:\n    image: ${APP_IMAGE}\n',
      'services/chat/package.json': '{ "name": "chat-api" }',
      'services/chat/src/server.ts': server,
    });
    expect(chainsOf(model).unresolved.map((u) => u.message)).toEqual([expect.stringContaining('no code package matches app (')]);
  });

  it('a root manifest named like the image stands for its only code package', () => {
    const model = modelOf({
      'nginx.conf': nginx('    location /api/ { proxy_pass http://hub:3000; }'),
      'docker-compose.yml': 'services:\n  hub:\n    image: ${HUB_IMAGE:-ai-hub:1}\n',
      'package.json': '{ "name": "ai-hub", "scripts": { "start": "cd server && node server.js" } }',
      'server/package.json': '{ "name": "ai-hub-server" }',
      'server/src/server.ts': server,
    });
    const chain = chainsOf(model).chains.find((c) => c.hops.length > 2)!;
    expect(chain.hops[2]!.evidence?.map((e) => e.text)).toEqual([
      'image name ai-hub from the placeholder default of ${HUB_IMAGE:-ai-hub:1}',
      'ai-hub is the name in package.json, whose only code package is server',
    ]);
  });

  it('two code packages under the named manifest are ambiguous: unresolved, both named', () => {
    const model = modelOf({
      'nginx.conf': nginx('    location /api/ { proxy_pass http://hub:3000; }'),
      'docker-compose.yml': 'services:\n  hub:\n    image: ai-hub:1\n',
      'package.json': '{ "name": "ai-hub" }',
      'server/package.json': '{ "name": "ai-hub-server" }',
      'server/src/server.ts': server,
      'worker/package.json': '{ "name": "ai-hub-worker" }',
      'worker/src/server.ts': server,
    });
    expect(chainsOf(model).unresolved.map((u) => u.message)).toEqual([expect.stringContaining('server and worker are both under a package.json of that name: ambiguous')]);
  });
});

describe("linking a workload by its image's namespace", () => {
  it.each([
    ['quay.io/acme-ui/ui:1.2', ['acme-ui']],
    ['ghcr.io/org/team/api@sha256:abc', ['org', 'team']],
    ['localhost:5000/shop/web', ['shop']],
    ['acme/web:latest', ['acme']],
    ['library/nginx', []],
    ['nginx:1.25', []],
    ['registry.example.com/${TEAM}/web', []],
  ])('%s has the namespaces %j', (image, expected) => {
    expect(imageNamespaces(image)).toEqual(expected);
  });

  const ingressTo = (image: string) =>
    [
      'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: web}\nspec:\n  ingressClassName: nginx\n  rules:\n  - http:\n      paths:\n      - path: /\n        pathType: Prefix\n        backend: {service: {name: web, port: {number: 80}}}\n',
      'apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  selector: {app: web}\n  ports: [{port: 80, targetPort: 3000}]\n',
      `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers:\n      - name: web\n        image: ${image}\n`,
    ].join('---\n');

  it('links to the one serving package named like a namespace segment, with that evidence on the hop', () => {
    const model = modelOf({ 'deploy/app.yaml': ingressTo('quay.io/acme-chat/ui:latest'), 'package.json': '{ "name": "acme-chat" }', 'src/server.ts': server });
    const { chains, unresolved } = chainsOf(model);
    expect(unresolved).toEqual([]);
    const chain = chains.find((c) => c.hops[0]!.label.startsWith('Ingress'))!;
    expect(summary(chain)).toEqual([
      'Ingress default/web path /',
      'Service default/web',
      'Deployment default/web',
      'express server in the workspace root {image quay.io/acme-chat/ui:latest: its namespace acme-chat is the name in package.json, the only package of that name, and it serves HTTP}',
      'POST /api/chat handler',
      'openai chat.completions.create call',
    ]);
  });

  it('does not link to a package of that name that serves nothing, nor between two of that name', () => {
    const idle = modelOf({ 'deploy/app.yaml': ingressTo('quay.io/acme/ui:1'), 'package.json': '{ "name": "acme" }', 'src/util.ts': 'export const x = 1;\n' });
    expect(chainsOf(idle).unresolved.map((u) => u.message)).toEqual([expect.stringContaining('no code package matches web, ui')]);
    const two = modelOf({
      'deploy/app.yaml': ingressTo('quay.io/acme/ui:1'),
      'a/package.json': '{ "name": "acme" }',
      'a/src/server.ts': server,
      'b/package.json': '{ "name": "acme" }',
      'b/src/server.ts': server,
    });
    expect(chainsOf(two).unresolved.map((u) => u.message)).toEqual([expect.stringContaining('no code package matches web, ui')]);
  });

  it('a name match by the image itself wins over the namespace', () => {
    const model = modelOf({
      'deploy/app.yaml': ingressTo('quay.io/acme/ui:1'),
      'package.json': '{ "name": "acme", "private": true, "workspaces": ["apps/*"] }',
      'src/server.ts': server,
      'apps/ui/package.json': '{ "name": "ui" }',
      'apps/ui/src/server.ts': server,
    });
    const chain = chainsOf(model).chains.find((c) => c.hops[0]!.label.startsWith('Ingress'))!;
    expect(chain.hops[3]!.label).toBe('express server in apps/ui');
  });
});

describe('nginx location precedence when matching handlers', () => {
  it('a prefix location does not reach handlers a longer sibling prefix location takes', () => {
    const code = `import express from 'express';\nimport OpenAI from 'openai';\nconst openai = new OpenAI();\nconst app = express();\napp.post('/api/chat/complete', async (req, res) => res.json(await openai.chat.completions.create({ model: 'm', messages: [] })));\napp.get('/api/health', (req, res) => res.end());\napp.listen(3000);\n`;
    const model = modelOf({
      'nginx.conf': nginx('    location /api/chat/ { proxy_pass http://app:3000; proxy_read_timeout 300s; }\n    location /api/ { proxy_pass http://app:3000; }'),
      'docker-compose.yml': 'services:\n  app:\n    build: ./app\n',
      'app/package.json': '{ "name": "app" }',
      'app/src/server.ts': code,
    });
    const handlers = (location: string) => chainsOf(model).chains.filter((c) => c.hops[0]!.label === `nginx location ${location}`).map((c) => c.hops.find((h) => h.kind === 'route-handler')?.label);
    expect(handlers('/api/')).toEqual(['GET /api/health handler']);
    expect(handlers('/api/chat/')).toEqual(['POST /api/chat/complete handler']);
  });

  it('an exact sibling location takes only its own path', () => {
    const code = `import express from 'express';\nconst app = express();\napp.get('/api/health', (req, res) => res.end());\napp.get('/api/healthz', (req, res) => res.end());\napp.listen(3000);\n`;
    const model = modelOf({
      'nginx.conf': nginx('    location = /api/health { proxy_pass http://app:3000; }\n    location /api/ { proxy_pass http://app:3000; }'),
      'docker-compose.yml': 'services:\n  app:\n    build: ./app\n',
      'app/package.json': '{ "name": "app" }',
      'app/src/server.ts': code,
    });
    const handlers = chainsOf(model).chains.filter((c) => c.hops[0]!.label === 'nginx location /api/').map((c) => c.hops.find((h) => h.kind === 'route-handler')?.label);
    expect(handlers).toEqual(['GET /api/healthz handler']);
  });
});

describe('the editor\'s chain view', () => {
  it('shows the evidence of an inferred link on its hop', async () => {
    const { chainRoutesAt } = await import('../../server/src/lsp/chain-view.js');
    const { RangeMaker } = await import('../../server/src/lsp/convert.js');
    const files: Record<string, string> = {
      'nginx.conf': nginx('    location /api/ {\n      proxy_pass http://app:3000;\n    }'),
      'docker-compose.yml': 'services:\n  app:\n    build: ./app\n',
      'app/package.json': '{ "name": "app" }',
      'app/src/main.ts': `import { NestFactory } from '@nestjs/core';\nimport { AppModule } from './app.module';\nasync function bootstrap() {\n  const app = await NestFactory.create(AppModule);\n  app.setGlobalPrefix('api');\n  await app.listen(3000);\n}\nbootstrap();\n`,
      'app/src/chat.controller.ts': `import { Controller, Post } from '@nestjs/common';\n@Controller('chat')\nexport class ChatController {\n  @Post('complete') complete() { return fetch('https://x.example.com'); }\n}\n`,
    };
    const model = modelOf(files);
    const ranges = new RangeMaker({ textOf: (file: string) => files[file] });
    const views = chainRoutesAt([model], 'nginx.conf', 6, ranges);
    const handler = views[0]!.hops.find((h) => h.title === 'POST /api/chat/complete handler')!;
    expect(handler.detail).toBe('app/src/chat.controller.ts:4 — linked by prefix /api from app.setGlobalPrefix (app/src/main.ts:5)');
  });
});

describe('compose services reached by the other names Docker DNS answers', () => {
  const site = (host: string) => nginx(`    location /api/ { proxy_pass http://${host}:3000; }`);
  const app = { 'app/package.json': '{ "name": "app" }', 'app/src/server.ts': server };

  it.each([
    ['container_name', 'services:\n  app:\n    build: ./app\n    container_name: chat-backend\n', 'chat-backend is the container_name of compose service app'],
    ['a network alias', 'services:\n  app:\n    build: ./app\n    networks:\n      internal:\n        aliases:\n          - chat-backend\nnetworks:\n  internal: {}\n', 'chat-backend is the network alias of compose service app'],
  ])('links by %s, with that evidence on the compose hop', (_how, compose, evidence) => {
    const { chains, unresolved } = chainsOf(modelOf({ 'nginx.conf': site('chat-backend'), 'docker-compose.yml': compose, ...app }));
    expect(unresolved).toEqual([]);
    expect(summary(chains.find((c) => c.hops.length > 2)!).slice(0, 3)).toEqual(['nginx location /api/', `compose service app {${evidence}}`, 'express server in app']);
  });

  it('links by a consumer\'s `links` alias, with that evidence', () => {
    const compose = 'services:\n  app:\n    build: ./app\n  proxy:\n    image: nginx:1.27\n    links:\n      - "app:chat-backend"\n';
    const { chains, unresolved } = chainsOf(modelOf({ 'nginx.conf': site('chat-backend'), 'docker-compose.yml': compose, ...app }));
    expect(unresolved).toEqual([]);
    expect(summary(chains.find((c) => c.hops.length > 2)!).slice(0, 2)).toEqual(['nginx location /api/', 'compose service app {chat-backend is compose service app by the links of proxy}']);
  });

  it('two services answering the same alias are not guessed between', () => {
    const compose = 'services:\n  app:\n    build: ./app\n    networks:\n      a:\n        aliases: [backend]\n  other:\n    image: other:1\n    networks:\n      b:\n        aliases: [backend]\n';
    const { unresolved } = chainsOf(modelOf({ 'nginx.conf': site('backend'), 'docker-compose.yml': compose, ...app }));
    expect(unresolved.map((u) => u.message)).toEqual([expect.stringContaining('matches no Kubernetes Service or compose service')]);
  });

  it('a placeholder container_name names nothing', () => {
    const compose = 'services:\n  app:\n    build: ./app\n    container_name: ${STACK}-backend\n';
    const { unresolved } = chainsOf(modelOf({ 'nginx.conf': site('prod-backend'), 'docker-compose.yml': compose, ...app }));
    expect(unresolved.length).toBe(1);
  });
});
