// Route handlers that a framework finds by file path: Next.js app and pages routes, SvelteKit endpoints, Nuxt/Nitro server routes, Astro endpoints, Remix and React Router flat routes.
import { unwrap, type AstNode } from './ast.js';
import type { FactsContext } from './context.js';
import type { TsRouteFramework } from './types.js';

const HTTP_METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']);
const SOURCE = '[cm]?[jt]sx?';

/**
 * Files whose path alone makes them route modules, for the pre-scan (select.ts): it must parse
 * them even when they name nothing else the reader looks for.
 */
export const FILE_ROUTE_PATH = new RegExp(
  [
    `(?:^|/)app/(?:.*/)?route\\.${SOURCE}$`,
    `(?:^|/)pages/api/.*\\.${SOURCE}$`,
    `(?:^|/)next\\.config\\.${SOURCE}$`,
    `(?:^|/)src/routes/(?:.*/)?\\+server\\.${SOURCE}$`,
    `(?:^|/)server/(?:api|routes)/.*\\.[cm]?[jt]s$`,
    // Astro endpoints are .ts/.js; the .tsx pages of a Next.js src/pages folder are not parsed for their path.
    `(?:^|/)src/pages/.*\\.[cm]?[jt]s$`,
    `(?:^|/)app/routes/.*\\.${SOURCE}$`,
  ].join('|'),
);

/** Reads the route handlers a file declares by its path and exports, into `ctx.facts.routes`. */
export function readFileRoutes(ctx: FactsContext): void {
  readNextRoutes(ctx) || readSvelteKitRoutes(ctx) || readNitroRoutes(ctx) || readAstroRoutes(ctx) || readRemixRoutes(ctx);
}

function push(ctx: FactsContext, framework: TsRouteFramework, method: string, path: string, functionId: number, span: FactsContext['facts']['routes'][number]['span']): void {
  ctx.facts.routes.push({ framework, method, path, handlerIds: [functionId], callIndices: [], importedCalls: [], span });
}

/** Next.js: `app/…/route.ts` exporting `GET`, `POST`, …; `pages/api/…` with a default export (every method). */
function readNextRoutes(ctx: FactsContext): boolean {
  // `route.ts` itself, not `myroute.ts`: the name is the whole file name.
  const app = /(?:^|\/)app\/(?:(.*)\/)?route\.[cm]?[jt]sx?$/.exec(ctx.file);
  const pages = /(?:^|\/)pages\/(api\/.*?)(?:\/index)?\.[cm]?[jt]sx?$/.exec(ctx.file);
  if (!app && !pages) return false;
  // Route groups `(name)` and parallel slots `@name` are not part of the URL.
  const segments = (app ? app[1] ?? '' : pages![1]!).split('/').filter((s) => s && !/^\(.*\)$/.test(s) && !s.startsWith('@'));
  const path = '/' + segments.join('/');
  // Without such exports the file is another framework's (`src/pages/api/x.ts` of Astro, `app/routes/x/route.ts` of Remix).
  let found = false;
  for (const exported of ctx.facts.exports) {
    const wanted = app ? HTTP_METHODS.has(exported.name) : exported.name === 'default';
    if (!wanted || exported.functionId === undefined) continue;
    push(ctx, app ? 'next-app' : 'next-pages', app ? exported.name : 'ALL', path, exported.functionId, exported.span);
    found = true;
  }
  return found;
}

/**
 * SvelteKit endpoints: `src/routes/…/+server.ts` exporting `GET`, `POST`, … (or `fallback`, every
 * other method) as functions. The folder is the path: `(group)` folders are left out; `[id]`,
 * `[[lang]]` (optional) and `[...rest]` are parameters, read with the file-routing dialect.
 */
function readSvelteKitRoutes(ctx: FactsContext): boolean {
  const match = /(?:^|\/)src\/routes\/(?:(.*?)\/)?\+server\.[cm]?[jt]s$/.exec(ctx.file);
  if (!match) return false;
  const path = '/' + (match[1] ?? '').split('/').filter((s) => s && !/^\(.*\)$/.test(s)).join('/');
  for (const exported of ctx.facts.exports) {
    const method = exported.name === 'fallback' ? 'ALL' : HTTP_METHODS.has(exported.name) ? exported.name : undefined;
    if (method && exported.functionId !== undefined) push(ctx, 'sveltekit', method, path, exported.functionId, exported.span);
  }
  return true;
}

const EVENT_HANDLER_FACTORIES = new Set(['defineEventHandler', 'eventHandler', 'defineCachedEventHandler', 'cachedEventHandler', 'defineLazyEventHandler']);

/**
 * Nuxt and Nitro server routes: `server/api/chat.post.ts` is `POST /api/chat`, `server/routes/…`
 * has no `/api` prefix, `index` is its folder, a `.get`/`.post`/… suffix names the one method
 * (otherwise every method), `[id]` and `[...slug]` are parameters. Only a default export made with
 * `defineEventHandler` (or `eventHandler`, `defineCachedEventHandler`) counts: an Express project's
 * `server/api/` folder holds routers, not Nitro handlers.
 */
function readNitroRoutes(ctx: FactsContext): boolean {
  const match = /(?:^|\/)server\/(api|routes)\/(.*?)(?:\.(get|post|put|patch|delete|head|options))?\.[cm]?[jt]s$/.exec(ctx.file);
  if (!match) return false;
  const handler = defaultExportedHandler(ctx, EVENT_HANDLER_FACTORIES);
  if (!handler) return false;
  const segments = match[2]!.split('/').filter((s) => s !== '');
  if (segments.at(-1) === 'index') segments.pop();
  const path = (match[1] === 'api' ? '/api/' : '/') + segments.join('/');
  push(ctx, 'nitro', match[3] ? match[3].toUpperCase() : 'ALL', path.length > 1 ? path.replace(/\/$/, '') : path, handler.functionId, handler.span);
  return true;
}

/** The handler function of `export default defineEventHandler((event) => …)`, by the factories named. */
function defaultExportedHandler(ctx: FactsContext, factories: ReadonlySet<string>): { functionId: number; span: FactsContext['facts']['routes'][number]['span'] } | undefined {
  for (const statement of (ctx.tsFile.program?.body ?? []) as AstNode[]) {
    if (statement.type !== 'ExportDefaultDeclaration') continue;
    const call = unwrap(statement.declaration);
    if (call?.type !== 'CallExpression' || unwrap(call.callee)?.type !== 'Identifier' || !factories.has(unwrap(call.callee)!.name)) return undefined;
    // `defineEventHandler(fn)` or `defineEventHandler({ handler: fn, … })`.
    let fn = unwrap(call.arguments?.[0]);
    if (fn?.type === 'ObjectExpression') fn = unwrap((fn.properties as AstNode[]).find((p) => p.type === 'ObjectProperty' && p.key?.name === 'handler')?.value) ?? (fn.properties as AstNode[]).find((p) => p.type === 'ObjectMethod' && p.key?.name === 'handler');
    const functionId = fn ? ctx.walk.functionIdByNode.get(fn) : undefined;
    return functionId === undefined ? undefined : { functionId, span: ctx.span(statement) };
  }
  return undefined;
}

/**
 * Astro endpoints: a `.ts`/`.js` file under `src/pages/` exporting `GET`, `POST`, … (or `ALL`) as
 * functions; `index` is its folder, `[id]` and `[...path]` are parameters. Pages written as
 * `.astro` components are not code this reader parses.
 */
function readAstroRoutes(ctx: FactsContext): boolean {
  const match = /(?:^|\/)src\/pages\/(.*?)\.[cm]?[jt]s$/.exec(ctx.file);
  // Astro ignores files and folders whose name starts with `_` under src/pages.
  if (!match || match[1]!.split('/').some((segment) => segment.startsWith('_'))) return false;
  const handlers = ctx.facts.exports.filter((e) => (HTTP_METHODS.has(e.name) || e.name === 'ALL') && e.functionId !== undefined);
  if (handlers.length === 0) return false;
  const segments = match[1]!.split('/').filter((s) => s !== '');
  if (segments.at(-1) === 'index') segments.pop();
  // `rss.xml.ts` answers /rss.xml.
  const path = '/' + segments.join('/');
  for (const exported of handlers) push(ctx, 'astro', exported.name, path, exported.functionId!, exported.span);
  return true;
}

/**
 * Remix and React Router flat routes: `app/routes/api.chat.ts` is `/api/chat` (dots are slashes),
 * `_index` is its parent, a segment that starts with `_` adds nothing to the URL (a pathless
 * layout) and a trailing `_` is dropped, `$id` is a parameter, `$` alone the rest, `(lang)` an
 * optional segment, `[.]` a literal dot; a folder route keeps its module in `route.ts`. `loader`
 * answers GET (and HEAD), `action` the other methods. A React Router app whose `app/routes.ts`
 * lists routes some other way is not read.
 */
function readRemixRoutes(ctx: FactsContext): boolean {
  const match = /(?:^|\/)app\/routes\/([^/]+?)(?:\/route)?\.[cm]?[jt]sx?$/.exec(ctx.file);
  if (!match) return false;
  const loader = ctx.facts.exports.find((e) => e.name === 'loader' && e.functionId !== undefined);
  const action = ctx.facts.exports.find((e) => e.name === 'action' && e.functionId !== undefined);
  if (!loader && !action) return false;
  const path = remixPath(match[1]!);
  if (path === undefined) return false;
  if (loader) push(ctx, 'remix', 'GET', path, loader.functionId!, loader.span);
  if (action) for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) push(ctx, 'remix', method, path, action.functionId!, action.span);
  return true;
}

/** The URL pattern of a flat route file name, in the file-routing dialect (`$id` → `[id]`, `$` → `[...rest]`, `(x)` → `[[x]]`). */
export function remixPath(name: string): string | undefined {
  // `[.]` escapes a dot: keep it out of the split.
  const parts = name.replace(/\[\.\]/g, '\u0000').split('.');
  const segments: string[] = [];
  for (const raw of parts) {
    const part = raw.replace(/\u0000/g, '.').replace(/_$/, '');
    if (part === '' || part === '_index' || part.startsWith('_')) continue;
    if (part === '$') segments.push('[...rest]');
    else if (/^\(\$?[^()]+\)$/.test(part)) segments.push(`[[${part.slice(1, -1).replace(/^\$/, '')}]]`);
    else if (part.startsWith('$')) segments.push(`[${part.slice(1)}]`);
    else if (/^[\w.~-]+$/.test(part)) segments.push(part);
    else return undefined;
  }
  return '/' + segments.join('/');
}
