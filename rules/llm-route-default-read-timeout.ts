// Reports LLM and streaming nginx routes whose read timeout is still nginx's 60 s default (or less).
import { defineRule, parseNginxTime, type Fix, type Related } from '../server/src/engine/rule-api.js';
import { describeSource, effectiveValue } from '../server/src/engine/inputs/nginx/api.js';
import { llmCallBehind } from './util/chain-llm.js';
import { streamBehind } from './util/chain-streaming.js';
import { matchLlmRoute, proxyingLocations } from './util/llm-routes.js';
import { blockHeaderSpan, insertStatementEdit, replaceArgsEdit } from './util/nginx-edits.js';
import { placeOf } from './util/places.js';

interface Options {
  threshold: string;
  fixValue: string;
}

export default defineRule<Options>({
  id: 'llm-route-default-read-timeout',
  description: 'An LLM or streaming route must not be left on nginx\'s 60 s default read timeout.',
  defaultSeverity: 'warning',
  fixable: 'sometimes',
  inputs: ['nginx', 'ts'],
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
      '{route} ({evidence}) is an LLM route but {knob} is {value} ({source}); a model that is silent for longer than that gets a 504 from nginx.',
    shortReadStream:
      '{route} ({evidence}) streams a model\'s answer but {knob} is {value} ({source}); it is an idle limit between chunks: a first token slower than that (a long prompt, tool calls, a busy provider) ends the request with a 504, or with an empty body once the headers are sent, and a pause that long mid-answer cuts the stream short.',
  },
  check(ctx) {
    const threshold = parseNginxTime(ctx.options.threshold, 'ms');
    const thresholdMs = threshold.ok ? threshold.ms : 60_000;
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
          ? [{ title: value.source.kind === 'set' ? `Raise ${knob} to ${ctx.options.fixValue}` : `Add \`${statement}\` to this location`, safety: 'unsafe', edits: [edit], preferred: true }]
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
