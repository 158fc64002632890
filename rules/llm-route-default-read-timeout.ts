// Reports LLM and streaming nginx routes whose read timeout is still nginx's 60 s default (or less).
import { chainsOf, defineRule, parseNginxTime, spokenDuration, type Fix, type Hop, type Related, type RuleContext } from '../server/src/engine/rule-api.js';
import { describeTimeout, setTimeoutEdit } from './util/chain-hops.js';
import { describeSource, effectiveValue } from '../server/src/engine/inputs/nginx/api.js';
import { llmCallBehind } from './util/chain-llm.js';
import { GATEWAY_HOPS, idleLimitOf, streamBehind } from './util/chain-streaming.js';
import { matchLlmRoute, proxyingLocations } from './util/llm-routes.js';
import { blockHeaderSpan, insertStatementEdit, replaceArgsEdit } from './util/nginx-edits.js';
import { headlineName, placeOf } from './util/places.js';

interface Options {
  threshold: string;
  fixValue: string;
}

export default defineRule<Options>({
  id: 'llm-route-default-read-timeout',
  description: 'An LLM or streaming route must not be left on nginx\'s 60 s default read timeout.',
  defaultSeverity: 'warning',
  fixable: 'sometimes',
  inputs: ['nginx', 'ts', 'kong', 'traefik'],
  options: {
    schema: {
      type: 'object',
      additionalProperties: false,
      properties: {
        threshold: { type: 'string', description: 'Read timeouts at or below this nginx duration are reported on LLM routes.' },
        fixValue: { type: 'string', description: 'The nginx duration the quick fix writes.' },
      },
    },
    defaults: { threshold: '60s', fixValue: '300s' },
  },
  messages: {
    shortRead:
      'nginx cuts LLM {route} after {value} of silence. {knob} is {value} ({source}), on a route that calls a model ({evidence}); a model that is silent for longer than that gets a 504 from nginx.',
    shortReadStream:
      'nginx cuts LLM stream {route} after {value} of silence. {knob} is {value} ({source}), on a route that streams a model\'s answer ({evidence}). It is an idle limit between chunks: a first token slower than that (a long prompt, tool calls, a busy provider) ends the request with a 504, or with an empty body once the headers are sent, and a pause that long mid-answer cuts the stream short.',
    shortReadGateway:
      '{gatewayName} cuts silent streams at {value}; a token may take {llmValue}. {gateway}: {knob} is {source}; {handler} streams the answer ({evidence}): a first token slower than that, or a pause that long mid-answer, ends the stream with a 504 or an empty body.',
  },
  check(ctx) {
    const threshold = parseNginxTime(ctx.options.threshold, 'ms');
    const thresholdMs = threshold.ok ? threshold.ms : 60_000;
    checkOtherGateways(ctx, thresholdMs);
    for (const model of ctx.model.nginx) {
      for (const block of proxyingLocations(model)) {
        const directive = block.directive;
        const byCode = () => llmCallBehind(ctx.model, directive);
        // A handler that streams a model's answer makes the route an LLM route too; for a stream the read timeout is an idle limit between chunks.
        const byStream = () => {
          const stream = streamBehind(ctx.model, directive);
          return stream?.llm ? stream : undefined;
        };
        const plain = matchLlmRoute(model, block, ctx.model.settings.llm) ?? byCode();
        const stream = plain ? undefined : byStream();
        const match = plain ?? stream;
        if (!match || !directive || !block.proxyTarget) continue;
        const knob = `${block.proxyTarget.via.replace(/_pass$/, '')}_read_timeout`;
        const value = effectiveValue(block, knob);
        if (!value || value.ms === undefined || value.ms > thresholdMs) continue;
        const place = (span: Parameters<typeof placeOf>[1]) => placeOf(ctx.model, span);
        const related: Related[] = [];
        if (value.source.kind !== 'default') {
          related.push({ span: value.source.directive.span, message: `${knob} ${value.text} is set here` });
        }
        related.push({ span: block.proxyTarget.span, message: `requests go to ${block.proxyTarget.raw}` });
        if ('related' in match && Array.isArray(match.related)) related.push(...(match.related as Related[]));
        const statement = `${knob} ${ctx.options.fixValue};`;
        const edit = value.source.kind === 'set' ? replaceArgsEdit(value.source.directive, ctx.options.fixValue) : insertStatementEdit(ctx.model, block, statement);
        const fixes: Fix[] = edit
          ? [{ title: `${value.source.kind === 'set' ? `Raise ${knob} to ${ctx.options.fixValue}` : `Add \`${statement}\` to this location`} (unsafe: holds connections longer)`, safety: 'unsafe', edits: [edit] }]
          : [];
        ctx.report({
          messageId: stream ? 'shortReadStream' : 'shortRead',
          data: {
            route: `location ${block.location?.modifier ? `${block.location.modifier} ` : ''}${block.location?.pattern ?? ''}`,
            evidence: match.evidence,
            knob,
            value: value.text,
            valueMs: value.ms,
            source: describeSource(value, place),
          },
          span: value.source.kind === 'set' ? { ...value.source.directive.args[0]!.span, end: value.source.directive.args[value.source.directive.args.length - 1]!.span.end } : blockHeaderSpan(directive),
          related,
          fixes,
        });
      }
    }
  },
});

/** Hops whose routes the nginx pass above (and llm-ingress-default-timeout for Ingresses) already reports. */
const COVERED_REFS = new Set(['nginx', 'ingress']);

/**
 * Other gateways in front of a handler that streams a model's answer (Kong, Traefik, …), through
 * the chain model: the gateway's shortest idle (read) timer, like nginx's proxy_read_timeout, cuts
 * a stream that stays silent for that long (timeout-facts §0).
 */
function checkOtherGateways(ctx: RuleContext<Options>, thresholdMs: number): void {
  const reported = new Set<string>();
  const fixParsed = parseNginxTime(ctx.options.fixValue, 'ms');
  const fixMs = fixParsed.ok ? fixParsed.ms : 300_000;
  for (const chain of chainsOf(ctx.model).chains) {
    const at = chain.hops.findIndex((h) => h.kind === 'route-handler' && (h.stream?.llmStreams.length ?? 0) > 0);
    if (at < 0) continue;
    const handler = chain.hops[at]!;
    const llmWaitMs = llmWait(chain.hops.slice(at + 1).find((h) => h.llm));
    for (const gateway of chain.hops.slice(0, at)) {
      if (!GATEWAY_HOPS.has(gateway.kind) || COVERED_REFS.has(gateway.ref.kind)) continue;
      const idle = idleLimitOf(gateway);
      if (!idle || idle.ms! > thresholdMs || llmWaitMs <= idle.ms!) continue;
      const span = idle.span ?? gateway.span;
      const key = `${span.file}:${span.start}:${handler.span.file}:${handler.span.start}`;
      if (reported.has(key)) continue;
      reported.add(key);
      const piece = handler.stream!.llmStreams[0]!;
      const related: Related[] = [
        { span: piece.span!, message: `streams: ${piece.text}` },
        { span: handler.span, message: handler.label },
      ];
      if (idle.span) related.push({ span: gateway.span, message: gateway.label });
      const edit = setTimeoutEdit(ctx.model, gateway, idle, fixMs);
      const fixes: Fix[] = edit ? [{ title: `Raise ${idle.knob} of ${gateway.label} to ${spokenDuration(fixMs)} (unsafe: holds connections longer)`, safety: 'unsafe', edits: [edit] }] : [];
      ctx.report({
        messageId: 'shortReadGateway',
        data: {
          gateway: gateway.label,
          gatewayName: headlineName(gateway.label),
          knob: idle.knob,
          value: spokenDuration(idle.ms!),
          valueMs: idle.ms!,
          source: describeTimeout(ctx.model, idle),
          llmValue: Number.isFinite(llmWaitMs) ? spokenDuration(llmWaitMs) : 'without limit',
          handler: handler.label,
          evidence: `${piece.text} at ${placeOf(ctx.model, piece.span!)}`,
        },
        span,
        related,
        fixes,
      });
    }
  }
}

/** How long the streamed model call may wait for a token: its shortest known timer, or without limit. */
function llmWait(call: Hop | undefined): number {
  let best = Number.POSITIVE_INFINITY;
  for (const t of call?.timeouts ?? []) {
    if (t.kind === 'connect' || t.kind === 'keepalive' || t.disabled || t.ms === undefined || t.ms <= 0) continue;
    best = Math.min(best, t.ms);
  }
  return best;
}
