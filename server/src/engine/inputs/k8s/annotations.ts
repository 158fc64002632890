// Reads metadata.annotations and picks out the timeout-related ones of each controller, parsed in that controller's dialect.
import type { Node } from 'yaml';
import type { ScalarFact, YamlView } from '../../yaml/view.js';
import type { Span } from '../../types.js';
import type { TimeoutKind } from '../../timeout-kind.js';
import { durationFromScalar, integerFromScalar, type K8sDuration, type K8sDurationDialect, type K8sInteger } from './values.js';

export const DEFAULT_INGRESS_NGINX_PREFIX = 'nginx.ingress.kubernetes.io';

export interface K8sAnnotation {
  key: string;
  keySpan: Span;
  /** Absent when the value is missing, null or not a scalar. */
  value?: ScalarFact;
  /** The value's span, or the key's when there is no value. */
  valueSpan: Span;
}

export type AnnotationVendor = 'ingress-nginx' | 'nginx-inc' | 'kong' | 'aws' | 'other';

/**
 * How the vendor treats the key on this object: `recognized` (read and applied), `configmap-only`
 * (an ingress-nginx ConfigMap key that has no annotation, facts §2.2), `wrong-object` (read only on
 * another kind, e.g. Kong timeouts on an Ingress instead of the Service, facts §8), or `unlisted`
 * (timeout-like, but not in reference/timeout-facts.md: unknown, not necessarily wrong).
 */
export type AnnotationRecognition = 'recognized' | 'configmap-only' | 'wrong-object' | 'unlisted';

export interface TimeoutAnnotation {
  annotation: K8sAnnotation;
  vendor: AnnotationVendor;
  /** The knob name after the prefix (`proxy-read-timeout`), or the attribute name inside an AWS attribute list. */
  knob: string;
  recognition: AnnotationRecognition;
  /** True for `nginx.ingress.kubernetes.io/*` when a different `--annotations-prefix` is configured (facts §2.1). */
  prefixMismatch?: boolean;
  /** The kind of timeout (facts §0), for duration knobs. */
  timeoutKind?: TimeoutKind;
  duration?: K8sDuration;
  count?: K8sInteger;
  /** For knobs whose value is a word or list (`proxy-next-upstream`, `proxy-buffering`). */
  setting?: ScalarFact;
  factsRef: string;
}

type KnobSpec =
  | { type: 'duration'; dialect: K8sDurationDialect; timeoutKind?: TimeoutKind }
  | { type: 'count' }
  | { type: 'setting' };

// Per-Ingress annotations of ingress-nginx (facts §2.2).
export const INGRESS_NGINX_ANNOTATION_KNOBS: ReadonlyMap<string, KnobSpec> = new Map<string, KnobSpec>([
  ['proxy-connect-timeout', { type: 'duration', dialect: 'ingress-nginx-seconds', timeoutKind: 'connect' }],
  ['proxy-send-timeout', { type: 'duration', dialect: 'ingress-nginx-seconds', timeoutKind: 'idle' }],
  ['proxy-read-timeout', { type: 'duration', dialect: 'ingress-nginx-seconds', timeoutKind: 'idle' }],
  ['proxy-next-upstream', { type: 'setting' }],
  ['proxy-next-upstream-timeout', { type: 'duration', dialect: 'ingress-nginx-seconds', timeoutKind: 'total' }],
  ['proxy-next-upstream-tries', { type: 'count' }],
  ['proxy-request-buffering', { type: 'setting' }],
  ['proxy-buffering', { type: 'setting' }],
  ['proxy-http-version', { type: 'setting' }],
  ['auth-keepalive-timeout', { type: 'duration', dialect: 'ingress-nginx-seconds', timeoutKind: 'keepalive' }],
]);

// ConfigMap keys that have no per-Ingress annotation (facts §2.2, the paragraph under the table).
const INGRESS_NGINX_CONFIGMAP_ONLY = /^(keep-alive|client-header-timeout|client-body-timeout|upstream-keepalive-.+|proxy-stream-.+)$/;

// NGINX Inc Ingress annotations (facts §3).
const NGINX_INC_KNOBS: ReadonlyMap<string, KnobSpec> = new Map<string, KnobSpec>([
  ['proxy-connect-timeout', { type: 'duration', dialect: 'nginx-time', timeoutKind: 'connect' }],
  ['proxy-read-timeout', { type: 'duration', dialect: 'nginx-time', timeoutKind: 'idle' }],
  ['proxy-send-timeout', { type: 'duration', dialect: 'nginx-time', timeoutKind: 'idle' }],
  ['proxy-next-upstream', { type: 'setting' }],
  ['proxy-next-upstream-timeout', { type: 'duration', dialect: 'nginx-time', timeoutKind: 'total' }],
  ['proxy-next-upstream-tries', { type: 'count' }],
  ['keepalive', { type: 'count' }],
  // A failure-counting window, not a request timeout, so it has no timeout kind.
  ['fail-timeout', { type: 'duration', dialect: 'nginx-time' }],
  ['max-fails', { type: 'count' }],
]);

// Kong reads these from the Kubernetes Service only (facts §8).
const KONG_KNOBS: ReadonlyMap<string, KnobSpec> = new Map<string, KnobSpec>([
  ['connect-timeout', { type: 'duration', dialect: 'kong-milliseconds', timeoutKind: 'connect' }],
  ['read-timeout', { type: 'duration', dialect: 'kong-milliseconds', timeoutKind: 'idle' }],
  ['write-timeout', { type: 'duration', dialect: 'kong-milliseconds', timeoutKind: 'idle' }],
  ['retries', { type: 'count' }],
]);

// Attributes inside AWS attribute-list annotations (facts §9).
const AWS_ATTRIBUTE_KNOBS: ReadonlyMap<string, KnobSpec> = new Map<string, KnobSpec>([
  ['idle_timeout.timeout_seconds', { type: 'duration', dialect: 'aws-seconds', timeoutKind: 'idle' }],
  ['tcp.idle_timeout.seconds', { type: 'duration', dialect: 'aws-seconds', timeoutKind: 'idle' }],
  // Target drain time on deregistration: not a request timeout.
  ['deregistration_delay.timeout_seconds', { type: 'duration', dialect: 'aws-seconds' }],
]);

const AWS_CLB_IDLE = 'service.beta.kubernetes.io/aws-load-balancer-connection-idle-timeout';
const AWS_ATTRIBUTE_LISTS = /^(alb\.ingress\.kubernetes\.io\/(load-balancer-attributes|target-group-attributes)|service\.beta\.kubernetes\.io\/aws-load-balancer-(listener-attributes\..+|attributes|target-group-attributes))$/;

/** Every annotation of an object, in source order. */
export function readAnnotations(view: YamlView, metadata: Node | undefined): K8sAnnotation[] {
  return view.fields(view.get(metadata, 'annotations')).map(({ key, value }) => {
    const scalar = view.scalar(value);
    const annotation: K8sAnnotation = { key: key.text, keySpan: key.span, valueSpan: value ? view.span(value) : key.span };
    if (scalar) annotation.value = scalar;
    return annotation;
  });
}

/**
 * The timeout-related annotations among `annotations`, each parsed in its vendor's dialect.
 * Cookie lifetimes (`session-cookie-expires`, `session-cookie-max-age`) are not timeouts and are left out.
 */
export function timeoutAnnotationsOf(
  view: YamlView,
  annotations: readonly K8sAnnotation[],
  objectKind: 'Ingress' | 'Service' | 'other',
  ingressNginxPrefix: string,
): TimeoutAnnotation[] {
  const out: TimeoutAnnotation[] = [];
  for (const annotation of annotations) {
    const slash = annotation.key.indexOf('/');
    const prefix = slash < 0 ? '' : annotation.key.slice(0, slash);
    const knob = annotation.key.slice(slash + 1);
    if (prefix === ingressNginxPrefix || prefix === DEFAULT_INGRESS_NGINX_PREFIX) {
      const item = ingressNginxAnnotation(annotation, knob);
      if (!item) continue;
      if (prefix !== ingressNginxPrefix) item.prefixMismatch = true;
      out.push(item);
    } else if (prefix === 'nginx.org') {
      const spec = NGINX_INC_KNOBS.get(knob);
      if (spec) out.push(parsed(annotation, 'nginx-inc', knob, objectKind === 'Ingress' ? 'recognized' : 'wrong-object', spec, '§3'));
      else if (isTimeoutLike(knob)) out.push(unlisted(annotation, 'nginx-inc', knob, '§3'));
    } else if (prefix === 'konghq.com') {
      const spec = KONG_KNOBS.get(knob);
      if (spec) out.push(parsed(annotation, 'kong', knob, objectKind === 'Service' ? 'recognized' : 'wrong-object', spec, '§8'));
      else if (isTimeoutLike(knob)) out.push(unlisted(annotation, 'kong', knob, '§8'));
    } else if (annotation.key === AWS_CLB_IDLE) {
      out.push(parsed(annotation, 'aws', knob, objectKind === 'Service' ? 'recognized' : 'wrong-object', { type: 'duration', dialect: 'aws-seconds', timeoutKind: 'idle' }, '§9'));
    } else if (AWS_ATTRIBUTE_LISTS.test(annotation.key)) {
      out.push(...awsAttributes(view, annotation, objectKind));
    } else if (isTimeoutLike(annotation.key)) {
      out.push(unlisted(annotation, 'other', knob, '§0'));
    }
  }
  return out;
}

function ingressNginxAnnotation(annotation: K8sAnnotation, knob: string): TimeoutAnnotation | undefined {
  const spec = INGRESS_NGINX_ANNOTATION_KNOBS.get(knob);
  if (spec) return parsed(annotation, 'ingress-nginx', knob, 'recognized', spec, '§2.2');
  if (INGRESS_NGINX_CONFIGMAP_ONLY.test(knob)) return settingOnly(annotation, 'ingress-nginx', knob, 'configmap-only', '§2.2');
  return isTimeoutLike(knob) ? unlisted(annotation, 'ingress-nginx', knob, '§2.2') : undefined;
}

function parsed(annotation: K8sAnnotation, vendor: AnnotationVendor, knob: string, recognition: AnnotationRecognition, spec: KnobSpec, factsRef: string): TimeoutAnnotation {
  const item: TimeoutAnnotation = { annotation, vendor, knob, recognition, factsRef };
  const value = annotation.value;
  if (spec.type === 'duration') {
    if (spec.timeoutKind) item.timeoutKind = spec.timeoutKind;
    item.duration = value ? durationFromScalar(value, spec.dialect) : { text: '', invalid: 'empty', span: annotation.valueSpan, dialect: spec.dialect };
  } else if (spec.type === 'count') {
    item.count = value ? integerFromScalar(value, 'atoi-string') : { text: '', invalid: 'empty', span: annotation.valueSpan };
  } else if (value) {
    item.setting = value;
  }
  return item;
}

function settingOnly(annotation: K8sAnnotation, vendor: AnnotationVendor, knob: string, recognition: AnnotationRecognition, factsRef: string): TimeoutAnnotation {
  const item: TimeoutAnnotation = { annotation, vendor, knob, recognition, factsRef };
  if (annotation.value) item.setting = annotation.value;
  return item;
}

function unlisted(annotation: K8sAnnotation, vendor: AnnotationVendor, knob: string, factsRef: string): TimeoutAnnotation {
  return settingOnly(annotation, vendor, knob, 'unlisted', factsRef);
}

/** `key=value,key=value` attribute lists; each timeout attribute gets its own entry with the span of its number. */
function awsAttributes(view: YamlView, annotation: K8sAnnotation, objectKind: 'Ingress' | 'Service' | 'other'): TimeoutAnnotation[] {
  const value = annotation.value;
  if (!value || value.unresolved) return [];
  const out: TimeoutAnnotation[] = [];
  const onIngress = annotation.key.startsWith('alb.');
  const recognition: AnnotationRecognition = (onIngress ? objectKind === 'Ingress' : objectKind === 'Service') ? 'recognized' : 'wrong-object';
  const attribute = /([^,=\s]+)\s*=\s*([^,]*)/g;
  for (let match = attribute.exec(value.text); match; match = attribute.exec(value.text)) {
    const name = match[1]!;
    const spec = AWS_ATTRIBUTE_KNOBS.get(name);
    if (!spec || spec.type !== 'duration') continue;
    const raw = match[2]!;
    const text = raw.trim();
    const from = match.index + match[0].length - raw.length + (raw.length - raw.trimStart().length);
    const span = view.subSpan(value, from, from + text.length);
    const item: TimeoutAnnotation = {
      annotation, vendor: 'aws', knob: name, recognition, factsRef: '§9',
      duration: durationFromScalar({ ...value, text, yamlType: 'string' }, spec.dialect, span),
    };
    if (spec.timeoutKind) item.timeoutKind = spec.timeoutKind;
    out.push(item);
  }
  return out;
}

function isTimeoutLike(knob: string): boolean {
  return /timeout/i.test(knob);
}
