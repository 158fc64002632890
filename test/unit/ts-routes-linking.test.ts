// Routing across files: Express/Hono/Koa/Fastify mounts, NestJS global prefix and URI versions, with the evidence each prefix carries.
import { describe, expect, it } from 'vitest';
import { parseTsText } from '../../server/src/engine/inputs/ts/file.js';
import { extractTsFacts, type TsFileFacts } from '../../server/src/engine/inputs/ts/facts.js';
import { effectiveRoutes } from '../../server/src/engine/inputs/ts/route-prefixes.js';
import { remixPath } from '../../server/src/engine/inputs/ts/file-routes.js';
import type { CodePackage } from '../../server/src/engine/inputs/ts/packages.js';

/** `METHOD path  [evidence texts]` for every route the package serves, sorted. */
function routesOf(files: Record<string, string>): string[] {
  const lookup = new Map<string, TsFileFacts>(Object.entries(files).map(([file, text]) => [file, extractTsFacts(parseTsText(file, text))]));
  const pkg: CodePackage = { dir: '', names: [], files: Object.keys(files) };
  return effectiveRoutes(pkg, lookup)
    .map(({ route }) => `${route.method} ${route.path ?? '?'}${route.evidence?.length ? `  [${route.evidence.map((e) => `${e.text} @${e.span.file}`).join('; ')}]` : ''}`)
    .sort();
}

const nestMain = (body: string) => `import { NestFactory } from '@nestjs/core';\nimport { VersioningType, RequestMethod } from '@nestjs/common';\nimport { AppModule } from './app.module';\nasync function bootstrap() {\n  const app = await NestFactory.create(AppModule);\n${body}\n  await app.listen(3000);\n}\nbootstrap();\n`;
const nestController = `import { Controller, Get, Post, Version } from '@nestjs/common';\n@Controller('chat')\nexport class ChatController {\n  @Post('complete') complete() {}\n  @Get('health') health() {}\n}\n`;

describe('routing in code', () => {
  const cases: Array<[string, Record<string, string>, string[]]> = [
    ['Express router mounted in another file', {
      'src/routes/chat.ts': `import { Router } from 'express';\nconst router = Router();\nrouter.post('/complete', (req, res) => res.end());\nexport default router;\n`,
      'src/server.ts': `import express from 'express';\nimport chat from './routes/chat';\nconst app = express();\napp.use('/api/chat', chat);\napp.listen(3000);\n`,
    }, ['POST /api/chat/complete  [prefix /api/chat from app.use @src/server.ts]']],
    ['Express routers mounted at two depths across three files, through require and a barrel', {
      'src/routes/users.js': `const express = require('express');\nconst router = express.Router();\nrouter.get('/:id', (req, res) => res.end());\nmodule.exports = router;\n`,
      'src/routes/index.js': `const { Router } = require('express');\nconst users = require('./users');\nconst api = Router();\napi.use('/users', users);\nexport { api };\n`,
      'src/routes/barrel.ts': `export { api } from './index';\n`,
      'src/app.ts': `import express from 'express';\nimport { api } from './routes/barrel';\nconst app = express();\nconst v1 = express.Router();\nv1.use(api);\napp.use('/api/v1', v1);\napp.listen(3000);\n`,
    }, ['GET /api/v1/users/:id  [prefix /api/v1 from app.use @src/app.ts; prefix /users from api.use @src/routes/index.js]']],
    ['Express router factory imported and called in place', {
      'src/routes/chat.ts': `import { Router } from 'express';\nexport function chatRouter() {\n  const router = Router();\n  router.post('/complete', (req, res) => res.end());\n  return router;\n}\n`,
      'src/server.ts': `import express from 'express';\nimport { chatRouter } from './routes/chat';\nconst app = express();\napp.use('/api/chat', chatRouter());\n`,
    }, ['POST /api/chat/complete  [prefix /api/chat from app.use @src/server.ts]']],
    ['Express router factory in the same file, as an arrow', {
      'src/server.ts': `import express from 'express';\nconst make = () => {\n  const r = express.Router();\n  r.get('/items', (q, s) => s.end());\n  return r;\n};\nconst app = express();\napp.use('/v2', make());\n`,
    }, ['GET /v2/items  [prefix /v2 from app.use @src/server.ts]']],
    ['a function that registers on a router it does not return is not a factory', {
      'src/routes.ts': `import { Router } from 'express';\nexport function attach() {\n  const r = Router();\n  r.get('/x', (q, s) => s.end());\n}\n`,
      'src/server.ts': `import express from 'express';\nimport { attach } from './routes';\nconst app = express();\napp.use('/api', attach());\n`,
    }, ['GET /x']],
    ['same-file nested routers', {
      'src/app.ts': `import express from 'express';\nconst app = express();\nconst api = express.Router();\nconst chat = express.Router();\nchat.post('/complete', (q, s) => s.end());\napi.use('/chat', chat);\napp.use('/api', api);\n`,
    }, ['POST /api/chat/complete  [prefix /api from app.use @src/app.ts; prefix /chat from api.use @src/app.ts]']],
    ['a router mounted twice in its file answers under both prefixes', {
      'service/src/index.ts': `import express from 'express';\nconst app = express();\nconst router = express.Router();\nrouter.post('/chat-process', (q, s) => s.end());\napp.use('', router);\napp.use('/api', router);\napp.listen(3002);\n`,
    }, ['POST /api/chat-process  [prefix /api from app.use, a further mount of the same router @service/src/index.ts]', 'POST /chat-process']],
    ['a nested router whose parent is mounted twice, with the parent\'s own prefix kept in each', {
      'src/app.ts': `import express from 'express';\nconst app = express();\nconst api = express.Router();\nconst chat = express.Router();\nchat.post('/complete', (q, s) => s.end());\napi.use('/chat', chat);\napp.use('/v1', api);\napp.use('/latest', api);\n`,
    }, ['POST /latest/chat/complete  [prefix /latest from app.use, a further mount of the same router @src/app.ts; prefix /chat from api.use @src/app.ts]', 'POST /v1/chat/complete  [prefix /v1 from app.use @src/app.ts; prefix /chat from api.use @src/app.ts]']],
    ['a router mounted under two parents in its file takes each parent\'s prefix', {
      'src/app.ts': `import express from 'express';\nconst app = express();\nconst v1 = express.Router();\nconst v2 = express.Router();\nconst r = express.Router();\nr.get('/x', (q, s) => s.end());\nv1.use('', r);\nv2.use('/beta', r);\napp.use('/v1', v1);\napp.use('/v2', v2);\n`,
    }, ['GET /v1/x  [prefix /v1 from app.use @src/app.ts]', 'GET /v2/beta/x  [prefix /v2 from app.use @src/app.ts; prefix /beta from v2.use, a further mount of the same router @src/app.ts]']],
    ['a router mounted under two exported parents, which another file mounts: each variant under its own parent', {
      'src/routes.ts': `import { Router } from 'express';\nexport const v1 = Router();\nexport const v2 = Router();\nconst r = Router();\nr.get('/x', (q, s) => s.end());\nv1.use('', r);\nv2.use('/beta', r);\n`,
      'src/app.ts': `import express from 'express';\nimport { v1, v2 } from './routes';\nconst app = express();\napp.use('/v1', v1);\napp.use('/v2', v2);\n`,
    }, ['GET /v1/x  [prefix /v1 from app.use @src/app.ts]', 'GET /v2/beta/x  [prefix /v2 from app.use @src/app.ts; prefix /beta from v2.use, a further mount of the same router @src/routes.ts]']],
    ['a router mounted twice at one prefix is one route', {
      'src/app.ts': `import express from 'express';\nconst app = express();\nconst r = express.Router();\nr.get('/x', (q, s) => s.end());\napp.use('/a', r);\napp.use('/a', r);\n`,
    }, ['GET /a/x  [prefix /a from app.use @src/app.ts]']],
    ['SvelteKit endpoints: the folder is the path, (group) folders left out, every exported method and fallback', {
      'src/routes/(app)/conversation/[id]/+server.ts': `import type { RequestHandler } from './$types';\nexport const POST: RequestHandler = async ({ request }) => new Response('x');\nexport async function GET() { return new Response('y'); }\nexport const prerender = false;\n`,
      'src/routes/api/[...path]/+server.js': `export function fallback({ request }) { return new Response(request.method); }\n`,
      'src/routes/+server.ts': `export const GET = () => new Response('root');\n`,
      'src/lib/server/other.ts': `export const POST = () => new Response('not a route');\n`,
    }, ['ALL /api/[...path]', 'GET /', 'GET /conversation/[id]', 'POST /conversation/[id]']],
    ['Nuxt/Nitro server routes: method suffixes, index files, server/routes without /api, only defineEventHandler default exports', {
      'server/api/chat.post.ts': `export default defineEventHandler(async (event) => {\n  const body = await readBody(event);\n  return body;\n});\n`,
      'server/api/conversations/[id]/index.get.ts': `export default defineEventHandler((event) => getRouterParam(event, 'id'));\n`,
      'server/routes/feed.xml.ts': `export default eventHandler({ handler: () => '<rss/>' });\n`,
      'server/api/legacy.ts': `import { Router } from 'express';\nconst r = Router();\nexport default r;\n`,
    }, ['ALL /feed.xml', 'GET /api/conversations/[id]', 'POST /api/chat']],
    ['Astro endpoints: exported method functions under src/pages, index is its folder', {
      'src/pages/api/chat.ts': `import type { APIRoute } from 'astro';\nexport const POST: APIRoute = async ({ request }) => new Response(await request.text());\n`,
      'src/pages/api/items/[id]/index.ts': `export async function GET({ params }) { return new Response(params.id); }\nexport const prerender = false;\n`,
      'src/pages/about.ts': `export const title = 'About';\n`,
      'src/pages/_helpers/auth.ts': `export const GET = () => new Response('not a route');\n`,
    }, ['GET /api/items/[id]', 'POST /api/chat']],
    ['a Next.js route is the file route.ts itself, not a file whose name ends in route', {
      'app/api/chat/route.ts': `export async function POST() { return new Response('ok'); }\n`,
      'app/api/myroute.ts': `export async function GET() { return new Response('helper'); }\n`,
      'app/route.ts': `export async function GET() { return new Response('root'); }\n`,
    }, ['GET /', 'POST /api/chat']],
    ['Remix and React Router flat routes: dots, _index, pathless layouts, $params, splats, folder routes, loader and action', {
      'app/routes/api.chat.ts': `export async function action({ request }) { return new Response('ok'); }\n`,
      'app/routes/_app.projects.$projectId.tsx': `export const loader = async ({ params }) => params.projectId;\nexport default function Project() { return null; }\n`,
      'app/routes/files.$.ts': `export function loader() { return null; }\n`,
      'app/routes/_index.tsx': `export default function Home() { return null; }\n`,
      'app/routes/api.stream/route.ts': `export const loader = () => new Response(new ReadableStream());\n`,
    }, ['DELETE /api/chat', 'GET /api/stream', 'GET /files/[...rest]', 'GET /projects/[projectId]', 'PATCH /api/chat', 'POST /api/chat', 'PUT /api/chat']],
    ['a router never mounted keeps its own paths', {
      'src/routes.ts': `import { Router } from 'express';\nexport const router = Router();\nrouter.get('/x', (q, s) => s.end());\n`,
    }, ['GET /x']],
    ['routers that mount each other terminate', {
      'src/a.ts': `import { Router } from 'express';\nimport b from './b';\nconst a = Router();\na.use('/b', b);\na.get('/a', (q, s) => s.end());\nexport default a;\n`,
      'src/b.ts': `import { Router } from 'express';\nimport a from './a';\nconst b = Router();\nb.use('/a', a);\nb.get('/b', (q, s) => s.end());\nexport default b;\n`,
    }, ['GET /a/b/b  [prefix /a from b.use @src/b.ts; prefix /b from a.use @src/a.ts]', 'GET /b/a/a  [prefix /b from a.use @src/a.ts; prefix /a from b.use @src/b.ts]']],
    ['a prefix that is not static mounts nothing', {
      'src/routes.ts': `import { Router } from 'express';\nconst r = Router();\nr.get('/x', (q, s) => s.end());\nexport default r;\n`,
      'src/app.ts': `import express from 'express';\nimport r from './routes';\nconst app = express();\napp.use(process.env.BASE, r);\n`,
    }, ['GET /x']],
    ['Fastify plugin registered with a prefix from another file', {
      'src/routes/chat.ts': `import type { FastifyInstance } from 'fastify';\nexport default async function chatRoutes(fastify: FastifyInstance) {\n  fastify.post('/complete', async () => ({}));\n}\n`,
      'src/server.ts': `import Fastify from 'fastify';\nimport chatRoutes from './routes/chat';\nconst app = Fastify();\napp.register(chatRoutes, { prefix: '/api/chat' });\napp.listen({ port: 3000 });\n`,
    }, ['POST /api/chat/complete  [prefix /api/chat from app.register @src/server.ts]']],
    ['a fastify-plugin wrapped plugin ignores the prefix option, as Fastify does', {
      'src/routes/chat.ts': `import fp from 'fastify-plugin';\nexport default fp(async (fastify) => {\n  fastify.post('/complete', async () => ({}));\n});\n`,
      'src/server.ts': `import Fastify from 'fastify';\nimport chatRoutes from './routes/chat';\nconst app = Fastify();\napp.register(chatRoutes, { prefix: '/api/chat' });\n`,
    }, ['POST /complete']],
    ['Fastify plugin in the same file', {
      'src/server.ts': `import Fastify from 'fastify';\nconst app = Fastify();\nasync function v1(f) { f.get('/items', async () => []); }\napp.register(v1, { prefix: '/v1' });\n`,
    }, ['GET /v1/items  [prefix /v1 from app.register @src/server.ts]']],
    ['Hono route() and basePath()', {
      'src/books.ts': `import { Hono } from 'hono';\nconst books = new Hono();\nbooks.get('/:id', (c) => c.text('x'));\nexport default books;\n`,
      'src/index.ts': `import { Hono } from 'hono';\nimport books from './books';\nconst app = new Hono().basePath('/api');\napp.route('/books', books);\nexport default app;\n`,
    }, ['GET /api/books/:id  [prefix /api from basePath() @src/index.ts; prefix /books from app.route @src/index.ts]']],
    ['Hono routes chained on new Hono() (the RPC style), under basePath() earlier in the chain', {
      'src/index.ts': `import { Hono } from 'hono';\nconst app = new Hono()\n  .basePath('/api')\n  .get('/health', (c) => c.text('ok'))\n  .post('/chat', (c) => c.json({}));\nexport type AppType = typeof app;\nexport default app;\n`,
    }, ['GET /api/health  [prefix /api from basePath() @src/index.ts]', 'POST /api/chat  [prefix /api from basePath() @src/index.ts]']],
    ['Hono routes chained on an app variable, and a chained sub-app mounted with route()', {
      'src/books.ts': `import { Hono } from 'hono';\nexport const books = new Hono()\n  .get('/', (c) => c.json([]))\n  .get('/:id', (c) => c.json({}));\n`,
      'src/index.ts': `import { Hono } from 'hono';\nimport { books } from './books';\nconst app = new Hono();\nconst routes = app.basePath('/v1').route('/books', books).get('/ping', (c) => c.text('pong'));\nexport type AppType = typeof routes;\nexport default app;\n`,
    }, ['GET /v1/books  [prefix /v1/books from app.route @src/index.ts]', 'GET /v1/books/:id  [prefix /v1/books from app.route @src/index.ts]', 'GET /v1/ping  [prefix /v1 from basePath() earlier in the chain @src/index.ts]']],
    ['Koa router prefix option and nested routes()', {
      'src/server.ts': `import Koa from 'koa';\nimport Router from '@koa/router';\nconst app = new Koa();\nconst api = new Router({ prefix: '/api' });\nconst chat = new Router();\nchat.post('/complete', (ctx) => {});\napi.use('/chat', chat.routes());\napp.use(api.routes());\n`,
    }, ['POST /api/chat/complete  [prefix /api from the router\'s prefix option @src/server.ts; prefix /chat from api.use @src/server.ts]']],
    ['NestJS global prefix applies to controllers in other files', {
      'src/main.ts': nestMain(`  app.setGlobalPrefix('api');`),
      'src/chat.controller.ts': nestController,
    }, ['GET /api/chat/health  [prefix /api from app.setGlobalPrefix @src/main.ts]', 'POST /api/chat/complete  [prefix /api from app.setGlobalPrefix @src/main.ts]']],
    ['NestJS paths written with leading slashes join with one slash, as Nest normalises them', {
      'src/main.ts': nestMain(''),
      'src/copilot.controller.ts': `import { Controller, Post } from '@nestjs/common';\n@Controller('/copilot')\nexport class CopilotController {\n  @Post('/chat') chat() {}\n}\n`,
    }, ['POST /copilot/chat']],
    ['NestJS global prefix with exclude', {
      'src/main.ts': nestMain(`  app.setGlobalPrefix('api', { exclude: [{ path: 'chat/health', method: RequestMethod.GET }] });`),
      'src/chat.controller.ts': nestController,
    }, ['GET /chat/health', 'POST /api/chat/complete  [prefix /api from app.setGlobalPrefix @src/main.ts]']],
    ['NestJS URI versioning with a default version and a method version', {
      'src/main.ts': nestMain(`  app.setGlobalPrefix('api');\n  app.enableVersioning({ type: VersioningType.URI, defaultVersion: '1' });`),
      'src/chat.controller.ts': `import { Controller, Get, Post, Version } from '@nestjs/common';\n@Controller('chat')\nexport class ChatController {\n  @Version('2')\n  @Post('complete') complete() {}\n  @Get('health') health() {}\n}\n`,
    }, ['GET /api/v1/chat/health  [version v1 from enableVersioning defaultVersion @src/main.ts; prefix /api from app.setGlobalPrefix @src/main.ts]', 'POST /api/v2/chat/complete  [version v2 from @Version @src/chat.controller.ts; prefix /api from app.setGlobalPrefix @src/main.ts]']],
    ['NestJS controller version without URI versioning leaves paths alone', {
      'src/main.ts': nestMain(`  app.enableVersioning({ type: VersioningType.HEADER, header: 'X-Version' });`),
      'src/chat.controller.ts': `import { Controller, Get } from '@nestjs/common';\n@Controller({ path: 'chat', version: '1' })\nexport class ChatController {\n  @Get('health') health() {}\n}\n`,
    }, ['GET /chat/health']],
    ['NestJS RouterModule paths with children, under the global prefix', {
      'src/main.ts': nestMain(`  app.setGlobalPrefix('api');`),
      'src/app.module.ts': `import { Module } from '@nestjs/common';\nimport { RouterModule, Routes } from '@nestjs/core';\nimport { AdminModule } from './admin/admin.module';\nimport { ChatModule } from './chat/chat.module';\nconst routes: Routes = [{ path: 'admin', module: AdminModule, children: [{ path: 'chat', module: ChatModule }] }];\n@Module({ imports: [AdminModule, ChatModule, RouterModule.register(routes)] })\nexport class AppModule {}\n`,
      'src/admin/admin.module.ts': `import { Module } from '@nestjs/common';\n@Module({ controllers: [] })\nexport class AdminModule {}\n`,
      'src/chat/chat.module.ts': `import { Module } from '@nestjs/common';\nimport { ChatController } from './chat.controller';\n@Module({ controllers: [ChatController] })\nexport class ChatModule {}\n`,
      'src/chat/chat.controller.ts': nestController,
    }, ['GET /api/admin/chat/chat/health  [prefix /admin/chat from RouterModule.register @src/app.module.ts; prefix /api from app.setGlobalPrefix @src/main.ts]', 'POST /api/admin/chat/chat/complete  [prefix /admin/chat from RouterModule.register @src/app.module.ts; prefix /api from app.setGlobalPrefix @src/main.ts]']],
    ['NestJS RouterModule with a module declared in the same file as its controller', {
      'src/app.module.ts': `import { Controller, Get, Module } from '@nestjs/common';\nimport { RouterModule } from '@nestjs/core';\n@Controller('items')\nexport class ItemsController {\n  @Get() list() {}\n}\n@Module({ controllers: [ItemsController] })\nexport class ItemsModule {}\n@Module({ imports: [RouterModule.register([{ path: 'v2', module: ItemsModule }])] })\nexport class AppModule {}\n`,
    }, ['GET /v2/items  [prefix /v2 from RouterModule.register @src/app.module.ts]']],
    ['NestJS prefix that cannot be read applies nothing', {
      'src/main.ts': nestMain(`  app.setGlobalPrefix(process.env.PREFIX);`),
      'src/chat.controller.ts': nestController,
    }, ['GET /chat/health', 'POST /chat/complete']],
    ['two NestJS apps with different prefixes in one package: ambiguous, nothing applied', {
      'src/main.ts': nestMain(`  app.setGlobalPrefix('api');`),
      'src/worker.ts': nestMain(`  app.setGlobalPrefix('internal');`),
      'src/chat.controller.ts': nestController,
    }, ['GET /chat/health', 'POST /chat/complete']],
    ['a path built from a constant exported by another module (a template of an imported version)', {
      'src/constants.ts': `import { VERSION } from './version';\nexport const API = \`/api/\${VERSION}\`;\n`,
      'src/version.ts': `export const VERSION = 'v2';\n`,
      'src/routes.ts': `import { Router } from 'express';\nimport { API } from './constants';\nconst router = Router();\nrouter.post(\`\${API}/chat\`, (q, s) => s.end());\nrouter.get(API, (q, s) => s.end());\nexport default router;\n`,
    }, ['GET /api/v2  [path /api/v2 from imported API (./constants) @src/routes.ts]', 'POST /api/v2/chat  [path /api/v2/chat from imported API (./constants) @src/routes.ts]']],
    ['a path helper another module exports, under a same-file mount prefix', {
      'src/paths.ts': `import { API } from './constants';\nexport const apiPath = (name: string) => \`\${API}/\${name}\`;\nexport function bad(name: string) { if (name) return '/x'; return '/y'; }\n`,
      'src/constants.ts': `export const API = '/api';\n`,
      'src/app.ts': `import express from 'express';\nimport { apiPath, bad } from './paths';\nconst app = express();\nconst v1 = express.Router();\nv1.post(apiPath('chat'), (q, s) => s.end());\nv1.get(bad('z'), (q, s) => s.end());\napp.use('/v1', v1);\n`,
    }, ['GET ?  [prefix /v1 from app.use @src/app.ts; the path is bad(\'z\') (a function computes it at run time), not a static string @src/app.ts]', 'POST /v1/api/chat  [prefix /v1 from app.use @src/app.ts; path /api/chat from apiPath() of src/paths.ts @src/app.ts]']],
    ['path.join and posix.join of imported constants', {
      'src/constants.ts': `export const BASE = '/api/';\nexport const CHAT = 'chat';\n`,
      'src/routes.ts': `import path, { posix } from 'node:path';\nimport express from 'express';\nimport { BASE, CHAT } from './constants';\nconst app = express();\napp.post(path.join(BASE, CHAT, 'complete'), (q, s) => s.end());\napp.get(posix.join(BASE, '/health'), (q, s) => s.end());\n`,
    }, ['GET /api/health  [path /api/health from imported BASE (./constants) @src/routes.ts]', 'POST /api/chat/complete  [path /api/chat/complete from imported BASE (./constants), CHAT (./constants) @src/routes.ts]']],
    ['a router mounted under an imported prefix constant, and an imported middleware that is not a path', {
      'src/config.ts': `export const API_PREFIX = '/api/v1';\n`,
      'src/auth.ts': `export function auth(req: any, res: any, next: any) { next(); }\n`,
      'src/routes/chat.ts': `import { Router } from 'express';\nconst router = Router();\nrouter.post('/complete', (q, s) => s.end());\nexport default router;\n`,
      'src/routes/admin.ts': `import { Router } from 'express';\nconst admin = Router();\nadmin.get('/stats', (q, s) => s.end());\nexport default admin;\n`,
      'src/server.ts': `import express from 'express';\nimport { API_PREFIX } from './config';\nimport { auth } from './auth';\nimport chat from './routes/chat';\nimport admin from './routes/admin';\nconst app = express();\napp.use(API_PREFIX, chat);\napp.use(\`\${API_PREFIX}/admin\`, admin);\napp.use(auth, admin);\n`,
    }, ['GET /api/v1/admin/stats  [prefix /api/v1/admin from app.use with imported API_PREFIX (./config) @src/server.ts]', 'GET /stats', 'POST /api/v1/complete  [prefix /api/v1 from app.use with imported API_PREFIX (./config) @src/server.ts]']],
    ['constants that import each other in a cycle stay unknown', {
      'src/a.ts': `import { B } from './b';\nexport const A = \`\${B}/a\`;\n`,
      'src/b.ts': `import { A } from './a';\nexport const B = \`\${A}/b\`;\n`,
      'src/routes.ts': `import express from 'express';\nimport { A } from './a';\nconst app = express();\napp.get(A, (q, s) => s.end());\n`,
    }, ['GET ?  [the path is A, not a static string @src/routes.ts]']],
  ];
  it.each(cases)('%s', (_name, files, expected) => {
    expect(routesOf(files)).toEqual(expected);
  });
});

describe('routes on a function parameter in files that import no framework, and paths not known statically', () => {
  /** Like routesOf, with the package's manifest dependencies (its runtime evidence). */
  function routesWithDeps(serverDeps: string[], files: Record<string, string>): string[] {
    const lookup = new Map<string, TsFileFacts>(Object.entries(files).map(([file, text]) => [file, extractTsFacts(parseTsText(file, text))]));
    const pkg: CodePackage = { dir: '', names: [], files: Object.keys(files), runtime: { manifest: 'package.json', serverDeps, frontEndDeps: [], fullStack: [], nodeTypes: false } };
    return effectiveRoutes(pkg, lookup).map(({ route }) => `${route.framework} ${route.method} ${route.path ?? '?'}  [${(route.evidence ?? []).map((e) => e.text).join('; ')}]`).sort();
  }
  const registerJs = `import { buildServerPath } from '../utils/basePath.js';\nexport default function registerChatRoutes(app, { basePath = '' }) {\n  app.get('/api/health', (req, res) => res.json({ ok: true }));\n  app.post(buildServerPath('/api/chat'), auth, async (req, res) => { res.write('x'); });\n  app.get('views');\n}\n`;

  it('reads them as the package\'s one server framework, saying so, and keeps an unknown path with its reason', () => {
    expect(routesWithDeps(['express'], { 'routes/chat.js': registerJs })).toEqual([
      'express GET /api/health  [registered on a function parameter; express is the only server framework package.json depends on]',
      "express POST ?  [registered on a function parameter; express is the only server framework package.json depends on; the path is buildServerPath('/api/chat') (a function computes it at run time), not a static string]",
    ]);
  });

  it('leaves them out when the package depends on no server framework, or on several', () => {
    expect(routesWithDeps([], { 'routes/chat.js': registerJs })).toEqual([]);
    expect(routesWithDeps(['express', 'fastify'], { 'routes/chat.js': registerJs })).toEqual([]);
  });

  it('keeps a route with an env-built path on a known app, path unknown with the variable named', () => {
    expect(routesOf({ 'src/app.ts': `import express from 'express';\nconst app = express();\napp.get(process.env.HEALTH_PATH, (q, s) => s.end());\napp.get('env');\n` }))
      .toEqual(['GET ?  [the path is process.env.HEALTH_PATH (environment variable HEALTH_PATH), not a static string @src/app.ts]']);
  });
});

describe('paths built by a same-file helper', () => {
  it('evaluates a helper whose body is one expression when its inputs are static', () => {
    expect(routesOf({ 'src/app.ts': `import express from 'express';\nconst BASE = '/v1';\nconst apiPath = (p: string) => (p.startsWith('/') ? \`\${BASE}\${p}\` : \`\${BASE}/\${p}\`);\nfunction withPrefix(path, prefix = '/internal') {\n  const clean = !path.startsWith('/') ? '/' + path : path;\n  return prefix + clean;\n}\nconst app = express();\napp.post(apiPath('/chat'), (q, s) => s.end());\napp.get(apiPath('health'), (q, s) => s.end());\napp.get(withPrefix('metrics'), (q, s) => s.end());\n` }))
      .toEqual(['GET /internal/metrics', 'GET /v1/health', 'POST /v1/chat']);
  });

  it('leaves the path unknown, with the reason, when the helper reads the environment', () => {
    expect(routesOf({ 'src/app.ts': `import express from 'express';\nconst apiPath = (p: string) => \`\${process.env.BASE_PATH ?? ''}\${p}\`;\nconst app = express();\napp.post(apiPath('/chat'), (q, s) => s.end());\n` }))
      .toEqual(["POST ?  [the path is apiPath('/chat') (a function computes it at run time), not a static string @src/app.ts]"]);
  });
});

describe('Remix flat route names', () => {
  it.each([
    ['api.chat', '/api/chat'], ['_index', '/'], ['_app.projects.$projectId', '/projects/[projectId]'], ['files.$', '/files/[...rest]'],
    ['($lang).about', '/[[lang]]/about'], ['sitemap[.]xml', '/sitemap.xml'], ['projects_.$id.edit', '/projects/[id]/edit'], ['weird{name}', undefined],
  ])('%s → %s', (name, expected) => {
    expect(remixPath(name)).toBe(expected);
  });
});

describe('deadline middlewares of a router mounted twice', () => {
  it('gives each mount the middlewares in front of it, and keeps the registration\'s own', () => {
    const text = `import express from 'express';\nimport timeout from 'connect-timeout';\nconst app = express();\nconst r = express.Router();\nr.get('/x', timeout('2s'), (q, s) => s.end());\napp.use('/api', timeout('10s'));\napp.use('/api', r);\napp.use('/old', r);\n`;
    const lookup = new Map<string, TsFileFacts>([['src/app.ts', extractTsFacts(parseTsText('src/app.ts', text))]]);
    const routes = effectiveRoutes({ dir: '', names: [], files: ['src/app.ts'] }, lookup).map(({ route }) => `${route.path} ${(route.deadlines ?? []).map((d) => String((d.value as { value?: unknown }).value)).join(',')}`).sort();
    expect(routes).toEqual(['/api/x 10000,2000', '/old/x 2000']);
  });
});
