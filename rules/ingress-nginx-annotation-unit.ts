// Reports ingress-nginx timeouts with a unit or a decimal ("300s", "1m", "5.5"): annotations the controller ignores (keeping the ConfigMap or default value), and controller ConfigMap keys it cannot decode (keeping the built-in default).
import { defineRule, readIntendedNginxTime, type Fix, type Related, type ScalarFact } from '../server/src/engine/rule-api.js';
import { parseDurationText, type IngressFacts, type IngressNginxConfigMapArg, type IngressNginxControllerConfig, type IngressNginxKnob, type IngressNginxValue, type TimeoutAnnotation } from '../server/src/engine/inputs/k8s/api.js';
import { describeIngressNginxSource, ingressNginxSourceRelated, secondsText } from './util/ingress-controllers.js';
import { replaceScalarEdit } from './util/yaml-edits.js';
import { placeOf, shortKey } from './util/places.js';

// `auth-keepalive-timeout` has no ConfigMap key in facts §2.3; its default is 60 (facts §2.2).
const AUTH_KEEPALIVE_DEFAULT_SECONDS = 60;

/**
 * Controller ConfigMap keys that ingress-nginx decodes into an int of seconds, with the built-in
 * default that stays when a value does not decode (facts §2.3, `NewDefault`). Keys whose value is a
 * duration string by design (`upstream-keepalive-time`, `proxy-stream-timeout`,
 * `worker-shutdown-timeout`, `proxy-protocol-header-timeout`) are not here: `"600s"` is right there.
 */
const CONFIGMAP_SECONDS_DEFAULTS: ReadonlyMap<string, number> = new Map([
  ['proxy-connect-timeout', 5],
  ['proxy-read-timeout', 60],
  ['proxy-send-timeout', 60],
  ['proxy-next-upstream-timeout', 0],
  ['client-header-timeout', 60],
  ['client-body-timeout', 60],
  ['keep-alive', 75],
  ['upstream-keepalive-timeout', 60],
]);

/**
 * What Go's `strconv.ParseInt(s, 0, 64)` accepts besides plain decimals: `0x3c`, `0o74`, `0b1`,
 * `1_000`. The ConfigMap decoder (mapstructure, weakly typed) parses with base 0, so these are numbers.
 */
const GO_BASE_PREFIXED_INT = /^[+-]?(?:0[xX]_?[0-9a-fA-F]+(?:_[0-9a-fA-F]+)*|0[oO]?_?[0-7]+(?:_[0-7]+)*|0[bB]_?[01]+(?:_[01]+)*|[1-9][0-9]*(?:_[0-9]+)+)$/;

const PROBLEMS: Readonly<Record<string, string>> = {
  'unit-not-allowed': 'it has a unit',
  fraction: 'it has a decimal part',
  empty: 'it is empty',
  overflow: 'it is too large',
  syntax: 'it is not a number',
};

export default defineRule({
  id: 'ingress-nginx-annotation-unit',
  description: 'An ingress-nginx timeout (annotation or controller ConfigMap key) must be a bare whole number of seconds, or the controller ignores it.',
  defaultSeverity: 'error',
  fixable: 'sometimes',
  inputs: ['k8s'],
  options: { schema: { type: 'object', additionalProperties: false, properties: {} }, defaults: {} },
  messages: {
    ignored:
      '{shortKey} "{value}" is ignored: not whole seconds; stays {effective}. For {key}, ingress-nginx reads only a whole number of seconds ({problem}); {knob} comes from {effectiveSource}.',
    configMapIgnored:
      '{key} "{value}" is ignored: not whole seconds; stays {default}. In ConfigMap {configMap}, ingress-nginx reads {key} only as a whole number of seconds ({problem}); a value that does not decode leaves the built-in default {default}{defaultNote} in place (inferred from how the controller decodes its ConfigMap, timeout-facts §2.1, §2.3). {matched}',
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

    for (const config of ctx.model.k8s.ingressNginxControllerConfigs) {
      const object = config.configMap.object;
      const configMap = `${object.namespace}/${object.name?.text ?? '(unnamed)'}`;
      for (const [key, defaultSeconds] of CONFIGMAP_SECONDS_DEFAULTS) {
        const entry = config.configMap.data.get(key);
        const value = entry?.value;
        if (!value || !configMapValueIgnored(value)) continue;
        const invalid = parseDurationText(value.text, 'ingress-nginx-seconds').invalid!;
        const seconds = intendedWholeSeconds(value.text);
        const edit = seconds !== undefined ? replaceScalarEdit(value, String(seconds), { mustBeString: true }) : undefined;
        const fixes: Fix[] = edit ? [{ title: `Write "${seconds}" (whole seconds, no unit)`, safety: 'safe', edits: [edit], preferred: true }] : [];
        const arg = config.controllerArg;
        const related: Related[] = arg
          ? [{ span: arg.span, message: `the ingress-nginx controller (${workloadLabel(arg)}) reads ConfigMap ${configMap}` }]
          : [];
        ctx.report({
          messageId: 'configMapIgnored',
          data: {
            key,
            value: value.text,
            problem: problemOf(value.text, invalid),
            reason: invalid,
            configMap,
            default: `${defaultSeconds} s`,
            defaultMs: defaultSeconds * 1000,
            defaultNote: defaultSeconds === 0 ? ' (no limit)' : '',
            matchedBy: config.matchedBy,
            matched: matchedText(config.matchedBy, arg),
          },
          span: value.span,
          related,
          fixes,
        });
      }
    }

    function matchedText(matchedBy: IngressNginxControllerConfig['matchedBy'], arg: IngressNginxConfigMapArg | undefined): string {
      if (matchedBy === 'controller-args' && arg) return `The controller ${workloadLabel(arg)} reads this ConfigMap (\`${arg.text}\` at ${placeOf(ctx.model, arg.span)}).`;
      if (matchedBy === 'name') return 'It is taken for the controller ConfigMap by its name.';
      return 'It is taken for the controller ConfigMap because it has keys only ingress-nginx reads.';
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

/**
 * Whether ingress-nginx drops a ConfigMap value for an int-seconds key: a string that Go's ParseInt
 * (base 0) rejects. Not reported: templated values (unknown); plain YAML numbers and booleans
 * (`30` is whole seconds; any non-string makes Kubernetes refuse the ConfigMap, which is another
 * mistake); `""` (the decoder reads it as 0, not as the default); `0x3c` and `1_000` (numbers to Go).
 */
function configMapValueIgnored(value: ScalarFact): boolean {
  if (value.unresolved || value.yamlType !== 'string') return false;
  const text = value.text;
  if (text === '' || GO_BASE_PREFIXED_INT.test(text)) return false;
  return parseDurationText(text, 'ingress-nginx-seconds').invalid !== undefined;
}

/** `Deployment kube-system/ingress-nginx-controller`: the workload whose controller container holds the argument. */
function workloadLabel(arg: IngressNginxConfigMapArg): string {
  const { kind, namespace, name } = arg.workload.object;
  return `${kind} ${namespace}/${name?.text ?? ''}`;
}

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
