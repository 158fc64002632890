// Reports timeout directives inside nginx `if` blocks, where nginx refuses them.
import { defineRule } from '../server/src/engine/rule-api.js';
import { NGINX_KNOBS_BY_NAME, blockLabel } from '../server/src/engine/inputs/nginx/api.js';
import { forEachStatementNamed } from './util/nginx-walk.js';

export default defineRule<Record<string, never>>({
  id: 'timeout-in-if',
  description: 'Timeout directives are not allowed inside an nginx `if` block.',
  defaultSeverity: 'error',
  fixable: 'never',
  inputs: ['nginx'],
  options: { schema: { type: 'object', additionalProperties: false, properties: {} }, defaults: {} },
  messages: {
    inIf: '{directive} inside `{condition}` is rejected by nginx. nginx fails with "directive is not allowed here": timeouts can be set per location or server, not per condition.',
  },
  check(ctx) {
    for (const model of ctx.model.nginx) {
      forEachStatementNamed(model, isDurationKnob, (directive, block) => {
        if (block.kind !== 'if') return;
        ctx.report({
          messageId: 'inIf',
          data: { directive: directive.name, condition: blockLabel(block) },
          span: directive.nameSpan,
          related: block.directive ? [{ span: block.directive.nameSpan, message: 'the enclosing if block' }] : [],
        });
      });
    }
  },
});

function isDurationKnob(name: string): boolean {
  return NGINX_KNOBS_BY_NAME.get(name)?.value.type === 'duration';
}
