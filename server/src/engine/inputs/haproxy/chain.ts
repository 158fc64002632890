// HAProxy in call chains: each frontend route as a chain entry, a frontend's bind port as a target for clients on the same host, and where a backend's servers lead.
import { displayName, holdsRenderedUnknown } from '../../yaml/templates.js';
import { isLoopback, looksInternal } from '../../chain/addresses.js';
import { unknownTarget, type ChainLinker, type ChainTarget, type RequestPath, type Step, type Walker } from '../../chain/walk.js';
import { frontendsOf, pathPrefixOf, routesOf, type HaproxyRoute } from './backends.js';
import type { HaproxyModel, HaproxyProxy } from './facts.js';
import { haproxyHop } from './hops.js';

export function haproxyLinker(models: HaproxyModel[], walker: Walker): ChainLinker {
  const routeKey = (route: HaproxyRoute) => `haproxy:${route.span.file}:${route.span.start}`;

  const routeTarget = (model: HaproxyModel, route: HaproxyRoute, backend: HaproxyProxy): ChainTarget => ({
    key: routeKey(route),
    follow(step, request, method) {
      const key = routeKey(route);
      walker.markReached(key);
      if (!walker.enter(step, key)) return;
      follow(walker.extend(step, haproxyHop(model, route, backend, method), key), backend, request, method);
    },
  });

  /**
   * A backend's servers, linked by address like nginx upstream servers: a Service or compose
   * service by name, code on this machine by port. Disabled servers take no traffic; a server
   * without a port is reached on the port the client connected to, which the linker does not know.
   */
  const follow = (step: Step, backend: HaproxyProxy, request: RequestPath, method: string | undefined): void => {
    const hop = step.hops.at(-1)!;
    let linked = false;
    const seenTargets = new Set<string>();
    const placeholders: string[] = [];
    const unlinked: string[] = [];
    const rendered: string[] = [];
    for (const server of backend.servers) {
      if (server.disabled) continue;
      if (server.unresolved) {
        placeholders.push(server.name);
        continue;
      }
      const address = server.address;
      if (!address || address.family !== 'inet' || !address.host) continue;
      // Printed by a template renderer (an Ansible loop over inventory hosts): the address is unknown here.
      if (holdsRenderedUnknown(address.host)) {
        rendered.push(displayName(server.name));
        continue;
      }
      const targets = walker.resolve({ host: address.host, port: address.port, path: request.path, internalOnly: true });
      if (targets.length === 0) unlinked.push(address.host);
      for (const target of targets) {
        if (seenTargets.has(target.key)) continue;
        seenTargets.add(target.key);
        linked = true;
        target.follow(step, request, method, 'default');
      }
    }
    if (linked) return;
    if (rendered.length > 0) {
      walker.stop(step, hop, `server ${rendered.join(', ')} of ${hop.label} has an address a template prints, which is not known here`);
      return;
    }
    if (placeholders.length > 0) {
      walker.stop(step, hop, `server ${placeholders.join(', ')} of ${hop.label} is resolved only when HAProxy starts: the address holds an environment variable`);
      return;
    }
    // A public host name is an external dependency, not a missing link; only a workspace with services can miss one.
    if (unlinked.some(looksInternal) && walker.holdsServices()) {
      walker.stop(step, hop, `servers of ${hop.label} (${unlinked.join(', ')}) match no Kubernetes Service or compose service in the workspace`);
    } else walker.finish(step);
  };

  return {
    holdsGateways: () => models.some((m) => frontendsOf(m).length > 0),
    targets: {
      gateway: (request) => (request.internalOnly ? [] : bindTargets(request.host, request.port, request.path)),
    },
    entries: {
      gateways() {
        for (const model of models) {
          for (const frontend of frontendsOf(model)) {
            for (const route of routesOf(model, frontend)) {
              if (!route.backend || walker.wasReached(routeKey(route))) continue;
              const key = routeKey(route);
              const prefix = pathPrefixOf(route);
              follow({ hops: [haproxyHop(model, route, route.backend, undefined)], seen: new Set([key]) }, route.backend, prefix !== undefined ? { path: prefix, prefix: true } : {}, undefined);
            }
          }
        }
      },
    },
  };

  /**
   * A client on the same host calling a port a frontend binds (`bind :8080`, `bind 127.0.0.1:8080`).
   * The route is the first use_backend whose path prefix matches, else default_backend; a rule on
   * anything else (a header, a host name) could take the request too, so the target is then unknown.
   */
  function bindTargets(host: string, port: number | undefined, path: string | undefined): ChainTarget[] {
    if (port === undefined || !isLoopback(host)) return [];
    const out: ChainTarget[] = [];
    for (const model of models) {
      for (const frontend of frontendsOf(model)) {
        const binds = frontend.binds.some((b) => b.addresses.some((a) => a.family === 'inet' && a.port !== undefined && port >= a.port && port <= (a.portEnd ?? a.port) && (a.host === '' || a.host === '*' || a.host === '::' || isLoopback(a.host ?? ''))));
        if (!binds) continue;
        const route = routeFor(model, frontend, path);
        if (route === 'unknown') out.push(unknownTarget(walker, `${frontend.kind} ${frontend.name ?? '?'} chooses its backend by a condition the linker cannot evaluate`));
        else if (route?.backend) out.push(routeTarget(model, route, route.backend));
      }
    }
    return out;
  }
}

function routeFor(model: HaproxyModel, frontend: HaproxyProxy, path: string | undefined): HaproxyRoute | 'unknown' | undefined {
  for (const route of routesOf(model, frontend)) {
    if (route.via !== 'use_backend' || !route.rule?.condition) return route;
    const prefix = pathPrefixOf(route);
    if (prefix === undefined || path === undefined) return 'unknown';
    // path_beg compares the raw beginning of the path: `/api` also matches `/apix`.
    if (path.startsWith(prefix)) return route;
  }
  return undefined;
}
