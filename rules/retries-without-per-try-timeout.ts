// Reports Istio and Envoy Gateway retry policies that can never retry a timed-out try: no per-try timeout, retry conditions that do not match timeouts, or no attempts.
import { containsTemplateExpression, defineRule, type Fix, type Related, type RuleContext, type Span } from '../server/src/engine/rule-api.js';
import { ENVOY_GATEWAY_DEFAULT_RETRY_ON, envoyRouteTimeout, policyLabel, type BackendTrafficPolicyFacts, type EnvoyRouteTimeout, type IstioHttpRouteFacts, type VirtualServiceFacts } from '../server/src/engine/inputs/k8s/api.js';
import { entryNode, objectLabel, sourceOf } from './util/k8s-route-facts.js';
import { gatewayApiSpelling, insertKeyEdit, replaceValueEdit, roundDownShareMs } from './util/k8s-route-edits.js';
import { placeOf } from './util/places.js';

// Envoy retries a try that hit its per-try timeout only for these retry_on conditions (reference/timeout-facts.md §4, §5).
const TIMEOUT_RETRY_CONDITIONS = new Set(['5xx', 'gateway-error', 'reset']);
// Istio's default conditions with gateway-error added; gateway-error covers the default's 503 status code too (istio/istio retry.go).
const DEFAULT_RETRY_ON_WITH_TIMEOUTS = 'connect-failure,refused-stream,unavailable,cancelled,gateway-error';
// The mesh default policy's retry count (facts §5).
const MESH_DEFAULT_ATTEMPTS = 2;

export default defineRule<Record<string, never>>({
  id: 'retries-without-per-try-timeout',
  description: 'An Istio or Envoy Gateway retry policy meant to retry slow tries needs both a per-try timeout and retry conditions that match timeouts.',
  defaultSeverity: 'warning',
  fixable: 'sometimes',
  inputs: ['k8s'],
  options: { schema: { type: 'object', additionalProperties: false, properties: {} }, defaults: {} },
  messages: {
    noPerTryTimeout:
      '{attempts} retries but no perTryTimeout: one try may use all of {timeout}. {route}: retries are on {retryOn} and the route timeout is {timeoutSource}: a try that times out ends the request and is never retried.',
    noPerTryTimeoutNoRouteTimeout:
      '{attempts} retries with no perTryTimeout and no route timeout. {route}: retries are on {retryOn}: a try that hangs is never cut off, so it is never retried.',
    retryOnMissesTimeouts:
      'A try cut at perTryTimeout {perTryTimeout} is not retried; the client gets a 504. On {route}, perTryTimeout is set at {perTryPlace}, but retryOn {retryOn} ({retryOnSource}) has no 5xx, gateway-error or reset.',
    policyNoPerRetryTimeout:
      '{attempts} retries but no perRetry.timeout: one try may use all of {timeout}. {route}: retries are on {retryOn} ({retryOnSource}) and the route timeout of {routeLabel} is {timeoutSource}: a try that times out ends the request and is never retried.',
    policyRetryOnMissesTimeouts:
      'A try cut at perRetry.timeout {perTryTimeout} is never retried; the client gets a 504. On {route}, perRetry.timeout is set at {perTryPlace}, but retryOn triggers {retryOn} ({retryOnSource}) have no 5xx, gateway-error or reset.',
    noAttempts:
      'perTryTimeout {perTryTimeout} but no attempts: Istio turns this route\'s retries off. On {route}, Istio reads a retries block without attempts as 0 (at {perTryPlace}), which turns retries off for this route (the mesh default\'s {defaultAttempts} too) and ignores perTryTimeout.',
  },
  check(ctx) {
    for (const vs of ctx.model.k8s.virtualServices) {
      vs.http.forEach((route, index) => checkRoute(ctx, vs, route, index));
    }
    for (const policy of ctx.model.k8s.backendTrafficPolicies) checkPolicy(ctx, policy);
  },
});

function checkRoute(ctx: RuleContext<Record<string, never>>, vs: VirtualServiceFacts, route: IstioHttpRouteFacts, index: number): void {
  const { attempts, perTryTimeout, retryOn } = route.retries;
  // The mesh default policy (no `retries` block) sets no perTryTimeout and does not retry timeouts: nothing was asked for.
  if (!route.retries.span) return;
  const { view } = vs.object;
  const node = entryNode(vs.object, 'http', index);
  const retriesNode = view.asMap(view.get(node, 'retries'));
  const retriesKey = view.field(node, 'retries')?.key.span ?? route.retries.span;
  const source = ctx.model.sources.get(vs.object.file);
  const label = `${objectLabel(vs.object)} http[${index}]${route.name ? ` (${route.name.text})` : ''}`;
  const perTry = perTryTimeout.source === 'set' ? perTryTimeout.written : undefined;

  if (!attempts.written) {
    // `attempts` absent: retries off (istio/istio retry.go ConvertPolicy). Only worth saying when a perTryTimeout shows retries were wanted.
    if (!perTry || perTry.unresolved) return;
    const edit = source && retriesNode ? insertKeyEdit(source, retriesNode, 'attempts', String(MESH_DEFAULT_ATTEMPTS), vs.object.node) : undefined;
    ctx.report({
      messageId: 'noAttempts',
      data: { route: label, perTryTimeout: perTry.text, perTryPlace: placeOf(ctx.model, perTry.span), defaultAttempts: MESH_DEFAULT_ATTEMPTS },
      span: retriesKey,
      related: [{ span: perTry.span, message: `retries.perTryTimeout ${perTry.text} is set here` }],
      fixes: edit ? [{ title: `Add attempts: ${MESH_DEFAULT_ATTEMPTS} (the mesh default's count)`, safety: 'unsafe', edits: [edit] }] : [],
    });
    return;
  }
  if (attempts.value === undefined || attempts.value < 1 || attempts.written.unresolved) return;
  if (retryOn.span && containsTemplateExpression(retryOn.text)) return;
  const conditions = retryOn.text.split(',').map((c) => c.trim()).filter((c) => c !== '');
  const retriesTimeouts = conditions.some((c) => TIMEOUT_RETRY_CONDITIONS.has(c));
  const retryOnSource = retryOn.source === 'set' && retryOn.span ? `set at ${placeOf(ctx.model, retryOn.span)}` : 'Istio\'s default';
  const related: Related[] = [{ span: attempts.written.span, message: `retries.attempts ${attempts.written.text} is set here` }];
  if (retryOn.span) related.push({ span: retryOn.span, message: `retryOn ${retryOn.text} is set here` });

  if (!perTry) {
    if (!retriesTimeouts) return;
    const timeout = route.timeout;
    const hasTimeout = timeout.ms !== undefined && !timeout.disabled && timeout.ms > 0;
    if (timeout.written) related.push({ span: timeout.written.span, message: `timeout ${timeout.written.text} is set here` });
    const fixes: Fix[] = [];
    if (hasTimeout && source && retriesNode) {
      // Each of the 1 + attempts tries gets an equal share of the route timeout, so all of them fit (facts §14).
      const share = gatewayApiSpelling(roundDownShareMs(timeout.ms! / (attempts.value + 1)));
      const edit = share ? insertKeyEdit(source, retriesNode, 'perTryTimeout', share, vs.object.node) : undefined;
      if (edit) fixes.push({ title: `Add perTryTimeout: ${share} (route timeout / ${attempts.value + 1} tries)`, safety: 'unsafe', edits: [edit] });
    }
    ctx.report({
      messageId: hasTimeout ? 'noPerTryTimeout' : 'noPerTryTimeoutNoRouteTimeout',
      data: {
        route: label,
        attempts: attempts.value,
        retryOn: retryOn.text,
        ...(hasTimeout ? { timeout: timeout.written?.text ?? String(timeout.ms), timeoutMs: timeout.ms!, timeoutSource: sourceOf(ctx.model, timeout) } : {}),
      },
      span: retriesKey,
      related,
      fixes,
    });
    return;
  }
  if (retriesTimeouts || perTry.unresolved || perTry.ms === undefined || perTry.invalid !== undefined) return;
  const fixes: Fix[] = [];
  if (source) {
    const edit = retryOn.span
      ? replaceValueEdit(source, retryOn.span, `${retryOn.text},gateway-error`, { flowContext: retriesNode?.flow === true })
      : retriesNode ? insertKeyEdit(source, retriesNode, 'retryOn', DEFAULT_RETRY_ON_WITH_TIMEOUTS, vs.object.node) : undefined;
    const title = retryOn.span ? 'Add gateway-error to retryOn' : `Add retryOn: ${DEFAULT_RETRY_ON_WITH_TIMEOUTS} (Istio's default plus gateway-error)`;
    if (edit) fixes.push({ title, safety: 'unsafe', edits: [edit] });
  }
  const span: Span = perTry.span;
  ctx.report({
    messageId: 'retryOnMissesTimeouts',
    data: {
      route: label,
      attempts: attempts.value,
      perTryTimeout: perTry.text,
      perTryTimeoutMs: perTry.ms,
      perTryPlace: placeOf(ctx.model, perTry.span),
      retryOn: retryOn.text,
      retryOnSource,
    },
    span,
    related,
    fixes,
  });
}

/**
 * An Envoy Gateway BackendTrafficPolicy retry (envoy-gateway.ts): Envoy retries a try cut by
 * `perRetry.timeout` only for the 5xx, gateway-error and reset triggers (facts §4, §14); without
 * `perRetry.timeout` each try may use the whole route timeout. Reported once per policy, on the
 * first route rule it applies to (without a retry of its own, which would take precedence).
 */
function checkPolicy(ctx: RuleContext<Record<string, never>>, policy: BackendTrafficPolicyFacts): void {
  const retry = policy.retry;
  if (!retry) return;
  const numRetries = retry.numRetries;
  if (numRetries && (numRetries.value === undefined || numRetries.invalid !== undefined || numRetries.unresolved)) return;
  const attempts = numRetries?.value ?? 2;
  if (attempts < 1) return;
  const applied = ctx.model.k8s.gatewayRoutes.flatMap((route) => route.rules.map((rule, index) => ({ route, rule, index })))
    .find(({ rule }) => !rule.retry && rule.trafficPolicy?.retry?.policy === policy);
  if (!applied) return;
  const label = policyLabel(policy);
  const triggers = retry.triggers?.values.map((t) => t.text) ?? ENVOY_GATEWAY_DEFAULT_RETRY_ON;
  if (retry.triggers?.values.some((t) => t.unresolved)) return;
  const retryOn = triggers.join(',');
  const retryOnSource = retry.triggers ? `set at ${placeOf(ctx.model, retry.triggers.span)}` : 'Envoy Gateway\'s default';
  const retriesTimeouts = triggers.some((t) => TIMEOUT_RETRY_CONDITIONS.has(t));
  const related: Related[] = [{ span: numRetries?.span ?? retry.span, message: numRetries ? `retry.numRetries ${numRetries.text} is set here` : 'retry without numRetries: Envoy Gateway retries 2 times' }];
  if (retry.triggers) related.push({ span: retry.triggers.span, message: `retryOn triggers ${retryOn} are set here` });
  const perTry = retry.perRetryTimeout;
  if (!perTry) {
    if (!retriesTimeouts) return;
    const timeout = envoyRouteTimeout(applied.route.kind, applied.rule);
    if (!timeout || timeout.ms <= 0) return;
    if (timeout.written) related.push({ span: timeout.written.span, message: `${timeout.knob} ${timeout.text} is set here` });
    const fixes: Fix[] = [];
    const source = ctx.model.sources.get(policy.object.file);
    const { view } = policy.object;
    const retryNode = view.asMap(view.get(view.get(policy.object.node, 'spec'), 'retry'));
    const perRetryNode = view.asMap(view.get(retryNode, 'perRetry'));
    // Each of the 1 + numRetries tries gets an equal share of the route timeout, so all of them fit (facts §14).
    const share = gatewayApiSpelling(roundDownShareMs(timeout.ms / (attempts + 1)));
    const edit = !share || !source ? undefined
      : perRetryNode ? insertKeyEdit(source, perRetryNode, 'timeout', share, policy.object.node)
      : retryNode ? insertKeyEdit(source, retryNode, 'perRetry', { key: 'timeout', value: share }, policy.object.node) : undefined;
    if (edit) fixes.push({ title: `Add perRetry.timeout: ${share} (route timeout / ${attempts + 1} tries)`, safety: 'unsafe', edits: [edit] });
    ctx.report({
      messageId: 'policyNoPerRetryTimeout',
      data: {
        route: label, attempts, retryOn, retryOnSource,
        routeLabel: `${objectLabel(applied.route.object)} rules[${applied.index}]`,
        timeout: timeout.text, timeoutMs: timeout.ms, timeoutSource: routeTimeoutSource(ctx, timeout),
      },
      span: numRetries?.span ?? retry.span,
      related,
      fixes,
    });
    return;
  }
  if (retriesTimeouts || perTry.unresolved || perTry.ms === undefined || perTry.invalid !== undefined) return;
  ctx.report({
    messageId: 'policyRetryOnMissesTimeouts',
    data: { route: label, attempts, perTryTimeout: perTry.text, perTryTimeoutMs: perTry.ms, perTryPlace: placeOf(ctx.model, perTry.span), retryOn, retryOnSource },
    span: perTry.span,
    related,
    fixes: [],
  });
}

function routeTimeoutSource(ctx: RuleContext<Record<string, never>>, timeout: EnvoyRouteTimeout): string {
  if (timeout.defaultOf === 'envoy-ai-gateway') return 'Envoy AI Gateway\'s default for a rule without timeouts.request';
  if (timeout.defaultOf === 'envoy') return 'Envoy\'s default, reference/timeout-facts.md §6.1';
  const where = placeOf(ctx.model, timeout.written!.span);
  return timeout.policy ? `${timeout.knob} ${timeout.text}, set in ${policyLabel(timeout.policy)} at ${where}` : `${timeout.knob} ${timeout.text}, set at ${where}`;
}
