// Reports upstream connect timeouts above 75 s, which the operating system cuts short anyway.
import { defineRule } from '../server/src/engine/rule.js';
import { parseNginxTime } from '../server/src/engine/units.js';
import { blocksOf } from './util/nginx-walk.js';
import { replaceArgEdit } from './util/nginx-edits.js';

const CONNECT_TIMEOUTS = new Set(['proxy_connect_timeout', 'grpc_connect_timeout', 'fastcgi_connect_timeout', 'uwsgi_connect_timeout']);
const LIMIT_MS = 75_000;

export default defineRule<Record<string, never>>({
  id: 'connect-timeout-above-75s',
  description: 'An nginx connect timeout above 75 s has no effect: connecting usually cannot take longer.',
  defaultSeverity: 'warning',
  fixable: 'always',
  inputs: ['nginx'],
  options: { schema: { type: 'object', additionalProperties: false, properties: {} }, defaults: {} },
  messages: {
    aboveLimit: '{directive} {value} is above 75s, which nginx documents as the usual ceiling for establishing a connection; a longer value suggests a read timeout was meant.',
  },
  check(ctx) {
    for (const model of ctx.model.nginx) {
      for (const block of blocksOf(model)) for (const directive of block.statements) {
        if (!CONNECT_TIMEOUTS.has(directive.name) || directive.args.length !== 1) continue;
        const arg = directive.args[0]!;
        const parsed = parseNginxTime(arg.value, 'ms');
        if (!parsed.ok || parsed.ms <= LIMIT_MS) continue;
        ctx.report({
          messageId: 'aboveLimit',
          data: { directive: directive.name, value: arg.value, valueMs: parsed.ms },
          span: arg.span,
          fixes: [{ title: `Lower ${directive.name} to 75s`, safety: 'unsafe', edits: [replaceArgEdit(arg, '75s')], preferred: true }],
        });
      }
    }
  },
});
