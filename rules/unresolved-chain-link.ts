// Reports, as information, where a call chain stops because the linker could not find the next hop.
import { chainsOf, defineRule } from '../server/src/engine/rule-api.js';

export default defineRule<Record<string, never>>({
  id: 'unresolved-chain-link',
  description: 'Shows where a call chain stops because the next hop is not in the workspace or does not match.',
  defaultSeverity: 'info',
  fixable: 'never',
  inputs: ['nginx', 'k8s', 'ts'],
  options: { schema: { type: 'object', additionalProperties: false, properties: {} }, defaults: {} },
  messages: {
    stops: 'The call chain stops at {from}: {reason}; timeouts behind this hop are not compared.',
  },
  check(ctx) {
    for (const link of chainsOf(ctx.model).unresolved) {
      ctx.report({ messageId: 'stops', data: { from: link.from, reason: link.message }, span: link.span });
    }
  },
});
