// Reports Kong timeout annotations that do not do what they say: seconds where Kong reads milliseconds, on the Ingress instead of the Service, misspelt, or not an integer.
import { defineRule, parseGoDuration, type Fix, type Related, type TextEdit } from '../server/src/engine/rule-api.js';
import type { IngressFacts, K8sAnnotation, ServiceFacts, TimeoutAnnotation } from '../server/src/engine/inputs/k8s/api.js';
import { closestName, renameCollides } from './util/ingress-controllers.js';
import { placeOf, shortKey } from './util/places.js';
import { insertAnnotationEdit, removeAnnotationEdit, renameKeyEdit, replaceScalarEdit, tokenText } from './util/yaml-edits.js';

interface Options {
  minimumMs: number;
}

// Kong's defaults for a Service entity (timeout-facts §8).
const KONG_DEFAULTS: Readonly<Record<string, string>> = {
  'connect-timeout': '60000 ms',
  'read-timeout': '60000 ms',
  'write-timeout': '60000 ms',
  retries: '5',
};
const KONG_TIMEOUT_KNOBS = ['connect-timeout', 'read-timeout', 'write-timeout'];

// Names people reach for that Kong spells differently: nginx's `send` is Kong's `write` (facts §8, Kong/kubernetes-ingress-controller#6300).
const SYNONYMS: ReadonlyArray<readonly [RegExp, string]> = [
  [/send/g, 'write'],
  [/connection/g, 'connect'],
];

export default defineRule<Options>({
  id: 'kong-timeout-misconfigured',
  description: 'Kong timeout annotations must be milliseconds, on the Service, and spelt as Kong reads them.',
  defaultSeverity: 'warning',
  fixable: 'sometimes',
  inputs: ['k8s'],
  options: {
    schema: {
      type: 'object',
      additionalProperties: false,
      properties: {
        minimumMs: { type: 'integer', minimum: 1, description: 'Kong timeouts below this many milliseconds are reported as probably meant to be seconds.' },
      },
    },
    defaults: { minimumMs: 1000 },
  },
  messages: {
    secondsLike: '{shortKey} "{value}" is {value} ms to Kong, not {value} s. Kong timeouts are milliseconds (its default is 60000).',
    notInteger: '{shortKey} "{value}" is ignored (not whole milliseconds), so it stays {effective}. For {key}, Kong reads only a whole number of milliseconds; {knob} stays at the Kong default.',
    onIngress:
      '{shortKey} "{value}" is ignored on an Ingress; Kong reads it on the Service. Kong reads {key} only from the backend Service ({services}), not from Ingress {ingress}, so {knob} stays {effective} ({effectiveSource}).',
    misspelt: '{key} "{value}" is not a Kong annotation, so it is ignored. Kong reads konghq.com/connect-timeout, read-timeout and write-timeout.',
    misspeltDidYouMean: '{key} "{value}" is not a Kong annotation, so it is ignored. Did you mean {suggestion}?',
  },
  check(ctx) {
    const minimumMs = ctx.options.minimumMs;
    const objects: Array<{ annotations: TimeoutAnnotation[]; ingress?: IngressFacts; service?: ServiceFacts }> = [
      ...ctx.model.k8s.ingresses.map((ingress) => ({ annotations: ingress.timeoutAnnotations, ingress })),
      ...ctx.model.k8s.services.map((service) => ({ annotations: service.timeoutAnnotations, service })),
    ];
    for (const { annotations, ingress, service } of objects) {
      for (const item of annotations) {
        if (item.vendor !== 'kong') continue;
        if (item.recognition === 'unlisted') reportMisspelt(item, ingress?.annotations ?? service?.annotations ?? []);
        else if (item.recognition === 'wrong-object' && ingress) reportOnIngress(item, ingress);
        else if (item.recognition === 'recognized') reportValue(item);
      }
    }

    // KongIngress `proxy` timeouts are YAML integers of milliseconds too (facts §8); the CRD refuses anything else.
    for (const kongIngress of ctx.model.k8s.kongIngresses) {
      for (const [field, knob] of [['connectTimeout', 'connect_timeout'], ['readTimeout', 'read_timeout'], ['writeTimeout', 'write_timeout']] as const) {
        const written = kongIngress[field];
        if (written?.value === undefined || written.value < 1 || written.value >= minimumMs) continue;
        const asMs = written.value * 1000;
        const edit: TextEdit = { file: written.span.file, start: written.span.start, end: written.span.end, newText: String(asMs) };
        ctx.report({
          messageId: 'secondsLike',
          data: { key: `KongIngress ${kongIngress.object.name?.text ?? ''} proxy.${knob}`, shortKey: `${kongIngress.object.name?.text ?? ''} proxy.${knob}`, value: written.text, knob, valueMs: written.value, minimumMs },
          span: written.span,
          fixes: [{ title: `Write ${asMs} (${written.value} s in milliseconds; unsafe: assumes seconds were meant)`, safety: 'unsafe', edits: [edit] }],
        });
      }
    }

    function reportValue(item: TimeoutAnnotation): void {
      const duration = item.duration;
      const scalar = item.annotation.value;
      if (!duration || duration.unresolved || !scalar) return;
      const data = { key: item.annotation.key, shortKey: shortKey(item.annotation.key), value: duration.text, knob: item.knob };
      if (duration.invalid !== undefined && duration.invalid !== 'out-of-range') {
        const ms = intendedWholeMilliseconds(duration.text);
        const edit = ms === undefined ? undefined : replaceScalarEdit(scalar, String(ms), { mustBeString: true });
        const fixes: Fix[] = edit ? [{ title: `Write "${ms}" (milliseconds, no unit)`, safety: 'safe', edits: [edit], preferred: true }] : [];
        ctx.report({ messageId: 'notInteger', data: { ...data, reason: duration.invalid, effective: KONG_DEFAULTS[item.knob] ?? '' }, span: item.annotation.valueSpan, fixes });
        return;
      }
      if (duration.invalid !== undefined || duration.ms === undefined || duration.ms < 1 || duration.ms >= minimumMs) return;
      const asMs = duration.ms * 1000;
      const edit = replaceScalarEdit(scalar, String(asMs), { mustBeString: true });
      const fixes: Fix[] = edit ? [{ title: `Write "${asMs}" (${duration.ms} s in milliseconds; unsafe: assumes seconds were meant)`, safety: 'unsafe', edits: [edit] }] : [];
      ctx.report({ messageId: 'secondsLike', data: { ...data, valueMs: duration.ms, minimumMs }, span: item.annotation.valueSpan, fixes });
    }

    function reportMisspelt(item: TimeoutAnnotation, siblings: readonly K8sAnnotation[]): void {
      const suggestion = suggestKongKnob(item.knob);
      const data = { key: item.annotation.key, value: item.annotation.value?.text ?? '', knob: item.knob };
      if (!suggestion) {
        ctx.report({ messageId: 'misspelt', data, span: item.annotation.keySpan });
        return;
      }
      const newKey = `konghq.com/${suggestion}`;
      const source = ctx.model.sources.get(item.annotation.keySpan.file);
      const fixes: Fix[] = source && !renameCollides(siblings, item.annotation, suggestion, ['konghq.com'], suggestKongKnob)
        ? [{ title: `Rename to ${newKey} (unsafe: a guess at the misspelt name)`, safety: 'unsafe', edits: [renameKeyEdit(source, item.annotation.keySpan, newKey)] }]
        : [];
      ctx.report({ messageId: 'misspeltDidYouMean', data: { ...data, suggestion: newKey }, span: item.annotation.keySpan, fixes });
    }

    function reportOnIngress(item: TimeoutAnnotation, ingress: IngressFacts): void {
      const backends = [...(ingress.defaultBackend ? [ingress.defaultBackend] : []), ...ingress.paths.map((p) => p.backend)];
      const names = [...new Set(backends.map((b) => b.serviceName?.text).filter((n): n is string => n !== undefined))];
      const services = [...new Set(backends.map((b) => b.service).filter((s): s is ServiceFacts => s !== undefined))];
      const related: Related[] = services.map((s) => ({ span: s.object.name?.span ?? s.object.span, message: `Kong reads ${item.annotation.key} from the annotations of Service ${s.object.name?.text ?? ''}` }));
      const only = names.length === 1 && services.length === 1 ? services[0] : undefined;
      const own = only?.timeoutAnnotations.find((a) => a.annotation.key === item.annotation.key && a.recognition === 'recognized');
      let effective = KONG_DEFAULTS[item.knob] ?? '';
      let effectiveSource = only ? 'Kong default; the Service does not set it' : 'Kong default unless the Service sets it; timeout-facts §8';
      if (own?.annotation.value) {
        effective = `"${own.annotation.value.text}"`;
        effectiveSource = `set on the Service at ${placeOf(ctx.model, own.annotation.valueSpan)}`;
        related.push({ span: own.annotation.valueSpan, message: `the Service's own ${item.annotation.key} is ${own.annotation.value.text}` });
      }
      const describe = (name: string): string => {
        const service = services.find((s) => s.object.name?.text === name);
        return service ? `${name} at ${placeOf(ctx.model, service.object.name?.span ?? service.object.span)}` : `${name}, not among the manifests`;
      };
      const fix = only && !own && (ingress.controller === 'kong' || ingress.controller === 'unknown') ? moveFix(item, ingress, only) : undefined;
      ctx.report({
        messageId: 'onIngress',
        data: {
          key: item.annotation.key,
          shortKey: shortKey(item.annotation.key),
          value: item.annotation.value?.text ?? '',
          knob: item.knob,
          ingress: ingress.object.name?.text ?? '',
          services: names.length > 0 ? names.map(describe).join('; ') : 'none found',
          effective,
          effectiveSource,
        },
        span: item.annotation.keySpan,
        related,
        fixes: fix ? [fix] : [],
      });
    }

    /** Moves the annotation, key and value exactly as written, from the Ingress to its one backend Service. */
    function moveFix(item: TimeoutAnnotation, ingress: IngressFacts, service: ServiceFacts): Fix | undefined {
      const scalar = item.annotation.value;
      const from = ctx.model.sources.get(ingress.object.file);
      const to = ctx.model.sources.get(service.object.file);
      if (!scalar || scalar.unresolved || scalar.style === 'literal' || scalar.style === 'folded' || !from || !to) return undefined;
      const remove = removeAnnotationEdit(from, ingress.object, item.annotation.keySpan);
      const insert = insertAnnotationEdit(to, service.object, tokenText(from, item.annotation.keySpan), tokenText(from, scalar.span));
      if (!remove || !insert) return undefined;
      const edits: TextEdit[] = [remove, insert].sort((a, b) => a.file.localeCompare(b.file) || a.start - b.start);
      if (edits[0]!.file === edits[1]!.file && edits[0]!.end > edits[1]!.start) return undefined;
      return { title: `Move ${item.annotation.key} to Service ${service.object.name?.text ?? ''} (unsafe: applies to every route to it)`, safety: 'unsafe', edits };
    }
  },
});

/** The Kong timeout knob a misspelt one most likely means (`send-timeout` → `write-timeout`). */
export function suggestKongKnob(knob: string): string | undefined {
  let name = knob.toLowerCase();
  for (const [pattern, replacement] of SYNONYMS) name = name.replace(pattern, replacement);
  if (KONG_TIMEOUT_KNOBS.includes(name)) return name;
  return closestName(name, KONG_TIMEOUT_KNOBS, 2);
}

/** `60s` → 60000, `1m` → 60000, `1500ms` → 1500 (Go duration spelling); undefined for bare decimals or fractions of a millisecond. */
export function intendedWholeMilliseconds(text: string): number | undefined {
  const parsed = parseGoDuration(text.trim());
  if (!parsed.ok || !Number.isSafeInteger(parsed.ms) || parsed.ms < 1) return undefined;
  return parsed.ms;
}
