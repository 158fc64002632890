// Reports a timeout directive set twice in one nginx context, which nginx rejects as "is duplicate".
import { defineRule, type Fix } from '../server/src/engine/rule-api.js';
import { blockLabel, type NginxBlock, type NginxDirective } from '../server/src/engine/inputs/nginx/api.js';
import { durationKnobOf, forEachStatementNamed, mayBeDurationKnob } from './util/nginx-walk.js';
import { removeDirectiveEdit } from './util/nginx-edits.js';
import { placeOf } from './util/places.js';

export default defineRule<Record<string, never>>({
  id: 'duplicate-timeout-directive',
  description: 'A timeout directive may be set only once per nginx context.',
  defaultSeverity: 'error',
  fixable: 'sometimes',
  inputs: ['nginx'],
  options: { schema: { type: 'object', additionalProperties: false, properties: {} }, defaults: {} },
  messages: {
    duplicate: '{directive} {value} repeats {directive} {firstValue}; nginx refuses to load. The first is at {firstPlace}; both are in the same {context}, and nginx fails with "directive is duplicate".',
  },
  check(ctx) {
    for (const model of ctx.model.nginx) {
      // The first of each name per block; later ones repeat it.
      const firsts = new Map<NginxBlock, Map<string, NginxDirective>>();
      forEachStatementNamed(model, mayBeDurationKnob, (directive, block) => {
        if (!durationKnobOf(directive, block)) return;
        let seen = firsts.get(block);
        if (!seen) firsts.set(block, (seen = new Map()));
        const first = seen.get(directive.name);
        if (!first) {
          seen.set(directive.name, directive);
          return;
        }
        const fixes: Fix[] = [];
        const removeThis = removeDirectiveEdit(ctx.model, directive);
        const removeFirst = removeDirectiveEdit(ctx.model, first);
        const valueOf = (d: NginxDirective) => d.args.map((a) => a.value).join(' ');
        if (removeThis) fixes.push({ title: `Remove this ${directive.name} (keep ${valueOf(first)})`, safety: 'unsafe', edits: [removeThis] });
        if (removeFirst) fixes.push({ title: `Remove the first ${directive.name} (keep ${valueOf(directive)})`, safety: 'unsafe', edits: [removeFirst] });
        ctx.report({
          messageId: 'duplicate',
          data: {
            directive: directive.name,
            value: valueOf(directive),
            firstValue: valueOf(first),
            firstPlace: placeOf(ctx.model, first.span),
            context: blockLabel(block),
          },
          span: directive.nameSpan,
          related: [{ span: first.span, message: `${directive.name} ${valueOf(first)} is first set here` }],
          fixes,
        });
      });
    }
  },
});
