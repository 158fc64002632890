// Reads Istio VirtualServices (matches, routes, timeout, retries) and DestinationRules (connection-pool timeouts) with Istio's defaults.
import type { Node } from 'yaml';
import type { K8sObject } from './file.js';
import type { ScalarFact, YamlView } from '../../yaml/view.js';
import type { Span } from '../../types.js';
import type { ServiceFacts } from './services.js';
import {
  effectiveCount, effectiveDuration, readDuration, readInteger,
  type EffectiveCount, type EffectiveDuration, type K8sDuration, type K8sInteger,
} from './values.js';

export interface IstioMatchFacts {
  span: Span;
  uri?: { kind: 'prefix' | 'exact' | 'regex'; value: ScalarFact };
}

export interface IstioDestinationFacts {
  span: Span;
  host?: ScalarFact;
  subset?: ScalarFact;
  port?: K8sInteger;
  weight?: K8sInteger;
  /** The Kubernetes Service the host names, when it is among the manifests (filled by the model). */
  service?: ServiceFacts;
}

export interface IstioRetryFacts {
  /** The `retries` mapping; absent when the mesh default policy applies. */
  span?: Span;
  /**
   * Retries after the first try: 2 by the mesh default policy when `retries` is absent (facts §5);
   * a `retries` block without `attempts` (or with 0) disables retries (istio/istio
   * `pilot/pkg/networking/core/route/retry/retry.go`, `ConvertPolicy`).
   */
  attempts: EffectiveCount;
  /** Each try's limit; by default the route timeout, so a timed-out try is never retried (facts §5, §14). */
  perTryTimeout: EffectiveDuration;
  retryOn: { text: string; span?: Span; source: 'set' | 'default'; factsRef: string };
}

export interface IstioHttpRouteFacts {
  span: Span;
  name?: ScalarFact;
  matches: IstioMatchFacts[];
  destinations: IstioDestinationFacts[];
  /** `timeout`: the whole request including retries; disabled when absent (facts §5). */
  timeout: EffectiveDuration;
  retries: IstioRetryFacts;
  /** True when `fault` is set. Its `delay.fixedDelay` is injected latency, not a timeout, and is not read. */
  hasFault: boolean;
}

export interface VirtualServiceFacts {
  object: K8sObject;
  hosts: ScalarFact[];
  gateways: ScalarFact[];
  http: IstioHttpRouteFacts[];
}

/** Connection-pool settings as written in one traffic policy (no defaults applied). */
export interface IstioPoolSettings {
  span: Span;
  connectTimeout?: K8sDuration;
  tcpIdleTimeout?: K8sDuration;
  httpIdleTimeout?: K8sDuration;
  maxRetries?: K8sInteger;
}

export interface DestinationRuleFacts {
  object: K8sObject;
  host?: ScalarFact;
  /** `spec.trafficPolicy.connectionPool`, when written. */
  pool?: IstioPoolSettings;
  /** Pools written under `subsets[].trafficPolicy` and `portLevelSettings[]`; how they merge with the top level is not modelled. */
  otherPools: Array<IstioPoolSettings & { scope: string }>;
  /** Top-level values with Istio's defaults: connect 10 s, TCP idle 1 h, HTTP idle 1 h (facts §5). */
  connectTimeout: EffectiveDuration;
  tcpIdleTimeout: EffectiveDuration;
  httpIdleTimeout: EffectiveDuration;
}

// The mesh default retry policy (facts §5; istio/istio retry.go `defaultPolicy`).
const DEFAULT_RETRY_ON = 'connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes';
const HOUR_MS = 3_600_000;

export function readVirtualService(object: K8sObject): VirtualServiceFacts {
  const { view, node } = object;
  const spec = view.get(node, 'spec');
  return {
    object,
    hosts: scalarList(view, view.get(spec, 'hosts')),
    gateways: scalarList(view, view.get(spec, 'gateways')),
    http: view.items(view.get(spec, 'http')).map((route) => readHttpRoute(view, route)),
  };
}

export function readDestinationRule(object: K8sObject): DestinationRuleFacts {
  const { view, node } = object;
  const spec = view.get(node, 'spec');
  const pool = readPool(view, view.getIn(spec, ['trafficPolicy', 'connectionPool']));
  const otherPools: DestinationRuleFacts['otherPools'] = [];
  for (const subset of view.items(view.get(spec, 'subsets'))) {
    const settings = readPool(view, view.getIn(subset, ['trafficPolicy', 'connectionPool']));
    if (settings) otherPools.push({ ...settings, scope: `subset ${view.text(subset, 'name') ?? '?'}` });
  }
  for (const portLevel of view.items(view.getIn(spec, ['trafficPolicy', 'portLevelSettings']))) {
    const settings = readPool(view, view.get(portLevel, 'connectionPool'));
    if (settings) otherPools.push({ ...settings, scope: `port ${view.text(view.get(portLevel, 'port'), 'number') ?? '?'}` });
  }
  const facts: DestinationRuleFacts = {
    object,
    otherPools,
    connectTimeout: effectiveDuration(pool?.connectTimeout, { ms: 10_000 }, '§5'),
    // `0s` disables the TCP idle timeout (facts §5).
    tcpIdleTimeout: effectiveDuration(pool?.tcpIdleTimeout, { ms: HOUR_MS }, '§5', 'disables'),
    httpIdleTimeout: effectiveDuration(pool?.httpIdleTimeout, { ms: HOUR_MS }, '§5'),
  };
  const host = view.scalar(view.get(spec, 'host'));
  if (host) facts.host = host;
  if (pool) facts.pool = pool;
  return facts;
}

function readHttpRoute(view: YamlView, route: Node): IstioHttpRouteFacts {
  // Envoy treats a 0 route timeout as "none"; current Istio CRDs reject `0s` (facts §4, §5).
  const timeout = effectiveDuration(readDuration(view, view.get(route, 'timeout'), 'istio-duration'), { disabled: true }, '§5', 'disables');
  const facts: IstioHttpRouteFacts = {
    span: view.span(route),
    matches: view.items(view.get(route, 'match')).map((match) => readMatch(view, match)),
    destinations: view.items(view.get(route, 'route')).map((destination) => readDestination(view, destination)),
    timeout,
    retries: readRetries(view, view.get(route, 'retries'), timeout),
    hasFault: view.get(route, 'fault') !== undefined,
  };
  const name = view.scalar(view.get(route, 'name'));
  if (name) facts.name = name;
  return facts;
}

function readMatch(view: YamlView, match: Node): IstioMatchFacts {
  const facts: IstioMatchFacts = { span: view.span(match) };
  const uri = view.get(match, 'uri');
  for (const kind of ['prefix', 'exact', 'regex'] as const) {
    const value = view.scalar(view.get(uri, kind));
    if (value) facts.uri = { kind, value };
  }
  return facts;
}

function readDestination(view: YamlView, entry: Node): IstioDestinationFacts {
  const destination = view.get(entry, 'destination');
  const facts: IstioDestinationFacts = { span: view.span(entry) };
  const host = view.scalar(view.get(destination, 'host'));
  if (host) facts.host = host;
  const subset = view.scalar(view.get(destination, 'subset'));
  if (subset) facts.subset = subset;
  const port = readInteger(view, view.getIn(destination, ['port', 'number']), 'yaml-int');
  if (port) facts.port = port;
  const weight = readInteger(view, view.get(entry, 'weight'), 'yaml-int');
  if (weight) facts.weight = weight;
  return facts;
}

function readRetries(view: YamlView, retries: Node | undefined, routeTimeout: EffectiveDuration): IstioRetryFacts {
  // Without its own value, each try may use the whole route timeout (facts §5).
  const routeDefault = { ...(routeTimeout.ms !== undefined ? { ms: routeTimeout.ms } : {}), ...(routeTimeout.disabled ? { disabled: true } : {}) };
  if (!view.asMap(retries)) {
    return {
      attempts: effectiveCount(undefined, 2, '§5'),
      perTryTimeout: effectiveDuration(undefined, routeDefault, '§5'),
      retryOn: { text: DEFAULT_RETRY_ON, source: 'default', factsRef: '§5' },
    };
  }
  const attempts = readInteger(view, view.get(retries, 'attempts'), 'yaml-int');
  const retryOn = view.scalar(view.get(retries, 'retryOn'));
  return {
    span: view.span(retries),
    // An absent `attempts` is 0 in the proto, which turns the policy off.
    attempts: attempts ? effectiveCount(attempts, undefined, '§5') : effectiveCount(undefined, 0, '§5'),
    perTryTimeout: effectiveDuration(readDuration(view, view.get(retries, 'perTryTimeout'), 'istio-duration'), routeDefault, '§5'),
    retryOn: retryOn ? { text: retryOn.text, span: retryOn.span, source: 'set', factsRef: '§5' } : { text: DEFAULT_RETRY_ON, source: 'default', factsRef: '§5' },
  };
}

function readPool(view: YamlView, pool: Node | undefined): IstioPoolSettings | undefined {
  if (!view.asMap(pool)) return undefined;
  const settings: IstioPoolSettings = { span: view.span(pool) };
  const connectTimeout = readDuration(view, view.getIn(pool, ['tcp', 'connectTimeout']), 'istio-duration');
  if (connectTimeout) settings.connectTimeout = connectTimeout;
  const tcpIdleTimeout = readDuration(view, view.getIn(pool, ['tcp', 'idleTimeout']), 'istio-duration');
  if (tcpIdleTimeout) settings.tcpIdleTimeout = tcpIdleTimeout;
  const httpIdleTimeout = readDuration(view, view.getIn(pool, ['http', 'idleTimeout']), 'istio-duration');
  if (httpIdleTimeout) settings.httpIdleTimeout = httpIdleTimeout;
  const maxRetries = readInteger(view, view.getIn(pool, ['http', 'maxRetries']), 'yaml-int');
  if (maxRetries) settings.maxRetries = maxRetries;
  return settings;
}

function scalarList(view: YamlView, node: Node | undefined): ScalarFact[] {
  return view.items(node).map((n) => view.scalar(n)).filter((s): s is ScalarFact => s !== undefined);
}
