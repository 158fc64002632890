// Effective ingress-nginx proxy settings per Ingress: annotation, else controller ConfigMap, else built-in default, with provenance.
import type { Span } from '../../types.js';
import type { TimeoutAnnotation } from './annotations.js';
import type { ConfigMapFacts } from './configmaps.js';
import { parseDurationText } from './values.js';

export type IngressNginxKnob =
  | 'proxy-connect-timeout'
  | 'proxy-send-timeout'
  | 'proxy-read-timeout'
  | 'proxy-next-upstream'
  | 'proxy-next-upstream-timeout'
  | 'proxy-next-upstream-tries'
  | 'proxy-buffering'
  | 'proxy-request-buffering'
  | 'proxy-http-version';

export interface IngressNginxProvenance {
  kind: 'annotation' | 'configmap' | 'default';
  /** The value token of the annotation or ConfigMap entry; absent for defaults. */
  span?: Span;
  factsRef: string;
}

export interface IngressNginxValue {
  knob: IngressNginxKnob;
  /** The value as the controller reads it (the default's text for defaults). */
  text: string;
  /** Milliseconds, for the timeout knobs. */
  ms?: number;
  /** For `proxy-next-upstream-tries`. */
  count?: number;
  /**
   * Set only for a ConfigMap value that does not parse: what the controller then does is
   * unconfirmed (facts §2.1, §16.15), so the value stays unknown instead of becoming the default.
   */
  invalid?: string;
  /** The annotation or ConfigMap value is a template expression: unknown. */
  unresolved?: boolean;
  source: IngressNginxProvenance;
  /**
   * Annotations for this knob that the controller ignores because their value does not parse
   * (`"300s"`), falling back to the ConfigMap or default (facts §2.1). Kept for findings and fixes.
   */
  ignoredAnnotations: TimeoutAnnotation[];
}

export type IngressNginxSettings = Readonly<Record<IngressNginxKnob, IngressNginxValue>>;

/** The controller ConfigMap and how it was recognised. */
export interface IngressNginxControllerConfig {
  configMap: ConfigMapFacts;
  matchedBy: 'name' | 'keys';
}

type KnobType = 'seconds' | 'count' | 'word';

// Built-in controller defaults (facts §2.2 and §2.3, `NewDefault` in ingress-nginx).
const KNOBS: ReadonlyArray<{ knob: IngressNginxKnob; type: KnobType; defaultText: string }> = [
  { knob: 'proxy-connect-timeout', type: 'seconds', defaultText: '5' },
  { knob: 'proxy-send-timeout', type: 'seconds', defaultText: '60' },
  { knob: 'proxy-read-timeout', type: 'seconds', defaultText: '60' },
  { knob: 'proxy-next-upstream', type: 'word', defaultText: 'error timeout' },
  { knob: 'proxy-next-upstream-timeout', type: 'seconds', defaultText: '0' },
  { knob: 'proxy-next-upstream-tries', type: 'count', defaultText: '3' },
  { knob: 'proxy-buffering', type: 'word', defaultText: 'off' },
  { knob: 'proxy-request-buffering', type: 'word', defaultText: 'on' },
  { knob: 'proxy-http-version', type: 'word', defaultText: '1.1' },
];

export const DEFAULT_INGRESS_NGINX_CONFIGMAP_NAMES: readonly string[] = ['ingress-nginx-controller', 'nginx-configuration'];

// ConfigMap keys only ingress-nginx has (facts §2.1, §2.3); NGINX Inc's ConfigMap shares the
// `proxy-*-timeout` names, so those do not identify the controller.
const INGRESS_NGINX_ONLY_KEYS = ['allow-snippet-annotations', 'upstream-keepalive-timeout', 'upstream-keepalive-connections', 'proxy-stream-timeout', 'retry-non-idempotent'];

/** The ingress-nginx controller ConfigMaps among `configMaps`: by name first, then by their keys. */
export function findIngressNginxConfigMaps(configMaps: readonly ConfigMapFacts[], names: readonly string[]): IngressNginxControllerConfig[] {
  const byName = configMaps.filter((c) => c.object.name !== undefined && names.includes(c.object.name.text));
  const byKeys = configMaps.filter((c) => !byName.includes(c) && INGRESS_NGINX_ONLY_KEYS.some((key) => c.data.has(key)));
  return [...byName.map((configMap) => ({ configMap, matchedBy: 'name' as const })), ...byKeys.map((configMap) => ({ configMap, matchedBy: 'keys' as const }))];
}

/**
 * The settings ingress-nginx applies to the locations of one Ingress (facts §2.1: annotation >
 * ConfigMap > built-in default; an annotation whose value does not parse is ignored).
 */
export function ingressNginxSettings(annotations: readonly TimeoutAnnotation[], configMap: ConfigMapFacts | undefined): IngressNginxSettings {
  const settings = {} as Record<IngressNginxKnob, IngressNginxValue>;
  for (const { knob, type, defaultText } of KNOBS) {
    const ignoredAnnotations: TimeoutAnnotation[] = [];
    let chosen: IngressNginxValue | undefined;
    // The controller reads one annotation per key; YAML rejects duplicate keys, so the last one is as good as any.
    for (const annotation of annotations) {
      if (annotation.vendor !== 'ingress-nginx' || annotation.knob !== knob || annotation.prefixMismatch || annotation.recognition !== 'recognized') continue;
      const value = annotation.annotation.value;
      const text = value?.text ?? '';
      const source: IngressNginxProvenance = { kind: 'annotation', span: annotation.annotation.valueSpan, factsRef: '§2.1' };
      if (value?.unresolved) {
        chosen = { knob, text, unresolved: true, source, ignoredAnnotations };
        continue;
      }
      const parsed = parseValue(type, text);
      if (parsed.invalid !== undefined) ignoredAnnotations.push(annotation);
      else chosen = { knob, text, ...parsed, source, ignoredAnnotations };
    }
    const entry = configMap?.data.get(knob);
    if (!chosen && entry?.value) {
      const source: IngressNginxProvenance = { kind: 'configmap', span: entry.valueSpan, factsRef: '§2.3' };
      chosen = entry.value.unresolved
        ? { knob, text: entry.value.text, unresolved: true, source, ignoredAnnotations }
        : { knob, text: entry.value.text, ...parseValue(type, entry.value.text), source, ignoredAnnotations };
    }
    chosen ??= { knob, text: defaultText, ...parseValue(type, defaultText), source: { kind: 'default', factsRef: '§2.2' }, ignoredAnnotations };
    settings[knob] = chosen;
  }
  return settings;
}

function parseValue(type: KnobType, text: string): { ms?: number; count?: number; invalid?: string } {
  if (type === 'word') return {};
  if (type === 'seconds') {
    const parsed = parseDurationText(text, 'ingress-nginx-seconds');
    return parsed.invalid !== undefined ? { invalid: parsed.invalid } : { ms: parsed.ms! };
  }
  // Tries are read with the same strconv.Atoi as the timeouts (facts §2.1).
  return /^[+-]?\d+$/.test(text) ? { count: Number(text) } : { invalid: 'syntax' };
}
