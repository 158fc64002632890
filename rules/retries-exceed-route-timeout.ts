// Reports routes whose retries cannot fit in the route timeout that includes them (Istio, Gateway API HTTPRoute, Contour HTTPProxy).
import { defineRule, formatDuration, type Fix, type Related, type RuleContext, type Span, type TextEdit } from '../server/src/engine/rule-api.js';
import { envoyRouteTimeout, policyLabel, readDuration, type EffectiveDuration, type K8sDuration, type K8sInteger, type K8sObject } from '../server/src/engine/inputs/k8s/api.js';
import { ENVOY_BACKOFF_BASE_MS, entryNode, envoyMaxBackoffMs, objectLabel, sourceOf } from './util/k8s-route-facts.js';
import { gatewayApiSpelling, insertKeyEdit, replaceValueEdit, roundUpBudgetMs } from './util/k8s-route-edits.js';
import { placeOf } from './util/places.js';

/** One route's retry arithmetic, whatever the resource. */
interface RetryBudget {
  object: K8sObject;
  route: string;
  retriesKnob: string;
  retries: K8sInteger;
  retriesValue: number;
  perTryKnob: string;
  perTry: K8sDuration;
  perTryMs: number;
  timeoutKnob: string;
  timeout: EffectiveDuration;
  timeoutMs: number;
  /** The route timeout as the message shows it, and where it comes from. */
  timeoutShown: string;
  timeoutSource: string;
  /** Back-off that always happens between tries (Gateway API's minimum), and the most it can be. */
  minBackoffMs: number;
  maxBackoffMs: number;
  /** Edit that sets the route timeout to a new value, given its spelling. */
  setTimeout: (value: string) => TextEdit | undefined;
  /** Largest retry count that fits, and whether it may be written over `retries`. */
  canLowerRetries: boolean;
}

export default defineRule<Record<string, never>>({
  id: 'retries-exceed-route-timeout',
  description: 'Retries times the per-try timeout must fit in the route timeout, which includes every retry.',
  defaultSeverity: 'warning',
  fixable: 'sometimes',
  inputs: ['k8s'],
  options: { schema: { type: 'object', additionalProperties: false, properties: {} }, defaults: {} },
  messages: {
    retriesExceedTimeout:
      '{tries} tries × {perTryTimeout} = {triesTotal}, more than {timeoutKnob} {timeout}. {route}: 1 + {retriesKnob} {retries} = {tries} tries × {perTryKnob} {perTryTimeout}{backoffNote}; {timeoutKnob} ({timeoutSource}) includes every retry, so only {fullTries} of the {tries} tries can run to their per-try timeout.',
  },
  check(ctx) {
    for (const budget of [...istioBudgets(ctx), ...gatewayBudgets(ctx), ...envoyGatewayPolicyBudgets(ctx), ...contourBudgets(ctx)]) report(ctx, budget);
  },
});

function report(ctx: RuleContext<Record<string, never>>, b: RetryBudget): void {
  const tries = b.retriesValue + 1;
  const triesTotalMs = tries * b.perTryMs;
  if (triesTotalMs + b.minBackoffMs <= b.timeoutMs) return;
  const neededMs = roundUpBudgetMs(triesTotalMs + b.maxBackoffMs);
  const fixes: Fix[] = [];
  const spelling = gatewayApiSpelling(neededMs);
  const raise = spelling ? b.setTimeout(spelling) : undefined;
  if (raise) fixes.push({ title: `Raise ${b.timeoutKnob} to ${spelling} for all ${tries} tries plus back-off (unsafe: holds connections longer)`, safety: 'unsafe', edits: [raise] });
  const fitting = fittingRetries(b);
  const source = ctx.model.sources.get(b.retries.span.file);
  const lower = b.canLowerRetries && fitting >= 1 && source ? replaceValueEdit(source, b.retries.span, String(fitting)) : undefined;
  if (lower) fixes.push({ title: `Lower ${b.retriesKnob} to ${fitting}`, safety: 'unsafe', edits: [lower] });
  const related: Related[] = [{ span: b.perTry.span, message: `${b.perTryKnob} ${b.perTry.text} is set here` }];
  if (b.retries.span !== b.perTry.span) related.push({ span: b.retries.span, message: `${b.retriesKnob} ${b.retriesValue}${b.canLowerRetries ? ' is set here' : ' (default)'}` });
  const span: Span = b.timeout.written?.span ?? b.perTry.span;
  ctx.report({
    messageId: 'retriesExceedTimeout',
    data: {
      route: b.route,
      retriesKnob: b.retriesKnob,
      retries: b.retriesValue,
      tries,
      perTryKnob: b.perTryKnob,
      perTryTimeout: b.perTry.text,
      perTryTimeoutMs: b.perTryMs,
      perTryPlace: placeOf(ctx.model, b.perTry.span),
      triesTotal: formatDuration(triesTotalMs),
      triesTotalMs,
      backoffNote: b.maxBackoffMs > 0 ? ` (+ ${b.minBackoffMs === b.maxBackoffMs ? '' : 'up to '}${formatDuration(b.maxBackoffMs)} back-off)` : '',
      backoffMs: b.maxBackoffMs,
      timeoutKnob: b.timeoutKnob,
      timeout: b.timeoutShown,
      timeoutMs: b.timeoutMs,
      timeoutSource: b.timeoutSource,
      fullTries: fullTries(b),
      neededMs,
    },
    span,
    related,
    fixes,
  });
}

/** How many tries can run to their per-try timeout (with the minimum back-off between them) before the route timeout: k·t + (k − 1)·b ≤ T. */
function fullTries(b: RetryBudget): number {
  const backoff = b.retriesValue > 0 ? b.minBackoffMs / b.retriesValue : 0;
  return Math.max(0, Math.min(b.retriesValue + 1, Math.floor((b.timeoutMs + backoff) / (b.perTryMs + backoff))));
}

/** The largest retry count whose tries (and minimum back-off) fit in the route timeout: (n + 1)·t + n·b ≤ T. */
function fittingRetries(b: RetryBudget): number {
  const backoff = b.retriesValue > 0 ? b.minBackoffMs / b.retriesValue : 0;
  return Math.min(b.retriesValue - 1, Math.floor((b.timeoutMs - b.perTryMs) / (b.perTryMs + backoff)));
}

/** Istio VirtualService http routes: `timeout` includes all retries; attempts are retries after the first try (facts §5, §14). */
function* istioBudgets(ctx: RuleContext<Record<string, never>>): Generator<RetryBudget> {
  for (const vs of ctx.model.k8s.virtualServices) {
    for (const [index, route] of vs.http.entries()) {
      const { attempts, perTryTimeout } = route.retries;
      const timeout = route.timeout;
      if (!attempts.written || attempts.value === undefined || attempts.value < 1) continue;
      const perTry = perTryTimeout.written;
      if (!perTry || perTry.ms === undefined || perTry.invalid !== undefined || perTry.ms <= 0) continue;
      if (timeout.ms === undefined || timeout.disabled || timeout.ms <= 0) continue;
      const node = entryNode(vs.object, 'http', index);
      const { view } = vs.object;
      // `retries.backoff` sets Envoy's base interval (istio/istio retry.go); the model does not read it.
      const backoff = readDuration(view, view.getIn(node, ['retries', 'backoff']), 'istio-duration');
      const baseMs = backoff?.ms !== undefined && backoff.invalid === undefined && backoff.ms > 0 ? backoff.ms : ENVOY_BACKOFF_BASE_MS;
      const source = ctx.model.sources.get(vs.object.file);
      const written = timeout.written!;
      yield {
        object: vs.object,
        route: `${objectLabel(vs.object)} http[${index}]${route.name ? ` (${route.name.text})` : ''}`,
        retriesKnob: 'retries.attempts', retries: attempts.written, retriesValue: attempts.value,
        perTryKnob: 'retries.perTryTimeout', perTry, perTryMs: perTry.ms,
        timeoutKnob: 'timeout', timeout, timeoutMs: timeout.ms, timeoutShown: written.text, timeoutSource: sourceOf(ctx.model, timeout),
        minBackoffMs: 0, maxBackoffMs: envoyMaxBackoffMs(attempts.value, baseMs),
        setTimeout: (value) => (source ? replaceValueEdit(source, written.span, value, { flowContext: node?.flow === true }) : undefined),
        canLowerRetries: true,
      };
    }
  }
}

/**
 * Gateway API HTTPRoute `retry` (experimental channel): `timeouts.request` must cover every attempt,
 * each bounded by `backendRequest`; `backoff` is the minimum wait between attempts (facts §6.1).
 * Without `request` or `backendRequest` the limits are implementation-specific and nothing is compared.
 */
function* gatewayBudgets(ctx: RuleContext<Record<string, never>>): Generator<RetryBudget> {
  for (const route of ctx.model.k8s.gatewayRoutes) {
    if (route.kind !== 'HTTPRoute') continue;
    for (const [index, rule] of route.rules.entries()) {
      const attempts = rule.retry?.attempts;
      const request = rule.timeouts?.request;
      const perTry = rule.timeouts?.backendRequest;
      if (!attempts || attempts.value === undefined || attempts.invalid !== undefined || attempts.value < 1) continue;
      if (!request || request.ms === undefined || request.invalid !== undefined || request.ms === 0) continue;
      if (!perTry || perTry.ms === undefined || perTry.invalid !== undefined || perTry.ms === 0) continue;
      const backoff = rule.retry?.backoff;
      const backoffMs = backoff?.ms !== undefined && backoff.invalid === undefined ? backoff.ms * attempts.value : 0;
      const source = ctx.model.sources.get(route.object.file);
      const timeoutsNode = route.object.view.asMap(route.object.view.get(entryNode(route.object, 'rules', index), 'timeouts'));
      yield {
        object: route.object,
        route: `${objectLabel(route.object)} rules[${index}]`,
        retriesKnob: 'retry.attempts', retries: attempts, retriesValue: attempts.value,
        perTryKnob: 'timeouts.backendRequest', perTry, perTryMs: perTry.ms,
        timeoutKnob: 'timeouts.request', timeout: { written: request, ms: request.ms, source: 'set', factsRef: '§6.1' }, timeoutMs: request.ms,
        timeoutShown: request.text, timeoutSource: `set at ${placeOf(ctx.model, request.span)}`,
        minBackoffMs: backoffMs, maxBackoffMs: backoffMs,
        setTimeout: (value) => (source ? replaceValueEdit(source, request.span, value, { flowContext: timeoutsNode?.flow === true }) : undefined),
        canLowerRetries: true,
      };
    }
  }
}

/**
 * Contour HTTPProxy: `retryPolicy.count` retries (default 1, −1 disables), each bounded by
 * `perTryTimeout`, inside `timeoutPolicy.response` (Envoy's 15 s when unset or `0s`) (facts §6.3).
 */
function* contourBudgets(ctx: RuleContext<Record<string, never>>): Generator<RetryBudget> {
  for (const proxy of ctx.model.k8s.httpProxies) {
    for (const [index, route] of proxy.routes.entries()) {
      const retry = route.retry;
      const perTry = retry?.perTryTimeout;
      const count = retry?.count;
      if (!retry || !perTry || !count || perTry.ms === undefined || perTry.invalid !== undefined || perTry.ms <= 0) continue;
      // A count of 0 is read by Contour as its default; that mapping is not in the facts, so 0 is skipped rather than guessed.
      if (count.value === undefined || count.value < 1) continue;
      const response = route.response;
      if (response.ms === undefined || response.disabled || response.ms <= 0) continue;
      const { view } = proxy.object;
      const node = entryNode(proxy.object, 'routes', index);
      const policy = view.asMap(view.get(node, 'timeoutPolicy'));
      const source = ctx.model.sources.get(proxy.object.file);
      const written = response.written;
      // Contour reads `0s` as "not set" (facts §6.3): Envoy's default applies though a value is written.
      const unset = !written || written.ms === 0;
      const setTimeout = (value: string): TextEdit | undefined => {
        if (!source || !node) return undefined;
        if (written) return replaceValueEdit(source, written.span, value, { flowContext: policy?.flow === true });
        return policy ? insertKeyEdit(source, policy, 'response', value, proxy.object.node) : insertKeyEdit(source, node, 'timeoutPolicy', { key: 'response', value }, proxy.object.node);
      };
      yield {
        object: proxy.object,
        route: `${objectLabel(proxy.object)} routes[${index}]`,
        retriesKnob: 'retryPolicy.count',
        // The retry span stands in for an unwritten count (default 1), so the finding still has a place.
        retries: count.written ?? { text: '1', value: 1, span: retry.span }, retriesValue: count.value,
        perTryKnob: 'retryPolicy.perTryTimeout', perTry, perTryMs: perTry.ms,
        timeoutKnob: 'timeoutPolicy.response', timeout: unset ? { ms: response.ms, source: 'default', factsRef: '§6.3' } : response, timeoutMs: response.ms,
        timeoutShown: unset ? formatDuration(response.ms) : written.text,
        timeoutSource: !written ? 'Envoy\'s default, timeoutPolicy.response not set' : unset ? `Envoy's default: ${written.text} at ${placeOf(ctx.model, written.span)} means "not set" in Contour` : sourceOf(ctx.model, response),
        minBackoffMs: 0, maxBackoffMs: envoyMaxBackoffMs(count.value, ENVOY_BACKOFF_BASE_MS),
        setTimeout,
        canLowerRetries: count.written !== undefined,
      };
    }
  }
}

/**
 * Envoy Gateway BackendTrafficPolicy retries on a route without its own `retry` (the HTTPRoute's wins,
 * envoy-gateway.ts): `numRetries` tries after the first, each bounded by `perRetry.timeout`, inside
 * the route timeout Envoy Gateway gives the rule (envoyRouteTimeout: the HTTPRoute's own, Envoy AI
 * Gateway's 60 s, the policy's `requestTimeout`, else Envoy's 15 s, facts §6.1).
 * Back-off: `perRetry.backOff.baseInterval`, else Envoy's 25 ms (facts §4).
 */
function* envoyGatewayPolicyBudgets(ctx: RuleContext<Record<string, never>>): Generator<RetryBudget> {
  for (const route of ctx.model.k8s.gatewayRoutes) {
    if (route.kind === 'GRPCRoute') continue;
    for (const [index, rule] of route.rules.entries()) {
      const policyRetry = rule.trafficPolicy?.retry;
      if (rule.retry || !policyRetry) continue;
      const { numRetries: retries, perRetryTimeout: perTry, backoffBase } = policyRetry.value;
      if (!retries || retries.value === undefined || retries.invalid !== undefined || retries.value < 1) continue;
      if (!perTry || perTry.ms === undefined || perTry.invalid !== undefined || perTry.ms <= 0) continue;
      const label = policyLabel(policyRetry.policy);
      const source = ctx.model.sources.get(route.object.file);
      const node = entryNode(route.object, 'rules', index);
      const routeTimeout = envoyRouteTimeout(route.kind, rule);
      if (!routeTimeout) continue;
      const written = routeTimeout.written;
      // The file that holds the value: the route's, or the policy's for its requestTimeout.
      const valueSource = ctx.model.sources.get(routeTimeout.policy ? routeTimeout.policy.object.file : route.object.file);
      const timeoutsNode = route.object.view.asMap(route.object.view.get(node, 'timeouts'));
      const timeout = {
        knob: routeTimeout.knob, written, ms: routeTimeout.ms, shown: routeTimeout.text,
        source: routeTimeout.defaultOf === 'envoy-ai-gateway' ? 'Envoy AI Gateway\'s default for a rule without one'
          : routeTimeout.defaultOf === 'envoy' ? 'Envoy\'s default, reference/timeout-facts.md §6.1'
          : routeTimeout.policy ? `set in ${policyLabel(routeTimeout.policy)} at ${placeOf(ctx.model, written!.span)}` : `set at ${placeOf(ctx.model, written!.span)}`,
        edit: (value: string): TextEdit | undefined => {
          if (written) return valueSource ? replaceValueEdit(valueSource, written.span, value, { flowContext: !routeTimeout.policy && timeoutsNode?.flow === true }) : undefined;
          // Envoy AI Gateway's implicit 60 s: write the rule's own timeouts.request.
          if (routeTimeout.defaultOf === 'envoy-ai-gateway' && source && node) return insertKeyEdit(source, node, 'timeouts', { key: 'request', value }, route.object.node);
          return undefined;
        },
      };
      if (timeout.ms === 0) continue;
      const baseMs = backoffBase?.ms !== undefined && backoffBase.invalid === undefined && backoffBase.ms > 0 ? backoffBase.ms : ENVOY_BACKOFF_BASE_MS;
      const effective: EffectiveDuration = timeout.written ? { written: timeout.written, ms: timeout.ms, source: 'set', factsRef: '§6.2' } : { ms: timeout.ms, source: 'default', factsRef: '§6.1' };
      yield {
        object: policyRetry.policy.object,
        route: `${objectLabel(route.object)} rules[${index}]`,
        retriesKnob: `${label} retry.numRetries`, retries, retriesValue: retries.value,
        perTryKnob: 'retry.perRetry.timeout', perTry, perTryMs: perTry.ms,
        timeoutKnob: timeout.knob, timeout: effective, timeoutMs: timeout.ms, timeoutShown: timeout.shown, timeoutSource: timeout.source,
        minBackoffMs: 0, maxBackoffMs: envoyMaxBackoffMs(retries.value, baseMs),
        setTimeout: (value) => timeout.edit(value),
        canLowerRetries: true,
      };
    }
  }
}
