// Code in call chains: calls as chain entries (clients first, service code last), the package a deployable or a loopback port runs, its server, the handlers a request reaches and the calls they make.
import { builtImageMatch, type CodePackage, type TsWorkspace } from './packages.js';
import type { TsFileFacts, TsFunction, TsImportRef, TsOutboundCall, TsRoute, TsServer, TsStreamEvidence } from './types.js';
import { webSocketServerAnswers } from './websockets.js';
import { resolveExportTarget, resolveImportedFunction } from './resolve.js';
import { nextSourceMatches } from './streaming.js';
import { callRuntimeOf, SCRIPT_CODE_FOLDER, testCodeEvidence } from './runtime.js';
import { callUrlOf } from './call-urls.js';
import { effectiveRoutes, type EffectiveRoute } from './route-prefixes.js';
import { resolveTsNumber, type TsLookup } from './chain-values.js';
import { handlerDeadline, middlewareDeadlines } from './handler-deadlines.js';
import { codeServerHop, LLM_LIBRARIES, frameworkServerHop, outboundCallHop, routeHandlerHop, webSocketServerHop, type VercelMaxDuration } from './hops.js';
import { dbUsesOfRoute } from './db/links.js';
import { databaseHop } from './db/hop.js';
import { isLoopback, looksInternal } from '../../chain/addresses.js';
import { envContextOf, NO_ENV, type EnvBinding, type EnvContext } from '../../chain/environment.js';
import { matchAppRoute } from '../../chain/path-match.js';
import { imageNamespaces } from '../../chain/image-name.js';
import type { HandlerStreamEvidence, Hop, HopEvidence } from '../../chain/chain-types.js';
import { MAX_DEPTH, withEvidence, type ChainLinker, type ChainTarget, type CodeRequest, type RequestPath, type RequestTarget, type SoleServer, type Step, type Walker } from '../../chain/walk.js';
import type { FileId, Span } from '../../types.js';
import type { WorkspaceModel } from '../../workspace-model.js';
import { entriesForFile, type FunctionSettingsFile } from '../../function-settings.js';

/** Full-stack frameworks by the dependency that names them, and by the routes they read (file-routes.ts). */
const PAGE_FRAMEWORKS: ReadonlyArray<[string, string]> = [['next', 'Next.js'], ['nuxt', 'Nuxt'], ['@sveltejs/kit', 'SvelteKit'], ['@remix-run/node', 'Remix'], ['@remix-run/react', 'Remix'], ['@react-router/node', 'React Router'], ['@react-router/dev', 'React Router'], ['astro', 'Astro']];
const PAGE_ROUTE_FRAMEWORKS: ReadonlyMap<string, string> = new Map([['next-app', 'Next.js'], ['next-pages', 'Next.js'], ['sveltekit', 'SvelteKit'], ['nitro', 'Nuxt'], ['astro', 'Astro'], ['remix', 'Remix']]);

/** The full-stack framework that serves a package's pages, by its dependencies, else by the file routes it has. */
function pageFrameworkOf(pkg: CodePackage, facts: (file: FileId) => TsFileFacts | undefined): string | undefined {
  const byDependency = PAGE_FRAMEWORKS.find(([dep]) => pkg.runtime?.fullStack.includes(dep));
  if (byDependency) return byDependency[1];
  for (const file of pkg.files) for (const route of facts(file)?.routes ?? []) if (PAGE_ROUTE_FRAMEWORKS.has(route.framework)) return PAGE_ROUTE_FRAMEWORKS.get(route.framework);
  return undefined;
}

/** Route frameworks whose server is the framework's own (no `listen` in the workspace's code). */
const FRAMEWORK_SERVED: ReadonlySet<string> = new Set(['next-app', 'next-pages', 'sveltekit', 'nitro', 'astro', 'remix']);
/** Modules of full-stack frameworks whose request handler a custom server calls. */
const FULL_STACK_MODULE = /^(next|nuxt|nitropack|@sveltejs\/kit|@remix-run\/[\w-]+|@react-router\/[\w-]+|astro)(\/|$)/;
/** Mock servers by name: `mocks/`, `fixtures/`, `mock-llm.mjs`, `server.mock.ts`. */
const MOCK_FILE = /(^|\/)(mocks?|fixtures)\/|(^|\/)mock[-_.][^/]*$|[-_.]mocks?\.[cm]?[jt]sx?$/i;

export function tsLinker(model: TsWorkspace, walker: Walker, workspace?: WorkspaceModel): ChainLinker {
  const linker = new TsLinker(model, walker, workspace?.vercel?.configs ?? []);
  return {
    targets: { local: (request) => linker.localTargets(request) },
    listeningOn: (port) => linker.listeningOn(port),
    soleServer: () => linker.soleServer(),
    entries: {
      clients: () => linker.startClients(),
      services: () => linker.startServices(),
    },
    followCode: (step, code, request, method) => linker.followCode(step, code, request, method),
  };
}

class TsLinker {
  private readonly lookup: TsLookup;
  private readonly packages: readonly CodePackage[];
  /** Calls already walked as part of a chain: not started again as a chain of their own. */
  private readonly visitedCalls = new Set<string>();
  private readonly deployedPackages = new Set<string>();
  /** Packages a manifest (workload, Knative Service, compose service) runs. */
  private readonly manifestPackages = new Set<string>();
  /** Route handlers some chain reached. */
  private readonly reachedRoutes = new Set<string>();
  /** Each package's routes with prefixes from other files applied, computed once. */
  private readonly packageRoutes = new Map<string, EffectiveRoute[]>();
  /** Every chain into a package asks for its servers and (by name) for the package: made once per linking. */
  private readonly packageServers = new Map<CodePackage, Array<{ file: FileId; server: TsServer }>>();
  /** pageFrameworkOf() per package (null: none), made once per linking. */
  private readonly packagePageFrameworks = new Map<CodePackage, string | null>();
  private packagesByName: Map<string, number[]> | undefined;
  private listeners: Map<number, Listener[]> | undefined;
  private packageEnvironments: Map<CodePackage, PackageEnvironment[]> | undefined;
  /** soleServer(), made once per linking (null: not exactly one package serves HTTP). */
  private sole: SoleServer | null | undefined;

  constructor(model: TsWorkspace, private readonly walker: Walker, private readonly vercelConfigs: readonly FunctionSettingsFile[] = []) {
    this.lookup = model.files;
    this.packages = model.packages;
  }

  /**
   * The `maxDuration` a vercel.json `functions` entry gives a route file: only when exactly one entry
   * with a maxDuration matches it (several, from one file or from vercel.json files at different
   * levels, leave it unknown: which one Vercel reads depends on the project's root directory).
   */
  private vercelMaxDuration(file: FileId): VercelMaxDuration | undefined {
    if (this.vercelConfigs.length === 0) return undefined;
    const matches = entriesForFile(this.vercelConfigs, file).filter((m) => m.entry.maxDuration !== undefined);
    if (matches.length !== 1) return undefined;
    const { config, entry } = matches[0]!;
    return { seconds: entry.maxDuration!.seconds, span: entry.maxDuration!.span, pattern: entry.pattern, configFile: config.file };
  }

  /** Code that no manifest runs (front ends, scripts), then serverless handlers. */
  startClients(): void {
    this.markDeployedPackages();
    for (const pkg of this.packages) {
      if (this.deployedPackages.has(pkg.dir)) continue;
      for (const file of pkg.files) this.startCalls(file, pkg, true);
    }
    this.startServerlessHandlers();
    this.startVercelFunctionApps();
  }

  /** Service code nobody reached. */
  startServices(): void {
    for (const pkg of this.packages) {
      if (!this.deployedPackages.has(pkg.dir)) continue;
      for (const file of pkg.files) this.startCalls(file, pkg, false);
    }
  }

  /** A loopback address: the code runs on the gateway's (or caller's) own host, with no manifest in between. */
  localTargets(request: RequestTarget): ChainTarget[] {
    if (!isLoopback(request.host) || request.port === undefined) return [];
    return this.listeningOn(request.port);
  }

  /** The one package with routes or a server, when exactly one has them (see Walker.soleServer). */
  soleServer(): SoleServer | undefined {
    if (this.sole === undefined) {
      const serving = this.packages.filter((pkg) => this.servesHttp(pkg));
      const pkg = serving.length === 1 ? serving[0]! : undefined;
      this.sole = pkg
        ? {
        target: { key: `code:${pkg.dir}`, follow: (step, req, method) => this.walker.followCode(step, { names: [], env: NO_ENV, folder: pkg.dir }, req, method) },
        evidence: `${pkg.dir || 'the workspace root'}${pkg.manifest ? ` (${pkg.manifest})` : ''} is the only code package in the workspace that serves HTTP`,
        ports: this.knownPorts(pkg),
        ...this.unsetPortEnv(pkg),
      }
        : null;
    }
    return this.sole ?? undefined;
  }

  private servesHttp(pkg: CodePackage): boolean {
    return pkg.files.some((f) => (this.lookup.get(f)?.routes.length ?? 0) > 0 || (this.lookup.get(f)?.servers.length ?? 0) > 0);
  }

  /**
   * The environment variable every server of a package takes its port from (`process.env.PORT ||
   * 3000`), when no manifest of the workspace runs the package: where it is set is not in the workspace.
   */
  private unsetPortEnv(pkg: CodePackage): { portFromUnsetEnv?: NonNullable<SoleServer['portFromUnsetEnv']> } {
    if (this.manifestPackages.has(pkg.dir)) return {};
    const servers = this.serversOf(pkg);
    let found: NonNullable<SoleServer['portFromUnsetEnv']> | undefined;
    for (const { file, server } of servers) {
      if (!server.port) return {};
      const resolved = resolveTsNumber(server.port, file, this.lookup, NO_ENV);
      const name = resolved?.env?.name;
      if (!name || (found && found.name !== name)) return {};
      found = { name, ...(resolved.value !== undefined ? { fallback: resolved.value } : {}), span: server.port.span };
    }
    return found ? { portFromUnsetEnv: found } : {};
  }

  /** The ports a package's servers listen on, as its code says them (a literal or an environment variable's default). */
  private knownPorts(pkg: CodePackage): number[] {
    const ports = new Set<number>();
    for (const { file, server } of this.serversOf(pkg)) {
      if (!server.port) continue;
      const value = resolveTsNumber(server.port, file, this.lookup, NO_ENV)?.value;
      if (value !== undefined) ports.add(value);
    }
    return [...ports];
  }

  /** Code whose server listens on `port`, wherever it runs (a load balancer's target group names a port, not a host). */
  listeningOn(port: number): ChainTarget[] {
    // A port read from a container's environment: the code runs with that environment, and the link says so.
    return this.packagesListeningOn(port).map(({ pkg, env, evidence }) => ({
      key: `code:${pkg.dir}`,
      follow: (step, req, method) => this.walker.withLinkEvidence(evidence, () => this.walker.followCode(step, { names: [], env: env ?? NO_ENV, folder: pkg.dir }, req, method)),
    }));
  }

  private startCalls(file: FileId, pkg: CodePackage, clientsOnly: boolean): void {
    const facts = this.lookup.get(file);
    if (!facts) return;
    // Code one deployable runs (a compose service that builds the package) reads that deployable's
    // environment: `baseURL: process.env.LLM_BASE_URL` is the URL its `environment:` gives.
    const env = this.soleEnvironment(pkg);
    facts.calls.forEach((call) => {
      if (this.visitedCalls.has(callKey(file, call))) return;
      const url = callUrlOf(call, file, this.lookup, env);
      const targets = url?.host ? this.walker.resolve({ host: url.host, port: url.port, path: url.path }) : [];
      // Service code calling the outside world is started from its handler instead; only linked calls start a chain here.
      if (clientsOnly && targets.length === 0) return;
      if (!clientsOnly && targets.length === 0 && facts.routes.length > 0) return;
      const hop = withEvidence(outboundCallHop(file, facts, call, this.lookup, env, callLabel(call, url?.text)), call.evidence ?? []);
      placeCall(hop, this.packages, file, facts, call);
      hop.kind = 'client-call';
      this.visitedCalls.add(callKey(file, call));
      const step: Step = { hops: [hop], seen: new Set([callKey(file, call)]) };
      if (targets.length === 0) this.walker.finish(step);
      else for (const target of targets) target.follow(step, { path: url?.path, ...(call.model !== undefined ? { model: call.model } : {}) }, hop.method, 'default');
    });
  }

  /** The environment of the one deployable that runs `pkg` (its image's own `ENV` aside), else none. */
  private soleEnvironment(pkg: CodePackage): EnvContext {
    this.packageEnvironments ??= this.environmentsByPackage();
    const environments = (this.packageEnvironments.get(pkg) ?? []).filter((e) => !e.imageOnly);
    return environments.length === 1 ? environments[0]!.env : NO_ENV;
  }

  /**
   * Route handlers of frameworks that route by file, in packages no manifest runs: on Vercel a
   * Next.js handler is a function behind the platform's router, the entry of its own chain (its
   * `maxDuration` is the outermost limit), and a SvelteKit, Nuxt, Astro or Remix handler is where a
   * request enters the code on whatever platform runs it, even when no client or gateway in the
   * workspace reaches it (the calls it makes are started from it, not on their own).
   */
  private startServerlessHandlers(): void {
    for (const pkg of this.packages) {
      if (this.manifestPackages.has(pkg.dir)) continue;
      for (const file of pkg.files) {
        const facts = this.lookup.get(file);
        if (!facts) continue;
        for (const route of facts.routes) {
          if (!FRAMEWORK_SERVED.has(route.framework)) continue;
          const key = `route:${file}:${route.span.start}`;
          if (this.reachedRoutes.has(key)) continue;
          this.reachedRoutes.add(key);
          this.followHandler({ hops: [this.handlerHop(file, facts, route, pkg, undefined, NO_ENV)], seen: new Set([key]) }, file, facts, route, NO_ENV, undefined, pkg);
        }
      }
    }
  }

  /**
   * An app a Vercel function file exports (`api/index.ts` importing the app from src/app.ts and `export
   * default app`, Vercel's documented way to run Express) of a package no manifest runs: its routes
   * run inside that function, so the function's vercel.json `maxDuration` bounds each of them, and
   * each route is the entry of its own chain, as a Next.js handler is.
   */
  private startVercelFunctionApps(): void {
    if (this.vercelConfigs.length === 0) return;
    for (const pkg of this.packages) {
      if (this.manifestPackages.has(pkg.dir)) continue;
      for (const file of pkg.files) {
        if (!this.isVercelFunctionFile(file)) continue;
        const facts = this.lookup.get(file);
        const exported = facts?.exports.find((e) => e.name === 'default');
        if (!facts || !exported) continue;
        const app = exported.value?.kind === 'import' ? resolveExportTarget(this.lookup, file, { module: exported.value.module, name: exported.value.name }) : { file, name: 'default' };
        const appPkg = app ? this.packages.find((p) => p.files.includes(app.file)) : undefined;
        if (!app || !appPkg) continue;
        const limit = this.vercelMaxDuration(file);
        const evidence: HopEvidence = { text: `runs in Vercel function ${file}, whose default export is the app of ${app.file}`, span: exported.span };
        let all = this.packageRoutes.get(appPkg.dir);
        if (!all) this.packageRoutes.set(appPkg.dir, (all = effectiveRoutes(appPkg, this.lookup)));
        for (const { file: routeFile, route } of all) {
          if (route.framework === 'next-app' || route.framework === 'next-pages') continue;
          // The app's own routes, and routers mounted on it from other files (their evidence names the mount in the app's file).
          const onApp = routeFile === app.file ? route.routerExports?.includes(app.name) === true : route.evidence?.some((e) => e.span.file === app.file) === true;
          if (!onApp) continue;
          const key = `route:${routeFile}:${route.span.start}`;
          if (this.reachedRoutes.has(key)) continue;
          this.reachedRoutes.add(key);
          const routeFacts = this.lookup.get(routeFile)!;
          const hop = this.handlerHop(routeFile, routeFacts, route, appPkg, this.streamEvidenceOfHandler(routeFile, routeFacts, route, appPkg), NO_ENV, limit ? { ...limit, functionFile: file } : undefined);
          this.followHandler({ hops: [withEvidence(hop, [evidence, ...(route.evidence ?? [])])], seen: new Set([key]) }, routeFile, routeFacts, route, NO_ENV, undefined, appPkg);
        }
      }
    }
  }

  /** A file Vercel runs as a function: under `api/` of the folder of a vercel.json (the project root). */
  private isVercelFunctionFile(file: FileId): boolean {
    return this.vercelConfigs.some((config) => (config.dir === '' ? file : file.slice(config.dir.length + 1)).startsWith('api/') && (config.dir === '' || file.startsWith(`${config.dir}/`)));
  }

  /** Finds the code a workload runs, then its server and the handlers the request reaches. */
  followCode(step: Step, code: CodeRequest, request: RequestPath, method: string | undefined): void {
    const { names, env, namespace, folder, imageEvidence, entryName, image } = code;
    const hop = step.hops.at(-1)!;
    let pkg = this.packageFor(names.filter(Boolean), folder);
    // The package was found by the image name read from a placeholder default, and by nothing else: say so on the link.
    const linkEvidence: HopEvidence[] = imageEvidence && pkg && pkg.names.includes(imageEvidence.name.toLowerCase()) && !(folder !== undefined && pkg.dir === folder) ? [{ text: imageEvidence.text, span: imageEvidence.span! }] : [];
    let enclosing: string | undefined;
    let ambiguous: string | undefined;
    if (!pkg) {
      // An image the workspace builds (CI, Makefile, scripts) names the package it is built from; two candidates are not guessed between.
      const built = builtImageMatch(this.packages, names);
      if (built.packages.length === 1 && built.entry) {
        pkg = built.packages[0]!;
        // The build file is not a linted source (no line index for a span): the evidence text names its line.
        linkEvidence.push({ text: built.entry.evidence });
      } else if (built.packages.length > 1) ambiguous = `${built.packages.map((p) => p.dir || 'the workspace root').join(' and ')} could each be image ${built.name} (${built.how}): ambiguous`;
    }
    if (!pkg) {
      // A name of a manifest without code of its own (the repository root) stands for the one code package under it.
      const wanted = names.filter(Boolean).map((n) => n.toLowerCase());
      const under = this.packages.filter((p) => p.enclosingNames?.some((e) => wanted.includes(e.name)));
      if (under.length === 1) {
        pkg = under[0]!;
        const manifest = pkg.enclosingNames!.find((e) => wanted.includes(e.name))!;
        if (imageEvidence && imageEvidence.name.toLowerCase() === manifest.name) linkEvidence.push({ text: imageEvidence.text, span: imageEvidence.span! });
        linkEvidence.push({ text: `${manifest.name} is the name in ${manifest.manifest}, whose only code package is ${pkg.dir || 'the workspace root'}` });
      } else if (under.length > 1) enclosing = under.map((p) => p.dir || 'the workspace root').join(' and ');
    }
    if (!pkg && !enclosing && !ambiguous && image) {
      // Last resort: the image's namespace names the project (`quay.io/acme-ui/ui` for package acme-ui),
      // when exactly one package that serves HTTP has that name.
      const byNamespace = this.packageByImageNamespace(image.text);
      if (byNamespace) {
        pkg = byNamespace.pkg;
        linkEvidence.push({ text: `image ${image.text}: its namespace ${byNamespace.namespace} is the name in ${byNamespace.pkg.manifest ?? 'package.json'}, the only package of that name, and it serves HTTP`, span: image.span });
      }
    }
    if (!pkg) {
      const candidates = enclosing ? ` (${enclosing} are both under a package.json of that name: ambiguous)` : ambiguous ? ` (${ambiguous})` : '';
      if (this.packages.length > 0) {
        const link = this.walker.note(hop, `no code package matches ${[...new Set(names.filter(Boolean))].join(', ')} (by config \`chains.services\`, package.json name or folder name)${candidates}`);
        const name = entryName || names.find(Boolean);
        // The entry that would link it, for the finding's message (unresolved-chain-link).
        if (name) link.servicesEntry = { name, candidates: this.packages.filter((p) => this.deployedPackages.has(p.dir)).map((p) => p.dir || '.').sort() };
        this.walker.finish(step, link);
      } else this.walker.finish(step);
      return;
    }
    // A package that serves nothing, whose image runs a package it copies in (a front end's Dockerfile
    // whose final stage is the API beside it): the code behind the link is that one.
    const runs = this.servesHttp(pkg) ? undefined : this.packageItsImageRuns(pkg);
    if (runs) {
      linkEvidence.push({ text: runs.evidence });
      pkg = runs.pkg;
    }
    const servers = this.serversOf(pkg);
    const framework = servers.length > 0 ? undefined : code.command && pkg.frameworkServerFor ? pkg.frameworkServerFor(code.command) : pkg.frameworkServer;
    let current = step;
    if (servers.length > 0) {
      const { file, server } = servers[0]!;
      const key = `server:${file}:${server.span.start}`;
      if (!this.walker.enter(step, key)) return;
      current = this.walker.extend(step, withEvidence(codeServerHop(file, this.lookup.get(file)!, server, pkg, this.lookup, env), linkEvidence), key);
      linkEvidence.length = 0;
    } else if (framework) {
      // No server in the package's code: the framework runs its own, as the start command says (the container's own, when it replaces the image's).
      const key = `framework-server:${framework.span.file}:${framework.span.start}`;
      if (!this.walker.enter(step, key)) return;
      current = this.walker.extend(step, withEvidence(frameworkServerHop(pkg, framework, env), linkEvidence), key);
      linkEvidence.length = 0;
    }
    const routes = this.routesFor(pkg, request, method);
    if (routes.length === 0) {
      // An upgrade no route takes may be a websocket server's (socket.io, ws): the chain ends there, complete.
      const socket = pkg.files.flatMap((file) => (this.lookup.get(file)?.webSocketServers ?? []).filter((s) => webSocketServerAnswers(s, request)).map((server) => ({ file, server })))[0];
      if (socket) return void this.walker.finish(this.walker.extend(current, webSocketServerHop(socket.file, this.lookup.get(socket.file)!, socket.server, pkg), `ws:${socket.file}:${socket.server.span.start}`));
      const answered = this.answeredWithoutRoute(pkg, servers, request);
      if (answered) {
        // A copy of the last hop with the evidence: hops may be shared with other chains of the walk.
        const last = current.hops.at(-1)!;
        return void this.walker.finish({ ...current, hops: [...current.hops.slice(0, -1), { ...last, evidence: [...(last.evidence ?? []), answered] }] });
      }
      this.walker.stop(current, current.hops.at(-1)!, `no route handler in ${pkg.dir || 'the workspace root'} matches ${method ?? ''} ${request.path ?? '(any path)'}${request.prefix ? '*' : ''}`.replace(/\s+/g, ' '));
      return;
    }
    for (const { file, route } of routes) {
      const key = `route:${file}:${route.span.start}`;
      if (!this.walker.enter(current, key)) continue;
      this.reachedRoutes.add(key);
      const facts = this.lookup.get(file)!;
      const handler = withEvidence(this.handlerHop(file, facts, route, pkg, this.streamEvidenceOfHandler(file, facts, route, pkg), env), [...linkEvidence, ...(route.evidence ?? [])]);
      this.followHandler(this.walker.extend(current, handler, key), file, facts, route, env, namespace, pkg);
    }
  }

  /**
   * Requests a package answers with no route of its own, so the chain ends there complete rather
   * than unresolved: Next.js serves its build output (`/_next/static/…`, `/_next/image`) itself, and
   * a node:http server given a request listener function, in a package with no routes at all, answers
   * every path with it (an app passed to createServer has a route table, which decides instead).
   */
  /** The hop of a route handler, with its platform limit (vercel.json) and its code's own deadline. */
  private handlerHop(file: FileId, facts: TsFileFacts, route: TsRoute, pkg: CodePackage, stream: HandlerStreamEvidence | undefined, env: EnvContext, vercel: VercelMaxDuration | undefined = this.vercelMaxDuration(file)): Hop {
    const deadline = handlerDeadline(this.lookup, file, facts, route, env);
    const middleware = middlewareDeadlines(this.lookup, file, route, env);
    const hop = routeHandlerHop(file, facts, route, pkg, stream, env === NO_ENV ? undefined : env, vercel, deadline, middleware);
    // Calls on interface-typed injected members that were followed to the class behind them (injections.ts).
    const injected: HopEvidence[] = [];
    for (const ref of [...route.importedCalls, ...route.handlerIds.flatMap((id) => facts.functions[id]?.importedCalls ?? [])]) {
      if (ref.via && !injected.some((e) => e.text === ref.via!.text)) injected.push({ text: ref.via.text, span: ref.via.span });
    }
    const evidence = [...injected, ...(deadline?.evidence ?? []), ...middleware.flatMap((m) => m.evidence)];
    return evidence.length > 0 ? withEvidence(hop, evidence) : hop;
  }

  private pageFramework(pkg: CodePackage): string | undefined {
    let framework = this.packagePageFrameworks.get(pkg);
    if (framework === undefined) this.packagePageFrameworks.set(pkg, (framework = pageFrameworkOf(pkg, (f) => this.lookup.get(f)) ?? null));
    return framework ?? undefined;
  }

  private answeredWithoutRoute(pkg: CodePackage, servers: ReadonlyArray<{ file: FileId; server: TsServer }>, request: RequestPath): { text: string; span: Span } | undefined {
    const path = request.path ?? '';
    const next = pkg.runtime?.fullStack.includes('next') || pkg.files.some((f) => this.lookup.get(f)?.routes.some((r) => r.framework === 'next-app' || r.framework === 'next-pages'));
    if (next && (path === '/_next' || path.startsWith('/_next/'))) {
      return { text: `the path ${path}${request.prefix ? '*' : ''}, which Next.js serves itself from its build output (no route handler)`, span: servers[0]?.server.span ?? { file: pkg.manifest ?? pkg.dir, start: 0, end: 0 } };
    }
    // A catch-all location (`location /`) in front of a full-stack framework reaches its pages, which
    // it renders itself. A narrower path no route handler takes stays unresolved: the pages are not
    // read, so whether one answers it is not known.
    const framework = path === '' || path === '/' ? this.pageFramework(pkg) : undefined;
    if (framework) {
      return { text: `the path ${path || '/'}${request.prefix ? '*' : ''}, which ${framework} answers with its pages (no route handler)`, span: { file: pkg.manifest ?? pkg.dir, start: 0, end: 0 } };
    }
    const listener = servers.find(({ server }) => server.functionListener === true);
    if (listener && servers.length === 1 && !pkg.files.some((f) => (this.lookup.get(f)?.routes.length ?? 0) > 0)) {
      return { text: `any path: the request listener of ${listener.server.variable ? `\`${listener.server.variable}\`` : 'the node:http server'} answers them all (the package has no route table)`, span: listener.server.span };
    }
    return undefined;
  }

  private followHandler(step: Step, file: FileId, facts: TsFileFacts, route: TsRoute, env: EnvContext, namespace: string | undefined, pkg: CodePackage): void {
    const calls = this.callsOfHandler(file, facts, route);
    // The database clients the handler's queries reach end chains of their own: client > gateway > service > database.
    const uses = dbUsesOfRoute(this.lookup, file, facts, route, pkg.files);
    for (const use of uses) {
      const key = `db:${use.clientFile}:${use.client.span.start}`;
      if (this.walker.enter(step, key)) this.walker.finish(this.walker.extend(step, databaseHop(use, env, this.walker.databaseSettings()), key));
    }
    if (calls.length === 0) {
      if (uses.length === 0) this.walker.finish(step);
      return;
    }
    for (const { file: callFile, facts: callFacts, call } of calls) {
      const key = callKey(callFile, call);
      this.visitedCalls.add(key);
      if (!this.walker.enter(step, key)) continue;
      const url = callUrlOf(call, callFile, this.lookup, env);
      const hop = withEvidence(outboundCallHop(callFile, callFacts, call, this.lookup, env, callLabel(call, url?.text)), call.evidence ?? []);
      placeCall(hop, this.packages, callFile, callFacts, call);
      const next = this.walker.extend(step, hop, key);
      const targets = url?.host ? this.walker.resolve({ host: url.host, port: url.port, path: url.path, namespace }) : [];
      if (targets.length === 0) {
        if (url?.host && looksInternal(url.host) && (this.walker.holdsServices() || this.walker.holdsGateways())) this.walker.stop(next, hop, `host ${url.host} matches no gateway, Service or compose service in the workspace`);
        else this.walker.finish(next);
        continue;
      }
      for (const target of targets) target.follow(next, { path: url?.path, ...(call.model !== undefined ? { model: call.model } : {}) }, hop.method, namespace ?? 'default');
    }
  }

  /**
   * What the handler's code says about streaming: the evidence of its functions and of the functions
   * they call (same file and imported, as for calls), the framework's own (`@Sse`), and the streamed
   * LLM calls it makes.
   */
  private streamEvidenceOfHandler(file: FileId, facts: TsFileFacts, route: TsRoute, pkg: CodePackage): HandlerStreamEvidence {
    const out: HandlerStreamEvidence = { streams: [], noBuffering: [], unknown: [], llmStreams: [], sse: [], heartbeats: [] };
    const add = (evidence: TsStreamEvidence) => {
      if (evidence.kind === 'heartbeat') return void out.heartbeats.push({ text: evidence.text, span: evidence.span, ...(evidence.intervalMs !== undefined ? { intervalMs: evidence.intervalMs } : {}) });
      const list = evidence.kind === 'stream' ? out.streams : evidence.kind === 'no-buffering' ? out.noBuffering : out.unknown;
      list.push({ text: evidence.text, span: evidence.span });
      if (evidence.sse) out.sse.push({ text: evidence.text, span: evidence.span });
    };
    for (const evidence of route.streamEvidence ?? []) add(evidence);
    // Next.js applies next.config headers() to every response whose path matches the rule's source.
    if ((route.framework === 'next-app' || route.framework === 'next-pages') && route.path !== undefined) {
      for (const configFile of pkg.files) {
        for (const rule of this.lookup.get(configFile)?.nextHeaders ?? []) {
          if (nextSourceMatches(rule.source, route.path)) for (const evidence of rule.evidence) add(evidence);
        }
      }
    }
    const seen = new Set<string>();
    const visitFn = (f: FileId, ff: TsFileFacts, fn: TsFunction, depth: number) => {
      if (depth > MAX_DEPTH || seen.has(`${f}:${fn.id}`)) return;
      seen.add(`${f}:${fn.id}`);
      for (const evidence of fn.streamEvidence ?? []) add(evidence);
      for (const id of fn.calleeIds) {
        const callee = ff.functions[id];
        if (callee) visitFn(f, ff, callee, depth + 1);
      }
      for (const ref of fn.importedCalls) {
        const found = resolveImportedFunction(this.lookup, f, ref);
        if (found) visitFn(found.file, found.facts, found.fn, depth + 1);
      }
    };
    for (const id of route.handlerIds) {
      const fn = facts.functions[id];
      if (fn) visitFn(file, facts, fn, 0);
    }
    // Only the buffering header counts from a middleware: it runs for every route, so it says nothing about which ones stream.
    if (route.framework === 'express' || route.framework === 'koa') {
      for (const middleware of facts.useMiddlewares ?? []) {
        if (middleware.span.start > route.span.start) continue;
        for (const evidence of facts.functions[middleware.functionId]?.streamEvidence ?? []) if (evidence.kind === 'no-buffering') add(evidence);
      }
    }
    // A handler imported from another file (`app.get('/sse', progressFeed)`).
    for (const ref of route.importedCalls) {
      const found = resolveImportedFunction(this.lookup, file, ref);
      if (found) visitFn(found.file, found.facts, found.fn, 1);
    }
    for (const { call } of this.callsOfHandler(file, facts, route)) {
      if (!LLM_LIBRARIES.has(call.library) && !call.llmApi) continue;
      const what = call.llmApi ? `${call.library} to ${call.llmApi.words}` : `${call.library} ${call.method ?? 'call'}`;
      // `stream: options.stream`: whether the answer streams is unknown, and said so, never guessed either way.
      if (call.streaming === undefined) out.unknown.push({ text: `${what}: its stream flag is not static`, span: call.span });
      if (call.streaming !== true) continue;
      const evidence = { text: `${what} (streamed)`, span: call.span };
      out.streams.push(evidence);
      out.llmStreams.push(evidence);
    }
    return out;
  }

  /** Outbound calls a handler makes: its own, those of same-file functions it calls, and those of imported workspace functions. */
  private callsOfHandler(file: FileId, facts: TsFileFacts, route: TsRoute): Array<{ file: FileId; facts: TsFileFacts; call: TsOutboundCall }> {
    const out: Array<{ file: FileId; facts: TsFileFacts; call: TsOutboundCall }> = [];
    const seenCalls = new Set<string>();
    const seenFns = new Set<string>();
    const addCall = (f: FileId, ff: TsFileFacts, index: number) => {
      const call = ff.calls[index];
      if (!call || seenCalls.has(`${f}:${index}`)) return;
      seenCalls.add(`${f}:${index}`);
      out.push({ file: f, facts: ff, call });
    };
    const visitImported = (from: FileId, ref: TsImportRef, depth: number) => {
      const found = resolveImportedFunction(this.lookup, from, ref);
      if (found) visitFn(found.file, found.facts, found.fn, depth + 1);
    };
    const visitFn = (f: FileId, ff: TsFileFacts, fn: TsFunction, depth: number) => {
      if (depth > MAX_DEPTH || seenFns.has(`${f}:${fn.id}`)) return;
      seenFns.add(`${f}:${fn.id}`);
      for (const index of fn.callIndices) addCall(f, ff, index);
      for (const id of fn.calleeIds) {
        const callee = ff.functions[id];
        if (callee) visitFn(f, ff, callee, depth + 1);
      }
      for (const ref of fn.importedCalls) visitImported(f, ref, depth);
    };
    for (const index of route.callIndices) addCall(file, facts, index);
    for (const ref of route.importedCalls) visitImported(file, ref, 0);
    return out;
  }

  /** Packages a manifest runs, and packages that serve routes (a service even when no manifest runs it). */
  private markDeployedPackages(): void {
    for (const deployable of this.walker.deployables()) {
      const pkg = this.packageFor(deployable.names, deployable.folder);
      if (pkg) this.manifestPackages.add((this.servesHttp(pkg) ? undefined : this.packageItsImageRuns(pkg))?.pkg.dir ?? pkg.dir);
    }
    for (const dir of this.manifestPackages) this.deployedPackages.add(dir);
    // A package that serves routes is a service even when no manifest runs it.
    for (const pkg of this.packages) {
      if (pkg.files.some((f) => (this.lookup.get(f)?.routes.length ?? 0) > 0 || (this.lookup.get(f)?.servers.length ?? 0) > 0)) this.deployedPackages.add(pkg.dir);
    }
  }

  /** The one package that serves HTTP among the folders `pkg`'s Dockerfile copies into its final image, with the evidence. */
  private packageItsImageRuns(pkg: CodePackage): { pkg: CodePackage; evidence: string } | undefined {
    const found = new Map<CodePackage, string>();
    for (const copy of pkg.imageFolders ?? []) {
      const inner = this.packages.find((p) => p.dir === copy.folder);
      if (inner && inner !== pkg && this.servesHttp(inner) && !found.has(inner)) found.set(inner, `the image of ${pkg.dir || 'the workspace root'} runs ${inner.dir}: its Dockerfile's final image copies it in (${copy.evidence})`);
    }
    for (const entry of pkg.imageEntries ?? []) {
      const inner = this.packages.find((p) => p.dir === entry.dir);
      if (inner && inner !== pkg && this.servesHttp(inner) && !found.has(inner)) found.set(inner, `${entry.evidence}, which is in package ${inner.dir}`);
    }
    if (found.size !== 1) return undefined;
    const [inner, evidence] = [...found][0]!;
    return { pkg: inner, evidence };
  }

  private packageByImageNamespace(image: string): { pkg: CodePackage; namespace: string } | undefined {
    for (const namespace of imageNamespaces(image).reverse()) {
      const wanted = namespace.toLowerCase();
      const named = this.packages.filter((p) => p.name !== undefined && p.names.includes(wanted));
      if (named.length !== 1) continue;
      const pkg = named[0]!;
      return this.servesHttp(pkg) ? { pkg, namespace } : undefined;
    }
    return undefined;
  }

  private packageFor(names: string[], folder?: string): CodePackage | undefined {
    const packages = this.packages;
    for (const name of names) {
      // Own keys only: a workload named "toString" must not find Object.prototype.toString.
      const mapped = Object.hasOwn(this.walker.settings.chains.services, name) ? this.walker.settings.chains.services[name] : undefined;
      if (mapped !== undefined) {
        const dir = mapped.replace(/^\.\/?/, '').replace(/\/$/, '');
        const pkg = packages.find((p) => p.dir === dir) ?? packages.find((p) => p.dir.startsWith(`${dir}/`) || (dir === '' && p.dir === ''));
        if (pkg) return pkg;
      }
    }
    if (folder !== undefined) {
      const pkg = packages.find((p) => p.dir === folder) ?? packages.find((p) => p.dir.startsWith(`${folder}/`));
      if (pkg) return pkg;
    }
    // The first package (in package order) with a package.json name that has one of the names, else the first that has one.
    const index = this.packageNameIndex();
    let named = Infinity;
    let any = Infinity;
    for (const name of names) {
      const holders = index.get(name.toLowerCase());
      if (!holders) continue;
      any = Math.min(any, holders[0]!);
      const withName = holders.find((i) => packages[i]!.name !== undefined);
      if (withName !== undefined) named = Math.min(named, withName);
    }
    return named !== Infinity ? packages[named] : any !== Infinity ? packages[any] : undefined;
  }

  /** Package indexes by each of their names, in package order. */
  private packageNameIndex(): Map<string, number[]> {
    if (this.packagesByName) return this.packagesByName;
    const index = new Map<string, number[]>();
    this.packages.forEach((pkg, i) => {
      for (const name of new Set(pkg.names)) {
        const holders = index.get(name);
        if (holders) holders.push(i);
        else index.set(name, [i]);
      }
    });
    return (this.packagesByName = index);
  }

  /**
   * The servers a package runs, leaving out tooling beside the app: servers in test code and mocks,
   * and, in a package whose routes the framework serves (Next.js, SvelteKit), servers under
   * `scripts/` (a mock or dev server is not what the image runs) and request-listener servers (a
   * metrics port), which answer none of those routes.
   */
  private serversOf(pkg: CodePackage): Array<{ file: FileId; server: TsServer }> {
    let servers = this.packageServers.get(pkg);
    if (!servers) {
      const frameworkServed = pkg.files.some((f) => this.lookup.get(f)?.routes.some((r) => FRAMEWORK_SERVED.has(r.framework)));
      const tooling = (file: FileId) => testCodeEvidence(file) !== undefined || MOCK_FILE.test(file) || (frameworkServed && SCRIPT_CODE_FOLDER.test(file));
      // A request-listener server beside framework-served routes (a metrics or health port) answers none of
      // them; a custom server that hands requests to the framework (`createServer((req, res) => handle(req, res))`
      // in a file that imports `next`) is the app's server and stays.
      const sideServer = (file: FileId, server: TsServer) => frameworkServed && server.functionListener === true && !this.lookup.get(file)?.imports.some((i) => FULL_STACK_MODULE.test(i.module));
      servers = pkg.files.filter((file) => !tooling(file)).flatMap((file) => (this.lookup.get(file)?.servers ?? []).filter((server) => !sideServer(file, server)).map((server) => ({ file, server })));
      this.packageServers.set(pkg, servers);
    }
    return servers;
  }

  private routesFor(pkg: CodePackage, request: RequestPath, method: string | undefined): Array<{ file: FileId; route: TsRoute }> {
    let all = this.packageRoutes.get(pkg.dir);
    if (!all) this.packageRoutes.set(pkg.dir, (all = effectiveRoutes(pkg, this.lookup)));
    const byMethod = all.filter(({ route }) => !method || route.method === 'ALL' || route.method === method || (method === 'HEAD' && route.method === 'GET'));
    if (request.path === undefined) return byMethod;
    if (request.prefix) {
      const prefix = request.path.replace(/\/+$/, '');
      const except = request.except ?? [];
      return byMethod.filter(({ route }) => {
        const taken = (path: string) => except.some((t) => (t.endsWith('\u0000') ? path === t.slice(0, -1) : path.startsWith(t.endsWith('/') ? t : `${t}/`) || (!t.endsWith('/') && path === t)));
        if (route.path !== undefined && taken(route.path)) return false;
        return route.path === undefined || prefix === '' || route.path === prefix || route.path.startsWith(`${prefix}/`) || matchAppRoute(route.framework, route.path, prefix).matched;
      });
    }
    let best: Array<{ file: FileId; route: TsRoute }> = [];
    let bestScore = -Infinity;
    for (const candidate of byMethod) {
      if (candidate.route.path === undefined) continue;
      const match = matchAppRoute(candidate.route.framework, candidate.route.path, request.path);
      if (!match.matched) continue;
      if (match.score > bestScore) {
        best = [candidate];
        bestScore = match.score;
      } else if (match.score === bestScore) best.push(candidate);
    }
    return best;
  }

  /**
   * Packages whose server listens on `port`: a literal (`app.listen(3000)`), the code's default for an
   * environment variable (`Number(process.env.PORT ?? 3000)`), or the value a compose service that
   * builds the package (`build:` context) supplies in its `environment:` (`PORT: "8080"`); indexed once.
   */
  private packagesListeningOn(port: number): Listener[] {
    if (!this.listeners) {
      const index = new Map<number, Listener[]>();
      const add = (at: number, listener: Listener) => {
        const list = index.get(at) ?? [];
        // One link per package and port: the first reading (the code's own, then a compose service's, then the image's) is kept.
        if (!list.some((l) => l.pkg === listener.pkg)) list.push(listener);
        index.set(at, list);
      };
      const environments = this.environmentsByPackage();
      const ts = this.lookup;
      for (const pkg of this.packages) {
        for (const file of pkg.files) {
          for (const server of ts.get(file)?.servers ?? []) {
            if (!server.port) continue;
            const value = resolveTsNumber(server.port, file, ts, NO_ENV);
            if (value?.value !== undefined) add(value.value, { pkg });
            for (const { env, owner } of environments.get(pkg) ?? []) {
              const supplied = resolveTsNumber(server.port, file, ts, env);
              // Only a port the container's environment sets is new evidence; a default is already indexed above.
              if (supplied?.value === undefined || supplied.env === undefined || supplied.env.fallback) continue;
              const declared = supplied.env.declaredAt;
              add(supplied.value, {
                pkg,
                env,
                evidence: [{ text: `port ${supplied.value} from ${declared?.file.endsWith('Dockerfile') ? `ENV ${supplied.env.name} in ${declared.file}` : `${supplied.env.name} in the environment of ${owner}`}, read by the server in ${file}`, ...(declared ? { span: declared } : {}) }],
              });
            }
          }
        }
      }
      this.listeners = index;
    }
    return this.listeners.get(port) ?? [];
  }

  /**
   * The environments a package's server may start with: each deployable that builds it (its build
   * context is the package folder; only a build context names its code), over its Dockerfile's `ENV`;
   * and the Dockerfile's `ENV` alone (the image run anywhere else).
   */
  private environmentsByPackage(): Map<CodePackage, PackageEnvironment[]> {
    const packages = this.packages;
    const out = new Map<CodePackage, PackageEnvironment[]>();
    // A value the image computes from an ARG or another variable is left out, as the code's own default would be used.
    const imageVars = (pkg: CodePackage) => new Map((pkg.imageEnv ?? []).filter((e) => !e.unknown).map((e): [string, EnvBinding] => [e.name, { text: e.value, declaredAt: e.span, valueSpan: e.span, unknown: false }]));
    for (const deployable of this.walker.deployables()) {
      const folder = deployable.folder;
      if (folder === undefined || !deployable.vars || deployable.vars.size === 0) continue;
      const under = packages.filter((p) => p.dir === folder || p.dir.startsWith(`${folder}/`) || folder === '');
      // Several packages under the context: which one the container runs is not known here.
      const pkg = packages.find((p) => p.dir === folder) ?? (under.length === 1 ? under[0] : undefined);
      if (!pkg) continue;
      const vars = imageVars(pkg);
      for (const [name, binding] of deployable.vars) vars.set(name, binding);
      out.set(pkg, [...(out.get(pkg) ?? []), { env: envContextOf(deployable.owner, vars), owner: deployable.owner }]);
    }
    for (const pkg of packages) {
      if (!pkg.imageEnv?.some((e) => !e.unknown)) continue;
      const owner = `the image of ${pkg.dir === '' ? 'Dockerfile' : `${pkg.dir}/Dockerfile`}`;
      out.set(pkg, [...(out.get(pkg) ?? []), { env: envContextOf(owner, imageVars(pkg)), owner, imageOnly: true }]);
    }
    return out;
  }
}

/** A package whose server listens on a port, and when the port came from a container's environment, that environment and the evidence. */
interface Listener {
  pkg: CodePackage;
  env?: EnvContext;
  evidence?: HopEvidence[];
}

interface PackageEnvironment {
  env: EnvContext;
  /** Who gives the environment, for the evidence: `compose service api`. */
  owner: string;
  /** True for the Dockerfile's own `ENV` alone (the image run anywhere), not a deployable's environment. */
  imageOnly?: true;
}

function callKey(file: FileId, call: TsOutboundCall): string {
  return `call:${file}:${call.span.start}`;
}

/**
 * Says where a call's code runs. A browser's fetch is not undici: the Node defaults read for `fetch`
 * (headersTimeout, bodyTimeout, …) do not bound it, so a browser hop keeps only what the code sets.
 */
function placeCall(hop: Hop, packages: readonly CodePackage[], file: FileId, facts: TsFileFacts, call: TsOutboundCall): void {
  hop.runtime = callRuntimeOf(packages, file, facts, call);
  if (hop.runtime.runtime === 'browser' && call.library === 'fetch') hop.timeouts = hop.timeouts.filter((t) => t.source !== 'default');
}

function callLabel(call: TsOutboundCall, url: string | undefined): string {
  const what = call.method && !/^[A-Z]+$/.test(call.method) ? `${call.library} ${call.method}` : `${call.library}${call.method ? ` ${call.method}` : ''}`;
  return url ? `${what} ${url}` : `${what} call`;
}

