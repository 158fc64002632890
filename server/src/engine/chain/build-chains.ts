// Links per-file facts into call chains: client call → gateway → Service → workload → code → handler → outbound calls, recursively.
import { checkStop } from '../run-deadline.js';
import { containerEnvironment } from '../inputs/k8s/env.js';
import type { ContainerFacts, K8sModel, ServiceFacts, WorkloadFacts } from '../inputs/k8s/model.js';
import { upstreamNamed, type NginxBlock, type NginxModel } from '../inputs/nginx/model.js';
import { proxyTargetInference } from '../inputs/nginx/proxy-target.js';
import { inferredControllerNote, type IngressBackend, type IngressFacts } from '../inputs/k8s/ingress.js';
import type { BackendRefFacts } from '../inputs/k8s/routes.js';
import { unexposedPort, type BackendPort } from '../inputs/k8s/service-ports.js';
import { resolveImportedFunction } from '../inputs/ts/resolve.js';
import { nextSourceMatches } from '../inputs/ts/streaming.js';
import { webSocketServerAnswers } from '../inputs/ts/websockets.js';
import type { TsFileFacts, TsFunction, TsImportRef, TsOutboundCall, TsRoute, TsStreamEvidence } from '../inputs/ts/types.js';
import type { ComposeService } from '../inputs/compose/file.js';
import type { FileId, Span } from '../types.js';
import type { Chain, ChainModel, HandlerStreamEvidence, Hop, HopEvidence, UnresolvedLink } from './chain-types.js';
import type { CodePackage } from '../inputs/ts/packages.js';
import { runtimeOf } from '../inputs/ts/runtime.js';
import {
  codeServerHop, composeHop, containerFor, gatewayRouteHop, ingressPathHop, k8sServiceHop, knativeHop, nginxLocationHop, outboundCallHop, routeHandlerHop, virtualServiceHop, workloadHop, LLM_LIBRARIES, webSocketServerHop,
} from './hops.js';
import { joinRelative, resolveTargets, type RequestTarget, type LinkTarget } from './link-targets.js';
import { matchAppRoute, rewriteForProxyPass } from './path-match.js';
import { callUrlOf } from '../inputs/ts/call-urls.js';
import { effectiveRoutes, type EffectiveRoute } from '../inputs/ts/route-prefixes.js';
import { imageName, imageNameCandidate } from './image-name.js';
import { envContextOf, NO_ENV, type EnvBinding, type EnvContext, type TsLookup } from '../inputs/ts/chain-values.js';

export interface ChainInputs {
  nginx: readonly NginxModel[];
  k8s: K8sModel;
  ts: TsLookup;
  packages: readonly CodePackage[];
  /** Explicit mapping from a workload, container or compose service name to a package folder (config `chains.services`). */
  serviceFolders: Readonly<Record<string, string>>;
}

const MAX_DEPTH = 24;
const MAX_CHAINS = 20_000;
/**
 * Hops the walk may enter in all. The depth limit bounds each chain, not their number: handlers that
 * each call the next service twenty times make 20^5 paths in seven tiny services. Past this (or once
 * MAX_CHAINS chains are kept) the walk stops and the chain model says it is incomplete.
 */
const MAX_STEPS = 200_000;

/** A path the request carries: exact when known, a prefix for prefix routes, or unknown. */
interface RequestPath {
  path?: string;
  prefix?: boolean;
  /** Longer prefixes a sibling nginx location takes (longest prefix wins): a prefix request never carries these paths. */
  except?: string[];
}

interface Step {
  hops: Hop[];
  /** Keys of hops on the path so far: a cycle (service A calls B calls A) stops the walk. */
  seen: Set<string>;
}

export function buildChains(inputs: ChainInputs): ChainModel {
  return new Linker(inputs).run();
}

class Linker {
  private readonly chains: Chain[] = [];
  private readonly unresolved = new Map<string, UnresolvedLink>();
  /** Hops entered so far (see MAX_STEPS), and why the walk stopped early, if it did. */
  private steps = 0;
  private truncated: string | undefined;
  /** Calls already walked as part of a chain: not started again as a chain of their own. */
  private readonly visitedCalls = new Set<string>();
  /** Gateway routes reached from a client: not started again on their own. */
  private readonly reachedGateways = new Set<string>();
  private readonly deployedPackages = new Set<string>();
  /** Packages a manifest (workload, Knative Service, compose service) runs. */
  private readonly manifestPackages = new Set<string>();
  /** Route handlers some chain reached. */
  private readonly reachedRoutes = new Set<string>();
  /** Each package's routes with prefixes from other files applied, computed once. */
  private readonly packageRoutes = new Map<string, EffectiveRoute[]>();
  /** Steps already kept as a chain because the walk could not go on from them. */
  private readonly ended = new WeakSet<Step>();
  /** Evidence for the next hop a gateway links to (a proxy target read past its variables): taken by the first extend, cleared after. */
  private pendingLinkEvidence: HopEvidence[] | undefined;

  constructor(private readonly inputs: ChainInputs) {}

  run(): ChainModel {
    this.markDeployedPackages();
    // Clients first (code that no workload runs: front ends, scripts, serverless handlers), then gateways nobody reached, then service code nobody reached.
    for (const pkg of this.inputs.packages) {
      if (this.deployedPackages.has(pkg.dir)) continue;
      for (const file of pkg.files) this.startCalls(file, pkg, true);
    }
    this.startServerlessHandlers();
    this.startGateways();
    for (const pkg of this.inputs.packages) {
      if (!this.deployedPackages.has(pkg.dir)) continue;
      for (const file of pkg.files) this.startCalls(file, pkg, false);
    }
    const model: ChainModel = { chains: this.chains, unresolved: [...this.unresolved.values()] };
    if (this.truncated !== undefined) model.truncated = this.truncated;
    return model;
  }

  // ---- entries ----

  private startCalls(file: FileId, pkg: CodePackage, clientsOnly: boolean): void {
    const facts = this.inputs.ts.get(file);
    if (!facts) return;
    facts.calls.forEach((call) => {
      if (this.visitedCalls.has(callKey(file, call))) return;
      const url = callUrlOf(call, file, this.inputs.ts, NO_ENV);
      const targets = url?.host ? resolveTargets(this.inputs, { host: url.host, port: url.port, path: url.path }) : [];
      // Service code calling the outside world is started from its handler instead; only linked calls start a chain here.
      if (clientsOnly && targets.length === 0) return;
      if (!clientsOnly && targets.length === 0 && facts.routes.length > 0) return;
      const hop = withEvidence(outboundCallHop(file, facts, call, this.inputs.ts, NO_ENV, callLabel(call, url?.text)), call.evidence ?? []);
      placeCall(hop, this.inputs.packages, file, facts, call);
      hop.kind = 'client-call';
      this.visitedCalls.add(callKey(file, call));
      const step: Step = { hops: [hop], seen: new Set([callKey(file, call)]) };
      if (targets.length === 0) this.finish(step);
      else for (const target of targets) this.followTarget(step, target, { path: url?.path }, hop.method, 'default');
      void pkg;
    });
  }

  private startGateways(): void {
    for (const model of this.inputs.nginx) {
      for (const location of model.locations) {
        if (!location.proxyTarget || location.location?.modifier === '@') continue;
        const key = `nginx:${location.directive?.span.file}:${location.directive?.span.start}`;
        if (this.reachedGateways.has(key)) continue;
        const server = serverOf(location);
        const hop = nginxLocationHop(model, server, location, undefined);
        this.followNginx({ hops: [hop], seen: new Set([key]) }, model, location, pathOfLocation(location), undefined);
      }
    }
    const k8s = this.inputs.k8s;
    for (const ingress of k8s.ingresses) {
      for (const path of ingress.paths) {
        const key = `ingress:${path.span.file}:${path.span.start}`;
        if (this.reachedGateways.has(key)) continue;
        const hop = withControllerGuess(ingressPathHop(k8s, ingress, path, undefined), ingress);
        const prefix = path.pathType?.text !== 'Exact';
        this.followIngress({ hops: [hop], seen: new Set([key]) }, path.backend, { path: path.path?.text ?? '/', prefix }, undefined, hop);
      }
    }
    for (const route of k8s.gatewayRoutes) {
      for (const rule of route.rules) {
        const key = `route:${rule.span.file}:${rule.span.start}`;
        if (this.reachedGateways.has(key)) continue;
        const hop = gatewayRouteHop(route, rule);
        const match = rule.matches[0]?.path;
        const request: RequestPath = match?.value ? { path: match.value.text, prefix: match.type?.text !== 'Exact' } : { path: '/', prefix: true };
        this.followBackends({ hops: [hop], seen: new Set([key]) }, rule.backendRefs.map(httpRouteBackend), request, undefined);
      }
    }
    for (const vs of k8s.virtualServices) {
      for (const route of vs.http) {
        const key = `vs:${route.span.file}:${route.span.start}`;
        if (this.reachedGateways.has(key)) continue;
        const hop = virtualServiceHop(vs, route);
        const uri = route.matches[0]?.uri;
        const request: RequestPath = uri && uri.kind !== 'regex' ? { path: uri.value.text, prefix: uri.kind === 'prefix' } : {};
        this.followBackends({ hops: [hop], seen: new Set([key]) }, route.destinations.map((d) => ({ service: d.service, port: d.port?.value, span: d.span, name: d.host?.text })), request, undefined);
      }
    }
    for (const service of k8s.knativeServices) {
      const key = `knative:${service.object.span.file}:${service.object.span.start}`;
      if (this.reachedGateways.has(key)) continue;
      const hop = knativeHop(service);
      const step: Step = { hops: [hop], seen: new Set([key]) };
      const name = service.object.name?.text ?? '';
      const container = service.containers.find((c) => !c.init);
      this.followCode(step, [name, container?.name?.text ?? ''], container ? envOfContainer(`Knative Service ${name}`, container) : NO_ENV, {}, undefined, service.object.namespace);
    }
  }

  /**
   * Next.js route handlers of packages no manifest runs: on Vercel each is a function behind the
   * platform's router, the entry of its own chain (its `maxDuration` is the outermost limit), even
   * when no client or gateway in the workspace reaches it.
   */
  private startServerlessHandlers(): void {
    for (const pkg of this.inputs.packages) {
      if (this.manifestPackages.has(pkg.dir)) continue;
      for (const file of pkg.files) {
        const facts = this.inputs.ts.get(file);
        if (!facts) continue;
        for (const route of facts.routes) {
          if (route.framework !== 'next-app' && route.framework !== 'next-pages') continue;
          const key = `route:${file}:${route.span.start}`;
          if (this.reachedRoutes.has(key)) continue;
          this.reachedRoutes.add(key);
          this.followHandler({ hops: [routeHandlerHop(file, facts, route, pkg)], seen: new Set([key]) }, file, facts, route, NO_ENV, undefined);
        }
      }
    }
  }

  // ---- following a request inward ----

  private followTarget(step: Step, target: LinkTarget, request: RequestPath, method: string | undefined, namespace: string): void {
    switch (target.kind) {
      case 'nginx': {
        const key = `nginx:${target.location.directive?.span.file}:${target.location.directive?.span.start}`;
        this.reachedGateways.add(key);
        if (!this.enter(step, key)) return;
        const hop = nginxLocationHop(target.model, target.server, target.location, method);
        this.followNginx(this.extend(step, hop, key), target.model, target.location, request, method);
        return;
      }
      case 'ingress': {
        const key = `ingress:${target.path.span.file}:${target.path.span.start}`;
        this.reachedGateways.add(key);
        if (!this.enter(step, key)) return;
        const hop = withControllerGuess(ingressPathHop(this.inputs.k8s, target.ingress, target.path, method), target.ingress);
        this.followIngress(this.extend(step, hop, key), target.path.backend, request, method, hop);
        return;
      }
      case 'gateway-route': {
        const key = `route:${target.rule.span.file}:${target.rule.span.start}`;
        this.reachedGateways.add(key);
        if (!this.enter(step, key)) return;
        const hop = gatewayRouteHop(target.route, target.rule);
        this.followBackends(this.extend(step, hop, key), target.rule.backendRefs.map(httpRouteBackend), request, method);
        return;
      }
      case 'virtual-service': {
        const key = `vs:${target.route.span.file}:${target.route.span.start}`;
        this.reachedGateways.add(key);
        if (!this.enter(step, key)) return;
        const hop = virtualServiceHop(target.virtualService, target.route);
        if (method) hop.method = method;
        this.followBackends(this.extend(step, hop, key), target.route.destinations.map((d) => ({ service: d.service, port: d.port?.value, span: d.span, name: d.host?.text })), request, method);
        return;
      }
      case 'k8s-service':
        this.followService(step, target.service, target.port, request, method);
        return;
      case 'compose':
        this.followCompose(step, target.file, target.service, request, method);
        return;
      case 'code-package':
        // A loopback address: the code runs on the gateway's (or caller's) own host, with no manifest in between.
        // A port read from a container's environment: the code runs with that environment, and the link says so.
        if (target.evidence) this.pendingLinkEvidence = [...(this.pendingLinkEvidence ?? []), ...target.evidence];
        try {
          this.followCode(step, [], target.env ?? NO_ENV, request, method, undefined, target.pkg.dir);
        } finally {
          this.pendingLinkEvidence = undefined;
        }
        return;
      case 'unknown':
        // The route depends on a regex that cannot be evaluated safely: stop here rather than guess.
        this.stop(step, step.hops[step.hops.length - 1]!, target.reason);
        return;
      case 'knative': {
        const key = `knative:${target.service.object.span.file}:${target.service.object.span.start}`;
        this.reachedGateways.add(key);
        if (!this.enter(step, key)) return;
        const hop = knativeHop(target.service);
        const container = target.service.containers.find((c) => !c.init);
        const name = target.service.object.name?.text ?? '';
        this.followCode(this.extend(step, hop, key), [name, container?.name?.text ?? ''], container ? envOfContainer(`Knative Service ${name}`, container) : NO_ENV, request, method, target.service.object.namespace);
        return;
      }
    }
    void namespace;
  }

  private followNginx(step: Step, model: NginxModel, location: NginxBlock, request: RequestPath, method: string | undefined): void {
    const target = location.proxyTarget;
    const hop = step.hops.at(-1)!;
    if (!target || target.unresolved || !target.host) {
      this.stop(step, hop, target?.unresolved ? `proxy target ${target.raw} is resolved only at request time: ${target.unresolvedReason ?? 'it holds a variable'}` : 'the location does not proxy to a host');
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
      const targets = resolveTargets(this.inputs, { host, port: portText, path: inner.path, internalOnly: true });
      for (const t of targets) {
        const key = targetKey(t);
        if (seenTargets.has(key)) continue;
        seenTargets.add(key);
        linked = true;
        this.pendingLinkEvidence = inferred !== undefined ? [{ text: inferred, span: target.span }] : undefined;
        try {
          this.followTarget(step, t, inner, method, 'default');
        } finally {
          this.pendingLinkEvidence = undefined;
        }
      }
    }
    if (linked) return;
    // An upstream server written with a variable or an envsubst placeholder (`${UPSTREAM_HOST}:3000`) is
    // known only when nginx or its container starts: a stop with that reason, not an external host.
    const placeholder = addresses.find(({ address }) => address.includes('$'));
    if (placeholder) {
      this.stop(step, hop, `${upstream ? `upstream ${upstream.name} server ${placeholder.address}` : `proxy target ${target.raw}`} is resolved only when nginx starts: the address holds a variable or placeholder`);
      return;
    }
    // A public host name is an external dependency, not a missing link.
    const internal = addresses.some(({ address }) => looksInternal(splitHostPort(address)[0] ?? ''));
    // Only a workspace that holds services at all can be missing one; an nginx-only repository is not.
    if (internal && this.hasServices()) this.stop(step, hop, `${upstream ? `upstream ${upstream.name} (${addresses.map((a) => a.address).join(', ')})` : target.raw} matches no Kubernetes Service or compose service in the workspace`);
    else this.finish(step);
  }

  private followIngress(step: Step, backend: IngressBackend, request: RequestPath, method: string | undefined, hop: Hop): void {
    const service = backend.service;
    if (!service) {
      this.stop(step, hop, 'the backend Service is not among the manifests');
      return;
    }
    // The controller connects to a Service port only: a port the Service does not expose reaches nothing.
    const unexposed = unexposedPort(service, backend.port, 'the Ingress backend');
    if (unexposed) {
      this.stop(step, hop, unexposed, backend.port?.span);
      return;
    }
    this.followService(step, service, backend.servicePort?.port?.value, request, method);
  }

  private followBackends(step: Step, backends: Backend[], request: RequestPath, method: string | undefined): void {
    const hop = step.hops.at(-1)!;
    let linked = false;
    const unexposed: Array<{ problem: string; span?: Span }> = [];
    for (const backend of backends) {
      if (!backend.service) continue;
      const problem = backend.checkPort ? unexposedPort(backend.service, backend.checkPort, backend.checkPortAs ?? 'the backend') : undefined;
      if (problem) {
        unexposed.push({ problem, ...(backend.checkPort?.span ? { span: backend.checkPort.span } : {}) });
        continue;
      }
      linked = true;
      this.followService(step, backend.service, backend.port, request, method);
    }
    if (linked) {
      // Traffic still reaches the other backends; the one that names a wrong port is worth a note.
      for (const { problem, span } of unexposed) this.note(hop, problem, span);
      return;
    }
    if (unexposed.length > 0) this.stop(step, hop, unexposed.map((u) => u.problem).join('; '), unexposed.length === 1 ? unexposed[0]!.span : undefined);
    else this.stop(step, hop, `backend ${backends.map((b) => b.name ?? '?').join(', ') || '(none)'} is not a Service among the manifests`);
  }

  private followService(step: Step, service: ServiceFacts, port: number | undefined, request: RequestPath, method: string | undefined): void {
    const key = `svc:${service.object.span.file}:${service.object.span.start}`;
    if (!this.enter(step, key)) return;
    const hop = k8sServiceHop(service);
    const next = this.extend(step, hop, key);
    const servicePort = port !== undefined ? service.ports.find((p) => p.port?.value === port) : service.ports.length === 1 ? service.ports[0] : undefined;
    if (port !== undefined && service.ports.length > 0 && !servicePort) {
      this.note(hop, `port ${port} is not a port of ${hop.label} (ports: ${service.ports.map((p) => p.port?.text ?? '?').join(', ')})`);
    }
    if (service.type === 'ExternalName') {
      this.followExternalName(next, service, port, request, method);
      return;
    }
    if (service.targets.length === 0) {
      this.stop(next, hop, service.selector.size === 0 ? `${hop.label} has no selector` : `no workload in namespace ${service.object.namespace} has the pod labels ${[...service.selector].map(([k, v]) => `${k}=${v.text}`).join(', ')}`);
      return;
    }
    for (const workload of service.targets) {
      const targetPort = servicePort?.targetPort;
      const wanted = targetPort ? (targetPort.number !== undefined ? { number: targetPort.number } : targetPort.name ? { name: targetPort.name } : undefined) : servicePort?.port?.value !== undefined ? { number: servicePort.port.value } : undefined;
      const container = containerFor(workload, wanted);
      if (targetPort?.name && !workload.containers.some((c) => c.ports.some((p) => p.name?.text === targetPort.name))) {
        this.note(hop, `targetPort ${targetPort.name} names no container port of ${workload.kind} ${workload.object.name?.text ?? '?'}`);
      }
      this.followWorkload(next, workload, container, request, method);
    }
  }

  /**
   * An ExternalName Service is a DNS alias (a CNAME): its name may be another Service of the
   * workspace, which the chain follows, or a host outside it, where the chain ends as at any
   * external dependency (not an unresolved link).
   */
  private followExternalName(step: Step, service: ServiceFacts, port: number | undefined, request: RequestPath, method: string | undefined): void {
    const host = service.externalName?.text.toLowerCase().replace(/\.$/, '');
    const targets = host ? resolveTargets(this.inputs, { host, port, path: request.path, namespace: service.object.namespace, internalOnly: true }) : [];
    if (targets.length === 0) {
      this.finish(step);
      return;
    }
    for (const target of targets) this.followTarget(step, target, request, method, service.object.namespace);
  }

  private followWorkload(step: Step, workload: WorkloadFacts, container: ContainerFacts | undefined, request: RequestPath, method: string | undefined): void {
    const key = `wl:${workload.object.span.file}:${workload.object.span.start}`;
    if (!this.enter(step, key)) return;
    const hop = workloadHop(workload, container);
    const name = workload.object.name?.text ?? '';
    const env = container ? envOfContainer(`${workload.kind} ${workload.object.namespace}/${name}`, container) : NO_ENV;
    this.followCode(this.extend(step, hop, key), [container?.name?.text ?? '', name, ...(container?.image ? [imageName(container.image.text)] : [])], env, request, method, workload.object.namespace);
  }

  private followCompose(step: Step, file: FileId, service: ComposeService, request: RequestPath, method: string | undefined): void {
    const key = `compose:${file}:${service.nameSpan.start}`;
    if (!this.enter(step, key)) return;
    const hop = composeHop(file, service);
    const env = envContextOf(`compose service ${service.name}`, new Map(service.environment.map((e): [string, EnvBinding] => [e.name, { declaredAt: e.span, unknown: e.value?.unresolved ?? e.value === undefined, ...(e.value ? { text: e.value.text, valueSpan: e.value.span } : {}) }])));
    const context = service.build?.context?.text;
    const folder = context ? joinRelative(file, context) : undefined;
    const image = service.image ? imageNameCandidate(service.image.text) : undefined;
    const evidence = image?.evidence ? { name: image.name, text: `image name ${image.name} from the ${image.evidence} of ${service.image!.text}`, span: service.image!.span } : undefined;
    this.followCode(this.extend(step, hop, key), [service.name, ...(image ? [image.name] : [])], env, request, method, undefined, folder, evidence);
  }

  /** Finds the code a workload runs, then its server and the handlers the request reaches. */
  private followCode(step: Step, names: string[], env: EnvContext, request: RequestPath, method: string | undefined, namespace: string | undefined, folder?: string, imageEvidence?: HopEvidence & { name: string }): void {
    const hop = step.hops.at(-1)!;
    let pkg = this.packageFor(names.filter(Boolean), folder);
    // The package was found by the image name read from a placeholder default, and by nothing else: say so on the link.
    const linkEvidence: HopEvidence[] = imageEvidence && pkg && pkg.names.includes(imageEvidence.name.toLowerCase()) && !(folder !== undefined && pkg.dir === folder) ? [{ text: imageEvidence.text, span: imageEvidence.span! }] : [];
    let enclosing: string | undefined;
    if (!pkg) {
      // A name of a manifest without code of its own (the repository root) stands for the one code package under it.
      const wanted = names.filter(Boolean).map((n) => n.toLowerCase());
      const under = this.inputs.packages.filter((p) => p.enclosingNames?.some((e) => wanted.includes(e.name)));
      if (under.length === 1) {
        pkg = under[0]!;
        const manifest = pkg.enclosingNames!.find((e) => wanted.includes(e.name))!;
        if (imageEvidence && imageEvidence.name.toLowerCase() === manifest.name) linkEvidence.push({ text: imageEvidence.text, span: imageEvidence.span! });
        linkEvidence.push({ text: `${manifest.name} is the name in ${manifest.manifest}, whose only code package is ${pkg.dir || 'the workspace root'}` });
      } else if (under.length > 1) enclosing = under.map((p) => p.dir || 'the workspace root').join(' and ');
    }
    if (!pkg) {
      const candidates = enclosing ? ` (${enclosing} are both under a package.json of that name: ambiguous)` : '';
      if (this.inputs.packages.length > 0) this.stop(step, hop, `no code package matches ${[...new Set(names.filter(Boolean))].join(', ')} (by config \`chains.services\`, package.json name or folder name)${candidates}`);
      else this.finish(step);
      return;
    }
    const servers = pkg.files.flatMap((file) => (this.inputs.ts.get(file)?.servers ?? []).map((server) => ({ file, server })));
    let current = step;
    if (servers.length > 0) {
      const { file, server } = servers[0]!;
      const key = `server:${file}:${server.span.start}`;
      if (!this.enter(step, key)) return;
      current = this.extend(step, withEvidence(codeServerHop(file, this.inputs.ts.get(file)!, server, pkg, this.inputs.ts, env), linkEvidence), key);
      linkEvidence.length = 0;
    }
    const routes = this.routesFor(pkg, request, method);
    if (routes.length === 0) {
      // An upgrade no route takes may be a websocket server's (socket.io, ws): the chain ends there, complete.
      const socket = pkg.files.flatMap((file) => (this.inputs.ts.get(file)?.webSocketServers ?? []).filter((s) => webSocketServerAnswers(s, request)).map((server) => ({ file, server })))[0];
      if (socket) return void this.finish(this.extend(current, webSocketServerHop(socket.file, this.inputs.ts.get(socket.file)!, socket.server, pkg), `ws:${socket.file}:${socket.server.span.start}`));
      this.stop(current, current.hops.at(-1)!, `no route handler in ${pkg.dir || 'the workspace root'} matches ${method ?? ''} ${request.path ?? '(any path)'}${request.prefix ? '*' : ''}`.replace(/\s+/g, ' '));
      return;
    }
    for (const { file, route } of routes) {
      const key = `route:${file}:${route.span.start}`;
      if (!this.enter(current, key)) continue;
      this.reachedRoutes.add(key);
      const facts = this.inputs.ts.get(file)!;
      const handler = withEvidence(routeHandlerHop(file, facts, route, pkg, this.streamEvidenceOfHandler(file, facts, route, pkg)), [...linkEvidence, ...(route.evidence ?? [])]);
      this.followHandler(this.extend(current, handler, key), file, facts, route, env, namespace);
    }
  }

  private followHandler(step: Step, file: FileId, facts: TsFileFacts, route: TsRoute, env: EnvContext, namespace: string | undefined): void {
    const calls = this.callsOfHandler(file, facts, route);
    if (calls.length === 0) {
      this.finish(step);
      return;
    }
    for (const { file: callFile, facts: callFacts, call } of calls) {
      const key = callKey(callFile, call);
      this.visitedCalls.add(key);
      if (!this.enter(step, key)) continue;
      const url = callUrlOf(call, callFile, this.inputs.ts, env);
      const hop = withEvidence(outboundCallHop(callFile, callFacts, call, this.inputs.ts, env, callLabel(call, url?.text)), call.evidence ?? []);
      placeCall(hop, this.inputs.packages, callFile, callFacts, call);
      const next = this.extend(step, hop, key);
      const targets = url?.host ? resolveTargets(this.inputs, { host: url.host, port: url.port, path: url.path, namespace }) : [];
      if (targets.length === 0) {
        if (url?.host && looksInternal(url.host) && (this.hasServices() || this.inputs.nginx.length > 0)) this.stop(next, hop, `host ${url.host} matches no gateway, Service or compose service in the workspace`);
        else this.finish(next);
        continue;
      }
      for (const target of targets) this.followTarget(next, target, { path: url?.path }, hop.method, namespace ?? 'default');
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
        for (const rule of this.inputs.ts.get(configFile)?.nextHeaders ?? []) {
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
        const found = resolveImportedFunction(this.inputs.ts, f, ref);
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
      const found = resolveImportedFunction(this.inputs.ts, file, ref);
      if (found) visitFn(found.file, found.facts, found.fn, 1);
    }
    for (const { call } of this.callsOfHandler(file, facts, route)) {
      if (call.streaming !== true || !LLM_LIBRARIES.has(call.library)) continue;
      const evidence = { text: `${call.library} ${call.method ?? 'call'} (streamed)`, span: call.span };
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
      const found = resolveImportedFunction(this.inputs.ts, from, ref);
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

  // ---- packages and routes ----

  private markDeployedPackages(): void {
    const k8s = this.inputs.k8s;
    for (const workload of k8s.workloads) {
      for (const container of workload.containers) {
        const pkg = this.packageFor([container.name?.text ?? '', workload.object.name?.text ?? '', ...(container.image ? [imageName(container.image.text)] : [])].filter(Boolean));
        if (pkg) this.manifestPackages.add(pkg.dir);
      }
    }
    for (const service of k8s.knativeServices) {
      const pkg = this.packageFor([service.object.name?.text ?? '', ...service.containers.map((c) => c.name?.text ?? '')].filter(Boolean));
      if (pkg) this.manifestPackages.add(pkg.dir);
    }
    for (const { file, compose } of k8s.composeFiles) {
      for (const service of compose.services) {
        const context = service.build?.context?.text;
        const pkg = this.packageFor([service.name], context ? joinRelative(file, context) : undefined);
        if (pkg) this.manifestPackages.add(pkg.dir);
      }
    }
    for (const dir of this.manifestPackages) this.deployedPackages.add(dir);
    // A package that serves routes is a service even when no manifest runs it.
    for (const pkg of this.inputs.packages) {
      if (pkg.files.some((f) => (this.inputs.ts.get(f)?.routes.length ?? 0) > 0 || (this.inputs.ts.get(f)?.servers.length ?? 0) > 0)) this.deployedPackages.add(pkg.dir);
    }
  }

  private packageFor(names: string[], folder?: string): CodePackage | undefined {
    const packages = this.inputs.packages;
    for (const name of names) {
      // Own keys only: a workload named "toString" must not find Object.prototype.toString.
      const mapped = Object.hasOwn(this.inputs.serviceFolders, name) ? this.inputs.serviceFolders[name] : undefined;
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
    const wanted = names.map((n) => n.toLowerCase());
    return packages.find((p) => p.name !== undefined && wanted.some((w) => p.names.includes(w))) ?? packages.find((p) => wanted.some((w) => p.names.includes(w)));
  }

  private routesFor(pkg: CodePackage, request: RequestPath, method: string | undefined): Array<{ file: FileId; route: TsRoute }> {
    let all = this.packageRoutes.get(pkg.dir);
    if (!all) this.packageRoutes.set(pkg.dir, (all = effectiveRoutes(pkg, this.inputs.ts)));
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

  // ---- bookkeeping ----

  private hasServices(): boolean {
    return this.inputs.k8s.services.length > 0 || this.inputs.k8s.composeFiles.some((c) => c.compose.services.length > 0);
  }

  /**
   * True when the walk may go on into `key`. A hop already on the path (service A calls B calls A)
   * or the depth limit ends the chain here instead: it is kept, ending at the last hop before the loop.
   */
  private enter(step: Step, key: string): boolean {
    // Every hop of every chain passes here: a time budget may stop a linking that goes on and on.
    checkStop();
    if (this.chains.length >= MAX_CHAINS || ++this.steps > MAX_STEPS) {
      this.truncated ??= `call chains were not all followed: the workspace links into more than ${this.chains.length >= MAX_CHAINS ? `${MAX_CHAINS.toLocaleString('en-US')} chains` : `${MAX_STEPS.toLocaleString('en-US')} hops`} (calls that fan out at every service multiply)`;
      return false;
    }
    if (!step.seen.has(key) && step.hops.length < MAX_DEPTH) return true;
    if (!this.ended.has(step)) {
      this.ended.add(step);
      this.finish(step);
    }
    return false;
  }

  private extend(step: Step, hop: Hop, key: string): Step {
    if (this.pendingLinkEvidence) {
      withEvidence(hop, this.pendingLinkEvidence);
      this.pendingLinkEvidence = undefined;
    }
    return { hops: [...step.hops, hop], seen: new Set([...step.seen, key]) };
  }

  private finish(step: Step, unresolved?: UnresolvedLink): void {
    if (this.chains.length >= MAX_CHAINS) return;
    this.chains.push(unresolved ? { hops: step.hops, unresolved } : { hops: step.hops });
  }

  /** `at`: the entry that breaks the link (a backend's port), when it is more precise than the hop. */
  private stop(step: Step, hop: Hop, message: string, at?: Span): void {
    const link = this.note(hop, message, at);
    this.finish(step, link);
  }

  private note(hop: Hop, message: string, at?: Span): UnresolvedLink {
    const span = at ?? hop.span;
    const key = `${span.file}:${span.start}:${message}`;
    let link = this.unresolved.get(key);
    if (!link) {
      link = { from: hop.label, message, span };
      this.unresolved.set(key, link);
    }
    return link;
  }
}

function callKey(file: FileId, call: TsOutboundCall): string {
  return `call:${file}:${call.span.start}`;
}

/**
 * Says where a call's code runs. A browser's fetch is not undici: the Node defaults read for `fetch`
 * (headersTimeout, bodyTimeout, …) do not bound it, so a browser hop keeps only what the code sets.
 */
function placeCall(hop: Hop, packages: readonly CodePackage[], file: FileId, facts: TsFileFacts, call: TsOutboundCall): void {
  hop.runtime = runtimeOf(packages, file, facts);
  if (hop.runtime.runtime === 'browser' && call.library === 'fetch') hop.timeouts = hop.timeouts.filter((t) => t.source !== 'default');
}

function callLabel(call: TsOutboundCall, url: string | undefined): string {
  const what = call.method && !/^[A-Z]+$/.test(call.method) ? `${call.library} ${call.method}` : `${call.library}${call.method ? ` ${call.method}` : ''}`;
  return url ? `${what} ${url}` : `${what} call`;
}

function targetKey(target: LinkTarget): string {
  switch (target.kind) {
    case 'nginx': return `nginx:${target.location.directive?.span.start}`;
    case 'ingress': return `ingress:${target.path.span.file}:${target.path.span.start}`;
    case 'gateway-route': return `route:${target.rule.span.file}:${target.rule.span.start}`;
    case 'virtual-service': return `vs:${target.route.span.file}:${target.route.span.start}`;
    case 'k8s-service': return `svc:${target.service.object.span.file}:${target.service.object.span.start}`;
    case 'compose': return `compose:${target.file}:${target.service.nameSpan.start}`;
    case 'knative': return `knative:${target.service.object.span.file}:${target.service.object.span.start}`;
    case 'code-package': return `code:${target.pkg.dir}`;
    case 'unknown': return `unknown:${target.reason}`;
  }
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

function splitHostPort(address: string): [string | undefined, number | undefined] {
  const withoutScheme = address.replace(/^[a-z]+:\/\//i, '');
  if (withoutScheme.startsWith('unix:')) return [undefined, undefined];
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(withoutScheme);
  if (bracketed) return [bracketed[1], bracketed[2] ? Number(bracketed[2]) : undefined];
  const m = /^([^:/]+)(?::(\d+))?/.exec(withoutScheme);
  return m ? [m[1], m[2] ? Number(m[2]) : undefined] : [undefined, undefined];
}

function envOfContainer(owner: string, container: ContainerFacts): EnvContext {
  const vars = new Map<string, EnvBinding>();
  for (const [name, variable] of containerEnvironment(container)) {
    vars.set(name, { declaredAt: variable.declaredAt, unknown: variable.unknown, ...(variable.value ? { text: variable.value.text, valueSpan: variable.value.span } : {}) });
  }
  return envContextOf(owner, vars);
}

/** A gateway's backend for {@link Linker.followBackends}; `checkPort` when the port must be one the Service exposes. */
interface Backend {
  service?: ServiceFacts | undefined;
  port?: number | undefined;
  span: Span;
  name?: string | undefined;
  checkPort?: BackendPort;
  checkPortAs?: string;
}

/** An HTTPRoute backendRef: its `port` is the Service port (Gateway API), so a port the Service does not expose is a broken link. */
function httpRouteBackend(ref: BackendRefFacts): Backend {
  const backend: Backend = { service: ref.service, port: ref.port?.value, span: ref.span, name: ref.name?.text };
  if (ref.port) backend.checkPort = { text: ref.port.text, span: ref.port.span, ...(ref.port.value !== undefined ? { number: ref.port.value } : {}), ...(ref.port.unresolved || ref.port.value === undefined ? { unresolved: true } : {}) };
  backend.checkPortAs = `the HTTPRoute backendRef ${ref.name?.text ?? '?'}`;
  return backend;
}

/** An Ingress read as ingress-nginx on the evidence of its annotations alone says so on its hop. */
function withControllerGuess(hop: Hop, ingress: IngressFacts): Hop {
  const note = inferredControllerNote(ingress);
  return note && ingress.controllerAnnotation ? withEvidence(hop, [{ text: note, span: ingress.controllerAnnotation.keySpan }]) : hop;
}

function withEvidence(hop: Hop, evidence: readonly HopEvidence[]): Hop {
  if (evidence.length > 0) hop.evidence = [...(hop.evidence ?? []), ...evidence];
  return hop;
}

/** Host names that can only be inside the system: single labels, cluster DNS, `.internal`/`.local`. */
function looksInternal(host: string): boolean {
  if (host === '' || host === 'localhost' || /^[\d.]+$|:/.test(host)) return false;
  return !host.includes('.') || /\.(svc|svc\.cluster\.local|cluster\.local|internal|local)$/.test(host);
}

export type { RequestTarget };
