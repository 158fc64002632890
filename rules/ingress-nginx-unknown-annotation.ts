// Reports ingress-nginx annotations the controller does not have: ConfigMap-only keys (keep-alive, upstream-keepalive-*, …) and unknown timeout-like keys.
import { defineRule, type Fix, type Related } from '../server/src/engine/rule-api.js';
import type { IngressFacts, TimeoutAnnotation } from '../server/src/engine/inputs/k8s/api.js';
import { nginxPrefixes, renameCollides, suggestAnnotation } from './util/ingress-controllers.js';
import { placeOf, shortKey } from './util/places.js';
import { renameKeyEdit } from './util/yaml-edits.js';

// Defaults of the ConfigMap-only keys (timeout-facts §2.3, `NewDefault` in ingress-nginx), as the ConfigMap spells them.
const CONFIGMAP_DEFAULTS: ReadonlyMap<string, string> = new Map([
  ['keep-alive', '75'],
  ['client-header-timeout', '60'],
  ['client-body-timeout', '60'],
  ['upstream-keepalive-timeout', '60'],
  ['upstream-keepalive-connections', '320'],
  ['upstream-keepalive-time', '1h'],
  ['upstream-keepalive-requests', '10000'],
  ['proxy-stream-timeout', '600s'],
  ['proxy-stream-next-upstream-timeout', '600s'],
  ['proxy-stream-next-upstream-tries', '3'],
]);

export default defineRule({
  id: 'ingress-nginx-unknown-annotation',
  description: 'An ingress-nginx annotation must exist as a per-Ingress annotation, not only as a ConfigMap key.',
  defaultSeverity: 'warning',
  fixable: 'sometimes',
  inputs: ['k8s'],
  options: { schema: { type: 'object', additionalProperties: false, properties: {} }, defaults: {} },
  messages: {
    configMapOnly:
      '{shortKey} "{value}" is ignored; only the ConfigMap sets it ({effective}). {key}: {knob} is an ingress-nginx ConfigMap key with no per-Ingress annotation, so it stays {effective} ({effectiveSource}) for this Ingress and every other one.',
    unlisted: '{shortKey} "{value}" is ignored: not an ingress-nginx annotation. timeout-facts §2.2 lists no {key}; timeout-facts §2.2 lists none by that name.',
    unlistedDidYouMean: '{shortKey} "{value}" is ignored: not an ingress-nginx annotation. For {key}, did you mean {suggestion}?',
  },
  check(ctx) {
    const prefix = ctx.model.k8s.ingressNginxAnnotationPrefix;
    const configMap = ctx.model.k8s.ingressNginxControllerConfigs[0]?.configMap;
    for (const ingress of ctx.model.k8s.ingresses) {
      // Another known controller ignores the whole prefix; ingress-annotation-wrong-controller says so.
      if (ingress.controller !== 'ingress-nginx' && ingress.controller !== 'unknown') continue;
      for (const item of ingress.timeoutAnnotations) {
        if (item.vendor !== 'ingress-nginx') continue;
        if (item.recognition === 'configmap-only') reportConfigMapOnly(item);
        else if (item.recognition === 'unlisted') reportUnlisted(ingress, item);
      }
    }

    function reportConfigMapOnly(item: TimeoutAnnotation): void {
      const entry = configMap?.data.get(item.knob);
      const related: Related[] = [];
      let effective: string;
      let effectiveSource: string;
      if (entry?.value) {
        effective = entry.value.text;
        effectiveSource = `ConfigMap ${configMap!.object.name?.text ?? ''} at ${placeOf(ctx.model, entry.valueSpan)}`;
        related.push({ span: entry.valueSpan, message: `the controller-wide ${item.knob} ${entry.value.text} is set here` });
      } else {
        effective = CONFIGMAP_DEFAULTS.get(item.knob) ?? 'its ConfigMap value';
        effectiveSource = CONFIGMAP_DEFAULTS.has(item.knob) ? 'the ingress-nginx default, timeout-facts §2.3' : 'timeout-facts §2.3';
      }
      ctx.report({
        messageId: 'configMapOnly',
        data: { key: item.annotation.key, shortKey: shortKey(item.annotation.key), value: item.annotation.value?.text ?? '', knob: item.knob, effective, effectiveSource },
        span: item.annotation.keySpan,
        related,
      });
    }

    function reportUnlisted(ingress: IngressFacts, item: TimeoutAnnotation): void {
      const suggestion = suggestAnnotation(item.knob);
      const data = { key: item.annotation.key, shortKey: shortKey(item.annotation.key), value: item.annotation.value?.text ?? '', knob: item.knob };
      if (!suggestion) {
        ctx.report({ messageId: 'unlisted', data, span: item.annotation.keySpan });
        return;
      }
      const newKey = `${prefix}/${suggestion}`;
      const taken = renameCollides(ingress.annotations, item.annotation, suggestion, nginxPrefixes(prefix));
      const source = ctx.model.sources.get(item.annotation.keySpan.file);
      const fixes: Fix[] = !taken && source
        ? [{ title: `Rename to ${newKey} (unsafe: a guess at the misspelt name)`, safety: 'unsafe', edits: [renameKeyEdit(source, item.annotation.keySpan, newKey)] }]
        : [];
      ctx.report({ messageId: 'unlistedDidYouMean', data: { ...data, suggestion: newKey }, span: item.annotation.keySpan, fixes });
    }
  },
});
