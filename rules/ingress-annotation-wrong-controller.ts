// Reports Ingress annotations that the Ingress's controller does not read: another controller's (nginx.org/* on ingress-nginx) or another prefix than --annotations-prefix.
import { defineRule, type Fix, type Related, type TextEdit } from '../server/src/engine/rule-api.js';
import { parseDurationText, type IngressFacts, type IngressNginxKnob, type TimeoutAnnotation } from '../server/src/engine/inputs/k8s/api.js';
import {
  CONTROLLER_LABELS,
  CONTROLLER_SHORT_LABELS, controllerEvidence, controllerRelated, describeIngressNginxSource, hasIngressNginxEvidence,
  ingressNginxSourceRelated, nginxPrefixes, prefixOfKey, renameCollides, secondsText, type ControllerEvidence,
} from './util/ingress-controllers.js';
import { shortKey } from './util/places.js';
import { renameKeyEdit, replaceScalarEdit } from './util/yaml-edits.js';

// Knobs with the same name and meaning in ingress-nginx (facts §2.2) and NGINX Inc (facts §3).
const SHARED_KNOBS: ReadonlySet<string> = new Set([
  'proxy-connect-timeout', 'proxy-read-timeout', 'proxy-send-timeout', 'proxy-next-upstream', 'proxy-next-upstream-timeout', 'proxy-next-upstream-tries',
]);

const FAMILY_LABELS: Readonly<Record<string, string>> = {
  'ingress-nginx': 'ingress-nginx',
  'nginx-inc': 'the NGINX Inc Ingress Controller',
  aws: 'the AWS Load Balancer Controller',
};

/** The same families in a headline, where the annotation follows the name. */
const FAMILY_SHORT_LABELS: Readonly<Record<string, string>> = {
  'ingress-nginx': 'ingress-nginx',
  'nginx-inc': 'NGINX Inc',
  aws: 'ALB',
};

type Family = 'ingress-nginx' | 'nginx-inc' | 'alb';

export default defineRule({
  id: 'ingress-annotation-wrong-controller',
  description: 'An Ingress annotation must belong to the controller that serves the Ingress and use its annotation prefix.',
  defaultSeverity: 'warning',
  fixable: 'sometimes',
  inputs: ['k8s'],
  options: { schema: { type: 'object', additionalProperties: false, properties: {} }, defaults: {} },
  messages: {
    otherController: '`{shortKey}` ({familyShort}) is ignored by {controllerShort}. {controller} serves this Ingress; {key} "{value}" is an annotation of {family}, and {controller} ({controllerEvidence}) does not read it.',
    otherControllerEffective:
      '{key} "{value}" is ignored by {controllerShort}; stays {effective}. {knob} stays {effective}: it is an annotation of {family}, and this Ingress is served by {controller} ({controllerEvidence}); {knob} comes from {effectiveSource}.',
    wrongPrefix:
      '{shortKey} "{value}" is ignored (wrong prefix), so it stays {effective}. {key}: ingress-nginx is configured to read annotations under {prefix} (its --annotations-prefix, setting kubernetes.ingressNginxAnnotationPrefix), not {writtenPrefix}; {knob} comes from {effectiveSource}.',
  },
  check(ctx) {
    const prefix = ctx.model.k8s.ingressNginxAnnotationPrefix;
    for (const ingress of ctx.model.k8s.ingresses) {
      const evidence = controllerEvidence(ctx.model, ingress);
      const controller = ingress.controller;
      const reportedKeys = new Set<string>();
      for (const item of ingress.timeoutAnnotations) {
        const family = familyOf(item);
        if (!family || reportedKeys.has(item.annotation.key)) continue;
        if (family === 'ingress-nginx' && (controller === 'ingress-nginx' || controller === 'unknown')) {
          if (item.prefixMismatch && item.recognition === 'recognized') {
            reportedKeys.add(item.annotation.key);
            reportWrongPrefix(ingress, item);
          }
          continue;
        }
        if (controller === 'unknown' || controller === family) continue;
        // Guessed from a class name two controllers share: quiet unless the workspace backs the guess.
        if (!evidence.certain && evidence.alternatives.includes(family) && !backed(ingress, evidence)) continue;
        reportedKeys.add(item.annotation.key);
        reportOtherController(ingress, item, family, evidence);
      }
    }

    function backed(ingress: IngressFacts, evidence: ControllerEvidence): boolean {
      return evidence.controller === 'ingress-nginx' && hasIngressNginxEvidence(ctx.model, ingress);
    }

    function reportWrongPrefix(ingress: IngressFacts, item: TimeoutAnnotation): void {
      const value = ingress.ingressNginx?.[item.knob as IngressNginxKnob];
      const newKey = `${prefix}/${item.knob}`;
      const source = ctx.model.sources.get(item.annotation.keySpan.file);
      const fixes: Fix[] = source && !renameCollides(ingress.annotations, item.annotation, item.knob, nginxPrefixes(prefix))
        ? [{ title: `Rename to ${newKey}`, safety: 'safe', edits: [renameKeyEdit(source, item.annotation.keySpan, newKey)], preferred: true }]
        : [];
      ctx.report({
        messageId: 'wrongPrefix',
        data: {
          key: item.annotation.key,
          shortKey: shortKey(item.annotation.key),
          value: item.annotation.value?.text ?? '',
          prefix,
          writtenPrefix: prefixOfKey(item.annotation.key),
          knob: item.knob,
          effective: value ? secondsText(value) : 'its ConfigMap value or default',
          effectiveSource: value ? describeIngressNginxSource(ctx.model, value) : 'timeout-facts §2.2',
        },
        span: item.annotation.keySpan,
        related: value ? ingressNginxSourceRelated(value, item.knob) : [],
        fixes,
      });
    }

    function reportOtherController(ingress: IngressFacts, item: TimeoutAnnotation, family: Family, evidence: ControllerEvidence): void {
      const data = {
        key: item.annotation.key,
        shortKey: shortKey(item.annotation.key),
        value: item.annotation.value?.text ?? '',
        family: FAMILY_LABELS[item.vendor] ?? item.vendor,
        familyShort: FAMILY_SHORT_LABELS[item.vendor] ?? item.vendor,
        controller: CONTROLLER_LABELS[ingress.controller],
        controllerShort: CONTROLLER_SHORT_LABELS[ingress.controller],
        controllerEvidence: evidence.text,
        guessed: evidence.certain ? 0 : 1,
      };
      const related: Related[] = controllerRelated(evidence);
      const trusted = evidence.certain || backed(ingress, evidence);
      const fix = trusted ? equivalentFix(ingress, item, family, evidence.certain) : undefined;
      const value = ingress.controller === 'ingress-nginx' && SHARED_KNOBS.has(item.knob) ? ingress.ingressNginx?.[item.knob as IngressNginxKnob] : undefined;
      if (value) {
        related.push(...ingressNginxSourceRelated(value, item.knob));
        ctx.report({
          messageId: 'otherControllerEffective',
          data: { ...data, knob: item.knob, effective: secondsText(value), effectiveSource: describeIngressNginxSource(ctx.model, value) },
          span: item.annotation.keySpan,
          related,
          fixes: fix ? [fix] : [],
        });
      } else {
        ctx.report({ messageId: 'otherController', data, span: item.annotation.keySpan, related, fixes: fix ? [fix] : [] });
      }
    }

    /** The same knob under the serving controller's prefix, with the value in its dialect; only between the two nginx controllers. */
    function equivalentFix(ingress: IngressFacts, item: TimeoutAnnotation, family: Family, certain: boolean): Fix | undefined {
      if (!SHARED_KNOBS.has(item.knob)) return undefined;
      const target = ingress.controller === 'ingress-nginx' && family === 'nginx-inc' ? prefix : ingress.controller === 'nginx-inc' && family === 'ingress-nginx' ? 'nginx.org' : undefined;
      const source = ctx.model.sources.get(item.annotation.keySpan.file);
      const scalar = item.annotation.value;
      if (!target || !source || !scalar || scalar.unresolved) return undefined;
      const newKey = `${target}/${item.knob}`;
      if (renameCollides(ingress.annotations, item.annotation, item.knob, nginxPrefixes(prefix))) return undefined;
      const newValue = target === 'nginx.org' ? valueForNginxInc(item) : valueForIngressNginx(item);
      if (newValue === undefined) return undefined;
      const edits: TextEdit[] = [renameKeyEdit(source, item.annotation.keySpan, newKey)];
      if (newValue !== scalar.text) {
        const valueEdit = replaceScalarEdit(scalar, newValue, { mustBeString: true });
        if (!valueEdit) return undefined;
        edits.push(valueEdit);
      }
      const title = newValue === scalar.text ? `Rename to ${newKey}` : `Rename to ${newKey} with the value "${newValue}"`;
      // The same setting in the serving controller's spelling keeps what the author wrote; only a
      // guessed controller makes it a guess.
      return certain ? { title, safety: 'safe', edits, preferred: true } : { title: `${title} (unsafe: the controller is inferred)`, safety: 'unsafe', edits };
    }
  },
});

function familyOf(item: TimeoutAnnotation): Family | undefined {
  if (item.vendor === 'ingress-nginx' || item.vendor === 'nginx-inc') return item.vendor;
  if (item.vendor === 'aws' && item.annotation.key.startsWith('alb.ingress.kubernetes.io/')) return 'alb';
  return undefined;
}

/** An nginx.org value as ingress-nginx spells it: whole seconds without a unit (facts §2.1). */
function valueForIngressNginx(item: TimeoutAnnotation): string | undefined {
  if (item.duration) {
    const ms = item.duration.ms;
    if (item.duration.invalid !== undefined || ms === undefined || ms < 0 || ms % 1000 !== 0) return undefined;
    return String(ms / 1000);
  }
  if (item.count) return item.count.value === undefined || item.count.invalid !== undefined ? undefined : String(item.count.value);
  return item.setting?.text;
}

/** An ingress-nginx value as NGINX Inc reads it: nginx time syntax, where a bare number is seconds (facts §3). */
function valueForNginxInc(item: TimeoutAnnotation): string | undefined {
  const text = item.annotation.value?.text;
  if (text === undefined) return undefined;
  if (item.duration) return parseDurationText(text, 'nginx-time').invalid === undefined ? text : undefined;
  if (item.count) return item.count.value === undefined || item.count.invalid !== undefined ? undefined : text;
  return text;
}

