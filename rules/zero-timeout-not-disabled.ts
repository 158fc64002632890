// Reports a `0` written to switch a timeout off where 0 does not mean "off": nginx upstream timeouts (a zero-length timer) and Istio durations (rejected by the CRD).
import { isScalar, type Pair, type YAMLMap } from 'yaml';
import { defineRule, parseNginxTime, type Fix, type RuleContext, type TextEdit } from '../server/src/engine/rule-api.js';
import { NGINX_KNOBS_BY_NAME } from '../server/src/engine/inputs/nginx/api.js';
import type { IstioHttpRouteFacts, K8sDuration, VirtualServiceFacts } from '../server/src/engine/inputs/k8s/api.js';
import { entryNode, objectLabel } from './util/k8s-route-facts.js';
import { removeDirectiveEdit } from './util/nginx-edits.js';
import { forEachStatementNamed } from './util/nginx-walk.js';
import { headlineName, placeOf } from './util/places.js';
import { removeMapEntryEdit } from './util/yaml-edits.js';

/** The upstream timers nginx arms with `ngx_add_timer`; none of them has an "off" value (timeout-facts.md §1.3, §15 P22). */
const NGINX_UPSTREAM_TIMER = /^(proxy|grpc|fastcgi|uwsgi)_(connect|send|read)_timeout$/;
const PHASES: Record<string, string> = { connect: 'connecting to the upstream', send: 'sending the request to the upstream', read: 'reading the upstream response' };

export default defineRule<Record<string, never>>({
  id: 'zero-timeout-not-disabled',
  description: 'A timeout must not be set to 0 to switch it off where 0 does not mean "off".',
  defaultSeverity: 'warning',
  fixable: 'sometimes',
  inputs: ['nginx', 'k8s'],
  options: { schema: { type: 'object', additionalProperties: false, properties: {} }, defaults: {} },
  messages: {
    nginxZero: '{directive} {value} does not disable the timeout; it likely fires at once. Here {phase} likely times out at once: nginx has no "off" value for it (at {place}), and a 0 most likely arms a zero-length timer (inferred from nginx\'s source, unconfirmed). Removing it brings back the value inherited from the enclosing block, or nginx\'s default {default}.',
    istioZero: '{field} {value} does not disable the timeout; Istio rejects it. On {route}, current Istio CRDs require at least 1ms (at {place}). Omit the field instead: {omitted}.',
  },
  check(ctx) {
    for (const model of ctx.model.nginx) {
      forEachStatementNamed(model, (name) => NGINX_UPSTREAM_TIMER.test(name), (directive, block) => {
        if (directive.args.length !== 1 || block.kind === 'upstream') return;
        const match = NGINX_UPSTREAM_TIMER.exec(directive.name)!;
        const arg = directive.args[0]!;
        const parsed = parseNginxTime(arg.value, 'ms');
        if (!parsed.ok || parsed.ms !== 0) return;
        const edit = removeDirectiveEdit(ctx.model, directive);
        ctx.report({
          messageId: 'nginxZero',
          data: { directive: directive.name, value: arg.value, place: placeOf(ctx.model, arg.span), phase: PHASES[match[2]!]!, default: NGINX_KNOBS_BY_NAME.get(directive.name)?.defaultText ?? '60s' },
          span: arg.span,
          // The timer goes from "fires at once" to the inherited or default value: behaviour changes, so unsafe.
          fixes: fixOf(`Remove ${directive.name} ${arg.value}`, 'unsafe', edit),
        });
      });
    }
    for (const vs of ctx.model.k8s.virtualServices) vs.http.forEach((route, index) => checkRoute(ctx, vs, route, index));
  },
});

function checkRoute(ctx: RuleContext<Record<string, never>>, vs: VirtualServiceFacts, route: IstioHttpRouteFacts, index: number): void {
  const node = entryNode(vs.object, 'http', index);
  const label = `${objectLabel(vs.object)} http[${index}]${route.name ? ` (${route.name.text})` : ''}`;
  const source = ctx.model.sources.get(vs.object.file);
  const report = (field: string, written: K8sDuration, map: YAMLMap | undefined, key: string, omitted: string, safety: Fix['safety']): void => {
    const pair = map?.items.find((p): p is Pair<unknown, unknown> => isScalar(p.key) && p.key.value === key);
    const edit = source && map && pair ? removeMapEntryEdit(source, map, pair) : undefined;
    ctx.report({
      messageId: 'istioZero',
      data: { field, value: written.text, route: label, routeName: headlineName(label), place: placeOf(ctx.model, written.span), omitted },
      span: written.span,
      fixes: fixOf(`Remove ${field}: ${written.text}`, safety, edit),
    });
  };
  // Omitting `timeout` is what `0s` meant on releases that accepted it (Envoy route timeout 0 = none, facts §4, §5): safe.
  if (isZero(route.timeout.written)) report('timeout', route.timeout.written!, node, 'timeout', 'the route timeout stays disabled, Istio\'s default', 'safe');
  const perTry = route.retries.perTryTimeout.source === 'set' ? route.retries.perTryTimeout.written : undefined;
  if (isZero(perTry)) {
    const retries = vs.object.view.asMap(vs.object.view.get(node, 'retries'));
    // Per-try then defaults to the route timeout, which a 0 per-try value did not promise: unsafe.
    report('retries.perTryTimeout', perTry!, retries, 'perTryTimeout', 'each try is then bounded by the route timeout, Istio\'s default', 'unsafe');
  }
}

function isZero(duration: K8sDuration | undefined): boolean {
  return duration !== undefined && !duration.unresolved && duration.invalid === undefined && duration.ms === 0;
}

function fixOf(title: string, safety: Fix['safety'], edit: TextEdit | undefined): Fix[] {
  return edit ? [{ title, safety, edits: [edit], ...(safety === 'safe' ? { preferred: true } : {}) }] : [];
}
