// The paths a package's routes answer on once app-wide routing is applied: routers mounted from other files, NestJS global prefix and URI versions.
import { resolveExportTarget } from './resolve.js';
import { joinPath } from './routes.js';
import { describeImports, pathValueOf, resolveRoutePath } from './route-paths.js';
import type { TsClassRef, TsFileFacts, TsMiddlewareDeadline, TsNestApp, TsRoute, TsRouteMount } from './types.js';
import type { FileId, Span } from '../../types.js';
import type { CodePackage } from './packages.js';
import type { TsLookup } from './chain-values.js';
import { globalInterceptorsOf, nestInterceptorDeadlines } from './nest-interceptors.js';

export interface EffectiveRoute {
  file: FileId;
  /** A copy of the file's route with the full path and the evidence for it (the original when nothing applies). */
  route: TsRoute;
}

type Evidence = { text: string; span: Span };
interface OuterPrefix {
  prefix: string;
  evidence: Evidence[];
  /** Deadline middlewares the mounting files run before the router (connect-timeout, hono/timeout), with the file each is written in. */
  deadlines?: TsMiddlewareDeadline[];
}

// Mount chains deeper than this are cut (a router mounted in a router … ten levels down is not a real layout).
const MAX_MOUNT_DEPTH = 10;

/** Every route of `pkg` with the prefixes other files give it. */
export function effectiveRoutes(pkg: CodePackage, lookup: TsLookup): EffectiveRoute[] {
  const facts = pkg.files.flatMap((file) => {
    const f = lookup.get(file);
    return f ? [{ file, facts: f }] : [];
  });
  const mounts = indexMounts(facts, lookup);
  const nest = nestAppOf(facts);
  const routerPaths = nestRouterPaths(facts, lookup);
  const out: EffectiveRoute[] = [];
  const paramFramework = paramRoutesFramework(pkg);
  let globals: ReturnType<typeof globalInterceptorsOf> | undefined;
  for (const { file, facts: f } of facts) {
    for (const read of [...f.routes, ...(paramFramework ? (f.paramRoutes ?? []).map((r) => withFramework(r, paramFramework)) : [])]) {
      // A path not known statically still reaches the handler from a prefix location; the chain says why the path is unknown.
      const finished = resolveRoutePath(read, file, lookup);
      const route = finished.pathUnknown ? { ...finished, evidence: [...(finished.evidence ?? []), { text: finished.pathUnknown, span: finished.span }] } : finished;
      if (route.framework === 'nest') {
        const deadlines = nestInterceptorDeadlines(lookup, file, route, (globals ??= globalInterceptorsOf(facts)));
        const intercepted = deadlines.length > 0 ? { ...route, deadlines: [...deadlines, ...(route.deadlines ?? [])] } : route;
        for (const modulePath of nestModulePathsOf(routerPaths, file, intercepted)) {
          for (const applied of applyNest(modulePath, nest)) out.push({ file, route: applied });
        }
        continue;
      }
      // A router mounted twice in its file answers under each mount (routes.ts): one route per path,
      // each with its own parents' exports (mounted elsewhere under their own prefixes) and deadlines.
      const variants = [route, ...(route.alsoAt ?? []).map((alt) => alternativeRoute(route, alt))];
      for (const variant of variants) {
        const outer = variant.routerExports ? outerPrefixes(mounts, file, variant.routerExports, new Set(), 0) : [];
        if (outer.length === 0 || variant.path === undefined) {
          out.push({ file, route: variant });
          continue;
        }
        for (const { prefix, evidence, deadlines } of outer) {
          const withDeadlines = deadlines && deadlines.length > 0 ? { deadlines: [...deadlines, ...(variant.deadlines ?? [])] } : {};
          out.push({ file, route: { ...variant, path: prefix === '' ? variant.path : joinPath(prefix, variant.path), evidence: [...evidence, ...(variant.evidence ?? [])], ...withDeadlines } });
        }
      }
    }
  }
  return out;
}

/** The route as a further same-file mount of its router gives it. */
function alternativeRoute(route: TsRoute, alt: NonNullable<TsRoute['alsoAt']>[number]): TsRoute {
  const { alsoAt: _others, routerExports: _exports, deadlines: _deadlines, ...rest } = route;
  return {
    ...rest,
    path: alt.path,
    evidence: [...alt.evidence, ...(route.evidence ?? []).filter((e) => !isMountEvidence(e.text))],
    ...(alt.routerExports.length > 0 ? { routerExports: alt.routerExports } : {}),
    ...(alt.deadlines ? { deadlines: alt.deadlines } : {}),
  };
}

/** Evidence of a same-file mount prefix (routes.ts `resolvePrefix`), which a further mount's variant replaces with its own. */
function isMountEvidence(text: string): boolean {
  return /^prefix \S+ from /.test(text) && !/a further mount of the same router$|earlier in the chain$/.test(text);
}

/** Frameworks whose `app.get(path, handler)` a parameter receiver is read as (routes.ts), by the dependency that names them. */
const PARAM_FRAMEWORKS: ReadonlyArray<[string, TsRoute['framework']]> = [['express', 'express'], ['koa', 'koa'], ['@koa/router', 'koa'], ['koa-router', 'koa'], ['fastify', 'fastify'], ['hono', 'hono']];

/**
 * The framework of routes registered on a function parameter in files that import none: the package's one server
 * framework, with its manifest as evidence; undefined when the package depends on none or on several.
 */
function paramRoutesFramework(pkg: CodePackage): { framework: TsRoute['framework']; evidence: string } | undefined {
  const deps = pkg.runtime?.serverDeps ?? [];
  const frameworks = new Set(PARAM_FRAMEWORKS.filter(([dep]) => deps.includes(dep)).map(([, framework]) => framework));
  const others = deps.filter((dep) => !PARAM_FRAMEWORKS.some(([name]) => name === dep) && dep !== '@hono/node-server');
  if (frameworks.size !== 1 || others.length > 0) return undefined;
  const framework = [...frameworks][0]!;
  return { framework, evidence: `${framework} is the only server framework ${pkg.runtime?.manifest ?? 'the package'} depends on` };
}

function withFramework(route: Omit<TsRoute, 'framework'>, by: { framework: TsRoute['framework']; evidence: string }): TsRoute {
  return { ...route, framework: by.framework, evidence: [...(route.evidence ?? []), { text: `registered on a function parameter; ${by.evidence}`, span: route.span }] };
}

interface IndexedMount {
  file: FileId;
  mount: TsRouteMount;
}

/** Mounts by the file and export they mount (`routes/users.ts#default`). */
function indexMounts(facts: ReadonlyArray<{ file: FileId; facts: TsFileFacts }>, lookup: TsLookup): Map<string, IndexedMount[]> {
  const index = new Map<string, IndexedMount[]>();
  for (const { file, facts: f } of facts) {
    for (const mount of f.mounts ?? []) {
      // `users.router` of a default-exported object is not a name this reader follows.
      if (mount.target.path && mount.target.path.length > 0) continue;
      const target = resolveExportTarget(lookup, file, mount.target);
      if (!target) continue;
      const key = `${target.file}#${target.name}`;
      index.set(key, [...(index.get(key) ?? []), { file, mount: withPrefixValue(mount, file, lookup) }]);
    }
  }
  return index;
}

/** A mount whose prefix is made of imported constants, with that prefix when it is a static path. */
function withPrefixValue(mount: TsRouteMount, file: FileId, lookup: TsLookup): TsRouteMount {
  const prefix = mount.prefixValue ? pathValueOf(mount.prefixValue, file, lookup) : undefined;
  return prefix === undefined ? mount : { ...mount, prefix, how: `${mount.how} with imported ${describeImports(mount.prefixValue!).join(', ')}` };
}

/** The prefixes under which a router exported as one of `names` from `file` is mounted, outermost first; empty when nothing mounts it. */
function outerPrefixes(index: ReadonlyMap<string, IndexedMount[]>, file: FileId, names: readonly string[], seen: Set<string>, depth: number): OuterPrefix[] {
  if (depth > MAX_MOUNT_DEPTH) return [];
  const out: OuterPrefix[] = [];
  for (const name of names) {
    const key = `${file}#${name}`;
    // A router mounted (through others) inside itself: the loop ends here.
    if (seen.has(key)) continue;
    for (const { file: mountFile, mount } of index.get(key) ?? []) {
      const inner = new Set(seen).add(key);
      const above = mount.receiverExports.length > 0 ? outerPrefixes(index, mountFile, mount.receiverExports, inner, depth + 1) : [];
      const bases: OuterPrefix[] = above.length > 0 ? above : [{ prefix: '', evidence: [] }];
      const own = (mount.deadlines ?? []).map((d) => ({ ...d, file: mountFile }));
      for (const base of bases) {
        const prefix = [base.prefix, mount.receiverPrefix, mount.prefix].reduce((a, b) => (b === '' ? a : a === '' ? joinPath('/', b) : joinPath(a, b)), '');
        const evidence = [...base.evidence, ...(mount.receiverEvidence ?? []), ...(mount.prefix === '' ? [] : [{ text: `prefix ${mount.prefix} from ${mount.how}`, span: mount.span }])];
        const deadlines = [...(base.deadlines ?? []), ...own];
        out.push({ prefix, evidence, ...(deadlines.length > 0 ? { deadlines } : {}) });
      }
    }
  }
  return out;
}

/** RouterModule paths by controller (`file#exportName`): the module that lists the controller, then the paths registered for that module. */
function nestRouterPaths(facts: ReadonlyArray<{ file: FileId; facts: TsFileFacts }>, lookup: TsLookup): Map<string, OuterPrefix> {
  const target = (from: FileId, ref: TsClassRef): string[] => {
    if ('localExports' in ref) return ref.localExports.map((name) => `${from}#${name}`);
    const found = resolveExportTarget(lookup, from, ref.ref);
    return found ? [`${found.file}#${found.name}`] : [];
  };
  const modulePaths = new Map<string, Array<{ path: string; span: Span }>>();
  for (const { file, facts: f } of facts) {
    for (const entry of f.nestModules?.routerPaths ?? []) for (const key of target(file, entry.module)) modulePaths.set(key, [...(modulePaths.get(key) ?? []), { path: entry.path, span: entry.span }]);
  }
  const byController = new Map<string, OuterPrefix>();
  for (const { file, facts: f } of facts) {
    for (const module of f.nestModules?.modules ?? []) {
      const paths = module.exports.flatMap((name) => modulePaths.get(`${file}#${name}`) ?? []);
      if (paths.length === 0) continue;
      // One path per module is what RouterModule gives; two registrations for one module are not guessed between.
      if (new Set(paths.map((p) => p.path)).size !== 1) continue;
      for (const controller of module.controllers) for (const key of target(file, controller)) byController.set(key, { prefix: paths[0]!.path, evidence: [{ text: `prefix ${paths[0]!.path} from RouterModule.register`, span: paths[0]!.span }] });
    }
  }
  return byController;
}

/** The route with its RouterModule path, when its controller's module has one. */
function nestModulePathsOf(routerPaths: ReadonlyMap<string, OuterPrefix>, file: FileId, route: TsRoute): TsRoute[] {
  const module = (route.nestController ?? []).map((name) => routerPaths.get(`${file}#${name}`)).find((e) => e !== undefined);
  if (!module || route.path === undefined) return [route];
  return [{ ...route, path: joinPath(module.prefix, route.path), evidence: [...(route.evidence ?? []), ...module.evidence] }];
}

/** The package's NestJS app settings: one bootstrap, or several that agree; undefined when they conflict or cannot be read. */
function nestAppOf(facts: ReadonlyArray<{ file: FileId; facts: TsFileFacts }>): TsNestApp | undefined {
  const apps = facts.flatMap(({ facts: f }) => (f.nestApp ? [f.nestApp] : []));
  if (apps.length === 0) return {};
  if (apps.some((app) => app.unknown)) return undefined;
  const describe = (app: TsNestApp) => JSON.stringify([app.globalPrefix?.prefix, app.globalPrefix?.exclude, app.uriVersioning?.prefix, app.uriVersioning?.defaultVersion]);
  return apps.every((app) => describe(app) === describe(apps[0]!)) ? apps[0] : undefined;
}

/**
 * A NestJS route as the app serves it: `/{globalPrefix}/{versionPrefix}{version}/{controller}/{method}`.
 * When the app's settings cannot be known, the route keeps the path its decorators give.
 */
function applyNest(route: TsRoute, app: TsNestApp | undefined): TsRoute[] {
  if (!app || route.path === undefined) return [route];
  const evidence: Evidence[] = [...(route.evidence ?? [])];
  let paths = [route.path];
  const versioning = app.uriVersioning;
  const versions = route.nestVersions?.versions ?? versioning?.defaultVersion;
  if (versioning && versions && versions !== 'neutral') {
    const from = route.nestVersions ? { text: '@Version', span: route.nestVersions.span } : { text: 'enableVersioning defaultVersion', span: versioning.span };
    paths = versions.map((v) => joinPath(`/${versioning.prefix}${v}`, route.path!));
    evidence.push({ text: `version ${versions.map((v) => versioning.prefix + v).join(', ')} from ${from.text}`, span: from.span });
  }
  const global = app.globalPrefix;
  if (global && global.prefix.replace(/^\/+|\/+$/g, '') !== '' && !nestExcluded(route, global.exclude)) {
    paths = paths.map((p) => joinPath(`/${global.prefix.replace(/^\/+/, '')}`, p));
    evidence.push({ text: `prefix /${global.prefix.replace(/^\/+|\/+$/g, '')} from app.setGlobalPrefix`, span: global.span });
  }
  if (evidence.length === (route.evidence ?? []).length) return [route];
  return paths.map((path) => ({ ...route, path, evidence }));
}

/** True when `exclude` names the route (its path without prefix; `*`, `(.*)` and `{*splat}` tails match the rest, `:param` one segment). */
function nestExcluded(route: TsRoute, exclude: ReadonlyArray<{ path: string; method?: string }>): boolean {
  const path = (route.path ?? '').replace(/^\/+|\/+$/g, '');
  return exclude.some((entry) => {
    if (entry.method && entry.method !== route.method && route.method !== 'ALL') return false;
    const pattern = entry.path.replace(/^\/+|\/+$/g, '');
    const source = pattern
      .split('/')
      .map((segment) => (/^(?:\*|\(\.\*\)|\{\*\w*\}|\*\w+)$/.test(segment) ? '\u0000' : segment.startsWith(':') ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
      .join('/')
      .replace(/\/?\u0000/, '(?:/.*)?');
    return new RegExp(`^${source}$`).test(path);
  });
}
