// Kong in call chains: each route of a declarative configuration starts a chain into its service's address (a compose service, a Kubernetes Service, code on this machine, or an upstream's targets).
import { looksInternal } from '../../chain/addresses.js';
import type { ChainLinker, RequestPath, Step, Walker } from '../../chain/walk.js';
import type { KongFile, KongRoute, KongService } from './config.js';
import { kongHop } from './hops.js';

export function kongLinker(files: KongFile[], walker: Walker): ChainLinker {
  const follow = (step: Step, file: KongFile, service: KongService, request: RequestPath): void => {
    const hop = step.hops.at(-1)!;
    if (service.unresolved) {
      walker.stop(step, hop, `the address of ${hop.label} holds a placeholder resolved only when decK or Kong reads the configuration`, service.addressSpan);
      return;
    }
    const host = service.host?.text;
    if (!host) {
      walker.stop(step, hop, `${hop.label} has no url or host the linter can read`, service.span);
      return;
    }
    // A host that names an upstream balances over its targets.
    const upstream = file.upstreams.find((u) => u.name === host);
    const addresses = upstream ? upstream.targets.filter((t) => !t.unresolved).map((t) => ({ host: t.host, port: t.port })) : [{ host, port: service.port }];
    const path = service.path && service.path !== '/' ? service.path : request.path;
    let linked = false;
    const seen = new Set<string>();
    const unlinked: string[] = [];
    for (const address of addresses) {
      const targets = walker.resolve({ host: address.host, port: address.port, path, internalOnly: true });
      if (targets.length === 0) unlinked.push(address.host);
      for (const target of targets) {
        if (seen.has(target.key)) continue;
        seen.add(target.key);
        linked = true;
        target.follow(step, request, hop.method, 'default');
      }
    }
    if (linked) return;
    if (unlinked.some(looksInternal) && walker.holdsServices()) walker.stop(step, hop, `${hop.label} sends to ${unlinked.join(', ')}, which matches no Kubernetes Service or compose service in the workspace`, service.addressSpan);
    else walker.finish(step);
  };

  return {
    holdsGateways: () => files.some((f) => f.services.length > 0),
    entries: {
      gateways() {
        for (const file of files) {
          for (const service of file.services) {
            const routes: Array<KongRoute | undefined> = service.routes.length > 0 ? service.routes : [undefined];
            for (const route of routes) {
              const key = `kong:${file.file}:${(route ?? service).span.start}`;
              if (walker.wasReached(key)) continue;
              const prefix = route?.paths.length === 1 && route.paths[0]!.startsWith('/') ? route.paths[0] : undefined;
              follow({ hops: [kongHop(file, service, route)], seen: new Set([key]) }, file, service, prefix ? { path: prefix, prefix: true } : {});
            }
          }
        }
      },
    },
  };
}
