// Which controller serves an Ingress and how sure the model is, and where ingress-nginx values come from, worded for messages.
import type { Related, Span, WorkspaceModel } from '../../server/src/engine/rule-api.js';
import { DEFAULT_INGRESS_NGINX_PREFIX, INGRESS_NGINX_ANNOTATION_KNOBS, inferredControllerNote, type IngressController, type IngressFacts, type IngressNginxValue, type K8sAnnotation } from '../../server/src/engine/inputs/k8s/api.js';
import { placeOf } from './places.js';

/** The controllers in a headline (engine/headline.ts): the name alone, the full label stays in the details. */
export const CONTROLLER_SHORT_LABELS: Readonly<Record<IngressController, string>> = {
  'ingress-nginx': 'ingress-nginx',
  'nginx-inc': 'NGINX Inc',
  kong: 'Kong',
  alb: 'the AWS LB Controller',
  gce: 'GKE Ingress',
  traefik: 'Traefik',
  unknown: 'an unknown controller',
};

export const CONTROLLER_LABELS: Readonly<Record<IngressController, string>> = {
  'ingress-nginx': 'ingress-nginx',
  'nginx-inc': 'the NGINX Inc Ingress Controller',
  kong: 'the Kong Ingress Controller',
  alb: 'the AWS Load Balancer Controller',
  gce: 'GKE Ingress',
  traefik: 'Traefik',
  unknown: 'an unknown controller',
};

/**
 * Class names that several controllers use as their default, with those controllers. `nginx` is the
 * default class of both ingress-nginx and NGINX Inc's controller (timeout-facts §2, §3), so a
 * controller guessed from it alone may be the other one.
 */
export const AMBIGUOUS_CLASS_NAMES: ReadonlyMap<string, readonly IngressController[]> = new Map([['nginx', ['ingress-nginx', 'nginx-inc'] as const]]);

/** How the controller of an Ingress was found, for messages ("which controller, and why we think so"). */
export interface ControllerEvidence {
  controller: IngressController;
  /** `IngressClass public with spec.controller k8s.io/ingress-nginx at k8s/classes.yaml:6` or `guessed from the class name "nginx" at …`. */
  text: string;
  /** The token that decides: the IngressClass's `spec.controller`, or the class name on the Ingress. */
  span?: Span;
  /** From an IngressClass object in the manifests. */
  certain: boolean;
  /** Guessed from a class name that several controllers use by default. */
  ambiguous: boolean;
  /** The controllers the guess could be instead, for a guess from an ambiguous class name. */
  alternatives: readonly IngressController[];
}

export function controllerEvidence(model: WorkspaceModel, ingress: IngressFacts): ControllerEvidence {
  const controller = ingress.controller;
  const className = ingress.className;
  if (ingress.controllerSource === 'ingress-class' && ingress.ingressClass) {
    const ingressClass = ingress.ingressClass;
    const name = ingressClass.object.name?.text ?? '?';
    const span = ingressClass.controllerName?.span ?? ingressClass.object.span;
    const which = ingress.classSource === 'default-class' ? 'the default IngressClass' : 'IngressClass';
    return { controller, text: `${which} ${name} with spec.controller ${ingressClass.controllerName?.text ?? '?'} at ${placeOf(model, span)}`, span, certain: true, ambiguous: false, alternatives: [] };
  }
  if (ingress.controllerSource === 'class-name' && className) {
    return {
      controller,
      text: `guessed from the class name "${className.text}" at ${placeOf(model, className.span)}; no IngressClass ${className.text} is among the manifests`,
      span: className.span,
      certain: false,
      ambiguous: AMBIGUOUS_CLASS_NAMES.has(className.text),
      alternatives: (AMBIGUOUS_CLASS_NAMES.get(className.text) ?? []).filter((c) => c !== controller),
    };
  }
  const inferred = inferredControllerNote(ingress);
  if (inferred && ingress.controllerAnnotation) {
    return { controller, text: `${inferred} at ${placeOf(model, ingress.controllerAnnotation.keySpan)}`, span: ingress.controllerAnnotation.keySpan, certain: false, ambiguous: false, alternatives: [] };
  }
  return { controller, text: 'no ingress class', certain: false, ambiguous: true, alternatives: [] };
}

/** Related entry pointing at what decided the controller. */
export function controllerRelated(evidence: ControllerEvidence): Related[] {
  const how = evidence.certain ? 'from the IngressClass' : evidence.text.startsWith('controller inferred from') ? 'inferred from nginx.ingress.kubernetes.io annotations' : 'guessed from the class name';
  return evidence.span ? [{ span: evidence.span, message: `controller: ${CONTROLLER_LABELS[evidence.controller]} (${how})` }] : [];
}

/**
 * Whether the workspace says ingress-nginx is in use: its controller ConfigMap is among the
 * manifests, or this Ingress carries valid annotations under the configured ingress-nginx prefix.
 */
export function hasIngressNginxEvidence(model: WorkspaceModel, ingress: IngressFacts): boolean {
  if (model.k8s.ingressNginxControllerConfigs.length > 0) return true;
  return ingress.timeoutAnnotations.some((a) => a.vendor === 'ingress-nginx' && a.recognition === 'recognized' && !a.prefixMismatch);
}

/** `the ingress-nginx default (timeout-facts §2.2)`, `ConfigMap ingress-nginx-controller at k8s/cm.yaml:7`, `the annotation at …`. */
export function describeIngressNginxSource(model: WorkspaceModel, value: IngressNginxValue): string {
  const { source } = value;
  if (source.kind === 'default' || !source.span) return `the ingress-nginx default (timeout-facts ${source.factsRef})`;
  const place = placeOf(model, source.span);
  if (source.kind === 'annotation') return `the annotation at ${place}`;
  // The model takes every Ingress's ConfigMap values from the first controller ConfigMap it found.
  const name = model.k8s.ingressNginxControllerConfigs[0]?.configMap.object.name?.text;
  return name ? `ConfigMap ${name} at ${place}` : `the controller ConfigMap at ${place}`;
}

/** Related entry for a value set in the ConfigMap or by another annotation; none for a default. */
export function ingressNginxSourceRelated(value: IngressNginxValue, what: string): Related[] {
  const { source } = value;
  if (source.kind === 'default' || !source.span) return [];
  return [{ span: source.span, message: `${what} ${value.text} is set here (${source.kind === 'configmap' ? 'controller ConfigMap' : 'annotation'})` }];
}

/** Seconds as the controller shows them: `60`, or `unknown` for a templated or unreadable value. */
export function secondsText(value: IngressNginxValue): string {
  if (value.unresolved) return `${value.text} (templated)`;
  if (value.ms === undefined) return `"${value.text}" (not a number)`;
  return `${value.ms / 1000} s`;
}

/** The prefix of an annotation key (`nginx.org` of `nginx.org/proxy-read-timeout`), or '' without one. */
export function prefixOfKey(key: string): string {
  const slash = key.indexOf('/');
  return slash < 0 ? '' : key.slice(0, slash);
}

/** Edit distance, for "did you mean" suggestions among short annotation names. */
export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length]!;
}

/** The one candidate within `maxDistance` edits of `name` and closer than every other, if any. */
export function closestName(name: string, candidates: readonly string[], maxDistance: number): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  let tie = false;
  for (const candidate of candidates) {
    const distance = editDistance(name, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
      tie = false;
    } else if (distance === bestDistance) tie = true;
  }
  return best !== undefined && bestDistance <= maxDistance && !tie ? best : undefined;
}

// Words people use for the same knob under another name; applied before looking for the closest annotation.
const INGRESS_NGINX_SYNONYMS: ReadonlyArray<readonly [RegExp, string]> = [
  [/connection/g, 'connect'],
  [/write/g, 'send'],
];

/** The ingress-nginx timeout annotation a misspelt or misnamed knob most likely means (`read-timeout` → `proxy-read-timeout`). */
export function suggestAnnotation(knob: string): string | undefined {
  const known = [...INGRESS_NGINX_ANNOTATION_KNOBS].filter(([, spec]) => spec.type === 'duration').map(([name]) => name);
  let name = knob.toLowerCase();
  for (const [pattern, replacement] of INGRESS_NGINX_SYNONYMS) name = name.replace(pattern, replacement);
  if (known.includes(name)) return name;
  if (known.includes(`proxy-${name}`)) return `proxy-${name}`;
  return closestName(name, known, 2);
}

/**
 * True when renaming `self` to the knob `targetKnob` could end with two keys for that knob: another
 * annotation under one of `prefixes` already is, or may be renamed to, that knob (the rules fix
 * misspellings, prefixes and controllers independently, and two renames in one pass would write a
 * duplicate key).
 */
export function renameCollides(
  annotations: readonly K8sAnnotation[],
  self: K8sAnnotation,
  targetKnob: string,
  prefixes: readonly string[],
  suggest: (knob: string) => string | undefined = suggestAnnotation,
): boolean {
  return annotations.some((other) => {
    if (other === self || !prefixes.includes(prefixOfKey(other.key))) return false;
    const knob = other.key.slice(other.key.indexOf('/') + 1);
    return knob === targetKnob || suggest(knob) === targetKnob;
  });
}

/** The prefixes under which nginx-controller annotations for one knob could end up: ingress-nginx's (configured and default) and NGINX Inc's. */
export function nginxPrefixes(configuredPrefix: string): string[] {
  return [configuredPrefix, DEFAULT_INGRESS_NGINX_PREFIX, 'nginx.org'];
}
