// Envoy Gateway BackendTrafficPolicy: the request, connect and idle timeouts and the retry policy it gives the routes it targets, with Envoy Gateway's precedence.
import type { Node } from 'yaml';
import type { K8sObject } from './file.js';
import type { ScalarFact, YamlView } from '../../yaml/view.js';
import type { Span } from '../../types.js';
import { readDuration, readInteger, type K8sDuration, type K8sInteger } from './values.js';

export const ENVOY_GATEWAY_GROUP = 'gateway.envoyproxy.io';

/** One `spec.targetRefs[]` entry (or the older single `spec.targetRef`): a local reference, in the policy's namespace. */
export interface PolicyTargetFacts {
  span: Span;
  kind?: ScalarFact;
  name?: ScalarFact;
  /** A rule name for a route target, a listener name for a Gateway target. */
  sectionName?: ScalarFact;
}

/**
 * `spec.retry`. Envoy Gateway's API (api/v1alpha1/retry_types.go, v1.9): `numRetries` defaults to
 * 2; without `retryOn.triggers` Envoy Gateway retries on connect-failure, refused-stream,
 * unavailable, cancelled and retriable-status-codes (503) (internal/xds/translator/route.go,
 * `retryDefaultRetryOn`); without `perRetry.timeout` each try may use the whole route timeout.
 * Not in timeout-facts.md (§6.2 lists the timeouts only).
 */
export interface BackendTrafficRetryFacts {
  span: Span;
  numRetries?: K8sInteger;
  perRetryTimeout?: K8sDuration;
  backoffBase?: K8sDuration;
  backoffMax?: K8sDuration;
  /** `retryOn.triggers` as written; absent when Envoy Gateway's default list applies. */
  triggers?: { span: Span; values: ScalarFact[] };
}

export interface BackendTrafficPolicyFacts {
  object: K8sObject;
  targets: PolicyTargetFacts[];
  /** `spec.mergeType`: a route-level policy with it is merged over the Gateway-level one instead of replacing it. */
  mergeType?: ScalarFact;
  /** `spec.timeout.http.requestTimeout`: the Envoy route timeout, all retries included. */
  requestTimeout?: K8sDuration;
  /** `spec.timeout.http.connectionIdleTimeout`: upstream pooled connections, 1 h by default (facts §6.2). */
  connectionIdleTimeout?: K8sDuration;
  /** `spec.timeout.tcp.connectTimeout`: TCP and TLS handshake to the backend, 10 s by default (facts §6.2). */
  connectTimeout?: K8sDuration;
  retry?: BackendTrafficRetryFacts;
}

/** The parts of a Gateway API route a policy attaches by (routes.ts imports this module's types, not the reverse). */
interface PolicyRoute {
  object: K8sObject;
  kind: string;
  parentRefs: ReadonlyArray<{ name?: ScalarFact; namespace?: ScalarFact; sectionName?: ScalarFact; kind?: ScalarFact }>;
  rules: Array<{ name?: ScalarFact; trafficPolicy?: RouteTrafficPolicy }>;
}

/** A policy value with the policy it comes from (for labels and evidence). */
export interface PolicyValue<T> {
  policy: BackendTrafficPolicyFacts;
  value: T;
}

/** The BackendTrafficPolicy settings in effect for one route rule, each from the most specific policy that sets it. */
export interface RouteTrafficPolicy {
  requestTimeout?: PolicyValue<K8sDuration>;
  connectTimeout?: PolicyValue<K8sDuration>;
  connectionIdleTimeout?: PolicyValue<K8sDuration>;
  retry?: PolicyValue<BackendTrafficRetryFacts>;
}

export function readBackendTrafficPolicy(object: K8sObject): BackendTrafficPolicyFacts {
  const { view, node } = object;
  const spec = view.get(node, 'spec');
  const single = view.get(spec, 'targetRef');
  const facts: BackendTrafficPolicyFacts = {
    object,
    targets: [...view.items(view.get(spec, 'targetRefs')), ...(view.asMap(single) ? [single!] : [])].map((ref) => readTarget(view, ref)),
  };
  const mergeType = view.scalar(view.get(spec, 'mergeType'));
  if (mergeType) facts.mergeType = mergeType;
  // Envoy Gateway durations are Gateway API durations (gwapiv1.Duration, GEP-2257; api/v1alpha1/timeout_types.go).
  const duration = (path: string[]): K8sDuration | undefined => readDuration(view, view.getIn(spec, path), 'gateway-api-duration');
  const requestTimeout = duration(['timeout', 'http', 'requestTimeout']);
  if (requestTimeout) facts.requestTimeout = requestTimeout;
  const connectionIdleTimeout = duration(['timeout', 'http', 'connectionIdleTimeout']);
  if (connectionIdleTimeout) facts.connectionIdleTimeout = connectionIdleTimeout;
  const connectTimeout = duration(['timeout', 'tcp', 'connectTimeout']);
  if (connectTimeout) facts.connectTimeout = connectTimeout;
  const retry = view.get(spec, 'retry');
  if (view.asMap(retry)) facts.retry = readRetry(view, retry!);
  return facts;
}

function readTarget(view: YamlView, ref: Node): PolicyTargetFacts {
  const target: PolicyTargetFacts = { span: view.span(ref) };
  for (const key of ['kind', 'name', 'sectionName'] as const) {
    const value = view.scalar(view.get(ref, key));
    if (value) target[key] = value;
  }
  return target;
}

function readRetry(view: YamlView, retry: Node): BackendTrafficRetryFacts {
  const facts: BackendTrafficRetryFacts = { span: view.span(retry) };
  const numRetries = readInteger(view, view.get(retry, 'numRetries'), 'yaml-int');
  if (numRetries) facts.numRetries = numRetries;
  const perRetry = view.get(retry, 'perRetry');
  const duration = (path: string[]): K8sDuration | undefined => readDuration(view, view.getIn(perRetry, path), 'gateway-api-duration');
  const perRetryTimeout = duration(['timeout']);
  if (perRetryTimeout) facts.perRetryTimeout = perRetryTimeout;
  const backoffBase = duration(['backOff', 'baseInterval']);
  if (backoffBase) facts.backoffBase = backoffBase;
  const backoffMax = duration(['backOff', 'maxInterval']);
  if (backoffMax) facts.backoffMax = backoffMax;
  const triggers = view.getIn(retry, ['retryOn', 'triggers']);
  if (view.asSeq(triggers)) {
    facts.triggers = { span: view.span(triggers!), values: view.items(triggers).map((t) => view.scalar(t)).filter((t): t is ScalarFact => t !== undefined) };
  }
  return facts;
}

/** Envoy Gateway's default number of retries when a policy has a `retry` block without `numRetries` (retry_types.go). */
export const ENVOY_GATEWAY_DEFAULT_RETRIES = 2;
/** Envoy Gateway's retry triggers when `retryOn` is absent (internal/xds/translator/route.go `retryDefaultRetryOn`). */
export const ENVOY_GATEWAY_DEFAULT_RETRY_ON = ['connect-failure', 'refused-stream', 'unavailable', 'cancelled', 'retriable-status-codes'];
/** Envoy retry triggers that retry a try cut by its per-try timeout (facts §4, §14). */
const TIMEOUT_TRIGGERS = new Set(['5xx', 'gateway-error', 'reset']);

/** True when a timed-out try is retried: a per-try timeout, and a trigger that covers it. */
export function retriesTimeouts(retry: BackendTrafficRetryFacts): boolean {
  const triggers = retry.triggers ? retry.triggers.values.map((t) => t.text) : ENVOY_GATEWAY_DEFAULT_RETRY_ON;
  return retry.perRetryTimeout !== undefined && triggers.some((t) => TIMEOUT_TRIGGERS.has(t));
}

/** `BackendTrafficPolicy ns/name`. */
export function policyLabel(policy: BackendTrafficPolicyFacts): string {
  return `BackendTrafficPolicy ${policy.object.namespace}/${policy.object.name?.text ?? '?'}`;
}

/**
 * The settings each route rule gets. Envoy Gateway applies the most specific policy: one that
 * targets the rule (sectionName), else the route, else the Gateway; a more specific policy replaces
 * the less specific one as a whole unless it sets `mergeType`, which merges it over the Gateway's
 * field by field (envoyproxy/gateway internal/gatewayapi/backendtrafficpolicy.go; design doc
 * "BackendTrafficPolicy": "the configuration from the policy that is targeting the xRoute resource
 * will win in a conflict"). Envoy AI Gateway generates an HTTPRoute with the AIGatewayRoute's
 * name, and its docs attach policies to that HTTPRoute (examples/provider_fallback): a target
 * `kind: HTTPRoute` names the AIGatewayRoute too. Targets are local references (same namespace as
 * the policy); label selectors (`targetSelectors`) are not read.
 */
export function linkTrafficPolicies(policies: readonly BackendTrafficPolicyFacts[], routes: readonly PolicyRoute[]): void {
  if (policies.length === 0) return;
  const byTarget = new Map<string, Array<{ policy: BackendTrafficPolicyFacts; target: PolicyTargetFacts }>>();
  for (const policy of policies) {
    if (rejected(policy)) continue;
    for (const target of policy.targets) {
      if (!target.kind || !target.name) continue;
      const key = `${target.kind.text}\u0000${policy.object.namespace}\u0000${target.name.text}`;
      const list = byTarget.get(key);
      if (list) list.push({ policy, target });
      else byTarget.set(key, [{ policy, target }]);
    }
  }
  for (const route of routes) {
    const routeKind = route.kind === 'GRPCRoute' ? 'GRPCRoute' : 'HTTPRoute';
    const onRoute = byTarget.get(`${routeKind}\u0000${route.object.namespace}\u0000${route.object.name?.text ?? ''}`) ?? [];
    const onGateways = route.parentRefs
      .filter((p) => p.name && (!p.kind || p.kind.text === 'Gateway'))
      .flatMap((p) => (byTarget.get(`Gateway\u0000${p.namespace?.text ?? route.object.namespace}\u0000${p.name!.text}`) ?? [])
        // A listener target applies to routes attached to that listener, or to the whole Gateway.
        .filter(({ target }) => !target.sectionName || !p.sectionName || target.sectionName.text === p.sectionName.text));
    const gatewayPolicy = onGateways[0]?.policy;
    for (const rule of route.rules) {
      const rulePolicy = onRoute.find(({ target }) => target.sectionName && rule.name && target.sectionName.text === rule.name.text)?.policy;
      const routePolicy = onRoute.find(({ target }) => !target.sectionName)?.policy;
      const chain = [rulePolicy, routePolicy, gatewayPolicy].filter((p): p is BackendTrafficPolicyFacts => p !== undefined);
      if (chain.length === 0) continue;
      // Without mergeType the most specific policy stands alone; with it, the next one fills its gaps.
      const applied: BackendTrafficPolicyFacts[] = [];
      for (const policy of chain) {
        applied.push(policy);
        if (!policy.mergeType) break;
      }
      rule.trafficPolicy = effective(applied);
    }
  }
}

/**
 * True when the API server refuses the policy: a duration outside the GEP-2257 pattern or a
 * `numRetries` that is not an integer (the CRD schema validates the whole object, so none of it applies).
 * Templated values are unknown, not rejected.
 */
export function rejected(policy: BackendTrafficPolicyFacts): boolean {
  const retry = policy.retry;
  const values: Array<{ invalid?: string; unresolved?: boolean } | undefined> = [
    policy.requestTimeout, policy.connectionIdleTimeout, policy.connectTimeout,
    retry?.numRetries, retry?.perRetryTimeout, retry?.backoffBase, retry?.backoffMax,
  ];
  return values.some((v) => v !== undefined && v.invalid !== undefined && !v.unresolved);
}

function effective(applied: readonly BackendTrafficPolicyFacts[]): RouteTrafficPolicy {
  const out: RouteTrafficPolicy = {};
  const pick = <K extends keyof RouteTrafficPolicy>(key: K, value: (p: BackendTrafficPolicyFacts) => NonNullable<RouteTrafficPolicy[K]>['value'] | undefined): void => {
    for (const policy of applied) {
      const found = value(policy);
      if (found !== undefined) {
        out[key] = { policy, value: found } as RouteTrafficPolicy[K];
        return;
      }
    }
  };
  pick('requestTimeout', (p) => p.requestTimeout);
  pick('connectTimeout', (p) => p.connectTimeout);
  pick('connectionIdleTimeout', (p) => p.connectionIdleTimeout);
  pick('retry', (p) => p.retry);
  return out;
}

/** The route timeout a rule on Envoy Gateway ends up with, and where it comes from. */
export interface EnvoyRouteTimeout {
  ms: number;
  text: string;
  /** `timeouts.request`, `timeouts.backendRequest`, `requestTimeout` (of `policy`), or `route timeout` for Envoy's default. */
  knob: string;
  written?: K8sDuration;
  policy?: BackendTrafficPolicyFacts;
  /** Why a default applies: Envoy AI Gateway's 60 s, or Envoy's 15 s (facts §6.1). */
  defaultOf?: 'envoy-ai-gateway' | 'envoy';
}

/**
 * The route timeout of a rule served by Envoy Gateway, in Envoy Gateway's order: the HTTPRoute's
 * `timeouts.request`, then a `backendRequest` without a route retry (internal/gatewayapi/route.go
 * processRouteTimeout), Envoy AI Gateway's 60 s for an AIGatewayRoute rule (its generated
 * HTTPRoute always sets one), then the policy's `requestTimeout`
 * (internal/xds/translator/route.go getEffectiveRequestTimeout), else Envoy's 15 s (facts §6.1).
 * Undefined when the value in effect is not known (invalid or templated).
 */
export function envoyRouteTimeout(kind: string, rule: { timeouts?: { request?: K8sDuration; backendRequest?: K8sDuration }; retry?: unknown; trafficPolicy?: RouteTrafficPolicy }): EnvoyRouteTimeout | undefined {
  const known = (d: K8sDuration, knob: string, policy?: BackendTrafficPolicyFacts): EnvoyRouteTimeout | undefined =>
    d.ms === undefined || d.invalid !== undefined ? undefined : { ms: d.ms, text: d.text, knob, written: d, ...(policy ? { policy } : {}) };
  const request = rule.timeouts?.request;
  if (request) return known(request, 'timeouts.request');
  const backendRequest = rule.timeouts?.backendRequest;
  if (backendRequest && !rule.retry) return known(backendRequest, 'timeouts.backendRequest');
  if (kind === 'AIGatewayRoute') return { ms: 60_000, text: '60s', knob: 'timeouts.request', defaultOf: 'envoy-ai-gateway' };
  const policy = rule.trafficPolicy?.requestTimeout;
  if (policy && policy.value.invalid === undefined) return known(policy.value, 'requestTimeout', policy.policy);
  return { ms: 15_000, text: '15s', knob: 'route timeout', defaultOf: 'envoy' };
}
