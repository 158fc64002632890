// Reports a HAProxy backend that receives WebSocket (upgraded) requests without `timeout tunnel`: idle sockets are cut at the HTTP timeouts.
import { defineRule, spokenDuration, type Related } from '../server/src/engine/rule-api.js';
import { effectiveTimeout, frontendsOf, routesOf, routesUpgrades, type HaproxyProxy, type HaproxyRoute, type HaproxySetting } from '../server/src/engine/inputs/haproxy/api.js';
import { describeHaproxySetting, insertHaproxyStatementEdit } from './util/haproxy.js';

/** The value the fix writes: the example configuration.txt gives for WebSocket ("timeout tunnel 1h"). */
const FIX_VALUE = '1h';

interface Cut {
  /** `timeout server` or `timeout client`: the shorter one ends an idle tunnel. */
  knob: string;
  ms: number;
  setting: HaproxySetting<number | null>;
  proxy: HaproxyProxy;
}

export default defineRule({
  id: 'haproxy-tunnel-timeout-missing',
  description: 'A HAProxy backend that receives WebSocket requests must set `timeout tunnel`, or idle sockets are closed at the HTTP timeouts.',
  defaultSeverity: 'warning',
  fixable: 'sometimes',
  inputs: ['haproxy'],
  options: { schema: { type: 'object', additionalProperties: false, properties: {} }, defaults: {} },
  messages: {
    tunnelTimeoutMissing:
      'backend {backend}: no timeout tunnel, so idle WebSockets close after {cutValue}. WebSocket requests reach it through {rule} in {frontend}; without timeout tunnel an upgraded connection is closed after {cutValue} without a message in either direction ({cutKnob}, {cutSource}).',
  },
  check(ctx) {
    const reported = new Set<HaproxyProxy>();
    for (const model of ctx.model.haproxy) {
      for (const frontend of frontendsOf(model)) {
        for (const route of routesOf(model, frontend)) {
          const backend = route.backend;
          if (!backend || !route.rule || reported.has(backend) || !routesUpgrades(route.rule, frontend.acls)) continue;
          // `timeout tunnel` written (even 0, which means no timeout) or unknown: not this rule's concern.
          if (backend.timeouts.tunnel?.source.kind !== 'default') continue;
          const cut = tunnelCut(route, backend);
          if (!cut) continue;
          reported.add(backend);
          const span = backend.section.name?.span ?? backend.section.header.span;
          const related: Related[] = [{ span: route.rule.statement.span, message: `${frontend.kind} ${frontend.name ?? '?'} sends upgraded requests here` }];
          if (cut.setting.source.kind !== 'default') related.push({ span: cut.setting.valueSpan ?? cut.setting.source.statement.span, message: `${cut.knob} ${cut.setting.text} closes an idle tunnel` });
          const fix = insertHaproxyStatementEdit(ctx.model, backend.section, `timeout tunnel ${FIX_VALUE}`);
          ctx.report({
            messageId: 'tunnelTimeoutMissing',
            data: {
              backend: backend.name ?? '?',
              frontend: `${frontend.kind} ${frontend.name ?? '?'}`,
              rule: route.rule.statement.words.map((w) => w.value).join(' '),
              cutKnob: cut.knob,
              cutValue: spokenDuration(cut.ms),
              cutMs: cut.ms,
              cutSource: describeHaproxySetting(ctx.model, cut.setting),
            },
            span,
            related,
            fixes: fix ? [{ title: `Add timeout tunnel ${FIX_VALUE} to backend ${backend.name ?? '?'} (unsafe: holds idle tunnels longer)`, safety: 'unsafe', edits: [fix] }] : [],
          });
        }
      }
    }
  },
});

/**
 * What closes an idle tunnel when `timeout tunnel` is unset: the client and server inactivity
 * timeouts still apply (facts §20), and the shorter one strikes first. Undefined when neither is
 * known to be finite (no timeout at all leaves the tunnel open, which this rule does not judge).
 */
function tunnelCut(route: HaproxyRoute, backend: HaproxyProxy): Cut | undefined {
  const candidates: Cut[] = [];
  const server = effectiveTimeout(backend, 'server')?.setting;
  const client = effectiveTimeout(route.frontend, 'client')?.setting;
  // A value the linker cannot know (an environment variable, a conditional block) could be the shorter one.
  if (server?.unknown !== undefined || client?.unknown !== undefined) return undefined;
  if (typeof server?.value === 'number') candidates.push({ knob: 'timeout server', ms: server.value, setting: server, proxy: backend });
  if (typeof client?.value === 'number') candidates.push({ knob: 'timeout client', ms: client.value, setting: client, proxy: route.frontend });
  return candidates.reduce<Cut | undefined>((best, c) => (!best || c.ms < best.ms ? c : best), undefined);
}
