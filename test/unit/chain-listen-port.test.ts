// Loopback links (`proxy_pass http://127.0.0.1:8080`) by the port the code listens on, when the port comes from the environment a compose service gives the package it builds.
import { createModelCapture } from '../../server/src/host/model-capture.js';
import { describe, expect, it } from 'vitest';
import { allRules } from '../../rules/index.js';
import { chainsOf } from '../../server/src/engine/chain/chains.js';
import type { Chain } from '../../server/src/engine/chain/chain-types.js';
import { defaultConfig } from '../../server/src/engine/config.js';
import type { WorkspaceModel } from '../../server/src/engine/model/workspace-model.js';
import { lint } from '../../server/src/engine/run.js';
import { MemoryFs } from '../../server/src/engine/workspace-fs.js';

function modelOf(files: Record<string, string>): WorkspaceModel {
  const capture = createModelCapture();
  lint({ fs: new MemoryFs(files), files: Object.keys(files), config: defaultConfig(allRules), rules: [capture.rule], toolVersion: 'test' });
  return capture.model()!;
}

const summary = (chain: Chain) => chain.hops.map((h) => `${h.label}${h.evidence?.length ? ` {${h.evidence.map((e) => e.text).join('; ')}}` : ''}`);
const nginx = (target: string) => `events {}\nhttp {\n  server {\n    listen 80;\n    location /api/ { proxy_pass ${target}; }\n  }\n}\n`;
const server = (listen: string) => `import express from 'express';\nconst app = express();\napp.post('/api/chat', (req, res) => res.end());\napp.listen(${listen});\n`;

function workspace(target: string, compose: string, listen = 'Number(process.env.PORT ?? 3000)'): WorkspaceModel {
  return modelOf({
    'deploy/nginx.conf': nginx(target),
    'deploy/docker-compose.yml': compose,
    'api/package.json': '{ "name": "chat-api" }',
    'api/src/server.ts': server(listen),
  });
}

const evidence = 'port 8080 from PORT in the environment of compose service api, read by the server in api/src/server.ts';

describe('loopback port from a compose service environment', () => {
  it.each([
    ['map form', 'services:\n  api:\n    build: ../api\n    environment:\n      PORT: "8080"\n'],
    ['list form', 'services:\n  api:\n    build: ../api\n    environment:\n      - PORT=8080\n'],
    ['build context object', 'services:\n  api:\n    build:\n      context: ../api\n    environment:\n      PORT: 8080\n'],
  ])('%s: 127.0.0.1:8080 reaches the server on process.env.PORT, with the evidence', (_form, compose) => {
    const { chains, unresolved } = chainsOf(workspace('http://127.0.0.1:8080', compose));
    expect(unresolved).toEqual([]);
    const linked = chains.find((c) => c.hops[0]!.label === 'nginx location /api/')!;
    expect(summary(linked)).toEqual(['nginx location /api/', `express server in api {${evidence}}`, 'POST /api/chat handler']);
  });

  it('the code default still links, without evidence of an environment', () => {
    const { chains } = chainsOf(workspace('http://localhost:3000', 'services:\n  api:\n    build: ../api\n    environment:\n      PORT: "8080"\n'));
    expect(summary(chains.find((c) => c.hops[0]!.label === 'nginx location /api/')!)).toEqual(['nginx location /api/', 'express server in api', 'POST /api/chat handler']);
  });

  it.each([
    ['no environment', 'services:\n  api:\n    build: ../api\n'],
    ['another variable', 'services:\n  api:\n    build: ../api\n    environment:\n      HTTP_PORT: "8080"\n'],
    ['a placeholder without value', 'services:\n  api:\n    build: ../api\n    environment:\n      PORT: ${API_PORT}\n'],
    ['an image-only service', 'services:\n  api:\n    image: chat-api:1\n    environment:\n      PORT: "8080"\n'],
  ])('%s: 127.0.0.1:8080 does not reach the server', (_case, compose) => {
    const { chains } = chainsOf(workspace('http://127.0.0.1:8080', compose));
    const linked = chains.find((c) => c.hops[0]!.label === 'nginx location /api/')!;
    expect(linked.hops.map((h) => h.label)).toEqual(['nginx location /api/']);
  });

  it('a literal listen port ignores the environment', () => {
    const { chains } = chainsOf(workspace('http://127.0.0.1:8080', 'services:\n  api:\n    build: ../api\n    environment:\n      PORT: "8080"\n', '3000'));
    expect(chains.find((c) => c.hops[0]!.label === 'nginx location /api/')!.hops).toHaveLength(1);
  });
});
