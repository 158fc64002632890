// nginx in call chains: the server and location a request for a host and path reaches, proxying locations as chain entries, and where a location's proxy target leads.
import { upstreamNamed, type NginxBlock, type NginxModel } from './model.js';
import { proxyTargetInference } from './proxy-target.js';
import { lookupLocation, serverNameRegexMatches } from './routing.js';
import { defaultServerOf, servingLocation } from './serving.js';
import { nginxLocationHop } from './hops.js';
import { isLoopback, looksInternal, splitHostPort } from '../../chain/addresses.js';
import { rewriteForProxyPass } from '../../chain/path-match.js';
import { unknownTarget, type ChainLinker, type ChainTarget, type RequestPath, type Step, type Walker } from '../../chain/walk.js';

export function nginxLinker(models: NginxModel[], walker: Walker): ChainLinker {
  const locationKey = (location: NginxBlock) => `nginx:${location.directive?.span.file}:${location.directive?.span.start}`;

  const locationTarget = (model: NginxModel, server: NginxBlock | undefined, location: NginxBlock): ChainTarget => ({
    key: locationKey(location),
    follow(step, request, method) {
      const key = locationKey(location);
      walker.markReached(key);
      if (!walker.enter(step, key)) return;
      const hop = nginxLocationHop(model, server, location, method);
      follow(walker.extend(step, hop, key), model, location, request, method);
    },
  });

  /** From a proxying location to what its target (or its upstream's servers) reaches. */
  const follow = (step: Step, model: NginxModel, location: NginxBlock, request: RequestPath, method: string | undefined): void => {
    const target = location.proxyTarget;
    const hop = step.hops.at(-1)!;
    if (!target || target.unresolved || !target.host) {
      walker.stop(step, hop, target?.unresolved ? `proxy target ${target.raw} is resolved only at request time: ${target.unresolvedReason ?? 'it holds a variable'}` : 'the location does not proxy to a host');
      return;
    }
    const inferred = proxyTargetInference(target);
    const prefix = location.location && (location.location.modifier === '' || location.location.modifier === '^~') ? location.location.pattern : undefined;
    let inner: RequestPath = request.path !== undefined && prefix !== undefined ? { ...request, path: rewriteForProxyPass(prefix, target.path, request.path) } : request;
    if (inner.prefix && prefix !== undefined) {
      const taken = (location.parent?.children ?? [])
        .filter((sibling) => sibling !== location && sibling.location && (sibling.location.modifier === '' || sibling.location.modifier === '^~' || sibling.location.modifier === '=') && sibling.location.pattern.length > prefix.length && sibling.location.pattern.startsWith(prefix))
        // An exact sibling (`location = /api/health`) takes only its own path: marked by a trailing NUL, matched whole.
        .map((sibling) => rewriteForProxyPass(prefix, target.path, sibling.location!.pattern) + (sibling.location!.modifier === '=' ? '\u0000' : ''));
      if (taken.length > 0) inner = { ...inner, except: taken };
    }
    const upstream = upstreamNamed(model, target.host);
    // An IPv6 host goes back into brackets, or its colons would read as a port.
    const hostPart = target.host.includes(':') && !target.host.startsWith('[') ? `[${target.host}]` : target.host;
    const addresses = upstream ? upstream.servers.map((s) => ({ address: s.address, span: s.span })) : [{ address: `${hostPart}${target.port ? `:${target.port}` : ''}`, span: target.span }];
    let linked = false;
    const seenTargets = new Set<string>();
    for (const { address } of addresses) {
      const [host, portText] = splitHostPort(address);
      if (!host) continue;
      for (const t of walker.resolve({ host, port: portText, path: inner.path, internalOnly: true })) {
        if (seenTargets.has(t.key)) continue;
        seenTargets.add(t.key);
        linked = true;
        walker.withLinkEvidence(inferred !== undefined ? [{ text: inferred, span: target.span }] : undefined, () => t.follow(step, inner, method, 'default'));
      }
    }
    if (linked) return;
    // An upstream server written with a variable or an envsubst placeholder (`${UPSTREAM_HOST}:3000`) is
    // known only when nginx or its container starts: a stop with that reason, not an external host.
    const placeholder = addresses.find(({ address }) => address.includes('$'));
    if (placeholder) {
      // Set outside the workspace, it can only name code the workspace holds when the workspace holds
      // one HTTP server: the request is followed there, and the link says why. A literal port the
      // code does not listen on, or any other address of the upstream, leaves it unresolved.
      const sole = addresses.length === 1 ? walker.soleServer() : undefined;
      const port = splitHostPort(placeholder.address)[1];
      if (sole && (port === undefined || sole.ports.length === 0 || sole.ports.includes(port))) {
        const evidence = `${upstream ? `upstream ${upstream.name} server ` : ''}${placeholder.address} is set when nginx starts, outside the workspace; ${sole.evidence}, so it is taken as the target`;
        walker.withLinkEvidence([{ text: evidence, span: placeholder.span }], () => sole.target.follow(step, inner, method, 'default'));
        return;
      }
      walker.stop(step, hop, `${upstream ? `upstream ${upstream.name} server ${placeholder.address}` : `proxy target ${target.raw}`} is resolved only when nginx starts: the address holds a variable or placeholder`);
      return;
    }
    // A public host name is an external dependency, not a missing link.
    const internal = addresses.some(({ address }) => looksInternal(splitHostPort(address)[0] ?? ''));
    // Only a workspace that holds services at all can be missing one; an nginx-only repository is not.
    if (internal && walker.holdsServices()) walker.stop(step, hop, `${upstream ? `upstream ${upstream.name} (${addresses.map((a) => a.address).join(', ')})` : target.raw} matches no Kubernetes Service or compose service in the workspace`);
    else walker.finish(step);
  };

  return {
    holdsGateways: () => models.length > 0,
    targets: {
      gateway: (request) => {
        const out: ChainTarget[] = [];
        for (const target of nginxTargets(models, request.host, request.port, request.path)) {
          out.push(target.kind === 'unknown' ? unknownTarget(walker, target.reason) : locationTarget(target.model, target.server, target.location));
        }
        return out;
      },
    },
    entries: {
      gateways() {
        for (const model of models) {
          for (const location of model.locations) {
            if (!location.proxyTarget || location.location?.modifier === '@') continue;
            const key = locationKey(location);
            if (walker.wasReached(key)) continue;
            const hop = nginxLocationHop(model, serverOf(location), location, undefined);
            follow({ hops: [hop], seen: new Set([key]) }, model, location, pathOfLocation(location), undefined);
          }
        }
      },
    },
  };
}

type NginxTarget = { kind: 'location'; model: NginxModel; server: NginxBlock; location: NginxBlock } | { kind: 'unknown'; reason: string };

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

function nginxTargets(models: readonly NginxModel[], host: string, port: number | undefined, path: string | undefined): NginxTarget[] {
  const out: NginxTarget[] = [];
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
      else if (serving) out.push({ kind: 'location', model, server, location: serving });
    } else {
      for (const location of proxyingLocationsIn(server)) out.push({ kind: 'location', model, server, location });
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

function serverOf(block: NginxBlock): NginxBlock | undefined {
  for (let b: NginxBlock | undefined = block.parent; b; b = b.parent) if (b.kind === 'server') return b;
  return undefined;
}

function pathOfLocation(location: NginxBlock): RequestPath {
  const match = location.location;
  if (!match) return {};
  if (match.modifier === '=') return { path: match.pattern };
  if (match.modifier === '' || match.modifier === '^~') return { path: match.pattern, prefix: true };
  return {};
}
