// Loopback links (`proxy_pass http://127.0.0.1:8080`) by the port the code listens on, when the port comes from the environment a compose service gives the package it builds.
import { createModelCapture } from '../../server/src/host/model-capture.js';
import { describe, expect, it } from 'vitest';
import { allRules } from '../../rules/index.js';
import { chainsOf } from '../../server/src/engine/chain/chains.js';
import type { Chain } from '../../server/src/engine/chain/chain-types.js';
import { defaultConfig } from '../../server/src/engine/config.js';
import type { WorkspaceModel } from '../../server/src/engine/workspace-model.js';
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

describe('loopback port from a Dockerfile ENV', () => {
  const files = (dockerfile: string, compose?: string) => modelOf({
    'deploy/nginx.conf': nginx('http://127.0.0.1:8080'),
    ...(compose ? { 'deploy/docker-compose.yml': compose } : {}),
    'api/package.json': '{ "name": "chat-api" }',
    'api/Dockerfile': dockerfile,
    'api/src/server.ts': server('Number(process.env.PORT ?? 3000)'),
  });
  const serverHop = (model: WorkspaceModel) => summary(chainsOf(model).chains.find((c) => c.hops[0]!.label === 'nginx location /api/')!)[1];

  it.each([
    ['ENV PORT=8080', 'FROM node:20\nENV NODE_ENV=production PORT=8080\nCMD ["node", "dist/server.js"]\n'],
    ['legacy ENV PORT 8080', 'FROM node:20\nENV PORT 8080\n'],
    ['quoted', 'FROM node:20\nENV PORT="8080"\n'],
  ])('%s links, naming the Dockerfile', (_form, dockerfile) => {
    expect(serverHop(files(dockerfile))).toBe('express server in api {port 8080 from ENV PORT in api/Dockerfile, read by the server in api/src/server.ts}');
  });

  it.each([
    ['an ENV of an earlier stage', 'FROM node:20 AS build\nENV PORT=8080\nFROM node:20-slim\nCMD ["node", "server.js"]\n'],
    ['a build argument', 'FROM node:20\nARG PORT\nENV PORT=$PORT\n'],
  ])('%s does not link', (_case, dockerfile) => {
    expect(serverHop(files(dockerfile))).toBeUndefined();
  });

  it('a compose environment wins over the image ENV', () => {
    const model = files('FROM node:20\nENV PORT=9090\n', 'services:\n  api:\n    build: ../api\n    environment:\n      PORT: "8080"\n');
    expect(serverHop(model)).toBe(`express server in api {${evidence}}`);
  });
});

describe('listen port expressions', () => {
  const compose = 'services:\n  api:\n    build: ../api\n    environment:\n      PORT: "8080"\n';
  it.each([
    ['parseInt(process.env.PORT || "3000", 10)'],
    ['process.env.PORT || 3000'],
    ['+(process.env.PORT ?? 3000)'],
    ['config.port'],
    ['config.server.port'],
  ])('listen(%s) reaches 127.0.0.1:8080 with PORT=8080 from compose', (listen) => {
    const code = `import express from 'express';\nconst config = { port: Number(process.env.PORT ?? 3000), server: { port: process.env.PORT ?? 3000 } };\nconst app = express();\napp.post('/api/chat', (req, res) => res.end());\napp.listen(${listen});\n`;
    const model = modelOf({ 'deploy/nginx.conf': nginx('http://127.0.0.1:8080'), 'deploy/docker-compose.yml': compose, 'api/package.json': '{ "name": "chat-api" }', 'api/src/server.ts': code });
    const chain = chainsOf(model).chains.find((c) => c.hops[0]!.label === 'nginx location /api/')!;
    expect(summary(chain)[1]).toBe(`express server in api {${evidence}}`);
  });
});

describe('calls in code one compose service runs read that service environment', () => {
  const files = {
    'docker-compose.yml': 'services:\n  worker:\n    build: ./worker\n    environment:\n      API_URL: http://api:3000\n  api:\n    build: ./api\n',
    'worker/package.json': '{ "name": "worker" }',
    'worker/src/job.ts': "export async function run() {\n  await fetch(`${process.env.API_URL}/api/chat`, { method: 'POST', signal: AbortSignal.timeout(5000) });\n}\n",
    'api/package.json': '{ "name": "api" }',
    'api/src/server.ts': server('3000'),
  };

  it('a URL from API_URL reaches the service it names', () => {
    const { chains } = chainsOf(modelOf(files));
    const chain = chains.find((c) => c.hops[0]!.label.startsWith('fetch'));
    expect(chain?.hops.map((h) => h.label).slice(1)).toEqual(['compose service api', 'express server in api', 'POST /api/chat handler']);
  });

  it('two services building the package leave the URL unknown', () => {
    const twice = { ...files, 'docker-compose.yml': `${files['docker-compose.yml']}  worker2:\n    build: ./worker\n    environment:\n      API_URL: http://other:3000\n` };
    const { chains } = chainsOf(modelOf(twice));
    expect(chains.find((c) => c.hops[0]!.label.startsWith('fetch'))?.hops).toHaveLength(1);
  });
});
