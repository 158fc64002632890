// Requests a code package answers with no route of its own end their chain complete, not unresolved:
// Next.js build output under /_next/, a catch-all location in front of a full-stack framework's pages, and a node:http server whose request listener takes every path.
import { describe, expect, it } from 'vitest';
import { allRules } from '../../rules/index.js';
import { chainsOf } from '../../server/src/engine/chain/chains.js';
import { defaultConfig } from '../../server/src/engine/config.js';
import { lint } from '../../server/src/engine/run.js';
import type { WorkspaceModel } from '../../server/src/engine/workspace-model.js';
import { MemoryFs } from '../../server/src/engine/workspace-fs.js';
import { createModelCapture } from '../../server/src/host/model-capture.js';

function modelOf(files: Record<string, string>): WorkspaceModel {
  const capture = createModelCapture();
  lint({ fs: new MemoryFs(files), files: Object.keys(files), config: defaultConfig(allRules), rules: [capture.rule], toolVersion: 'test' });
  return capture.model()!;
}

const nginx = (location: string) => `events {}\nhttp {\n  server {\n    listen 80;\n    location ${location} { proxy_pass http://app:3000; }\n  }\n}\n`;
const compose = 'services:\n  app:\n    build: .\n';

describe('requests answered without a route', () => {
  const next = {
    'docker-compose.yml': compose,
    'package.json': '{ "name": "web", "dependencies": { "next": "15.0.0", "react": "19.0.0" } }',
    'app/api/health/route.ts': 'export async function GET() {\n  return Response.json({ ok: true });\n}\n',
  };

  it('Next.js build output under /_next/ ends the chain complete, with the reason on the last hop', () => {
    const { chains, unresolved } = chainsOf(modelOf({ ...next, 'nginx.conf': nginx('/_next/static/') }));
    expect(unresolved).toEqual([]);
    expect(chains[0]!.hops.at(-1)!.evidence?.map((e) => e.text)).toContain('the path /_next/static/*, which Next.js serves itself from its build output (no route handler)');
  });

  it.each([
    ['Next.js', next],
    ['Nuxt (by its server routes alone)', { 'docker-compose.yml': compose, 'package.json': '{ "name": "web" }', 'server/api/ping.get.ts': 'export default defineEventHandler(() => "pong");\n' }],
    ['SvelteKit', { 'docker-compose.yml': compose, 'package.json': '{ "name": "web", "devDependencies": { "@sveltejs/kit": "2.5.0" } }', 'src/routes/api/ping/+server.ts': 'export const GET = () => new Response("pong");\n' }],
  ])('a catch-all location in front of %s reaches its pages: complete, with the reason', (name, files) => {
    // `/api/` takes the app's route handlers; what is left for `/` are its pages.
    const conf = `events {}\nhttp {\n  server {\n    listen 80;\n    location /api/ { proxy_pass http://app:3000; }\n    location / { proxy_pass http://app:3000; }\n  }\n}\n`;
    const { chains, unresolved } = chainsOf(modelOf({ ...files, 'nginx.conf': conf }));
    expect(unresolved).toEqual([]);
    const framework = name.split(' ')[0];
    expect(chains.flatMap((c) => c.hops.at(-1)!.evidence?.map((e) => e.text) ?? [])).toContain(`the path /*, which ${framework} answers with its pages (no route handler)`);
  });

  it('another path no route of a Next.js app takes is still unresolved', () => {
    const { unresolved } = chainsOf(modelOf({ ...next, 'nginx.conf': nginx('/admin/') }));
    expect(unresolved.map((u) => u.message)).toEqual(['no route handler in the workspace root matches /admin/*']);
  });

  const listener = 'import http from "node:http";\nconst server = http.createServer((req, res) => res.end(req.url));\nserver.listen(3000);\n';

  it('a node:http server in a package without routes answers every path', () => {
    const { chains, unresolved } = chainsOf(modelOf({ 'docker-compose.yml': compose, 'package.json': '{ "name": "svc" }', 'src/server.ts': listener, 'nginx.conf': nginx('/') }));
    expect(unresolved).toEqual([]);
    expect(chains[0]!.hops.at(-1)!.label).toBe('node-http server `server` in the workspace root');
    expect(chains[0]!.hops.at(-1)!.evidence?.map((e) => e.text)).toContain('any path: the request listener of `server` answers them all (the package has no route table)');
  });

  it('a node:http server given an app (not a listener function) still needs a route', () => {
    const app = 'import express from "express";\nimport http from "node:http";\nconst app = express();\nconst server = http.createServer(app);\nserver.listen(3000);\n';
    const { unresolved } = chainsOf(modelOf({ 'docker-compose.yml': compose, 'package.json': '{ "name": "svc" }', 'src/server.ts': app, 'nginx.conf': nginx('/api/') }));
    expect(unresolved.map((u) => u.message)).toEqual(['no route handler in the workspace root matches /api/*']);
  });

  it('a package with routes does not answer a path none of them takes', () => {
    const routes = 'import express from "express";\nimport http from "node:http";\nconst app = express();\napp.get("/health", (req, res) => res.end());\nhttp.createServer(app).listen(3000);\n';
    const { unresolved } = chainsOf(modelOf({ 'docker-compose.yml': compose, 'package.json': '{ "name": "svc" }', 'src/server.ts': routes, 'nginx.conf': nginx('/api/') }));
    expect(unresolved.length).toBe(1);
  });
});

describe('the server of a package whose routes the framework serves', () => {
  const base = {
    'docker-compose.yml': compose,
    'package.json': '{ "name": "web", "dependencies": { "next": "15.0.0", "react": "19.0.0" } }',
    'app/api/chat/route.ts': 'export async function POST() {\n  return Response.json({ ok: true });\n}\n',
    'nginx.conf': nginx('/api/'),
  };
  const serverHops = (files: Record<string, string>) => chainsOf(modelOf(files)).chains.flatMap((c) => c.hops).filter((h) => h.kind === 'code-server').map((h) => h.span.file);

  it("keeps a custom server that hands requests to Next.js, and leaves out a metrics port's request listener and a mock server", () => {
    const custom = "const { createServer } = require('node:http');\nconst next = require('next');\nconst app = next({});\nconst handle = app.getRequestHandler();\napp.prepare().then(() => createServer((req, res) => handle(req, res)).listen(3000));\n";
    const metrics = "import { createServer } from 'node:http';\ncreateServer((req, res) => res.end('up 1')).listen(9464);\n";
    const mock = "import { createServer } from 'node:http';\ncreateServer((req, res) => res.end('{}')).listen(4010);\n";
    expect(serverHops({ ...base, 'server.js': custom, 'lib/metrics.ts': metrics, 'scripts/mock-llm.mjs': mock })).toEqual(['server.js']);
    expect(serverHops({ ...base, 'lib/metrics.ts': metrics, 'scripts/mock-llm.mjs': mock })).toEqual([]);
  });
});
