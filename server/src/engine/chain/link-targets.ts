// Where a request for host + path goes inside the workspace: an nginx server/location, an Ingress path, an HTTPRoute or VirtualService route, a Kubernetes Service (by its DNS forms) or a compose service.
import type { GatewayRouteFacts, GatewayRouteRuleFacts, IngressFacts, IngressPathFacts, IstioHttpRouteFacts, K8sModel, KnativeServiceFacts, ServiceFacts, VirtualServiceFacts } from '../inputs/k8s/model.js';
import type { NginxBlock, NginxModel } from '../inputs/nginx/model.js';
import type { ComposeService } from '../inputs/compose/file.js';
import type { FileId } from '../types.js';
import type { CodePackage } from '../inputs/ts/packages.js';
import { lookupLocation, serverNameRegexMatches } from '../inputs/nginx/routing.js';
import { defaultServerOf, servingLocation } from '../inputs/nginx/serving.js';
import type { HopEvidence } from './chain-types.js';
import { envContextOf, NO_ENV, resolveTsNumber, type EnvBinding, type EnvContext, type TsLookup } from '../inputs/ts/chain-values.js';
import { matchGatewayPath, matchIngressHost, matchIngressPath, matchIstioUri, normaliseHost } from './path-match.js';

export type LinkTarget =
  | { kind: 'nginx'; model: NginxModel; server?: NginxBlock; location: NginxBlock }
  | { kind: 'ingress'; ingress: IngressFacts; path: IngressPathFacts }
  | { kind: 'gateway-route'; route: GatewayRouteFacts; rule: GatewayRouteRuleFacts }
  | { kind: 'virtual-service'; virtualService: VirtualServiceFacts; route: IstioHttpRouteFacts }
  | { kind: 'knative'; service: KnativeServiceFacts }
  | { kind: 'k8s-service'; service: ServiceFacts; port?: number }
  | { kind: 'compose'; file: FileId; service: ComposeService }
  /** Code of the workspace reached on this machine (`127.0.0.1:3000`, `localhost:8080`): the package whose server listens on that port. */
  | { kind: 'code-package'; pkg: CodePackage; env?: EnvContext; evidence?: HopEvidence[] }
  /** Where the request goes cannot be told (an nginx regex that cannot be evaluated safely): the chain stops, never guesses. */
  | { kind: 'unknown'; reason: string };

export interface RequestTarget {
  host: string;
  port?: number | undefined;
  /** Undefined when the path is not known statically. */
  path?: string | undefined;
  /** The caller's namespace, for short Service names. */
  namespace?: string | undefined;
  /** Only Services and compose services (an nginx upstream address is never a public host name). */
  internalOnly?: boolean;
}

export interface TargetInputs {
  nginx: readonly NginxModel[];
  k8s: K8sModel;
  /** Code packages and their facts, for loopback addresses (a gateway in front of a Node app on the same host). */
  packages?: readonly CodePackage[];
  ts?: TsLookup;
}

/** Every place a request for `target` reaches first: gateways matched by host name win over Services reached by DNS name. */
export function resolveTargets(inputs: TargetInputs, target: RequestTarget): LinkTarget[] {
  const host = target.host.toLowerCase().replace(/\.$/, '');
  if (!target.internalOnly) {
    const gateways = [...nginxTargets(inputs.nginx, host, target.port, target.path), ...ingressTargets(inputs.k8s, host, target.path), ...gatewayRouteTargets(inputs.k8s, host, target.path), ...virtualServiceTargets(inputs.k8s, host, target.path, false)];
    if (gateways.length > 0) return gateways;
  }
  const service = serviceByDnsName(inputs.k8s, host, target.namespace);
  if (service) {
    // Inside a mesh a VirtualService for the Service's host routes the call first (facts §5).
    const mesh = virtualServiceTargets(inputs.k8s, host, target.path, true, service);
    if (mesh.length > 0) return mesh;
    return [{ kind: 'k8s-service', service, ...(target.port !== undefined ? { port: target.port } : {}) }];
  }
  const knative = k8sTargetIndex(inputs.k8s).knativeByName.get(host);
  if (knative) return [{ kind: 'knative', service: knative }];
  for (const { file, compose } of inputs.k8s.composeFiles) {
    const service = compose.services.find((s) => s.name.toLowerCase() === host);
    if (service) return [{ kind: 'compose', file, service }];
  }
  if (isLoopback(host) && target.port !== undefined) {
    return packagesListeningOn(inputs, target.port).map(({ pkg, env, evidence }) => ({ kind: 'code-package', pkg, ...(env ? { env } : {}), ...(evidence ? { evidence } : {}) }));
  }
  return [];
}

/** `localhost`, `127.0.0.1` (any 127.x), `::1`, `0.0.0.0`: this machine. */
export function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '');
  return bare === 'localhost' || bare === '::1' || bare === '0.0.0.0' || /^127(\.\d{1,3}){3}$/.test(bare);
}

/** A package whose server listens on a port, and when the port came from a container's environment, that environment and the evidence. */
export interface Listener {
  pkg: CodePackage;
  env?: EnvContext;
  evidence?: HopEvidence[];
}

const listeners = new WeakMap<readonly CodePackage[], Map<number, Listener[]>>();

/**
 * Packages whose server listens on `port`: a literal (`app.listen(3000)`), the code's default for an
 * environment variable (`Number(process.env.PORT ?? 3000)`), or the value a compose service that
 * builds the package (`build:` context) supplies in its `environment:` (`PORT: "8080"`); indexed once
 * per package list.
 */
function packagesListeningOn(inputs: TargetInputs, port: number): Listener[] {
  const packages = inputs.packages;
  const ts = inputs.ts;
  if (!packages || !ts) return [];
  let byPort = listeners.get(packages);
  if (!byPort) {
    const index = new Map<number, Listener[]>();
    const add = (at: number, listener: Listener) => {
      const list = index.get(at) ?? [];
      // One link per package and port: the first reading (the code's own, then a compose service's, then the image's) is kept.
      if (!list.some((l) => l.pkg === listener.pkg)) list.push(listener);
      index.set(at, list);
    };
    const environments = environmentsByPackage(inputs.k8s, packages);
    for (const pkg of packages) {
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
    listeners.set(packages, (byPort = index));
  }
  return byPort.get(port) ?? [];
}

interface PackageEnvironment {
  env: EnvContext;
  /** Who gives the environment, for the evidence: `compose service api`. */
  owner: string;
}

/**
 * The environments a package's server may start with: each compose service that builds it (`build:`
 * context is the package folder; only a build context names its code), over its Dockerfile's `ENV`;
 * and the Dockerfile's `ENV` alone (the image run anywhere else).
 */
function environmentsByPackage(k8s: K8sModel, packages: readonly CodePackage[]): Map<CodePackage, PackageEnvironment[]> {
  const out = new Map<CodePackage, PackageEnvironment[]>();
  const imageVars = (pkg: CodePackage) => new Map((pkg.imageEnv ?? []).map((e): [string, EnvBinding] => [e.name, { text: e.value, declaredAt: e.span, valueSpan: e.span, unknown: false }]));
  for (const { file, compose } of k8s.composeFiles) {
    for (const service of compose.services) {
      const context = service.build?.context?.text;
      if (context === undefined || service.environment.length === 0) continue;
      const folder = joinRelative(file, context);
      const under = packages.filter((p) => p.dir === folder || p.dir.startsWith(`${folder}/`) || folder === '');
      // Several packages under the context: which one the container runs is not known here.
      const pkg = packages.find((p) => p.dir === folder) ?? (under.length === 1 ? under[0] : undefined);
      if (!pkg) continue;
      const vars = imageVars(pkg);
      for (const e of service.environment) vars.set(e.name, { declaredAt: e.span, unknown: e.value?.unresolved ?? e.value === undefined, ...(e.value ? { text: e.value.text, valueSpan: e.value.span } : {}) });
      const owner = `compose service ${service.name}`;
      out.set(pkg, [...(out.get(pkg) ?? []), { env: envContextOf(owner, vars), owner }]);
    }
  }
  for (const pkg of packages) {
    if (!pkg.imageEnv) continue;
    const owner = `the image of ${pkg.dir === '' ? 'Dockerfile' : `${pkg.dir}/Dockerfile`}`;
    out.set(pkg, [...(out.get(pkg) ?? []), { env: envContextOf(owner, imageVars(pkg)), owner }]);
  }
  return out;
}

/** A path relative to a file's folder (`./api` from `deploy/docker-compose.yml` is `deploy/api`). */
export function joinRelative(file: FileId, relative: string): string {
  const parts = file.split('/').slice(0, -1);
  for (const part of relative.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return parts.join('/');
}

/** True when an nginx `server_name` entry names the host: exact, `*.example.com`, `.example.com`, `www.example.*` or `~regex`. */
export function serverNameMatches(name: string, host: string): boolean | { unknown: string } {
  const regex = serverNameRegexMatches(name, host);
  if (regex !== undefined) return regex;
  const n = name.toLowerCase();
  if (n === host) return true;
  if (n.startsWith('*.')) return host.endsWith(n.slice(1));
  if (n.startsWith('.')) return host === n.slice(1) || host.endsWith(n);
  if (n.endsWith('.*')) return host.startsWith(n.slice(0, -1));
  return false;
}

/** Per nginx model: the first server for each exact name, and the servers with wildcard or regex names in order. */
interface NginxServerIndex {
  exact: Map<string, number>;
  patterned: Array<{ at: number; names: string[] }>;
}

const nginxIndexes = new WeakMap<NginxModel, NginxServerIndex>();

function nginxServerIndex(model: NginxModel): NginxServerIndex {
  let index = nginxIndexes.get(model);
  if (index) return index;
  index = { exact: new Map(), patterned: [] };
  model.servers.forEach((server, at) => {
    const patterned: string[] = [];
    for (const name of server.serverNames) {
      const n = name.toLowerCase();
      // A regex keeps its case: `\D` is not `\d` (nginx decides caselessness from the pattern).
      if (/^[~*.]|\.\*$/.test(n)) patterned.push(name.startsWith('~') ? name : n);
      else if (!index!.exact.has(n)) index!.exact.set(n, at);
    }
    if (patterned.length > 0) index!.patterned.push({ at, names: patterned });
  });
  nginxIndexes.set(model, index);
  return index;
}

function nginxTargets(models: readonly NginxModel[], host: string, port: number | undefined, path: string | undefined): LinkTarget[] {
  const out: LinkTarget[] = [];
  for (const model of models) {
    // nginx picks one server per host and port: here the first one whose names match, in file order.
    const index = nginxServerIndex(model);
    let at = index.exact.get(host) ?? Infinity;
    let unknown: string | undefined;
    for (const entry of index.patterned) {
      if (entry.at >= at) break;
      for (const name of entry.names) {
        const matches = serverNameMatches(name, host);
        if (matches === false) continue;
        if (matches !== true) unknown = matches.unknown;
        else at = entry.at;
        break;
      }
      if (unknown !== undefined || at === entry.at) break;
    }
    if (unknown !== undefined) {
      out.push({ kind: 'unknown', reason: unknown });
      continue;
    }
    // A request sent to this machine's port (`http://127.0.0.1:8080`) whose Host no server names is
    // served by the port's default server; any other unknown host may not reach this nginx at all.
    const server = model.servers[at] ?? (isLoopback(host) && port !== undefined ? defaultServerOf(model, port) : undefined);
    if (!server) continue;
    if (path !== undefined) {
      const { location, unknown: locationUnknown } = lookupLocation(server, path);
      // A location that proxies through `try_files … @named` is served by the named location.
      const serving = location ? servingLocation(server, location) : undefined;
      if (locationUnknown !== undefined) out.push({ kind: 'unknown', reason: locationUnknown });
      else if (serving) out.push({ kind: 'nginx', model, server, location: serving });
    } else {
      for (const location of proxyingLocationsIn(server)) out.push({ kind: 'nginx', model, server, location });
    }
  }
  return out;
}

function proxyingLocationsIn(block: NginxBlock, out: NginxBlock[] = []): NginxBlock[] {
  // Filled in place (no push(...) of a list that may hold every location of a huge server).
  for (const child of block.children) {
    if (child.kind !== 'location') continue;
    if (child.proxyTarget && child.location?.modifier !== '@') out.push(child);
    proxyingLocationsIn(child, out);
  }
  return out;
}

/** Ingresses by the hosts their rules name (exact hosts), plus those with a wildcard host, each list in manifest order. */
interface HostIndex<T> {
  byHost: Map<string, T[]>;
  wildcard: T[];
  order: Map<T, number>;
}

function hostIndex<T>(items: readonly T[], hostsOf: (item: T) => string[]): HostIndex<T> {
  const index: HostIndex<T> = { byHost: new Map(), wildcard: [], order: new Map() };
  items.forEach((item, i) => {
    index.order.set(item, i);
    const hosts = new Set(hostsOf(item).map(normaliseHost));
    for (const host of hosts) {
      if (host.startsWith('*')) {
        if (index.wildcard.at(-1) !== item) index.wildcard.push(item);
      } else {
        const list = index.byHost.get(host);
        if (list) list.push(item);
        else index.byHost.set(host, [item]);
      }
    }
  });
  return index;
}

/** The items whose hosts may match `host`, in manifest order. */
function candidatesFor<T>(index: HostIndex<T>, host: string): T[] {
  const exact = index.byHost.get(host) ?? [];
  if (index.wildcard.length === 0) return exact;
  if (exact.length === 0) return index.wildcard;
  return [...new Set([...exact, ...index.wildcard])].sort((a, b) => index.order.get(a)! - index.order.get(b)!);
}

/** The items whose hosts may match any of `hosts`, in manifest order. */
function candidatesForAny<T>(index: HostIndex<T>, hosts: readonly string[]): T[] {
  if (hosts.length === 1) return candidatesFor(index, normaliseHost(hosts[0]!));
  const found = new Set<T>(index.wildcard);
  for (const host of hosts) for (const item of index.byHost.get(normaliseHost(host)) ?? []) found.add(item);
  return [...found].sort((a, b) => index.order.get(a)! - index.order.get(b)!);
}

interface K8sTargetIndex {
  ingresses: HostIndex<IngressFacts>;
  routes: HostIndex<GatewayRouteFacts>;
  virtualServices: HostIndex<VirtualServiceFacts>;
  servicesByName: Map<string, ServiceFacts[]>;
  knativeByName: Map<string, KnativeServiceFacts>;
}

const k8sIndexes = new WeakMap<K8sModel, K8sTargetIndex>();

/** Built once per Kubernetes model: a workspace with thousands of calls and gateways must not compare every call with every gateway. */
function k8sTargetIndex(k8s: K8sModel): K8sTargetIndex {
  let index = k8sIndexes.get(k8s);
  if (index) return index;
  const servicesByName = new Map<string, ServiceFacts[]>();
  for (const service of k8s.services) {
    const name = service.object.name?.text.toLowerCase();
    if (name === undefined) continue;
    const list = servicesByName.get(name);
    if (list) list.push(service);
    else servicesByName.set(name, [service]);
  }
  const knativeByName = new Map<string, KnativeServiceFacts>();
  for (const service of k8s.knativeServices) for (const name of knativeNames(service)) if (!knativeByName.has(name)) knativeByName.set(name, service);
  index = {
    ingresses: hostIndex(k8s.ingresses, (ingress) => ingress.paths.flatMap((p) => (p.host ? [p.host.text] : []))),
    routes: hostIndex(k8s.gatewayRoutes.filter((r) => r.kind === 'HTTPRoute' && r.hostnames.length > 0), (route) => route.hostnames.map((h) => h.text)),
    virtualServices: hostIndex(k8s.virtualServices, (vs) => vs.hosts.map((h) => h.text)),
    servicesByName,
    knativeByName,
  };
  k8sIndexes.set(k8s, index);
  return index;
}

function ingressTargets(k8s: K8sModel, host: string, path: string | undefined): LinkTarget[] {
  const out: LinkTarget[] = [];
  for (const ingress of candidatesFor(k8sTargetIndex(k8s).ingresses, host)) {
    let best: IngressPathFacts | undefined;
    let bestScore = -Infinity;
    const regexEnabled = ingress.annotations.some((a) => a.key.endsWith('/use-regex') && a.value?.text === 'true');
    for (const candidate of ingress.paths) {
      if (!candidate.host || !matchIngressHost(candidate.host.text, host).matched) continue;
      const match = path === undefined ? { matched: true, score: 0 } : matchIngressPath(candidate.path?.text, candidate.pathType?.text, path, { regexEnabled });
      if (match.matched && match.score > bestScore) {
        best = candidate;
        bestScore = match.score;
      }
    }
    if (best) out.push({ kind: 'ingress', ingress, path: best });
  }
  return out;
}

function gatewayRouteTargets(k8s: K8sModel, host: string, path: string | undefined): LinkTarget[] {
  const out: LinkTarget[] = [];
  for (const route of candidatesFor(k8sTargetIndex(k8s).routes, host)) {
    if (!route.hostnames.some((h) => matchIngressHost(h.text, host).matched)) continue;
    let best: GatewayRouteRuleFacts | undefined;
    let bestScore = -Infinity;
    for (const rule of route.rules) {
      const matches = rule.matches.length > 0 ? rule.matches : [undefined];
      for (const m of matches) {
        const match = path === undefined ? { matched: true, score: 0 } : matchGatewayPath(m?.path?.type?.text, m?.path?.value?.text, path);
        if (match.matched && match.score > bestScore) {
          best = rule;
          bestScore = match.score;
        }
      }
    }
    if (best) out.push({ kind: 'gateway-route', route, rule: best });
  }
  return out;
}

function virtualServiceTargets(k8s: K8sModel, host: string, path: string | undefined, mesh: boolean, service?: ServiceFacts): LinkTarget[] {
  const out: LinkTarget[] = [];
  // Only the VirtualServices whose hosts may match one of the names (every Service a chain reaches asks).
  for (const vs of candidatesForAny(k8sTargetIndex(k8s).virtualServices, service ? serviceDnsNames(service) : [host])) {
    const bound = vs.gateways.map((g) => g.text);
    // No `gateways` means the mesh only; a gateway-bound route is reached from outside by host name.
    const applies = mesh ? bound.length === 0 || bound.includes('mesh') : bound.some((g) => g !== 'mesh');
    if (!applies) continue;
    // Istio reads a short host in the VirtualService's own namespace: `chat` in namespace `other` is
    // chat.other.svc.cluster.local, not the Service chat of another namespace.
    const names = service ? serviceDnsNames(service, vs.object.namespace) : [host];
    const hostMatches = vs.hosts.some((h) => {
      const text = h.text.toLowerCase();
      if (text === '*') return !mesh;
      if (text.startsWith('*.')) return names.some((n) => n.endsWith(text.slice(1)));
      return names.includes(text);
    });
    if (!hostMatches) continue;
    // The first matching http route wins, in order (Istio semantics).
    const route = vs.http.find((r) => r.matches.length === 0 || path === undefined || r.matches.some((m) => matchIstioUri(m.uri?.kind, m.uri?.value.text, path).matched));
    if (route) out.push({ kind: 'virtual-service', virtualService: vs, route });
  }
  return out;
}

/** `name`, `name.ns`, `name.ns.svc`, `name.ns.svc.cluster.local`; the short name only resolves from the same namespace (or anywhere when the caller's is unknown). */
export function serviceByDnsName(k8s: K8sModel, host: string, callerNamespace: string | undefined): ServiceFacts | undefined {
  const labels = host.split('.');
  const name = labels[0]!;
  const candidates = k8sTargetIndex(k8s).servicesByName.get(name) ?? [];
  if (candidates.length === 0) return undefined;
  if (labels.length === 1) {
    return candidates.find((s) => s.object.namespace === (callerNamespace ?? s.object.namespace)) ?? (callerNamespace === undefined ? candidates[0] : undefined);
  }
  const namespace = labels[1]!;
  const rest = labels.slice(2).join('.');
  if (rest !== '' && rest !== 'svc' && !rest.startsWith('svc.')) return undefined;
  return candidates.find((s) => s.object.namespace === namespace);
}

function serviceDnsNames(service: ServiceFacts, fromNamespace?: string): string[] {
  const name = service.object.name?.text.toLowerCase() ?? '';
  const ns = service.object.namespace;
  const names = [`${name}.${ns}`, `${name}.${ns}.svc`, `${name}.${ns}.svc.cluster.local`];
  if (fromNamespace === undefined || fromNamespace === ns) names.unshift(name);
  return names;
}

function knativeNames(service: KnativeServiceFacts): string[] {
  const name = service.object.name?.text.toLowerCase() ?? '';
  const ns = service.object.namespace;
  return [name, `${name}.${ns}`, `${name}.${ns}.svc`, `${name}.${ns}.svc.cluster.local`];
}
