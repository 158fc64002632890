// Builds one hop of a chain from a model object: its timeouts by kind, attempts, keep-alive, streaming and LLM flags, with provenance.
import type { ContainerFacts, EffectiveDuration, GatewayRouteFacts, GatewayRouteRuleFacts, IngressFacts, IngressPathFacts, IstioHttpRouteFacts, K8sDuration, K8sModel, KnativeServiceFacts, ServiceFacts, VirtualServiceFacts, WorkloadFacts } from '../inputs/k8s/model.js';
import type { IngressNginxValue } from '../inputs/k8s/ingress-nginx.js';
import { effectiveValue, upstreamNamed, type EffectiveValue, type NginxBlock, type NginxModel } from '../inputs/nginx/model.js';
import type { TimeoutKind } from '../timeout-kind.js';
import type { TsFileFacts, TsOutboundCall, TsRoute, TsServer, TsTimeout, TsWebSocketServer } from '../inputs/ts/types.js';
import type { ComposeService } from '../inputs/compose/file.js';
import type { FileId, Span } from '../types.js';
import type { HandlerStreamEvidence, Hop, HopAttempts, HopTimeout } from './chain-types.js';
import type { CodePackage } from '../inputs/ts/packages.js';
import { errorPageFallback, servingLocation } from '../inputs/nginx/serving.js';
import { resolveTsTimeout, type EnvContext, type TsLookup } from '../inputs/ts/chain-values.js';

export const LLM_LIBRARIES = new Set(['openai', 'anthropic', 'ai', 'langchain', 'google-genai', 'mistral', 'groq']);
/** Methods nginx does not retry once the request was sent (facts §14). */
const NON_IDEMPOTENT = new Set(['POST', 'PATCH', 'LOCK']);

export function headerSpanOf(block: NginxBlock, fallback: Span): Span {
  const directive = block.directive;
  if (!directive) return fallback;
  const last = directive.args.at(-1);
  return { file: directive.span.file, start: directive.nameSpan.start, end: last ? last.span.end : directive.nameSpan.end };
}

// Effective values are shared by every location that inherits the same directive or default, and so
// are the hop timeouts made of them (never changed once made): one per value, kind and per-attempt.
const nginxTimeouts = new WeakMap<EffectiveValue, Map<string, HopTimeout>>();

function nginxTimeout(value: EffectiveValue | undefined, kind: TimeoutKind, perAttempt = false): HopTimeout | undefined {
  if (!value) return undefined;
  let made = nginxTimeouts.get(value);
  if (!made) {
    made = new Map();
    nginxTimeouts.set(value, made);
  }
  const key = perAttempt ? `${kind}+` : kind;
  let timeout = made.get(key);
  if (!timeout) {
    timeout = makeNginxTimeout(value, kind, perAttempt);
    made.set(key, timeout);
  }
  return timeout;
}

function makeNginxTimeout(value: EffectiveValue, kind: TimeoutKind, perAttempt: boolean): HopTimeout {
  const source = value.source.kind === 'default' ? 'default' : value.source.kind;
  const timeout: HopTimeout = { kind, knob: value.knob.name, text: value.text, source, factsRef: value.knob.factsRef };
  // Set here, not spread onto a copy later: a spread copy costs every hop timeout a hidden class of its own.
  if (perAttempt) timeout.perAttempt = true;
  if (value.ms !== undefined) timeout.ms = value.ms;
  if (value.source.kind !== 'default') {
    const args = value.source.directive.args;
    timeout.span = args.length > 0 ? { file: args[0]!.span.file, start: args[0]!.span.start, end: args.at(-1)!.span.end } : value.source.directive.span;
  }
  return timeout;
}

/** An nginx location that proxies: read/connect timeouts, tries over the upstream's servers, pooled keep-alive. */
interface FamilyKnobs {
  family: string;
  read: string;
  connect: string;
  nextTimeout: string;
  tries: string;
  next: string;
  buffering: string;
}

const knobsByVia = new Map<string, FamilyKnobs>();

/** The knob names of a `*_pass` family (`proxy`, `grpc`, `fastcgi`, `uwsgi`), built once: every location of a gateway asks. */
function familyKnobs(via: string): FamilyKnobs {
  let knobs = knobsByVia.get(via);
  if (!knobs) {
    const family = via.replace(/_pass$/, '');
    knobs = {
      family, read: `${family}_read_timeout`, connect: `${family}_connect_timeout`, nextTimeout: `${family}_next_upstream_timeout`,
      tries: `${family}_next_upstream_tries`, next: `${family}_next_upstream`, buffering: `${family}_buffering`,
    };
    knobsByVia.set(via, knobs);
  }
  return knobs;
}

/** nginx stops re-running a request after this many internal redirects (`NGX_HTTP_MAX_URI_CHANGES`). */
const MAX_URI_CHANGES = 10;

export function nginxLocationHop(model: NginxModel, server: NginxBlock | undefined, location: NginxBlock, method: string | undefined): Hop {
  const hop = nginxProxyHop(model, location, method);
  if (server) hop.ref = { kind: 'nginx', model, location, server };
  if (!server) return hop;
  // A timed-out request re-run by `error_page 504` (facts §1.3): the fallback's waits add to these.
  // nginx marks the request as redirected once by the location whose error_page it uses, unless
  // `recursive_error_pages on` applies *there* (ngx_http_special_response_handler); so a fallback's
  // own error_page runs only when every location before it had it on (measured: on in the fallback alone is not enough).
  let from = location;
  let last = hop;
  const seen = new Set([location]);
  for (let i = 0; i < MAX_URI_CHANGES; i++) {
    const fallback = errorPageFallback(server, from, 504);
    const serving = fallback ? servingLocation(server, fallback) : undefined;
    if (!serving || seen.has(serving)) break;
    seen.add(serving);
    last.fallback = nginxProxyHop(model, serving, method, server);
    last = last.fallback;
    if (!recursiveErrorPages(from)) break;
    from = serving;
  }
  return hop;
}

/** `recursive_error_pages` as it applies in a block: the innermost setting, else off. */
function recursiveErrorPages(block: NginxBlock): boolean {
  for (let current: NginxBlock | undefined = block; current; current = current.parent) {
    const directive = current.statements.find((d) => d.name === 'recursive_error_pages');
    if (directive) return directive.args[0]?.value === 'on';
  }
  return false;
}

function nginxProxyHop(model: NginxModel, location: NginxBlock, method: string | undefined, server?: NginxBlock): Hop {
  const target = location.proxyTarget;
  const knobs = familyKnobs(target ? target.via : 'proxy_pass');
  const timeouts: HopTimeout[] = [];
  const read = nginxTimeout(effectiveValue(location, knobs.read), 'idle', true);
  const connect = nginxTimeout(effectiveValue(location, knobs.connect), 'connect', true);
  if (read) timeouts.push(read);
  if (connect) timeouts.push(connect);
  const upstream = target?.host ? upstreamNamed(model, target.host) : undefined;
  // Every server but `down` ones is a try, `backup` ones included (facts §1.3, measured s19).
  const servers = upstream ? Math.max(1, upstream.servers.filter((s) => !s.down).length) : 1;
  const hop: Hop = {
    kind: 'nginx-location',
    // A named location's pattern already holds its `@`.
    label: `nginx location ${location.location?.modifier && location.location.modifier !== '@' ? `${location.location.modifier} ` : ''}${location.location?.pattern ?? ''}`,
    span: headerSpanOf(location, target?.span ?? model.root.statements[0]?.span ?? { file: model.config.entry, start: 0, end: 0 }),
    timeouts,
    ref: { kind: 'nginx', model, location, ...(server ? { server } : {}) },
  };
  if (method) hop.method = method;
  const tries = effectiveValue(location, knobs.tries);
  const next = effectiveValue(location, knobs.next);
  const words = (next?.text ?? 'error timeout').split(/\s+/);
  const triesCount = Number(tries?.text ?? '0');
  let count = Math.min(servers, triesCount > 0 ? triesCount : servers);
  // proxy_next_upstream_timeout is checked only when a try has failed, before the next one starts
  // (facts §1.3, measured s18): tries go on while the time spent is below it, and a running try is
  // never cut. With a silent upstream each try lasts the read timeout.
  const nextTimeout = nginxTimeout(effectiveValue(location, knobs.nextTimeout), 'total');
  const gated = nextTimeout?.ms !== undefined && nextTimeout.ms > 0 && read?.ms !== undefined && read.ms > 0
    ? Math.max(1, Math.ceil(nextTimeout.ms / read.ms)) : undefined;
  const gate = gated !== undefined && gated < count ? nextTimeout : undefined;
  if (gate) count = gated!;
  if (count > 1) {
    const retriesTimeouts = words.includes('timeout') && (words.includes('non_idempotent') || !NON_IDEMPOTENT.has(method ?? ''));
    const attempts: HopAttempts = { count, knob: knobs.tries, source: tries && tries.source.kind !== 'default' ? 'set' : 'default', retriesTimeouts, factsRef: '§1.3, §14' };
    if (tries && tries.source.kind !== 'default') attempts.span = tries.source.directive.span;
    if (gate) attempts.gate = gate;
    hop.attempts = attempts;
  }
  if (upstream?.block.statements.some((d) => d.name === 'keepalive')) {
    const keepAlive = nginxTimeout(effectiveValue(upstream.block, 'keepalive_timeout'), 'keepalive');
    if (keepAlive) hop.keepAlive = keepAlive;
  }
  const buffering = effectiveValue(location, knobs.buffering);
  if (buffering?.text === 'off') hop.streaming = true;
  return hop;
}

function ingressNginxTimeout(value: IngressNginxValue, knobPrefix: string, kind: TimeoutKind): HopTimeout {
  const timeout: HopTimeout = {
    kind,
    knob: value.source.kind === 'annotation' ? `${knobPrefix}/${value.knob}` : value.knob,
    text: value.text,
    source: value.source.kind === 'annotation' ? 'set' : value.source.kind === 'configmap' ? 'inherited' : 'default',
    factsRef: value.source.factsRef,
    perAttempt: true,
  };
  if (value.ms !== undefined) timeout.ms = value.ms;
  if (value.source.span) timeout.span = value.source.span;
  return timeout;
}

function durationTimeout(value: EffectiveDuration | undefined, knob: string, kind: TimeoutKind, extra: Partial<HopTimeout> = {}): HopTimeout | undefined {
  if (!value) return undefined;
  const timeout: HopTimeout = { kind, knob, text: value.written?.text ?? (value.disabled ? 'none' : value.ms !== undefined ? `${value.ms / 1000}s` : 'unknown'), source: value.source, factsRef: value.factsRef, ...extra };
  if (value.ms !== undefined) timeout.ms = value.ms;
  if (value.disabled) timeout.disabled = true;
  if (value.written) timeout.span = value.written.span;
  return timeout;
}

function writtenTimeout(value: K8sDuration | undefined, knob: string, kind: TimeoutKind, factsRef: string, extra: Partial<HopTimeout> = {}): HopTimeout | undefined {
  if (!value) return undefined;
  const timeout: HopTimeout = { kind, knob, text: value.text, source: 'set', span: value.span, factsRef, ...extra };
  if (value.ms !== undefined) timeout.ms = value.ms;
  if (value.ms === 0) timeout.disabled = true;
  return timeout;
}

/** An Ingress path: the controller's per-location timeouts (ingress-nginx, ALB idle, GKE backend timeout). */
export function ingressPathHop(k8s: K8sModel, ingress: IngressFacts, path: IngressPathFacts, method: string | undefined): Hop {
  const timeouts: HopTimeout[] = [];
  const hop: Hop = {
    kind: 'ingress-path',
    label: `Ingress ${ingress.object.namespace}/${ingress.object.name?.text ?? '?'} path ${path.path?.text ?? '/'}`,
    span: path.path?.span ?? path.span,
    timeouts,
    ref: { kind: 'ingress', ingress, path },
  };
  if (method) hop.method = method;
  const settings = ingress.ingressNginx;
  if (ingress.controller === 'ingress-nginx' && settings) {
    const prefix = k8s.ingressNginxAnnotationPrefix;
    timeouts.push(ingressNginxTimeout(settings['proxy-read-timeout'], prefix, 'idle'));
    timeouts.push(ingressNginxTimeout(settings['proxy-connect-timeout'], prefix, 'connect'));
    const tries = settings['proxy-next-upstream-tries'];
    const words = settings['proxy-next-upstream'].text.split(/\s+/);
    const replicas = Math.max(1, ...(path.backend.service?.targets ?? []).map((w) => replicasOf(w)));
    const count = Math.min(tries.count && tries.count > 0 ? tries.count : replicas, replicas);
    if (count > 1) {
      hop.attempts = {
        count, knob: tries.source.kind === 'annotation' ? `${k8s.ingressNginxAnnotationPrefix}/proxy-next-upstream-tries` : 'proxy-next-upstream-tries',
        source: tries.source.kind === 'default' ? 'default' : 'set', factsRef: '§2.2, §14',
        retriesTimeouts: words.includes('timeout') && !NON_IDEMPOTENT.has(method ?? ''),
        ...(tries.source.span ? { span: tries.source.span } : {}),
      };
    }
    const keepAlive = k8s.ingressNginxControllerConfigs[0]?.configMap.data.get('upstream-keepalive-timeout');
    hop.keepAlive = keepAlive?.value && /^\d+$/.test(keepAlive.value.text)
      ? { kind: 'keepalive', knob: 'upstream-keepalive-timeout', text: keepAlive.value.text, ms: Number(keepAlive.value.text) * 1000, source: 'inherited', span: keepAlive.valueSpan, factsRef: '§2.3' }
      : { kind: 'keepalive', knob: 'upstream-keepalive-timeout', text: '60', ms: 60_000, source: 'default', factsRef: '§2.3, §11.1' };
    if (settings['proxy-buffering'].text === 'off') hop.streaming = true;
  }
  if (ingress.controller === 'gce') {
    const timeout = durationTimeout(path.backend.gceTimeout, 'BackendConfig timeoutSec', 'total');
    if (timeout) timeouts.push(timeout);
    hop.keepAlive = { kind: 'keepalive', knob: 'GFE backend keep-alive', text: '600s', ms: 600_000, source: 'default', factsRef: '§9' };
  }
  if (ingress.controller === 'alb') {
    const idle = albIdleTimeout(ingress);
    timeouts.push(idle);
    hop.keepAlive = { ...idle, kind: 'keepalive' };
  }
  return hop;
}

/** `idle_timeout.timeout_seconds` in the load-balancer-attributes annotation, else the 60 s default (facts §9). */
function albIdleTimeout(ingress: IngressFacts): HopTimeout {
  const annotation = ingress.annotations.find((a) => a.key === 'alb.ingress.kubernetes.io/load-balancer-attributes');
  const match = annotation?.value ? /idle_timeout\.timeout_seconds=(\d+)/.exec(annotation.value.text) : null;
  if (annotation && match) {
    return { kind: 'idle', knob: 'idle_timeout.timeout_seconds', text: match[1]!, ms: Number(match[1]) * 1000, source: 'set', span: annotation.valueSpan, factsRef: '§9' };
  }
  return { kind: 'idle', knob: 'idle_timeout.timeout_seconds', text: '60', ms: 60_000, source: 'default', factsRef: '§9' };
}

function replicasOf(workload: WorkloadFacts): number {
  const replicas = workload.object.view.scalar(workload.object.view.get(workload.object.view.get(workload.object.node, 'spec'), 'replicas'));
  return replicas && /^\d+$/.test(replicas.text) ? Number(replicas.text) : 1;
}

/** A Gateway API route rule: `timeouts.request` covers all attempts, `backendRequest` one attempt (facts §6.1). */
export function gatewayRouteHop(route: GatewayRouteFacts, rule: GatewayRouteRuleFacts): Hop {
  const timeouts: HopTimeout[] = [];
  const request = writtenTimeout(rule.timeouts?.request, 'timeouts.request', 'total', '§6.1');
  const backend = writtenTimeout(rule.timeouts?.backendRequest, 'timeouts.backendRequest', 'total', '§6.1', { perAttempt: true });
  if (request) timeouts.push(request);
  if (backend) timeouts.push(backend);
  const hop: Hop = {
    kind: 'gateway-route',
    label: `${route.kind} ${route.object.namespace}/${route.object.name?.text ?? '?'}`,
    span: rule.span,
    timeouts,
    ref: { kind: 'gateway-route', route, rule },
  };
  const attempts = rule.retry?.attempts?.value;
  if (attempts !== undefined && attempts > 0) {
    hop.attempts = { count: attempts + 1, knob: 'retry.attempts', source: 'set', span: rule.retry!.attempts!.span, factsRef: '§6.1', retriesTimeouts: true };
  }
  return hop;
}

/** An Istio VirtualService http route: `timeout` (none by default) and retries with `perTryTimeout` (facts §5). */
export function virtualServiceHop(virtualService: VirtualServiceFacts, route: IstioHttpRouteFacts): Hop {
  const timeouts: HopTimeout[] = [];
  const total = durationTimeout(route.timeout, 'timeout', 'total');
  if (total && !total.disabled) timeouts.push(total);
  const perTry = route.retries.perTryTimeout.source === 'set' ? durationTimeout(route.retries.perTryTimeout, 'retries.perTryTimeout', 'total', { perAttempt: true }) : undefined;
  if (perTry && !perTry.disabled) timeouts.push(perTry);
  const hop: Hop = {
    kind: 'virtual-service',
    label: `VirtualService ${virtualService.object.namespace}/${virtualService.object.name?.text ?? '?'}`,
    span: route.span,
    timeouts,
    ref: { kind: 'virtual-service', virtualService, route },
  };
  const attempts = route.retries.attempts.value;
  if (attempts !== undefined && attempts > 0) {
    // Istio's default retryOn covers connect failures and refused streams, not timeouts (facts §5, §14).
    const retryOn = route.retries.retryOn.text;
    const retriesTimeouts = perTry !== undefined && /5xx|gateway-error|reset/.test(retryOn);
    hop.attempts = { count: attempts + 1, knob: 'retries.attempts', source: route.retries.attempts.source, factsRef: route.retries.attempts.factsRef, retriesTimeouts, ...(route.retries.attempts.written ? { span: route.retries.attempts.written.span } : {}) };
  }
  return hop;
}

/** A Knative Service: `timeoutSeconds` (300 s default) bounds every request (facts §10). */
export function knativeHop(service: KnativeServiceFacts): Hop {
  const timeouts = [durationTimeout(service.timeout, 'timeoutSeconds', 'total'), durationTimeout(service.responseStartTimeout, 'responseStartTimeoutSeconds', 'time-to-headers')]
    .filter((t): t is HopTimeout => t !== undefined && !t.disabled && (t.source === 'set' || t.knob === 'timeoutSeconds'));
  return {
    kind: 'knative-service',
    label: `Knative Service ${service.object.namespace}/${service.object.name?.text ?? '?'}`,
    span: service.object.name?.span ?? service.object.span,
    timeouts,
    ref: { kind: 'knative', service },
  };
}

export function k8sServiceHop(service: ServiceFacts): Hop {
  return {
    kind: 'k8s-service',
    label: `Service ${service.object.namespace}/${service.object.name?.text ?? '?'}`,
    span: service.object.name?.span ?? service.object.span,
    timeouts: [],
    ref: { kind: 'k8s-service', service },
  };
}

export function composeHop(file: FileId, service: ComposeService): Hop {
  return { kind: 'compose-service', label: `compose service ${service.name}`, span: service.nameSpan, timeouts: [], ref: { kind: 'compose', file, service } };
}

export function workloadHop(workload: WorkloadFacts, container: ContainerFacts | undefined): Hop {
  const name = workload.object.name?.text ?? '?';
  return {
    kind: 'workload',
    label: `${workload.kind} ${workload.object.namespace}/${name}${container?.name && container.name.text !== name ? ` (container ${container.name.text})` : ''}`,
    span: container?.name?.span ?? workload.object.name?.span ?? workload.object.span,
    timeouts: [],
    ref: { kind: 'workload', workload, ...(container ? { container } : {}) },
  };
}

/** A Node server: its socket `timeout` (none by default) bounds responses; `keepAliveTimeout` by the package's Node version. */
export function codeServerHop(file: FileId, facts: TsFileFacts, server: TsServer, pkg: CodePackage, lookup: TsLookup, env: EnvContext): Hop {
  const timeouts: HopTimeout[] = [];
  const hop: Hop = {
    kind: 'code-server',
    label: `${server.kind} server${server.variable ? ` \`${server.variable}\`` : ''} in ${pkg.dir || 'the workspace root'}`,
    span: server.span,
    timeouts,
    ref: { kind: 'ts-server', file, facts, server, pkg },
  };
  for (const t of server.timeouts) {
    if (t.option === 'timeout' || t.option === 'connectionTimeout' || t.option === 'handlerTimeout') {
      const resolved = resolveTsTimeout(t, file, lookup, env);
      if (resolved && resolved.source !== 'default' && !resolved.disabled) timeouts.push({ ...resolved, kind: t.option === 'handlerTimeout' ? 'total' : 'idle' });
    }
  }
  const keepAlive = server.timeouts.find((t) => t.option === 'keepAliveTimeout');
  if (keepAlive) {
    const resolved = resolveTsTimeout(withNodeVersion(keepAlive, pkg), file, lookup, env);
    if (resolved) hop.keepAlive = resolved;
  }
  return hop;
}

/** A default that depends on the Node major, fixed by the package's pin when there is one. */
function withNodeVersion(timeout: TsTimeout, pkg: CodePackage): TsTimeout {
  if (!timeout.versionDependentMs || pkg.nodeMajor === undefined) return timeout;
  const major = pkg.nodeMajor;
  for (const [range, ms] of Object.entries(timeout.versionDependentMs)) {
    const m = /^(<=|>=|<|>)(\d+)$/.exec(range);
    if (!m) continue;
    const bound = Number(m[2]);
    const ok = m[1] === '<=' ? major <= bound : m[1] === '>=' ? major >= bound : m[1] === '<' ? major < bound : major > bound;
    if (ok) {
      const { versionDependentMs: _, ...rest } = timeout;
      return { ...rest, ms, factsRef: `${timeout.factsRef}, Node ${major} from ${pkg.nodeMajorSource}` };
    }
  }
  return timeout;
}

export function routeHandlerHop(file: FileId, facts: TsFileFacts, route: TsRoute, pkg: CodePackage, stream?: HandlerStreamEvidence): Hop {
  const timeouts: HopTimeout[] = [];
  if (facts.maxDuration && (route.framework === 'next-app' || route.framework === 'next-pages')) {
    const value = facts.maxDuration.value;
    if (value.kind === 'number') {
      timeouts.push({ kind: 'total', knob: 'maxDuration', text: value.text, ms: value.value * 1000, source: 'set', span: value.span, factsRef: '§11.2' });
    }
  }
  return {
    kind: 'route-handler',
    label: `${route.method} ${route.path ?? '(dynamic path)'} handler`,
    span: route.span,
    timeouts,
    ref: { kind: 'ts-route', file, facts, route, pkg },
    // The evidence stays beside `streaming`, which budgets read as "idle timers are reset by chunks":
    // a handler that streams may still be silent before its first write (an awaited call), so it does not set it.
    ...(stream && (stream.streams.length > 0 || stream.noBuffering.length > 0 || stream.unknown.length > 0) ? { stream } : {}),
  };
}

/** A websocket server in code: no timer of its own (its pings are not timeouts; websocket-idle-below-ping compares them). */
export function webSocketServerHop(file: FileId, facts: TsFileFacts, server: TsWebSocketServer, pkg: CodePackage): Hop {
  return { kind: 'websocket-server', label: `${server.library} server in ${pkg.dir || 'the workspace root'}`, span: server.span, timeouts: [], ref: { kind: 'ts-websocket', file, facts, server, pkg } };
}

/** An outbound call: every timer that bounds it, its retries, streaming and LLM flags. */
export function outboundCallHop(file: FileId, facts: TsFileFacts, call: TsOutboundCall, lookup: TsLookup, env: EnvContext, label: string): Hop {
  const timeouts: HopTimeout[] = [];
  for (const t of call.timeouts) {
    if (t.source === 'none') continue;
    const resolved = resolveTsTimeout(t, file, lookup, env);
    if (resolved) timeouts.push(resolved);
  }
  // An LLM SDK with no default timer (AI SDK, @google/genai; facts §13, §18) leaves the call unbounded: a budget, not an unknown.
  const none = LLM_LIBRARIES.has(call.library) && !call.optionsUnknown && timeouts.length === 0 ? call.timeouts.find((t) => t.source === 'none') : undefined;
  if (none) timeouts.push({ kind: 'total', knob: call.library === 'ai' ? 'timeout / abortSignal' : none.option, text: 'none', ms: Number.POSITIVE_INFINITY, source: 'default', factsRef: none.factsRef, unbounded: true });
  const hop: Hop = {
    kind: 'outbound-call',
    label,
    span: call.span,
    timeouts,
    ref: { kind: 'ts-call', file, facts, call },
  };
  if (call.method && /^[A-Z]+$/.test(call.method)) hop.method = call.method;
  else if (LLM_LIBRARIES.has(call.library)) hop.method = 'POST';
  if (call.streaming !== undefined) hop.streaming = call.streaming;
  if (LLM_LIBRARIES.has(call.library)) hop.llm = true;
  const retries = call.retries;
  if (retries && retries.count !== undefined && retries.count > 0) {
    hop.attempts = {
      count: retries.count + 1,
      knob: RETRY_OPTION[call.library] ?? 'maxRetries',
      source: retries.source === 'set' ? 'set' : 'default',
      factsRef: retries.factsRef,
      // SDKs and got retry a timed-out attempt with a fresh timer (facts §14).
      retriesTimeouts: call.timeouts.some((t) => t.perAttempt) || LLM_LIBRARIES.has(call.library),
      ...(retries.span ? { span: retries.span } : {}),
    };
  }
  return hop;
}

const RETRY_OPTION: Partial<Record<string, string>> = { got: 'retry.limit', ky: 'retry', mistral: 'retries' };

/** The first non-init container, or the one whose ports include `port` (number or name). */
export function containerFor(workload: WorkloadFacts, port: { number?: number; name?: string } | undefined): ContainerFacts | undefined {
  const containers = workload.containers.filter((c) => !c.init);
  if (port) {
    const byPort = containers.find((c) => c.ports.some((p) => (port.number !== undefined && p.containerPort?.value === port.number) || (port.name !== undefined && p.name?.text === port.name)));
    if (byPort) return byPort;
  }
  return containers[0];
}
