// Reports ingress-nginx timeout annotations with a unit or a decimal ("300s", "1m", "5.5"): the controller ignores them and keeps the ConfigMap or default value.
import { defineRule, readIntendedNginxTime, type Fix, type Related } from '../server/src/engine/rule-api.js';
import type { IngressFacts, IngressNginxKnob, IngressNginxValue, TimeoutAnnotation } from '../server/src/engine/inputs/k8s/api.js';
import { describeIngressNginxSource, ingressNginxSourceRelated, secondsText } from './util/ingress-controllers.js';
import { replaceScalarEdit } from './util/yaml-edits.js';
import { shortKey } from './util/places.js';

// `auth-keepalive-timeout` has no ConfigMap key in facts §2.3; its default is 60 (facts §2.2).
const AUTH_KEEPALIVE_DEFAULT_SECONDS = 60;

const PROBLEMS: Readonly<Record<string, string>> = {
  'unit-not-allowed': 'it has a unit',
  fraction: 'it has a decimal part',
  empty: 'it is empty',
  overflow: 'it is too large',
  syntax: 'it is not a number',
};

export default defineRule({
  id: 'ingress-nginx-annotation-unit',
  description: 'An ingress-nginx timeout annotation must be a bare whole number of seconds, or the controller ignores it.',
  defaultSeverity: 'error',
  fixable: 'sometimes',
  inputs: ['k8s'],
  options: { schema: { type: 'object', additionalProperties: false, properties: {} }, defaults: {} },
  messages: {
    ignored:
      '{shortKey} "{value}" is ignored: not whole seconds; stays {effective}. For {key}, ingress-nginx reads only a whole number of seconds ({problem}); {knob} comes from {effectiveSource}.',
  },
  check(ctx) {
    for (const ingress of ctx.model.k8s.ingresses) {
      if (!ingress.ingressNginx) continue;
      for (const item of ingress.timeoutAnnotations) {
        const duration = item.duration;
        if (item.vendor !== 'ingress-nginx' || item.recognition !== 'recognized' || item.prefixMismatch) continue;
        if (!duration || duration.unresolved || duration.invalid === undefined || duration.dialect !== 'ingress-nginx-seconds') continue;
        const effective = effectiveOf(ingress, item);
        const related: Related[] = effective.value ? ingressNginxSourceRelated(effective.value, item.knob) : [];
        const value = item.annotation.value;
        const seconds = intendedWholeSeconds(duration.text);
        const edit = value && seconds !== undefined ? replaceScalarEdit(value, String(seconds), { mustBeString: true }) : undefined;
        const fixes: Fix[] = edit ? [{ title: `Write "${seconds}" (whole seconds, no unit)`, safety: 'safe', edits: [edit], preferred: true }] : [];
        ctx.report({
          messageId: 'ignored',
          data: {
            key: item.annotation.key,
            shortKey: shortKey(item.annotation.key),
            value: duration.text,
            problem: problemOf(duration.text, duration.invalid),
            reason: duration.invalid,
            knob: item.knob,
            effective: effective.text,
            ...(effective.ms === undefined ? {} : { effectiveMs: effective.ms }),
            effectiveSource: effective.source,
          },
          span: item.annotation.valueSpan,
          related,
          fixes,
        });
      }
    }

    function effectiveOf(ingress: IngressFacts, item: TimeoutAnnotation): { text: string; ms?: number; source: string; value?: IngressNginxValue } {
      const value = ingress.ingressNginx?.[item.knob as IngressNginxKnob];
      if (value) {
        const out: { text: string; ms?: number; source: string; value?: IngressNginxValue } = { text: secondsText(value), source: describeIngressNginxSource(ctx.model, value), value };
        if (value.ms !== undefined) out.ms = value.ms;
        return out;
      }
      return { text: `${AUTH_KEEPALIVE_DEFAULT_SECONDS} s`, ms: AUTH_KEEPALIVE_DEFAULT_SECONDS * 1000, source: 'the ingress-nginx default (timeout-facts §2.2)' };
    }
  },
});

/** Why the value is not a whole number of seconds, in words: `1m30s` has a unit even though it is not one number and a unit. */
function problemOf(text: string, reason: string): string {
  if (/\d\s*[a-zµ]/i.test(text)) return PROBLEMS['unit-not-allowed']!;
  return PROBLEMS[reason] ?? PROBLEMS.syntax!;
}

/**
 * The whole number of seconds a value such as `300s`, `1m`, `1m30s`, `5.0` or `2000ms` spells, or
 * undefined when it is not a whole, positive number of seconds or uses a unit that is easy to
 * misread (`M` is a month to nginx, a minute to many readers; days and weeks are not timeouts here).
 */
export function intendedWholeSeconds(text: string): number | undefined {
  const trimmed = text.trim();
  if (trimmed === '' || /[^0-9.smh ]/.test(trimmed)) return undefined;
  const ms = readIntendedNginxTime(trimmed);
  if (ms === undefined || !Number.isSafeInteger(ms) || ms <= 0 || ms % 1000 !== 0) return undefined;
  return ms / 1000;
}
