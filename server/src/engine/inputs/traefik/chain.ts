// Traefik in call chains: each router starts a chain into the servers of its service (a URL's host and port, a compose service by its labels, a Kubernetes Service an IngressRoute names).
import { looksInternal } from '../../chain/addresses.js';
import type { ChainLinker, RequestPath, Step, Walker } from '../../chain/walk.js';
import { pathPrefixOfRule, type TraefikRouter, type TraefikService } from './facts.js';
import { traefikHop } from './hops.js';
import { serviceOfRouter, type TraefikModel } from './model.js';

export function traefikLinker(model: TraefikModel, walker: Walker): ChainLinker {
  const routerKey = (router: TraefikRouter) => `traefik:${router.span.file}:${router.span.start}:${router.name}`;

  /** A service's servers, linked by address like HAProxy or nginx upstream servers. */
  const follow = (step: Step, service: TraefikService, request: RequestPath): void => {
    const hop = step.hops.at(-1)!;
    let linked = false;
    const seen = new Set<string>();
    const placeholders: string[] = [];
    const unlinked: string[] = [];
    for (const server of service.servers) {
      if (server.unresolved) {
        placeholders.push(server.url?.text ?? server.host ?? '?');
        continue;
      }
      if (!server.host) continue;
      const targets = walker.resolve({ host: server.host, port: server.port, path: request.path, namespace: server.namespace, internalOnly: true });
      if (targets.length === 0) unlinked.push(server.host);
      for (const target of targets) {
        if (seen.has(target.key)) continue;
        seen.add(target.key);
        linked = true;
        const evidence = server.portEvidence ? [{ text: server.portEvidence.text, span: server.portEvidence.span }] : undefined;
        walker.withLinkEvidence(evidence, () => target.follow(step, request, undefined, server.namespace ?? 'default'));
      }
    }
    if (linked) return;
    if (placeholders.length > 0) {
      walker.stop(step, hop, `the server of ${hop.label} (${placeholders.join(', ')}) holds a placeholder resolved only when Traefik loads its configuration`);
      return;
    }
    if (service.servers.length === 0) {
      walker.stop(step, hop, `service ${service.name} of ${hop.label} lists no server the linter can read`, service.span);
      return;
    }
    if (unlinked.some(looksInternal) && walker.holdsServices()) {
      walker.stop(step, hop, `servers of ${hop.label} (${unlinked.join(', ')}) match no Kubernetes Service or compose service in the workspace`);
    } else walker.finish(step);
  };

  return {
    holdsGateways: () => model.routers.length > 0,
    entries: {
      gateways() {
        for (const router of model.routers) {
          const key = routerKey(router);
          if (walker.wasReached(key)) continue;
          const service = serviceOfRouter(model, router);
          if (!service) continue;
          const path = router.rule && !router.rule.unresolved ? pathPrefixOfRule(router.rule.text) : undefined;
          const hop = traefikHop(model, router, service);
          follow({ hops: [hop], seen: new Set([key]) }, service, path ? { path: path.path, prefix: path.prefix } : {});
        }
      },
    },
  };
}
