// Traefik's Kubernetes custom resources (traefik.io/v1alpha1, and traefik.containo.us before v3): IngressRoute, ServersTransport and retry Middleware, read from the run's shared YAML parse.
import type { K8sObject, YamlFile } from '../../yaml/file.js';
import { treeOfYaml } from './sources.js';
import { retryOf, transportOf, type TraefikFacts, type TraefikRouter, type TraefikServer, type TraefikService } from './facts.js';
import { childOf, itemsOf, scalarOf } from './tree.js';

const GROUPS = new Set(['traefik.io', 'traefik.containo.us']);

/** True when a YAML text may hold a Traefik custom resource: the cheap test before its objects are read. */
export function mentionsTraefikCrd(text: string): boolean {
  return /apiVersion:\s*['"]?traefik\.(io|containo\.us)\//.test(text);
}

export function isTraefikObject(object: K8sObject): boolean {
  return GROUPS.has(object.group);
}

/** The Traefik objects of a parsed YAML file, added to `into`. */
export function crdFacts(yaml: YamlFile, into: TraefikFacts): void {
  for (const object of yaml.objects) {
    if (!isTraefikObject(object)) continue;
    const name = object.name?.text;
    if (!name) continue;
    const spec = treeOfYaml(object.view, object.view.get(object.node, 'spec'));
    if (!spec) continue;
    const span = object.name!.span;
    if (object.kind === 'ServersTransport') into.transports.push({ ...transportOf(name, 'kubernetescrd', spec, span), namespace: object.namespace });
    else if (object.kind === 'Middleware') {
      const retry = childOf(spec, 'retry');
      if (retry) into.retries.push({ ...retryOf(name, 'kubernetescrd', retry, span), namespace: object.namespace });
    } else if (object.kind === 'IngressRoute') ingressRouteFacts(object, name, spec, into);
  }
}

/** Each route of an IngressRoute is a router whose service balances over the Kubernetes Services it lists. */
function ingressRouteFacts(object: K8sObject, name: string, spec: NonNullable<ReturnType<typeof treeOfYaml>>, into: TraefikFacts): void {
  const entryPoints = itemsOf(childOf(spec, 'entryPoints')).flatMap((e) => scalarOf(e)?.text ?? []);
  itemsOf(childOf(spec, 'routes')).forEach((route, index) => {
    const routeName = `${object.namespace}-${name}-route-${index}`;
    const servers: TraefikServer[] = [];
    let transport: TraefikService['transport'];
    for (const service of itemsOf(childOf(route, 'services'))) {
      const serviceName = scalarOf(childOf(service, 'name'));
      const kind = scalarOf(childOf(service, 'kind'))?.text ?? 'Service';
      if (!serviceName || kind !== 'Service') continue;
      const port = scalarOf(childOf(service, 'port'));
      const server: TraefikServer = { span: serviceName.span, host: serviceName.text.toLowerCase(), unresolved: serviceName.unresolved, namespace: scalarOf(childOf(service, 'namespace'))?.text ?? object.namespace };
      if (port && /^\d+$/.test(port.text)) server.port = Number(port.text);
      servers.push(server);
      transport ??= scalarOf(childOf(service, 'serversTransport'));
    }
    const routeSpan = route.span;
    const router: TraefikRouter = {
      name: routeName, provider: 'kubernetescrd', file: object.file, span: scalarOf(childOf(route, 'match'))?.span ?? routeSpan,
      middlewares: itemsOf(childOf(route, 'middlewares')).flatMap((m) => scalarOf(childOf(m, 'name')) ?? []),
      entryPoints, namespace: object.namespace,
    };
    const match = scalarOf(childOf(route, 'match'));
    if (match) router.rule = match;
    const service: TraefikService = { name: routeName, provider: 'kubernetescrd', span: routeSpan, servers };
    if (transport) service.transport = transport;
    router.service = { kind: 'scalar', text: routeName, span: routeSpan, unresolved: false };
    into.routers.push(router);
    into.services.push(service);
  });
}
