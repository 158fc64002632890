// `const app = createApp(); app.listen(port)` with the app built in another module: a server of the
// framework that module's function returns, and no server when it returns something else.
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

const nginx = 'events {}\nhttp {\n  server {\n    listen 80;\n    location / { proxy_pass http://127.0.0.1:3000; }\n  }\n}\n';
const main = (listen = "const app = createApp();\napp.listen(3000, () => console.log('up'));\n") => `import { createApp } from './app';\n\n${listen}`;

function serversOf(model: WorkspaceModel) {
  return [...model.ts.files.values()].flatMap((f) => f.servers.map((s) => `${s.kind} ${s.span.file}`));
}

describe('servers on an app another module builds', () => {
  it.each([
    ['a const returned', "import express from 'express';\nexport function createApp() {\n  const app = express();\n  app.get('/', (req, res) => res.send('ok'));\n  return app;\n}\n", 'express'],
    ['an arrow body', "import Koa from 'koa';\nexport const createApp = () => new Koa();\n", 'koa'],
    ['a returned call', "import express from 'express';\nexport default function createApp() {\n  return express();\n}\n", 'express'],
  ])('%s: the listen is a %s server, linked by port', (_form, app, kind) => {
    const files = { 'nginx.conf': nginx, 'package.json': '{ "name": "web" }', 'src/server.ts': main(), 'src/app.ts': app.replace('export default function', 'export function') };
    const model = modelOf(files);
    expect(serversOf(model)).toEqual([`${kind} src/server.ts`]);
    const { chains, unresolved } = chainsOf(model);
    expect(unresolved.filter((u) => /listens/.test(u.message))).toEqual([]);
    expect(chains[0]!.hops.map((h) => h.label)).toContain(`${kind} server in the workspace root`);
  });

  it('an awaited factory is read the same way', () => {
    const model = modelOf({ 'package.json': '{ "name": "web" }', 'src/server.ts': main('async function start() {\n  const app = await createApp();\n  app.listen(3000);\n}\nstart();\n'), 'src/app.ts': "import express from 'express';\nexport async function createApp() {\n  const app = express();\n  return app;\n}\n" });
    expect(serversOf(model)).toEqual(['express src/server.ts']);
  });

  it.each([
    ['returns something else', "export function createApp() {\n  return { listen(port: number) { return port; } };\n}\n"],
    ['is not exported from there', "import express from 'express';\nfunction createApp() {\n  return express();\n}\nexport const other = 1;\n"],
  ])('no server when the imported function %s', (_why, app) => {
    const model = modelOf({ 'package.json': '{ "name": "web" }', 'src/server.ts': main(), 'src/app.ts': app });
    expect(serversOf(model)).toEqual([]);
  });

  it('keepAliveTimeout set on the listen result is read', () => {
    const model = modelOf({ 'package.json': '{ "name": "web" }', 'src/server.ts': main("const app = createApp();\nconst server = app.listen(3000);\nserver.keepAliveTimeout = 61_000;\n"), 'src/app.ts': "import express from 'express';\nexport function createApp() {\n  return express();\n}\n" });
    const server = [...model.ts.files.values()].flatMap((f) => f.servers)[0]!;
    expect(server.timeouts.find((t) => t.option === 'keepAliveTimeout')).toMatchObject({ source: 'set', ms: 61_000 });
  });
});

describe('a listen chained on the factory call', () => {
  it('createApp(api).listen(port) with createApp annotated as returning express.Express', () => {
    const app = "import express from 'express';\nexport const ApiServer = (api: (app: express.Express) => express.Express, app: express.Express = express()): express.Express => {\n  app.disable('x-powered-by');\n  return api(app);\n};\n";
    const model = modelOf({ 'package.json': '{ "name": "web" }', 'src/server.ts': "import { ApiServer } from './server-lib';\nimport { api } from './api';\n\nApiServer(api).listen(4001, () => console.log('up'));\n", 'src/server-lib.ts': app, 'src/api.ts': 'export const api = (app: any) => app;\n' });
    expect(serversOf(model)).toEqual(['express src/server.ts']);
  });

  it.each([
    ["import type { Express } from 'express';\nimport express from 'express';\nexport function build(make: () => Express): Express {\n  return make();\n}\n", 'express'],
    ["import type { INestApplication } from '@nestjs/common';\nexport async function build(make: () => Promise<INestApplication>): Promise<INestApplication> {\n  return make();\n}\n", 'nest'],
    ["type Express = { listen(port: number): void };\nexport function build(make: () => Express): Express {\n  return make();\n}\n", undefined],
  ])('the return annotation of %j', (lib, kind) => {
    const model = modelOf({ 'package.json': '{ "name": "web" }', 'src/server.ts': "import { build } from './lib';\n\nbuild(make).listen(3000);\n", 'src/lib.ts': lib });
    expect(serversOf(model)).toEqual(kind ? [`${kind} src/server.ts`] : []);
  });
});
