// Reports Ingress and Service annotations written as a YAML number or boolean: annotation values are strings, so Kubernetes refuses the whole manifest.
import { defineRule, type Fix } from '../server/src/engine/rule-api.js';
import type { K8sAnnotation } from '../server/src/engine/inputs/k8s/api.js';
import { shortKey } from './util/places.js';
import { replaceScalarEdit } from './util/yaml-edits.js';

/** How YAML 1.1 (the decoder Kubernetes uses, facts §10.1) reads a plain scalar that is not a string. */
const TYPE_WORDS: Readonly<Record<string, string>> = { int: 'a number', float: 'a number', bool: 'a boolean' };

export default defineRule({
  id: 'annotation-value-not-string',
  description: 'Annotation values must be strings: a YAML number or boolean makes Kubernetes refuse the manifest.',
  defaultSeverity: 'error',
  fixable: 'sometimes',
  inputs: ['k8s'],
  options: { schema: { type: 'object', additionalProperties: false, properties: {} }, defaults: {} },
  messages: {
    notString:
      '`{shortKey}: {value}` is {type}, not a string. Annotation values must be strings ({key}): Kubernetes refuses the {kind}; quote it as "{value}".',
  },
  check(ctx) {
    const objects = [
      ...ctx.model.k8s.ingresses.map((i) => ({ kind: 'Ingress', annotations: i.annotations })),
      ...ctx.model.k8s.services.map((s) => ({ kind: 'Service', annotations: s.annotations })),
    ];
    for (const { kind, annotations } of objects) {
      for (const annotation of annotations) {
        const type = typeOf(annotation);
        if (type === undefined || !annotation.value) continue;
        const edit = replaceScalarEdit(annotation.value, annotation.value.text, { mustBeString: true });
        const fixes: Fix[] = edit ? [{ title: `Quote the value: "${annotation.value.text}"`, safety: 'safe', edits: [edit], preferred: true }] : [];
        ctx.report({
          messageId: 'notString',
          data: { key: annotation.key, shortKey: shortKey(annotation.key), value: annotation.value.text, type, kind },
          span: annotation.valueSpan,
          fixes,
        });
      }
    }
  },
});

/** The YAML type word of a plain, resolved scalar that is not a string; undefined for strings and unknowns. */
function typeOf(annotation: K8sAnnotation): string | undefined {
  const value = annotation.value;
  if (!value || value.unresolved || value.style !== 'plain') return undefined;
  return TYPE_WORDS[value.yamlType];
}
