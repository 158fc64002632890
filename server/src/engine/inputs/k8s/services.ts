// Reads Services (selector, ports, timeout annotations, GKE BackendConfig references) and GKE BackendConfigs.
export { readConfigMap, type ConfigMapEntry, type ConfigMapFacts } from './configmaps.js';
import type { K8sObject } from './file.js';
import type { ScalarFact } from '../../yaml/view.js';
import type { Span } from '../../types.js';
import { readAnnotations, timeoutAnnotationsOf, type K8sAnnotation, type TimeoutAnnotation } from './annotations.js';
import type { KongIngressFacts } from './kong-ingress.js';
import { readPortRef, type PortRef } from './containers.js';
import { effectiveDuration, readDuration, readInteger, type EffectiveDuration, type K8sInteger } from './values.js';
import { readLabels, type WorkloadFacts } from './workloads.js';

export interface ServicePortFacts {
  span: Span;
  name?: ScalarFact;
  port?: K8sInteger;
  /** As written; when absent Kubernetes uses `port` (so `targetPort` stays undefined here). */
  targetPort?: PortRef;
  /** `nodePort` when written (a NodePort or LoadBalancer Service): the port every node opens for this Service port. */
  nodePort?: K8sInteger;
  protocol?: ScalarFact;
  appProtocol?: ScalarFact;
}

/** A GKE `cloud.google.com/backend-config` reference: `{"default": "x"}` or `{"ports": {"80": "x"}}`. */
export interface BackendConfigRef {
  annotation: K8sAnnotation;
  /** The Service port name or number the reference is for; undefined for `default`. */
  port?: string;
  name: string;
  /** The BackendConfig object, when it is among the manifests (same namespace). */
  backendConfig?: BackendConfigFacts;
}

export interface ServiceFacts {
  object: K8sObject;
  /** `spec.type` as written; Kubernetes' default is ClusterIP. */
  type: string;
  selector: ReadonlyMap<string, ScalarFact>;
  ports: ServicePortFacts[];
  annotations: K8sAnnotation[];
  /** Kong (`konghq.com/*`) and AWS load balancer timeouts, and other timeout-like annotations. */
  timeoutAnnotations: TimeoutAnnotation[];
  backendConfigRefs: BackendConfigRef[];
  /** True when the `backend-config` annotation is there but is not JSON of the documented shape. */
  backendConfigAnnotationInvalid?: boolean;
  /**
   * `spec.sessionAffinity`. Its `sessionAffinityConfig.clientIP.timeoutSeconds` is how long client
   * stickiness lasts, not a request timeout, so it is deliberately not read.
   */
  sessionAffinity?: ScalarFact;
  /** `spec.externalName` of an ExternalName Service: the DNS name it stands for (no workloads behind it). */
  externalName?: ScalarFact;
  /** The KongIngress its `konghq.com/override` annotation names, when among the manifests (filled by the model). */
  kongIngress?: KongIngressFacts;
  /** Workloads in the same namespace whose pod labels match the selector (filled by the model). */
  targets: WorkloadFacts[];
}

export interface BackendConfigFacts {
  object: K8sObject;
  /** `spec.timeoutSec`: the GCP backend service timeout, default 30 s (facts §9). */
  timeout: EffectiveDuration;
}

const BACKEND_CONFIG_ANNOTATIONS = new Set(['cloud.google.com/backend-config', 'beta.cloud.google.com/backend-config']);

export function readService(object: K8sObject, ingressNginxPrefix: string): ServiceFacts {
  const { view, node } = object;
  const spec = view.get(node, 'spec');
  const annotations = readAnnotations(view, view.get(node, 'metadata'));
  const service: ServiceFacts = {
    object,
    type: view.text(spec, 'type') ?? 'ClusterIP',
    selector: readLabels(view, view.get(spec, 'selector')),
    ports: view.items(view.get(spec, 'ports')).map((p) => {
      const port: ServicePortFacts = { span: view.span(p) };
      const name = view.scalar(view.get(p, 'name'));
      if (name) port.name = name;
      const number = readInteger(view, view.get(p, 'port'), 'yaml-int');
      if (number) port.port = number;
      const targetPort = readPortRef(view, view.get(p, 'targetPort'));
      if (targetPort) port.targetPort = targetPort;
      const nodePort = readInteger(view, view.get(p, 'nodePort'), 'yaml-int');
      if (nodePort) port.nodePort = nodePort;
      const protocol = view.scalar(view.get(p, 'protocol'));
      if (protocol) port.protocol = protocol;
      const appProtocol = view.scalar(view.get(p, 'appProtocol'));
      if (appProtocol) port.appProtocol = appProtocol;
      return port;
    }),
    annotations,
    timeoutAnnotations: timeoutAnnotationsOf(view, annotations, 'Service', ingressNginxPrefix),
    backendConfigRefs: [],
    targets: [],
  };
  const sessionAffinity = view.scalar(view.get(spec, 'sessionAffinity'));
  if (sessionAffinity) service.sessionAffinity = sessionAffinity;
  const externalName = view.scalar(view.get(spec, 'externalName'));
  if (externalName) service.externalName = externalName;
  for (const annotation of annotations) {
    if (!BACKEND_CONFIG_ANNOTATIONS.has(annotation.key) || !annotation.value || annotation.value.unresolved) continue;
    const refs = backendConfigRefsOf(annotation);
    if (refs) service.backendConfigRefs.push(...refs);
    else service.backendConfigAnnotationInvalid = true;
  }
  return service;
}

export function readBackendConfig(object: K8sObject): BackendConfigFacts {
  const { view, node } = object;
  const written = readDuration(view, view.getIn(node, ['spec', 'timeoutSec']), 'k8s-int-seconds');
  return { object, timeout: effectiveDuration(written, { ms: 30_000 }, '§9') };
}

function backendConfigRefsOf(annotation: K8sAnnotation): BackendConfigRef[] | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(annotation.value!.text);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const refs: BackendConfigRef[] = [];
  const { default: byDefault, ports } = parsed as { default?: unknown; ports?: unknown };
  if (typeof byDefault === 'string') refs.push({ annotation, name: byDefault });
  if (typeof ports === 'object' && ports !== null) {
    for (const [port, name] of Object.entries(ports)) {
      if (typeof name === 'string') refs.push({ annotation, port, name });
    }
  }
  return refs.length > 0 ? refs : undefined;
}
