// Kubernetes in call chains: Ingress paths, HTTPRoutes and VirtualServices matched by host, Services by their DNS forms, Knative Services; Service → workload → the code its container runs.
import type { AiServiceBackendFacts, ContainerFacts, GatewayRouteFacts, InferencePoolFacts, GatewayRouteRuleFacts, IngressPathFacts, IstioHttpRouteFacts, K8sModel, KnativeServiceFacts, ServiceFacts, VirtualServiceFacts, WorkloadFacts } from './model.js';
import { containerEnvironment } from './env.js';
import { inferredControllerNote, type IngressBackend, type IngressFacts } from './ingress.js';
import type { BackendRefFacts } from './routes.js';
import { unexposedPort, type BackendPort } from './service-ports.js';
import { aiServiceBackendHop, containerFor, gatewayRouteHop, inferencePoolHop, ingressControllerHop, ingressPathHop, k8sServiceHop, knativeHop, virtualServiceHop, workloadHop } from './hops.js';
import { envContextOf, NO_ENV, type EnvBinding, type EnvContext } from '../../chain/environment.js';
import { imageName } from '../../chain/image-name.js';
import { gcePathPrefix, matchGatewayPath, matchIngressHost, matchIngressPath, matchIstioUri, normaliseHost } from '../../chain/path-match.js';
import { withEvidence, type ChainLinker, type ChainTarget, type Deployable, type RequestPath, type Step, type Walker } from '../../chain/walk.js';
import type { ScalarFact } from '../../yaml/view.js';
import { displayName, holdsRenderedUnknown } from '../../yaml/templates.js';
import type { Hop, HopEvidence } from '../../chain/chain-types.js';
import { isIpAddress, isLoopback } from '../../chain/addresses.js';
import type { ServicePortFacts } from './services.js';
import type { Span } from '../../types.js';

export function k8sLinker(k8s: K8sModel, walker: Walker): ChainLinker {
  const objectKey = (prefix: string, span: Span) => `${prefix}:${span.file}:${span.start}`;

  const ingressTarget = (ingress: IngressFacts, path: IngressPathFacts): ChainTarget => ({
    key: objectKey('ingress', path.span),
    follow(step, request, method) {
      const key = objectKey('ingress', path.span);
      walker.markReached(key);
      if (!walker.enter(step, key)) return;
      const hop = withControllerGuess(ingressPathHop(k8s, ingress, path, method), ingress);
      followIngress(walker.extend(step, hop, key), path.backend, request, method, hop);
    },
  });

  const routeTarget = (route: GatewayRouteFacts, rule: GatewayRouteRuleFacts): ChainTarget => ({
    key: objectKey('route', rule.span),
    follow(step, request, method) {
      const key = objectKey('route', rule.span);
      walker.markReached(key);
      if (!walker.enter(step, key)) return;
      followBackends(walker.extend(step, gatewayRouteHop(route, rule), key), rule.backendRefs.map((ref) => httpRouteBackend(ref, route.kind)), request, method);
    },
  });

  const virtualServiceTarget = (virtualService: VirtualServiceFacts, route: IstioHttpRouteFacts): ChainTarget => ({
    key: objectKey('vs', route.span),
    follow(step, request, method) {
      const key = objectKey('vs', route.span);
      walker.markReached(key);
      if (!walker.enter(step, key)) return;
      const hop = virtualServiceHop(virtualService, route, k8s.destinationRules);
      if (method) hop.method = method;
      followBackends(walker.extend(step, hop, key), route.destinations.map(istioBackend), request, method);
    },
  });

  const serviceTarget = (service: ServiceFacts, port: number | undefined): ChainTarget => ({
    key: objectKey('svc', service.object.span),
    follow: (step, request, method) => followService(step, service, port, request, method),
  });

  /**
   * A node port: every node forwards it to the Service port that declares it (kube-proxy), so an
   * address outside the cluster (a load balancer on the nodes, `127.0.0.1:30080` from HAProxy on a
   * worker) that names it reaches the Service. The hop says which port declares it.
   */
  const nodePortTarget = (service: ServiceFacts, port: ServicePortFacts, nodePort: number): ChainTarget => ({
    key: objectKey('svc', service.object.span),
    follow: (step, request, method) => {
      const evidence = { text: `nodePort ${nodePort} (Service port ${port.port?.text ?? '?'}, type ${service.type}: every node forwards it to the Service)`, span: port.nodePort?.span ?? port.span };
      followService(step, service, port.port?.value, request, method, [evidence]);
    },
  });

  const knativeTarget = (service: KnativeServiceFacts): ChainTarget => ({
    key: objectKey('knative', service.object.span),
    follow(step, request, method) {
      const key = objectKey('knative', service.object.span);
      walker.markReached(key);
      if (!walker.enter(step, key)) return;
      followKnative(walker.extend(step, knativeHop(service), key), service, request, method);
    },
  });

  const followKnative = (step: Step, service: KnativeServiceFacts, request: RequestPath, method: string | undefined) => {
    const container = service.containers.find((c) => !c.init);
    const name = service.object.name?.text ?? '';
    const env = container ? envOfContainer(`Knative Service ${name}`, container) : NO_ENV;
    walker.followCode(step, { names: [name, container?.name?.text ?? ''], env, namespace: service.object.namespace }, request, method);
  };

  const followIngress = (step: Step, backend: IngressBackend, request: RequestPath, method: string | undefined, hop: Hop): void => {
    const service = backend.service;
    if (!service) {
      walker.stop(step, hop, backend.serviceName?.unresolved ? `the backend Service's name is unknown (${displayName(backend.serviceName.text)}: a template printed it)` : 'the backend Service is not among the manifests');
      return;
    }
    // The controller connects to a Service port only: a port the Service does not expose reaches nothing.
    const unexposed = unexposedPort(service, backend.port, 'the Ingress backend');
    if (unexposed) {
      walker.stop(step, hop, unexposed, backend.port?.span);
      return;
    }
    followService(step, service, backend.servicePort?.port?.value, request, method);
  };

  const followBackends = (step: Step, backends: Backend[], request: RequestPath, method: string | undefined): void => {
    const hop = step.hops.at(-1)!;
    let linked = false;
    const unexposed: Array<{ problem: string; span?: Span }> = [];
    for (const backend of backends) {
      if (backend.pool || backend.aiBackend) {
        linked = true;
        if (backend.pool) followPool(step, backend.pool, request, method);
        else followAiBackend(step, backend.aiBackend!);
        continue;
      }
      if (!backend.service) continue;
      const problem = backend.checkPort ? unexposedPort(backend.service, backend.checkPort, backend.checkPortAs ?? 'the backend') : undefined;
      if (problem) {
        unexposed.push({ problem, ...(backend.checkPort?.span ? { span: backend.checkPort.span } : {}) });
        continue;
      }
      linked = true;
      followService(step, backend.service, backend.port, request, method);
    }
    if (linked) {
      // Traffic still reaches the other backends; the one that names a wrong port is worth a note.
      for (const { problem, span } of unexposed) walker.note(hop, problem, span);
      return;
    }
    if (unexposed.length > 0) walker.stop(step, hop, unexposed.map((u) => u.problem).join('; '), unexposed.length === 1 ? unexposed[0]!.span : undefined);
    else if (backends.length > 0 && backends.every((b) => b.name !== undefined && holdsRenderedUnknown(b.name))) walker.stop(step, hop, `the ${backends[0]?.kind ?? 'Service'} name of backend ${backends.map((b) => displayName(b.name!)).join(', ')} is unknown: a template printed it`);
    else walker.stop(step, hop, `backend ${backends.map((b) => b.name ?? '?').join(', ') || '(none)'} is not ${articled(backends[0]?.kind ?? 'Service')} among the manifests`);
  };

  /** An InferencePool: its hop, then each model-server workload its selector picks (on the pool's target port). */
  const followPool = (step: Step, pool: InferencePoolFacts, request: RequestPath, method: string | undefined): void => {
    const key = objectKey('pool', pool.object.span);
    if (!walker.enter(step, key)) return;
    const hop = inferencePoolHop(pool);
    const next = walker.extend(step, hop, key);
    const targets = pool.targets ?? [];
    if (targets.length === 0) {
      walker.stop(next, hop, selectorGap(hop.label, pool.selector, pool.object.namespace));
      return;
    }
    // Model servers (vLLM, TGI, …) run images, not workspace code: the chain ends at the pod the pool picks.
    const port = pool.targetPorts[0]?.number;
    for (const workload of targets) {
      const workloadKey = objectKey('wl', workload.object.span);
      if (walker.enter(next, workloadKey)) walker.finish(walker.extend(next, workloadHop(workload, containerFor(workload, port !== undefined ? { number: port } : undefined)), workloadKey));
    }
  };

  /** An AIServiceBackend is an LLM provider (or a Backend outside the cluster): the chain ends there, as at any external dependency. */
  const followAiBackend = (step: Step, backend: AiServiceBackendFacts): void => {
    const key = objectKey('aisb', backend.object.span);
    if (!walker.enter(step, key)) return;
    walker.finish(walker.extend(step, aiServiceBackendHop(backend), key));
  };

  const followService = (step: Step, service: ServiceFacts, port: number | undefined, request: RequestPath, method: string | undefined, evidence: readonly HopEvidence[] = []): void => {
    const key = objectKey('svc', service.object.span);
    if (!walker.enter(step, key)) return;
    const hop = withEvidence(k8sServiceHop(service), evidence);
    const next = walker.extend(step, hop, key);
    const servicePort = port !== undefined ? service.ports.find((p) => p.port?.value === port) : service.ports.length === 1 ? service.ports[0] : undefined;
    if (port !== undefined && service.ports.length > 0 && !servicePort) {
      walker.note(hop, `port ${port} is not a port of ${hop.label} (ports: ${service.ports.map((p) => p.port?.text ?? '?').join(', ')})`);
    }
    if (service.type === 'ExternalName') {
      followExternalName(next, service, port, request, method);
      return;
    }
    if (service.targets.length === 0) {
      walker.stop(next, hop, selectorGap(hop.label, service.selector, service.object.namespace));
      return;
    }
    for (const workload of service.targets) {
      const targetPort = servicePort?.targetPort;
      const wanted = targetPort ? (targetPort.number !== undefined ? { number: targetPort.number } : targetPort.name ? { name: targetPort.name } : undefined) : servicePort?.port?.value !== undefined ? { number: servicePort.port.value } : undefined;
      const container = containerFor(workload, wanted);
      if (targetPort?.name && !workload.containers.some((c) => c.ports.some((p) => p.name?.text === targetPort.name))) {
        walker.note(hop, `targetPort ${targetPort.name} names no container port of ${workload.kind} ${workload.object.name?.text ?? '?'}`);
      }
      followWorkload(next, workload, container, request, method);
    }
  };

  /**
   * An ExternalName Service is a DNS alias (a CNAME): its name may be another Service of the
   * workspace, which the chain follows, or a host outside it, where the chain ends as at any
   * external dependency (not an unresolved link).
   */
  const followExternalName = (step: Step, service: ServiceFacts, port: number | undefined, request: RequestPath, method: string | undefined): void => {
    const host = service.externalName?.text.toLowerCase().replace(/\.$/, '');
    const targets = host ? walker.resolve({ host, port, path: request.path, namespace: service.object.namespace, internalOnly: true }) : [];
    if (targets.length === 0) {
      walker.finish(step);
      return;
    }
    for (const target of targets) target.follow(step, request, method, service.object.namespace);
  };

  const followWorkload = (step: Step, workload: WorkloadFacts, container: ContainerFacts | undefined, request: RequestPath, method: string | undefined): void => {
    const key = objectKey('wl', workload.object.span);
    if (!walker.enter(step, key)) return;
    // The ingress-nginx controller runs no workspace code: its hop has its proxy timers, and the
    // Ingresses it routes to start chains of their own.
    const controller = ingressControllerHop(k8s, workload, container);
    if (controller) {
      if (method) controller.method = method;
      walker.finish(walker.extend(step, controller, key));
      return;
    }
    const hop = workloadHop(workload, container);
    const name = workload.object.name?.text ?? '';
    const env = container ? envOfContainer(`${workload.kind} ${workload.object.namespace}/${name}`, container) : NO_ENV;
    const names = [container?.name?.text ?? '', name, ...(container?.image ? [imageName(container.image.text)] : [])];
    const image = container?.image ? { text: container.image.text, span: container.image.span } : undefined;
    const owner = `${workload.kind} ${workload.object.namespace}/${name}`;
    const words = container ? [...container.command, ...container.args].map((w) => w.text) : [];
    const command = !container || words.length === 0 ? undefined : { words, replaces: container.command.length > 0 ? 'entrypoint' as const : 'cmd' as const, owner };
    walker.followCode(walker.extend(step, hop, key), { names, env, namespace: workload.object.namespace, entryName: name, image, command }, request, method);
  };

  return {
    holdsServices: () => k8s.services.length > 0,
    targets: {
      gateway: (request) => [
        ...ingressTargets(k8s, request.host, request.path).map(({ ingress, path }) => ingressTarget(ingress, path)),
        ...gatewayRouteTargets(k8s, request.host, request.path).map(({ route, rule }) => routeTarget(route, rule)),
        ...virtualServiceTargets(k8s, request.host, request.path, false).map(({ virtualService, route }) => virtualServiceTarget(virtualService, route)),
      ],
      service: (request) => {
        const service = serviceByDnsName(k8s, request.host, request.namespace);
        if (service) {
          // Inside a mesh a VirtualService for the Service's host routes the call first (facts §5).
          const mesh = virtualServiceTargets(k8s, request.host, request.path, true, service);
          if (mesh.length > 0) return mesh.map(({ virtualService, route }) => virtualServiceTarget(virtualService, route));
          return [serviceTarget(service, request.port)];
        }
        const knative = k8sTargetIndex(k8s).knativeByName.get(request.host);
        return knative ? [knativeTarget(knative)] : [];
      },
      // An IP address or this machine on a port some NodePort/LoadBalancer Service declares as its
      // nodePort. Last: code on this machine that listens on the port is the nearer answer.
      node: (request) => {
        if (request.port === undefined || !(isLoopback(request.host) || isIpAddress(request.host))) return [];
        return (k8sTargetIndex(k8s).servicesByNodePort.get(request.port) ?? []).map(({ service, port }) => nodePortTarget(service, port, request.port!));
      },
    },
    entries: {
      gateways() {
        for (const ingress of k8s.ingresses) {
          for (const path of ingress.paths) {
            const key = objectKey('ingress', path.span);
            if (walker.wasReached(key)) continue;
            const hop = withControllerGuess(ingressPathHop(k8s, ingress, path, undefined), ingress);
            followIngress({ hops: [hop], seen: new Set([key]) }, path.backend, ingressRequest(ingress, path), undefined, hop);
          }
        }
        for (const route of k8s.gatewayRoutes) {
          for (const rule of route.rules) {
            const key = objectKey('route', rule.span);
            if (walker.wasReached(key)) continue;
            const match = rule.matches[0]?.path;
            const request: RequestPath = match?.value ? { path: match.value.text, prefix: match.type?.text !== 'Exact' } : { path: '/', prefix: true };
            followBackends({ hops: [gatewayRouteHop(route, rule)], seen: new Set([key]) }, rule.backendRefs.map((ref) => httpRouteBackend(ref, route.kind)), request, undefined);
          }
        }
        for (const vs of k8s.virtualServices) {
          for (const route of vs.http) {
            const key = objectKey('vs', route.span);
            if (walker.wasReached(key)) continue;
            const uri = route.matches[0]?.uri;
            const request: RequestPath = uri && uri.kind !== 'regex' ? { path: uri.value.text, prefix: uri.kind === 'prefix' } : {};
            followBackends({ hops: [virtualServiceHop(vs, route, k8s.destinationRules)], seen: new Set([key]) }, route.destinations.map(istioBackend), request, undefined);
          }
        }
        for (const service of k8s.knativeServices) {
          const key = objectKey('knative', service.object.span);
          if (walker.wasReached(key)) continue;
          followKnative({ hops: [knativeHop(service)], seen: new Set([key]) }, service, {}, undefined);
        }
      },
    },
    deployables() {
      const out: Deployable[] = [];
      for (const workload of k8s.workloads) {
        for (const container of workload.containers) {
          const names = [container.name?.text ?? '', workload.object.name?.text ?? '', ...(container.image ? [imageName(container.image.text)] : [])].filter(Boolean);
          out.push({ names, owner: `${workload.kind} ${workload.object.namespace}/${workload.object.name?.text ?? '?'}`, ...(container.image ? { image: container.image.text } : {}) });
        }
      }
      for (const service of k8s.knativeServices) {
        out.push({ names: [service.object.name?.text ?? '', ...service.containers.map((c) => c.name?.text ?? '')].filter(Boolean), owner: `Knative Service ${service.object.name?.text ?? '?'}` });
      }
      return out;
    },
  };
}

function envOfContainer(owner: string, container: ContainerFacts): EnvContext {
  const vars = new Map<string, EnvBinding>();
  for (const [name, variable] of containerEnvironment(container)) {
    vars.set(name, { declaredAt: variable.declaredAt, unknown: variable.unknown, ...(variable.value ? { text: variable.value.text, valueSpan: variable.value.span } : {}) });
  }
  return envContextOf(owner, vars);
}

/** A gateway's backend for `followBackends`; `checkPort` when the port must be one the Service exposes. */
interface Backend {
  service?: ServiceFacts | undefined;
  /** An InferencePool (HTTPRoute or AIGatewayRoute backend): a legitimate backend, followed to its model servers. */
  pool?: InferencePoolFacts | undefined;
  /** An AIServiceBackend of an AIGatewayRoute: an LLM provider, where the chain ends. */
  aiBackend?: AiServiceBackendFacts | undefined;
  /** What the ref names when it is not a Service (`InferencePool`, `AIServiceBackend`), for the message when it is missing. */
  kind?: string;
  port?: number | undefined;
  span: Span;
  name?: string | undefined;
  checkPort?: BackendPort;
  checkPortAs?: string;
}

/** An HTTPRoute backendRef: its `port` is the Service port (Gateway API), so a port the Service does not expose is a broken link. */
function httpRouteBackend(ref: BackendRefFacts, routeKind: GatewayRouteFacts['kind']): Backend {
  const backend: Backend = { service: ref.service, port: ref.port?.value, span: ref.span, name: ref.name?.text, pool: ref.pool, aiBackend: ref.aiBackend };
  const kind = ref.kind?.text ?? (routeKind === 'AIGatewayRoute' ? 'AIServiceBackend' : undefined);
  if (kind) backend.kind = kind;
  if (ref.port && ref.service) backend.checkPort = { text: ref.port.text, span: ref.port.span, ...(ref.port.value !== undefined ? { number: ref.port.value } : {}), ...(ref.port.unresolved || ref.port.value === undefined ? { unresolved: true } : {}) };
  backend.checkPortAs = `the HTTPRoute backendRef ${ref.name?.text ?? '?'}`;
  return backend;
}

function articled(kind: string): string {
  return `${/^[AEIOU]/.test(kind) ? 'an' : 'a'} ${kind}`;
}

function istioBackend(destination: IstioHttpRouteFacts['destinations'][number]): Backend {
  return { service: destination.service, port: destination.port?.value, span: destination.span, name: destination.host?.text };
}

/** An Ingress read as ingress-nginx on the evidence of its annotations alone says so on its hop. */
function withControllerGuess(hop: Hop, ingress: IngressFacts): Hop {
  const note = inferredControllerNote(ingress);
  return note && ingress.controllerAnnotation ? withEvidence(hop, [{ text: note, span: ingress.controllerAnnotation.keySpan }]) : hop;
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
  /** NodePort and LoadBalancer Services by the nodePort values written on their ports. */
  servicesByNodePort: Map<number, Array<{ service: ServiceFacts; port: ServicePortFacts }>>;
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
  const servicesByNodePort = new Map<number, Array<{ service: ServiceFacts; port: ServicePortFacts }>>();
  for (const service of k8s.services) {
    // Only these types open node ports; the API server refuses a nodePort on any other.
    if (service.type !== 'NodePort' && service.type !== 'LoadBalancer') continue;
    for (const port of service.ports) {
      const nodePort = port.nodePort?.value;
      if (nodePort === undefined) continue;
      const list = servicesByNodePort.get(nodePort);
      if (list) list.push({ service, port });
      else servicesByNodePort.set(nodePort, [{ service, port }]);
    }
  }
  index = {
    ingresses: hostIndex(k8s.ingresses, (ingress) => ingress.paths.flatMap((p) => (p.host ? [p.host.text] : []))),
    // Envoy AI Gateway's AIGatewayRoute has the same `hostnames` (api/v1alpha1/ai_gateway_route.go): a client calling one of them reaches it.
    routes: hostIndex(k8s.gatewayRoutes.filter((r) => (r.kind === 'HTTPRoute' || r.kind === 'AIGatewayRoute') && r.hostnames.length > 0), (route) => route.hostnames.map((h) => h.text)),
    virtualServices: hostIndex(k8s.virtualServices, (vs) => vs.hosts.map((h) => h.text)),
    servicesByName,
    knativeByName,
    servicesByNodePort,
  };
  k8sIndexes.set(k8s, index);
  return index;
}

function ingressTargets(k8s: K8sModel, host: string, path: string | undefined): Array<{ ingress: IngressFacts; path: IngressPathFacts }> {
  const out: Array<{ ingress: IngressFacts; path: IngressPathFacts }> = [];
  for (const ingress of candidatesFor(k8sTargetIndex(k8s).ingresses, host)) {
    let best: IngressPathFacts | undefined;
    let bestScore = -Infinity;
    const regexEnabled = ingress.annotations.some((a) => a.key.endsWith('/use-regex') && a.value?.text === 'true');
    for (const candidate of ingress.paths) {
      if (!candidate.host || !matchIngressHost(candidate.host.text, host).matched) continue;
      const match = path === undefined ? { matched: true, score: 0 } : matchIngressPath(candidate.path?.text, candidate.pathType?.text, path, { regexEnabled, gce: ingress.controller === 'gce' });
      if (match.matched && match.score > bestScore) {
        best = candidate;
        bestScore = match.score;
      }
    }
    if (best) out.push({ ingress, path: best });
  }
  return out;
}

function gatewayRouteTargets(k8s: K8sModel, host: string, path: string | undefined): Array<{ route: GatewayRouteFacts; rule: GatewayRouteRuleFacts }> {
  const out: Array<{ route: GatewayRouteFacts; rule: GatewayRouteRuleFacts }> = [];
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
    if (best) out.push({ route, rule: best });
  }
  return out;
}

function virtualServiceTargets(k8s: K8sModel, host: string, path: string | undefined, mesh: boolean, service?: ServiceFacts): Array<{ virtualService: VirtualServiceFacts; route: IstioHttpRouteFacts }> {
  const out: Array<{ virtualService: VirtualServiceFacts; route: IstioHttpRouteFacts }> = [];
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
    if (route) out.push({ virtualService: vs, route });
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

/** Why a Service's or InferencePool's selector picks no workload. */
function selectorGap(label: string, selector: ReadonlyMap<string, ScalarFact>, namespace: string): string {
  if (selector.size === 0) return `${label} has no selector`;
  if ([...selector.values()].some((v) => v.unresolved)) return `the selector of ${label} holds entries a template printed that cannot be known offline, so the workloads it picks are unknown`;
  return `no workload in namespace ${namespace} has the pod labels ${[...selector].map(([k, v]) => `${k}=${v.text}`).join(', ')}`;
}

/** The requests an Ingress path takes, as the chain follows them: its path as a prefix, or exactly. */
function ingressRequest(ingress: IngressFacts, path: IngressPathFacts): RequestPath {
  const text = path.path?.text ?? '/';
  const type = path.pathType?.text ?? 'ImplementationSpecific';
  if (ingress.controller === 'gce' && type === 'ImplementationSpecific') {
    const prefix = gcePathPrefix(text);
    return prefix === undefined ? { path: text, prefix: false } : { path: prefix, prefix: true };
  }
  return { path: text, prefix: type !== 'Exact' };
}
