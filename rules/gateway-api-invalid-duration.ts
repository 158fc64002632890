// Reports HTTPRoute and Envoy Gateway BackendTrafficPolicy durations their CRDs reject: not in GEP-2257 form, or a backendRequest longer than the request timeout.
import { defineRule, type Fix, type Related } from '../server/src/engine/rule-api.js';
import { policyLabel, type BackendTrafficPolicyFacts, type K8sDuration } from '../server/src/engine/inputs/k8s/api.js';
import { objectLabel } from './util/k8s-route-facts.js';
import { gatewayApiSpelling, intendedDurationMs, replaceValueEdit } from './util/k8s-route-edits.js';
import { placeOf } from './util/places.js';

// Why GEP-2257 refuses a value (reference/timeout-facts.md §6.1), keyed by the parser's reason code.
const REASONS: Readonly<Record<string, string>> = {
  empty: 'it is empty',
  syntax: 'it is not a list of <digits><unit> components',
  fraction: 'Gateway API durations have no decimals',
  negative: 'Gateway API durations cannot be negative',
  'missing-unit': 'every number needs a unit: h, m, s or ms',
  'unknown-unit': 'the only units are h, m, s and ms, not d, us or ns',
  'too-many-digits': 'each component has at most 5 digits',
  'too-many-components': 'it has more than 4 components',
  'not-a-scalar': 'it is not a string',
};

export default defineRule<Record<string, never>>({
  id: 'gateway-api-invalid-duration',
  description: 'HTTPRoute and BackendTrafficPolicy timeouts must be GEP-2257 durations, and backendRequest must not exceed request.',
  defaultSeverity: 'error',
  fixable: 'sometimes',
  inputs: ['k8s'],
  options: { schema: { type: 'object', additionalProperties: false, properties: {} }, defaults: {} },
  messages: {
    invalidDuration:
      '{knob} "{value}" is rejected: not a Gateway API duration. The API server rejects it on {route}. Why: {reason} (GEP-2257).',
    invalidDurationWithSpelling:
      '{knob} "{value}" is invalid in Gateway API; write {spelling}. It is not a Gateway API duration, on {route}. Why: {reason} (GEP-2257); the API server rejects the HTTPRoute.',
    policyInvalidDuration:
      '{field} "{value}" is not a Gateway API duration; the API server rejects it. {route} {knob}: {reason} (GEP-2257), so none of the policy applies.',
    policyInvalidDurationWithSpelling:
      '{field} "{value}" is not a Gateway API duration; write {spelling}. {route} {knob}: {reason} (GEP-2257); the API server rejects the whole policy.',
    backendRequestAboveRequest:
      'timeouts.backendRequest {backendRequest} is above timeouts.request {request}; the CRD rejects it. On {route}, backendRequest ({backendRequestPlace}) must not exceed request ({requestPlace}) unless request is 0s.',
  },
  check(ctx) {
    for (const route of ctx.model.k8s.gatewayRoutes) {
      if (route.kind !== 'HTTPRoute') continue;
      route.rules.forEach((rule, index) => {
        const label = `${objectLabel(route.object)} rules[${index}]`;
        const checked: Array<[string, K8sDuration | undefined]> = [
          ['timeouts.request', rule.timeouts?.request],
          ['timeouts.backendRequest', rule.timeouts?.backendRequest],
          ['retry.backoff', rule.retry?.backoff],
        ];
        for (const [knob, duration] of checked) {
          if (duration?.invalid !== undefined && !duration.unresolved) reportInvalid(label, knob, duration);
        }
        const request = rule.timeouts?.request;
        const backendRequest = rule.timeouts?.backendRequest;
        if (!request || !backendRequest || request.ms === undefined || backendRequest.ms === undefined) return;
        if (request.invalid !== undefined || backendRequest.invalid !== undefined || request.ms === 0 || backendRequest.ms <= request.ms) return;
        reportBackendAboveRequest(label, request, backendRequest);
      });
    }

    for (const policy of ctx.model.k8s.backendTrafficPolicies) checkPolicy(policy);

    /** Envoy Gateway's durations are Gateway API durations (gwapiv1.Duration in api/v1alpha1/timeout_types.go, retry_types.go). */
    function checkPolicy(policy: BackendTrafficPolicyFacts): void {
      const checked: Array<[string, K8sDuration | undefined]> = [
        ['spec.timeout.http.requestTimeout', policy.requestTimeout],
        ['spec.timeout.http.connectionIdleTimeout', policy.connectionIdleTimeout],
        ['spec.timeout.tcp.connectTimeout', policy.connectTimeout],
        ['spec.retry.perRetry.timeout', policy.retry?.perRetryTimeout],
        ['spec.retry.perRetry.backOff.baseInterval', policy.retry?.backoffBase],
        ['spec.retry.perRetry.backOff.maxInterval', policy.retry?.backoffMax],
      ];
      for (const [knob, duration] of checked) {
        if (duration?.invalid !== undefined && !duration.unresolved) reportInvalid(policyLabel(policy), knob, duration, knob.slice(knob.lastIndexOf('.') + 1));
      }
    }

    function reportInvalid(route: string, knob: string, duration: K8sDuration, policyField?: string): void {
      const reason = REASONS[duration.invalid!] ?? duration.invalid!;
      const intended = intendedDurationMs(duration.text);
      const spelling = intended === undefined ? undefined : gatewayApiSpelling(intended);
      const source = ctx.model.sources.get(duration.span.file);
      const edit = spelling && source ? replaceValueEdit(source, duration.span, spelling) : undefined;
      // The object is rejected as written, so writing the same duration in the accepted form changes nothing that ran before.
      const fixes: Fix[] = edit ? [{ title: `Write ${spelling} (the same duration in GEP-2257 form)`, safety: 'safe', edits: [edit], preferred: true }] : [];
      ctx.report({
        messageId: policyField ? (spelling ? 'policyInvalidDurationWithSpelling' : 'policyInvalidDuration') : spelling ? 'invalidDurationWithSpelling' : 'invalidDuration',
        data: { route, knob, ...(policyField ? { field: policyField } : {}), value: duration.text, reason, reasonCode: duration.invalid!, ...(spelling ? { spelling, intendedMs: intended! } : {}) },
        span: duration.span,
        fixes,
      });
    }

    function reportBackendAboveRequest(label: string, request: K8sDuration, backendRequest: K8sDuration): void {
      const place = (d: K8sDuration) => placeOf(ctx.model, d.span);
      const related: Related[] = [{ span: request.span, message: `timeouts.request ${request.text} is set here` }];
      const fixes: Fix[] = [];
      const source = ctx.model.sources.get(request.span.file);
      const raised = gatewayApiSpelling(backendRequest.ms!);
      const raise = source && raised ? replaceValueEdit(source, request.span, raised) : undefined;
      if (raise) fixes.push({ title: `Raise timeouts.request to ${raised} (unsafe: holds connections longer)`, safety: 'unsafe', edits: [raise] });
      const lowered = gatewayApiSpelling(request.ms!);
      const lower = source && lowered ? replaceValueEdit(source, backendRequest.span, lowered) : undefined;
      if (lower) fixes.push({ title: `Lower timeouts.backendRequest to ${lowered}`, safety: 'unsafe', edits: [lower] });
      ctx.report({
        messageId: 'backendRequestAboveRequest',
        data: {
          route: label,
          request: request.text, requestMs: request.ms!, requestPlace: place(request),
          backendRequest: backendRequest.text, backendRequestMs: backendRequest.ms!, backendRequestPlace: place(backendRequest),
        },
        span: backendRequest.span,
        related,
        fixes,
      });
    }
  },
});
