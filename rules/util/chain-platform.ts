// Platform limits along a chain (timeout-facts.md §9, §10, §11.2, §15 P19): which hop timeouts are a platform's and how to raise them.
import { isMap } from 'yaml';
import type { Hop, HopTimeout, TextEdit, WorkspaceModel } from '../../server/src/engine/rule-api.js';
import { backendConfigRefOf, type K8sObject } from '../../server/src/engine/inputs/k8s/api.js';
import { insertMapEntryEdit, replaceScalarEdit } from './yaml-edits.js';

/** A timeout a hosting platform imposes on the code behind it. */
export interface PlatformLimit {
  /** The platform in words: `Knative`, `GKE Ingress (BackendConfig)`, `Next.js/Vercel`. */
  platform: string;
  kind: 'knative' | 'gke' | 'vercel';
  /** The largest value the platform accepts by default, when it has one (Knative `max-revision-timeout-seconds` 600 s, §10; Vercel Pro/Enterprise 800 s, §11.2). */
  maxMs?: number;
  /** Where the maximum comes from, for messages. */
  maxKnob?: string;
}

/** The platform limit `timeout` is at `hop`, or undefined when it is an ordinary timeout. */
export function platformLimitOf(hop: Hop, timeout: HopTimeout): PlatformLimit | undefined {
  if (hop.kind === 'knative-service' && timeout.knob === 'timeoutSeconds') {
    return { platform: 'Knative', kind: 'knative', maxMs: 600_000, maxKnob: 'max-revision-timeout-seconds' };
  }
  if (hop.kind === 'ingress-path' && hop.ref.kind === 'ingress' && hop.ref.ingress.controller === 'gce' && timeout.knob === 'BackendConfig timeoutSec') {
    return { platform: 'GKE Ingress (GCP backend service)', kind: 'gke' };
  }
  if (hop.kind === 'route-handler' && timeout.knob === 'maxDuration') {
    // A Next.js route is a function of its own; an app exported by a function file (api/index.ts) is plain Vercel.
    const next = hop.ref.kind === 'ts-route' && (hop.ref.route.framework === 'next-app' || hop.ref.route.framework === 'next-pages');
    return { platform: next ? 'Next.js/Vercel' : 'Vercel', kind: 'vercel', maxMs: 800_000, maxKnob: 'the Pro/Enterprise maximum' };
  }
  return undefined;
}

/** True when `timeout` is a platform limit; `outer-timeout-below-inner` leaves those to `platform-limit-below-code-budget`. */
export function isPlatformLimit(hop: Hop, timeout: HopTimeout): boolean {
  return platformLimitOf(hop, timeout) !== undefined;
}

/**
 * Sets the platform limit to `seconds` where it lives: the written Knative `timeoutSeconds`,
 * BackendConfig `timeoutSec` or `maxDuration` literal is replaced; a Knative Service on its default
 * gets `timeoutSeconds` in `spec.template.spec`, a BackendConfig without `timeoutSec` gets it in
 * `spec`. Undefined when there is nowhere to write it (no BackendConfig at all, a computed value).
 */
export function setPlatformLimitEdit(model: WorkspaceModel, hop: Hop, timeout: HopTimeout, seconds: number): TextEdit | undefined {
  const ref = hop.ref;
  if (ref.kind === 'knative') {
    const written = ref.service.timeout.written;
    if (written) return written.unresolved ? undefined : replaceYamlValue(model, ref.service.object, ['spec', 'template', 'spec', 'timeoutSeconds'], String(seconds));
    return insertYamlEntry(model, ref.service.object, ['spec', 'template', 'spec'], 'timeoutSeconds', String(seconds));
  }
  if (ref.kind === 'ingress') {
    const backendConfig = backendConfigRefOf(ref.path.backend)?.backendConfig;
    if (!backendConfig) return undefined;
    if (backendConfig.timeout.written) return backendConfig.timeout.written.unresolved ? undefined : replaceYamlValue(model, backendConfig.object, ['spec', 'timeoutSec'], String(seconds));
    return insertYamlEntry(model, backendConfig.object, ['spec'], 'timeoutSec', String(seconds));
  }
  if (ref.kind === 'ts-route') {
    // The route's `export const maxDuration = 60` or the vercel.json entry's `"maxDuration": 60`: a plain number literal either way.
    const span = timeout.span;
    if (!span) return undefined;
    const source = model.sources.get(span.file);
    if (!source || !/^\d[\d_]*$/.test(source.text.slice(span.start, span.end))) return undefined;
    return { file: span.file, start: span.start, end: span.end, newText: String(seconds) };
  }
  return undefined;
}

function replaceYamlValue(model: WorkspaceModel, object: K8sObject, path: readonly string[], value: string): TextEdit | undefined {
  const scalar = object.view.scalar(object.view.getIn(object.node, path));
  if (!scalar || !model.sources.has(object.file)) return undefined;
  return replaceScalarEdit(scalar, value);
}

function insertYamlEntry(model: WorkspaceModel, object: K8sObject, path: readonly string[], key: string, value: string): TextEdit | undefined {
  const map = object.view.getIn(object.node, path);
  const source = model.sources.get(object.file);
  if (!source || !isMap(map)) return undefined;
  return insertMapEntryEdit(source, map, key, value);
}
