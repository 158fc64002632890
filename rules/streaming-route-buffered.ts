// Reports streaming (SSE, token stream) nginx routes where proxy_buffering is still on.
import { defineRule, type Fix, type Related } from '../server/src/engine/rule-api.js';
import { describeSource, effectiveValue } from '../server/src/engine/inputs/nginx/api.js';
import { streamBehind } from './util/chain-streaming.js';
import { matchStreamingRoute, proxyingLocations, websocketUpgrade } from './util/llm-routes.js';
import { blockHeaderSpan, insertStatementEdit, replaceArgEdit } from './util/nginx-edits.js';
import { placeOf } from './util/places.js';

export default defineRule<Record<string, never>>({
  id: 'streaming-route-buffered',
  description: 'A streaming route must not buffer upstream responses (proxy_buffering on).',
  defaultSeverity: 'warning',
  fixable: 'sometimes',
  inputs: ['nginx', 'ts'],
  options: { schema: { type: 'object', additionalProperties: false, properties: {} }, defaults: {} },
  messages: {
    buffered:
      '{route} streams but `proxy_buffering {value}` buffers it. It streams ({evidence}), and with proxy_buffering {value} ({source}) tokens and server-sent events reach the client in bursts, or only at the end.',
  },
  check(ctx) {
    for (const model of ctx.model.nginx) {
      for (const block of proxyingLocations(model)) {
        const directive = block.directive;
        if (!directive || block.proxyTarget?.via !== 'proxy_pass') continue;
        const code = streamBehind(ctx.model, directive);
        // The handler sends X-Accel-Buffering: no itself (or NestJS @Sse does): nginx streams it anyway.
        if (code?.noBuffering) continue;
        // The path alone never makes a websocket location a stream (frames are relayed as they come once
        // upgraded); a handler behind it that streams over plain HTTP (SSE) is still buffered.
        const match = code ?? (websocketUpgrade(block) ? undefined : matchStreamingRoute(block, ctx.model.settings.llm));
        if (!match) continue;
        const value = effectiveValue(block, 'proxy_buffering');
        if (!value || value.text.toLowerCase() !== 'on') continue;
        const related: Related[] = value.source.kind === 'default' ? [] : [{ span: value.source.directive.span, message: `proxy_buffering ${value.text} is set here` }];
        if (code) related.push(...code.related);
        else if ('directive' in match && match.directive) related.push({ span: match.directive.span, message: `streams: ${match.directive.name} ${match.directive.args.map((a) => a.value).join(' ')}` });
        const edit = value.source.kind === 'set' ? replaceArgEdit(value.source.directive.args[0]!, 'off') : insertStatementEdit(ctx.model, block, 'proxy_buffering off;');
        const fixes: Fix[] = edit ? [{ title: 'Turn proxy_buffering off for this location', safety: 'unsafe', edits: [edit] }] : [];
        ctx.report({
          messageId: 'buffered',
          data: {
            route: `location ${block.location?.pattern ?? ''}`,
            evidence: match.evidence,
            value: value.text,
            source: describeSource(value, (span) => placeOf(ctx.model, span)),
          },
          span: value.source.kind === 'set' ? value.source.directive.args[0]!.span : blockHeaderSpan(directive),
          related,
          fixes,
        });
      }
    }
  },
});
