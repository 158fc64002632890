// Reports timeout directives nginx refuses to load: in a context it does not accept them in, newer than the targeted nginx, or spelled with upper-case letters.
import { defineRule } from '../server/src/engine/rule-api.js';
import { DEFAULT_NGINX_VERSION, STREAM_ONLY_TIMEOUTS, TIMEOUT_DIRECTIVES, blockLabel, compareNginxVersions, isLimitExcept, type NginxBlock, type TimeoutDirectiveContext } from '../server/src/engine/inputs/nginx/api.js';
import { forEachStatementNamed } from './util/nginx-walk.js';

export default defineRule<Record<string, never>>({
  id: 'timeout-directive-rejected',
  description: 'A timeout directive must be spelled as nginx knows it and sit in a context that accepts it in the targeted nginx version.',
  defaultSeverity: 'error',
  fixable: 'sometimes',
  inputs: ['nginx'],
  options: { schema: { type: 'object', additionalProperties: false, properties: {} }, defaults: {} },
  messages: {
    notAllowedHere: '`{directive}` is not allowed in {context}; nginx won\'t load. nginx fails with "{directive}" directive is not allowed here; it is accepted in: {allowed}.',
    newerThanTarget: '`{directive}` needs nginx {since}+; the config targets nginx {target}. Older versions refuse to load it ({context}, nginx.version).',
    streamOnly: '`{directive}` is stream (TCP) only: nginx won\'t load it here. In {context} nginx fails with unknown directive "{directive}"; the http proxy uses {httpEquivalent}.',
    misCased: 'Unknown directive `{directive}`; write `{knownName}`. nginx reads directive names case-sensitively.',
  },
  check(ctx) {
    const target = ctx.model.settings.nginxVersion ?? DEFAULT_NGINX_VERSION;
    for (const model of ctx.model.nginx) {
      forEachStatementNamed(model, mayBeTimeoutDirective, (directive, block) => {
        const context = contextOf(block);
        // `if` blocks have a rule of their own (timeout-in-if); blocks of other modules (stream, mail, map) are not checked.
        if (context === undefined || context === 'if') return;
        const rule = TIMEOUT_DIRECTIVES.get(directive.name);
        const httpEquivalent = STREAM_ONLY_TIMEOUTS.get(directive.name);
        if (!rule && httpEquivalent !== undefined) {
          ctx.report({
            messageId: 'streamOnly',
            data: { directive: directive.name, context: contextWords(block, context), httpEquivalent },
            span: directive.nameSpan,
          });
          return;
        }
        if (!rule) {
          const knownName = directive.name.toLowerCase();
          if (knownName !== directive.name && TIMEOUT_DIRECTIVES.has(knownName)) {
            ctx.report({
              messageId: 'misCased',
              data: { directive: directive.name, knownName },
              span: directive.nameSpan,
              // The name nginx knows, with the same value: what the author meant, so the fix is safe.
              fixes: [{ title: `Write ${knownName}`, safety: 'safe', edits: [{ ...directive.nameSpan, newText: knownName }], preferred: true }],
            });
          }
          return;
        }
        if (!rule.contexts.has(context)) {
          ctx.report({
            messageId: 'notAllowedHere',
            data: { directive: directive.name, context: contextWords(block, context), allowed: [...rule.contexts.keys()].join(', ') },
            span: directive.nameSpan,
            related: block.directive ? [{ span: block.directive.nameSpan, message: `the enclosing ${context} block` }] : [],
          });
          return;
        }
        const since = laterVersion(rule.since, rule.contexts.get(context));
        if (since !== undefined && compareNginxVersions(target, since) < 0) {
          ctx.report({
            messageId: 'newerThanTarget',
            data: { directive: directive.name, context: contextWords(block, context), since, target },
            span: directive.nameSpan,
          });
        }
      });
    }
  },
});

/** The nginx context a block is for `nginx -t`; undefined for blocks of other modules (stream, mail, map, types, …). */
function contextOf(block: NginxBlock): TimeoutDirectiveContext | undefined {
  switch (block.kind) {
    case 'main':
    case 'http':
    case 'location':
    case 'if':
      return block.kind;
    case 'server':
    case 'upstream':
      // A conf.d fragment's top level stands for http; stream and mail servers and upstreams have other directives.
      return block.parent === undefined || block.parent.kind === 'http' ? block.kind : undefined;
    default:
      return isLimitExcept(block) ? 'limit_except' : undefined;
  }
}

function contextWords(block: NginxBlock, context: TimeoutDirectiveContext): string {
  return block.directive ? `\`${blockLabel(block)}\`` : `the ${context} context`;
}

function laterVersion(a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return compareNginxVersions(a, b) >= 0 ? a : b;
}

/** Names this rule looks at: timeout directives, stream-only ones, and any spelling of them in other case. */
function mayBeTimeoutDirective(name: string): boolean {
  return TIMEOUT_DIRECTIVES.has(name) || STREAM_ONLY_TIMEOUTS.has(name) || TIMEOUT_DIRECTIVES.has(name.toLowerCase());
}
