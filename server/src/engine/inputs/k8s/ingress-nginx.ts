// Effective ingress-nginx proxy settings per Ingress: annotation, else controller ConfigMap, else built-in default, with provenance.
import type { Span } from '../../types.js';
import type { TimeoutAnnotation } from './annotations.js';
import type { ConfigMapFacts } from './configmaps.js';
import type { ContainerFacts } from './containers.js';
import { parseDurationText } from './values.js';
import type { WorkloadFacts } from './workloads.js';

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
  /**
   * `controller-args`: an ingress-nginx controller container names it with `--configmap` (or the
   * old `--nginx-configmap`); `name`: one of the configured names; `keys`: ingress-nginx-only keys.
   */
  matchedBy: 'controller-args' | 'name' | 'keys';
  /** For `controller-args`: the argument that names the ConfigMap. */
  controllerArg?: IngressNginxConfigMapArg;
}

/** A `--configmap=<namespace>/<name>` argument of an ingress-nginx controller container. */
export interface IngressNginxConfigMapArg {
  /** The argument as written (`--configmap=$(POD_NAMESPACE)/ingress-nginx-controller`). */
  text: string;
  /** The argument token (with its value, when the value is the next list item). */
  span: Span;
  /** The namespace with `$(POD_NAMESPACE)` replaced by the workload's namespace. */
  namespace: string;
  name: string;
  workload: WorkloadFacts;
  container: ContainerFacts;
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

/**
 * The ingress-nginx controller ConfigMaps among `configMaps`: the ones a controller container names
 * in its arguments first (namespace and name must match), then by configured name, then by keys.
 */
export function findIngressNginxConfigMaps(configMaps: readonly ConfigMapFacts[], names: readonly string[], workloads: readonly WorkloadFacts[] = []): IngressNginxControllerConfig[] {
  const byArgs: IngressNginxControllerConfig[] = [];
  for (const arg of workloads.flatMap(ingressNginxConfigMapArgs)) {
    const configMap = configMaps.find((c) => c.object.name !== undefined && !c.object.name.unresolved && c.object.name.text === arg.name && c.object.namespace === arg.namespace);
    if (configMap && !byArgs.some((c) => c.configMap === configMap)) byArgs.push({ configMap, matchedBy: 'controller-args', controllerArg: arg });
  }
  const taken = new Set(byArgs.map((c) => c.configMap));
  const byName = configMaps.filter((c) => !taken.has(c) && c.object.name !== undefined && names.includes(c.object.name.text));
  const byKeys = configMaps.filter((c) => !taken.has(c) && !byName.includes(c) && INGRESS_NGINX_ONLY_KEYS.some((key) => c.data.has(key)));
  return [...byArgs, ...byName.map((configMap) => ({ configMap, matchedBy: 'name' as const })), ...byKeys.map((configMap) => ({ configMap, matchedBy: 'keys' as const }))];
}

// Images of the ingress-nginx controller: `registry.k8s.io/ingress-nginx/controller` (and its
// `-chroot` variant), the older `quay.io/kubernetes-ingress-controller/nginx-ingress-controller`,
// `gcr.io/google_containers/nginx-ingress-controller` and rebuilds that keep the name. NGINX Inc's
// controller (`nginx/nginx-ingress`, `nginx-plus-ingress`) is not one: its ConfigMap keys take
// nginx time units (facts §3), and its flag is `-nginx-configmaps`.
const CONTROLLER_IMAGE = /(?:^|\/)(?:ingress-nginx\/controller(?:-chroot)?|nginx-ingress-controller)$/;

/** Whether an image reference names the ingress-nginx controller (tag and digest ignored). */
export function isIngressNginxControllerImage(image: string): boolean {
  const withoutDigest = image.trim().split('@')[0]!;
  const lastSlash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.indexOf(':', lastSlash + 1);
  const repository = colon < 0 ? withoutDigest : withoutDigest.slice(0, colon);
  return CONTROLLER_IMAGE.test(repository);
}

// `--configmap` (current releases) and `--nginx-configmap` (older ones); the controller reads its
// flags with pflag, so `--configmap value` as two items works too, and the last one wins.
export const CONFIGMAP_FLAG = /^--(?:nginx-)?configmap(?:=(.*))?$/s;

/**
 * The ConfigMaps the ingress-nginx controller containers of a workload name in their arguments
 * (`--configmap=$(POD_NAMESPACE)/ingress-nginx-controller`). `$(POD_NAMESPACE)` is the pod's
 * namespace, as the controller's manifests set it from `metadata.namespace`; another `$(VAR)` is
 * taken from the container's literal `env` value, else the argument names nothing known.
 */
export function ingressNginxConfigMapArgs(workload: WorkloadFacts): IngressNginxConfigMapArg[] {
  const out: IngressNginxConfigMapArg[] = [];
  for (const container of workload.containers) {
    if (container.init || !container.image || container.image.unresolved || !isIngressNginxControllerImage(container.image.text)) continue;
    const items = [...container.command, ...container.args];
    let found: { text: string; value: string; span: Span } | undefined;
    for (let i = 0; i < items.length; i++) {
      const item = items[i]!;
      const match = CONFIGMAP_FLAG.exec(item.text.trim());
      if (!match) continue;
      if (match[1] !== undefined) {
        found = item.unresolved ? undefined : { text: item.text, value: match[1], span: item.span };
        continue;
      }
      const next = items[i + 1];
      found = !next || next.unresolved || next.span.file !== item.span.file
        ? undefined
        : { text: `${item.text} ${next.text}`, value: next.text, span: { file: item.span.file, start: item.span.start, end: next.span.end } };
    }
    if (!found) continue;
    const parts = found.value.trim().split('/');
    if (parts.length !== 2) continue;
    const namespace = expandEnv(parts[0]!, container, workload);
    const name = expandEnv(parts[1]!, container, workload);
    if (!namespace || !name) continue;
    out.push({ text: found.text, span: found.span, namespace, name, workload, container });
  }
  return out;
}

/** `$(VAR)` references of a container argument expanded; undefined when one cannot be known. */
function expandEnv(text: string, container: ContainerFacts, workload: WorkloadFacts): string | undefined {
  let unknown = false;
  const expanded = text.replace(/\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)/g, (_, variable: string) => {
    const env = container.env.find((e) => e.name.text === variable);
    if (env?.value && !env.value.unresolved) return env.value.text;
    if (variable === 'POD_NAMESPACE') return workload.object.namespace;
    unknown = true;
    return '';
  });
  return unknown || expanded === '' || expanded.includes('$') ? undefined : expanded;
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
