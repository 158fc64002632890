// Reports server-sent event handlers that write nothing while idle behind a gateway whose idle (read) timeout cuts a silent stream.
import { chainsOf, defineRule, spokenDuration, type Hop, type Related, type SeverityOrOff } from '../server/src/engine/rule-api.js';
import { describeTimeout } from './util/chain-hops.js';
import { idleLimitOf, GATEWAY_HOPS } from './util/chain-streaming.js';
import { headlineName, placeOf } from './util/places.js';

interface Options {
  /** The severity of a handler whose heartbeat interval cannot be read, or `off`. */
  unknownInterval: SeverityOrOff;
}

export default defineRule<Options>({
  id: 'sse-heartbeat-missing',
  description: 'A server-sent events handler behind a gateway idle timeout must write a heartbeat more often than that timeout.',
  defaultSeverity: 'warning',
  fixable: 'never',
  inputs: ['nginx', 'k8s', 'ts'],
  options: {
    schema: {
      type: 'object',
      additionalProperties: false,
      properties: {
        unknownInterval: { enum: ['off', 'info', 'warning', 'error'], description: 'The severity of a handler whose heartbeat timer has an interval that is not static (so whether it beats the gateway is unknown), or `off` to leave those out.' },
      },
    },
    defaults: { unknownInterval: 'info' },
  },
  messages: {
    noHeartbeat:
      '{handlerName}: no SSE heartbeat; {gatewayName} cuts silent streams at {value}. {handler} sends server-sent events ({evidence}) but writes nothing while idle, and {gateway} cuts it ({knob}, {source}), so a quiet event stream ends and the client reconnects; write a heartbeat (a `: ping` comment) more often than that.',
    heartbeatTooSlow:
      '{handlerName} pings every {interval}; {gatewayName} cuts silent streams at {value}. {gateway} is in front of {handler}; the heartbeat ({heartbeat}; {evidence}) comes too late to keep an idle stream open ({knob}, {source}).',
    heartbeatUnknown:
      '{handlerName} pings at an unknown interval; {gatewayName} cuts silent streams at {value}. {gateway} is in front of {handler}; the interval is not static ({heartbeat}; {evidence}), so whether it comes often enough ({knob}, {source}) is unknown.',
  },
  check(ctx) {
    // Several routes that send the same event stream (one use case behind v1 and v2 routes) through the
    // same gateway setting are one problem: reported once, the other routes as related locations.
    const reported = new Map<string, { related: Related[]; report: () => void }>();
    const place = (span: Parameters<typeof placeOf>[1]) => placeOf(ctx.model, span);
    for (const chain of chainsOf(ctx.model).chains) {
      const at = chain.hops.findIndex((h) => h.kind === 'route-handler' && (h.stream?.sse.length ?? 0) > 0);
      if (at < 0) continue;
      const handler = chain.hops[at]!;
      const stream = handler.stream!;
      // A streamed model answer ends when the answer does; its silence before the first token is llm-route-default-read-timeout's.
      if (stream.llmStreams.length > 0) continue;
      for (const gateway of chain.hops.slice(0, at)) {
        if (!GATEWAY_HOPS.has(gateway.kind)) continue;
        const idle = idleLimitOf(gateway);
        if (!idle) continue;
        const known = stream.heartbeats.filter((h) => h.intervalMs !== undefined).sort((a, b) => a.intervalMs! - b.intervalMs!);
        const fastest = known[0];
        if (fastest && fastest.intervalMs! < idle.ms!) continue;
        const unknown = stream.heartbeats.find((h) => h.intervalMs === undefined);
        const messageId = fastest ? 'heartbeatTooSlow' : unknown ? 'heartbeatUnknown' : 'noHeartbeat';
        if (messageId === 'heartbeatUnknown' && ctx.options.unknownInterval === 'off') continue;
        const span = idle.span ?? gateway.span;
        const sse = stream.sse[0]!;
        const key = `${span.file}:${span.start}:${sse.span?.file}:${sse.span?.start}`;
        const earlier = reported.get(key);
        if (earlier) {
          if (!earlier.related.some((r) => r.span.file === handler.span.file && r.span.start === handler.span.start)) earlier.related.push({ span: handler.span, message: `route handler ${handlerName(handler)} sends the same stream` });
          continue;
        }
        const heartbeat = fastest ?? unknown;
        const related: Related[] = [
          { span: sse.span!, message: `sends server-sent events: ${sse.text}` },
          { span: handler.span, message: `route handler ${handlerName(handler)}` },
        ];
        if (heartbeat) related.push({ span: heartbeat.span!, message: `heartbeat: ${heartbeat.text}` });
        if (idle.span) related.push({ span: gateway.span, message: gateway.label });
        reported.set(key, { related, report: () => ctx.report({
          messageId,
          data: {
            handler: handlerName(handler),
            handlerName: headlineName(handlerName(handler)),
            evidence: `${sse.text} at ${place(sse.span!)}`,
            gateway: gateway.label,
            gatewayName: headlineName(gateway.label),
            knob: idle.knob,
            value: spokenDuration(idle.ms!),
            valueMs: idle.ms!,
            source: describeTimeout(ctx.model, idle),
            ...(heartbeat ? { heartbeat: `${heartbeat.text} at ${place(heartbeat.span!)}` } : {}),
            ...(fastest ? { interval: spokenDuration(fastest.intervalMs!), intervalMs: fastest.intervalMs! } : {}),
          },
          span,
          related,
          ...(messageId === 'heartbeatUnknown' && ctx.options.unknownInterval !== 'off' ? { severity: ctx.options.unknownInterval } : {}),
        }) });
      }
    }
    for (const { report } of reported.values()) report();
  },
});

function handlerName(hop: Hop): string {
  return hop.label.replace(/ handler$/, '');
}
