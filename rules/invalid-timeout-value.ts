// Reports nginx timeout values that nginx rejects at start-up: fractions, wrong or misordered units, split arguments.
import { defineRule, exactNginxRespelling, parseNginxTime, type Fix, type NginxTimeError } from '../server/src/engine/rule-api.js';
import type { NginxArg, NginxDirective } from '../server/src/engine/inputs/nginx/api.js';
import { durationKnobOf, forEachStatementNamed, mayBeDurationKnob } from './util/nginx-walk.js';
import { replaceArgEdit, replaceArgsEdit } from './util/nginx-edits.js';
import { headlineName } from './util/places.js';

const REASONS: Record<NginxTimeError, string> = {
  fraction: 'nginx accepts no fractions',
  'unit-not-allowed': 'this unit is not allowed here',
  'unknown-unit': 'the unit is unknown to nginx',
  'unit-order': 'units must go from largest to smallest, each at most once',
  empty: 'the value is empty',
  overflow: 'the value is too large',
  negative: 'negative durations are not allowed',
};

/** `${NAME}` or `$NAME` in capitals: what envsubst fills in (the nginx image renders `templates/*.template`). */
const ENVSUBST_PLACEHOLDER = /\$\{[A-Za-z_][A-Za-z0-9_]*\}|\$[A-Z_][A-Z0-9_]*(?![a-z0-9_])/;
/** Any nginx variable or placeholder: nginx takes none in a timeout (facts §1.1, measured c24, c44). */
const VARIABLE = /\$\{?[A-Za-z_]/;

export default defineRule<Record<string, never>>({
  id: 'invalid-timeout-value',
  description: 'An nginx timeout value must be one that nginx accepts, or the configuration does not load.',
  defaultSeverity: 'error',
  fixable: 'sometimes',
  inputs: ['nginx'],
  options: { schema: { type: 'object', additionalProperties: false, properties: {} }, defaults: {} },
  messages: {
    invalidValue: '{directiveName} "{value}" is rejected by nginx: {reason}. For {directive}, `nginx -t` fails with "invalid value".',
    splitValue: '{directive} {value} is {count} arguments, not one; nginx refuses to load. nginx fails with "invalid number of arguments": quote the duration.',
    invalidParameter: '{parameter} is rejected by nginx: {reason}. On server {address}, `fail_timeout` has seconds resolution; `nginx -t` fails with "invalid parameter".',
    variable:
      '{directive} "{value}": nginx takes no variables here. Timeout directives take no variables: `nginx -t` fails with "invalid value"{hint}.',
  },
  check(ctx) {
    for (const model of ctx.model.nginx) {
      forEachStatementNamed(model, (name) => name === 'server' || mayBeDurationKnob(name), (directive, block) => {
        if (block.kind === 'upstream' && directive.name === 'server') checkFailTimeout(directive);
        const knob = durationKnobOf(directive, block);
        if (!knob || knob.value.type !== 'duration' || directive.args.length === 0) return;
        const keepalive = knob.name === 'keepalive_timeout' && block.kind !== 'upstream';
        const maxArgs = keepalive ? 2 : 1;
        if (directive.args.length > maxArgs) {
          const joined = directive.args.map((a) => a.value).join(' ');
          const parsed = parseNginxTime(joined, knob.value.resolution);
          const fixes: Fix[] = [];
          const edit = parsed.ok ? replaceArgsEdit(directive, `"${joined}"`) : undefined;
          // Quoting keeps the exact duration the author wrote, so the fix is safe.
          if (edit) fixes.push({ title: `Quote the duration: "${joined}"`, safety: 'safe', edits: [edit], preferred: true });
          ctx.report({
            messageId: 'splitValue',
            data: { directive: directive.name, count: directive.args.length, value: joined },
            span: { file: directive.span.file, start: directive.args[0]!.span.start, end: directive.args[directive.args.length - 1]!.span.end },
            fixes,
          });
          return;
        }
        const template = isTemplateFile(directive.span.file);
        checkArg(directive.args[0]!, knob.value.resolution, directive.name, template);
        // keepalive_timeout's second argument is the Keep-Alive header value, in seconds resolution.
        if (keepalive && directive.args[1]) checkArg(directive.args[1], 's', `${directive.name} (header timeout)`, template);
      });
    }

    /** `server … fail_timeout=30s` in an upstream: parsed at seconds resolution, so `ms` is refused (facts §1.1). */
    function checkFailTimeout(directive: NginxDirective): void {
      for (const arg of directive.args.slice(1)) {
        if (!arg.value.startsWith('fail_timeout=')) continue;
        const parsed = parseNginxTime(arg.value.slice('fail_timeout='.length), 's');
        if (parsed.ok) continue;
        ctx.report({
          messageId: 'invalidParameter',
          data: { address: directive.args[0]!.value, parameter: arg.value, reason: REASONS[parsed.reason] },
          span: arg.span,
        });
      }
    }

    function checkArg(arg: NginxArg, resolution: 'ms' | 's', name: string, template: boolean): void {
      if (VARIABLE.test(arg.value)) {
        // A template's placeholder is filled in before nginx reads the file; anything else reaches nginx as written.
        const placeholder = ENVSUBST_PLACEHOLDER.test(arg.value);
        if (placeholder && template) return;
        ctx.report({
          messageId: 'variable',
          data: { directive: name, value: arg.value, hint: placeholder ? ' (an envsubst placeholder is filled in only in a rendered template such as templates/*.template)' : '' },
          span: arg.span,
        });
        return;
      }
      const parsed = parseNginxTime(arg.value, resolution);
      if (parsed.ok) return;
      const fixes: Fix[] = [];
      const exact = exactNginxRespelling(arg.value, resolution);
      if (exact !== undefined) {
        fixes.push({ title: `Write it as ${exact}`, safety: 'safe', edits: [replaceArgEdit(arg, exact)], preferred: true });
      }
      ctx.report({
        messageId: 'invalidValue',
        data: { directive: name, directiveName: headlineName(name), value: arg.value, reason: REASONS[parsed.reason] },
        span: arg.span,
        fixes,
      });
    }
  },
});

/** Files an envsubst step renders before nginx reads them: `*.template` (the nginx image's `templates/` folder), `*.tmpl`, `*.tpl`, `*.in`. */
function isTemplateFile(file: string): boolean {
  return /\.(template|tmpl|tpl|in)$/i.test(file) || /(^|\/)templates\//.test(file);
}
