// Reports LLM and streaming routes on Envoy Gateway or Contour that leave Envoy's 15 s route timeout in place.
import { defineRule, parseGatewayApiDuration, type Fix, type Related } from '../server/src/engine/rule-api.js';
import type { GatewayRouteRuleFacts, HttpProxyFacts } from '../server/src/engine/inputs/k8s/api.js';
import { entryNode, firstKeySpan, llmGatewayRule, llmHttpProxyRoute, objectLabel, parentGateways } from './util/k8s-route-facts.js';
import { insertKeyEdit, replaceValueEdit } from './util/k8s-route-edits.js';
import { headlineName, placeOf } from './util/places.js';

interface Options {
  fixValue: string;
  gatewayClassControllers: Record<string, string>;
}

const IMPLEMENTATION_NAMES = { 'envoy-gateway': 'Envoy Gateway', contour: 'Contour' } as const;
// Envoy's route timeout when the control plane sets none (reference/timeout-facts.md §4, §6.1, §6.3).
const ENVOY_DEFAULT_ROUTE_TIMEOUT = '15s';
const ENVOY_DEFAULT_ROUTE_TIMEOUT_MS = 15_000;

export default defineRule<Options>({
  id: 'envoy-route-without-timeout',
  description: 'An LLM or streaming route on an Envoy-based gateway must set a route timeout instead of inheriting Envoy\'s 15 s.',
  defaultSeverity: 'warning',
  fixable: 'sometimes',
  inputs: ['k8s'],
  options: {
    schema: {
      type: 'object',
      additionalProperties: false,
      properties: {
        fixValue: { type: 'string', pattern: '^([0-9]{1,5}(h|m|s|ms)){1,4}$', description: 'The route timeout the quick fix writes, as a GEP-2257 duration (also valid for Contour).' },
        gatewayClassControllers: {
          type: 'object',
          additionalProperties: { type: 'string' },
          description: 'GatewayClass name → controllerName, for classes whose GatewayClass object is not among the manifests (for example {"eg": "gateway.envoyproxy.io/gatewayclass-controller"}).',
        },
      },
    },
    defaults: { fixValue: '300s', gatewayClassControllers: {} },
  },
  messages: {
    httpRouteWithoutTimeout:
      '{routeName} sets no timeouts.request; Envoy cuts it at {defaultTimeout}. {route} is served by {gateway} ({implementation}, GatewayClass {gatewayClass}; {evidence}), where Envoy\'s default route timeout applies: a response or stream that takes longer ends with a 504.',
    httpProxyWithoutTimeout:
      '{routeName} sets no timeoutPolicy.response; Envoy cuts it at {defaultTimeout}. On {route}, Envoy\'s default route timeout applies ({evidence}){zeroNote}: a response or stream that takes longer ends with a 504.',
  },
  check(ctx) {
    const fixValue = parseGatewayApiDuration(ctx.options.fixValue).ok ? ctx.options.fixValue : '300s';
    const k8s = ctx.model.k8s;
    for (const route of k8s.gatewayRoutes) {
      if (route.kind !== 'HTTPRoute') continue;
      // Istio disables the route timeout when none is set, and other implementations' defaults are not known (facts §6.1): only Envoy Gateway and Contour qualify.
      const parent = parentGateways(k8s, route, ctx.options.gatewayClassControllers).find((p) => p.implementation === 'envoy-gateway' || p.implementation === 'contour');
      if (!parent) continue;
      route.rules.forEach((rule, index) => {
        // A backendRequest alone becomes Envoy Gateway's route timeout when no retry is set (facts §6.2): the author chose a timeout.
        if (rule.timeouts?.request || rule.timeouts?.backendRequest) return;
        // A BackendTrafficPolicy requestTimeout in effect on the rule (the model links rule, route and Gateway targets, facts §6.2).
        if (parent.implementation === 'envoy-gateway' && policyRequestTimeout(rule)) return;
        const match = llmGatewayRule(route, rule, ctx.model.settings.llm);
        if (!match) return;
        const node = entryNode(route.object, 'rules', index);
        const source = ctx.model.sources.get(route.object.file);
        const timeoutsNode = rule.timeouts ? route.object.view.asMap(route.object.view.get(node, 'timeouts')) : undefined;
        const edit = !source || !node ? undefined
          : timeoutsNode ? insertKeyEdit(source, timeoutsNode, 'request', fixValue, route.object.node)
          : insertKeyEdit(source, node, 'timeouts', { key: 'request', value: fixValue }, route.object.node);
        const fixes: Fix[] = edit ? [{ title: `Add timeouts.request: ${fixValue} to this rule (unsafe: longer requests start to fail)`, safety: 'unsafe', edits: [edit] }] : [];
        const related: Related[] = [];
        if (parent.className) related.push({ span: parent.className.span, message: `Gateway ${parent.name} uses GatewayClass ${parent.className.text}` });
        if (parent.controllerName?.span) related.push({ span: parent.controllerName.span, message: `GatewayClass ${parent.className?.text ?? '?'} is implemented by ${parent.controllerName.text}` });
        ctx.report({
          messageId: 'httpRouteWithoutTimeout',
          data: {
            route: `${objectLabel(route.object)} rules[${index}]`,
            routeName: headlineName(`${objectLabel(route.object)} rules[${index}]`),
            evidence: match.evidence,
            gateway: `Gateway ${parent.name}`,
            implementation: IMPLEMENTATION_NAMES[parent.implementation as keyof typeof IMPLEMENTATION_NAMES],
            gatewayClass: parent.className?.text ?? '?',
            controllerName: parent.controllerName?.text ?? '',
            defaultTimeout: ENVOY_DEFAULT_ROUTE_TIMEOUT,
            defaultTimeoutMs: ENVOY_DEFAULT_ROUTE_TIMEOUT_MS,
          },
          span: match.local ? match.span : firstKeySpan(route.object, node, rule.span),
          related,
          fixes,
        });
      });
    }
    for (const proxy of k8s.httpProxies) checkHttpProxy(proxy);

    function checkHttpProxy(proxy: HttpProxyFacts): void {
      proxy.routes.forEach((route, index) => {
        // Contour reads `0s` as "not set" (facts §6.3); `infinity` and any other value are a choice.
        const written = route.response.written;
        const zero = written !== undefined && written.ms === 0 && written.invalid === undefined;
        if (written && !zero) return;
        const match = llmHttpProxyRoute(proxy, route, ctx.model.settings.llm);
        if (!match) return;
        const node = entryNode(proxy.object, 'routes', index);
        const source = ctx.model.sources.get(proxy.object.file);
        const policyNode = proxy.object.view.asMap(proxy.object.view.get(node, 'timeoutPolicy'));
        const edit = !source || !node ? undefined
          : zero ? replaceValueEdit(source, written.span, fixValue, { flowContext: policyNode?.flow === true })
          : policyNode ? insertKeyEdit(source, policyNode, 'response', fixValue, proxy.object.node)
          : insertKeyEdit(source, node, 'timeoutPolicy', { key: 'response', value: fixValue }, proxy.object.node);
        const fixes: Fix[] = edit ? [{ title: zero ? `Set timeoutPolicy.response to ${fixValue}` : `Add timeoutPolicy.response: ${fixValue} to this route`, safety: 'unsafe', edits: [edit] }] : [];
        ctx.report({
          messageId: 'httpProxyWithoutTimeout',
          data: {
            route: `${objectLabel(proxy.object)} routes[${index}]`,
            routeName: headlineName(`${objectLabel(proxy.object)} routes[${index}]`),
            evidence: match.evidence,
            zeroNote: zero ? ` (${written.text} at ${placeOf(ctx.model, written.span)} means "not set" in Contour)` : '',
            defaultTimeout: ENVOY_DEFAULT_ROUTE_TIMEOUT,
            defaultTimeoutMs: ENVOY_DEFAULT_ROUTE_TIMEOUT_MS,
          },
          span: zero ? written.span : match.local ? match.span : firstKeySpan(proxy.object, node, route.span),
          related: [],
          fixes,
        });
      });
    }
  },
});

/** The BackendTrafficPolicy `requestTimeout` Envoy Gateway accepts for this rule, if any (a rejected policy applies nothing). */
function policyRequestTimeout(rule: GatewayRouteRuleFacts): boolean {
  const timeout = rule.trafficPolicy?.requestTimeout;
  return timeout !== undefined && timeout.value.invalid === undefined;
}
