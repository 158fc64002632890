// The Kubernetes model: facts of every object across the parsed YAML files, linked by namespace and name, with effective timeouts.
import type { K8sFile, K8sObject } from '../parse/k8s/k8s-file.js';
import type { ComposeFile } from '../parse/k8s/compose.js';
import type { Kustomization } from '../parse/k8s/kustomization.js';
import type { FileId, Problem } from '../types.js';
import { DEFAULT_INGRESS_NGINX_PREFIX } from './k8s-annotations.js';
import {
  DEFAULT_CLASS_CONTROLLERS, readIngress, readIngressClass, resolveIngressController,
  type IngressBackend, type IngressClassFacts, type IngressController, type IngressFacts,
} from './k8s-ingress.js';
import { DEFAULT_INGRESS_NGINX_CONFIGMAP_NAMES, findIngressNginxConfigMaps, ingressNginxSettings, type IngressNginxControllerConfig } from './k8s-ingress-nginx.js';
import { readDestinationRule, readVirtualService, type DestinationRuleFacts, type VirtualServiceFacts } from './k8s-istio.js';
import { readGatewayRoute, readHttpProxy, readKnativeService, type BackendRefFacts, type GatewayRouteFacts, type HttpProxyFacts, type KnativeServiceFacts } from './k8s-routes.js';
import { readBackendConfig, readConfigMap, readService, type BackendConfigFacts, type ConfigMapFacts, type ServiceFacts } from './k8s-services.js';
import { collectTimeoutFacts, type K8sTimeoutFact } from './k8s-timeouts.js';
import { effectiveDuration, type EffectiveDuration } from './k8s-values.js';
import { isWorkload, readWorkload, type WorkloadFacts } from './k8s-workloads.js';

export type * from './k8s-annotations.js';
export type * from './k8s-containers.js';
export type * from './k8s-env.js';
export type * from './k8s-ingress.js';
export type * from './k8s-ingress-nginx.js';
export type * from './k8s-istio.js';
export type * from './k8s-routes.js';
export type * from './k8s-services.js';
export type * from './k8s-timeouts.js';
export type * from './k8s-values.js';
export type * from './k8s-workloads.js';
export { containerEnvironment } from './k8s-env.js';
export { DEFAULT_INGRESS_NGINX_PREFIX } from './k8s-annotations.js';
export { DEFAULT_INGRESS_NGINX_CONFIGMAP_NAMES } from './k8s-ingress-nginx.js';

export interface K8sModelOptions {
  /** ingress-nginx `--annotations-prefix` (facts §2.1); default `nginx.ingress.kubernetes.io`. */
  ingressNginxAnnotationPrefix: string;
  /** Names that identify the ingress-nginx controller ConfigMap; default `ingress-nginx-controller`, `nginx-configuration`. */
  ingressNginxConfigMapNames?: readonly string[];
  /** Ingress class name → controller, for classes without an IngressClass object in the manifests; merged over the defaults. */
  ingressClassControllers?: Readonly<Record<string, IngressController>>;
}

export interface K8sModel {
  /** The ingress-nginx annotation prefix in effect (`--annotations-prefix`), for rules that write annotations. */
  ingressNginxAnnotationPrefix: string;
  files: readonly K8sFile[];
  objects: K8sObject[];
  /** Every problem of every file (syntax, templates) plus objects the model could not read. */
  problems: Problem[];
  ingresses: IngressFacts[];
  ingressClasses: IngressClassFacts[];
  services: ServiceFacts[];
  workloads: WorkloadFacts[];
  configMaps: ConfigMapFacts[];
  /** ingress-nginx controller ConfigMaps; the first one feeds every Ingress's effective settings. */
  ingressNginxControllerConfigs: IngressNginxControllerConfig[];
  backendConfigs: BackendConfigFacts[];
  virtualServices: VirtualServiceFacts[];
  destinationRules: DestinationRuleFacts[];
  /** HTTPRoute and GRPCRoute. */
  gatewayRoutes: GatewayRouteFacts[];
  httpProxies: HttpProxyFacts[];
  knativeServices: KnativeServiceFacts[];
  kustomizations: Array<{ file: FileId; kustomization: Kustomization }>;
  composeFiles: Array<{ file: FileId; compose: ComposeFile }>;
  /** Every request-path timeout written in the manifests (not probes, grace periods, cookies or fault delays). */
  timeouts: K8sTimeoutFact[];
}

/** Builds the model from parsed files. Never throws: an object that cannot be read becomes a problem. */
export function buildK8sModel(files: readonly K8sFile[], options: K8sModelOptions = { ingressNginxAnnotationPrefix: DEFAULT_INGRESS_NGINX_PREFIX }): K8sModel {
  const prefix = options.ingressNginxAnnotationPrefix || DEFAULT_INGRESS_NGINX_PREFIX;
  const model: K8sModel = {
    ingressNginxAnnotationPrefix: prefix,
    files, objects: [], problems: files.flatMap((f) => f.problems),
    ingresses: [], ingressClasses: [], services: [], workloads: [], configMaps: [], ingressNginxControllerConfigs: [],
    backendConfigs: [], virtualServices: [], destinationRules: [], gatewayRoutes: [], httpProxies: [], knativeServices: [],
    kustomizations: [], composeFiles: [], timeouts: [],
  };
  for (const file of files) {
    if (file.kustomization) model.kustomizations.push({ file: file.file, kustomization: file.kustomization });
    if (file.compose) model.composeFiles.push({ file: file.file, compose: file.compose });
    for (const object of file.objects) {
      model.objects.push(object);
      try {
        readObject(model, object, prefix);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        model.problems.push({ kind: 'not-analysed', message: `not analysed: ${object.kind} could not be read (${message})`, span: object.span });
      }
    }
  }
  try {
    link(model, options);
    model.timeouts = collectTimeoutFacts({ ...model, controllerConfigs: model.ingressNginxControllerConfigs });
  } catch (error) {
    // Linking only reads facts built above; a failure here is a bug, reported instead of stopping the run.
    const message = error instanceof Error ? error.message : String(error);
    const span = { file: files[0]?.file ?? '', start: 0, end: 0 };
    model.problems.push({ kind: 'not-analysed', message: `not analysed: Kubernetes objects could not be linked (${message})`, span });
  }
  return model;
}

function readObject(model: K8sModel, object: K8sObject, prefix: string): void {
  const { group, kind } = object;
  if (kind === 'Ingress' && (group === 'networking.k8s.io' || group === 'extensions')) model.ingresses.push(readIngress(object, prefix));
  else if (kind === 'IngressClass' && group === 'networking.k8s.io') model.ingressClasses.push(readIngressClass(object));
  else if (kind === 'Service' && group === '') model.services.push(readService(object, prefix));
  else if (kind === 'ConfigMap' && group === '') model.configMaps.push(readConfigMap(object));
  else if (kind === 'BackendConfig' && group === 'cloud.google.com') model.backendConfigs.push(readBackendConfig(object));
  else if (kind === 'VirtualService' && group === 'networking.istio.io') model.virtualServices.push(readVirtualService(object));
  else if (kind === 'DestinationRule' && group === 'networking.istio.io') model.destinationRules.push(readDestinationRule(object));
  else if ((kind === 'HTTPRoute' || kind === 'GRPCRoute') && group === 'gateway.networking.k8s.io') model.gatewayRoutes.push(readGatewayRoute(object));
  else if (kind === 'HTTPProxy' && group === 'projectcontour.io') model.httpProxies.push(readHttpProxy(object));
  else if (kind === 'Service' && group === 'serving.knative.dev') model.knativeServices.push(readKnativeService(object));
  else if (isWorkload(object)) {
    const workload = readWorkload(object);
    if (workload) model.workloads.push(workload);
  }
}

/** Links objects by namespace and name; objects without `metadata.namespace` are in `default`. */
function link(model: K8sModel, options: K8sModelOptions): void {
  const key = (namespace: string, name: string): string => `${namespace}\u0000${name}`;
  const byName = <T extends { object: K8sObject }>(list: readonly T[]): Map<string, T> => {
    const map = new Map<string, T>();
    for (const item of list) if (item.object.name) map.set(key(item.object.namespace, item.object.name.text), item);
    return map;
  };
  const services = byName(model.services);
  const configMaps = byName(model.configMaps);
  const backendConfigs = byName(model.backendConfigs);

  const workloadsByNamespace = new Map<string, WorkloadFacts[]>();
  for (const workload of model.workloads) {
    const list = workloadsByNamespace.get(workload.object.namespace);
    if (list) list.push(workload);
    else workloadsByNamespace.set(workload.object.namespace, [workload]);
  }
  for (const service of model.services) {
    for (const ref of service.backendConfigRefs) {
      const backendConfig = backendConfigs.get(key(service.object.namespace, ref.name));
      if (backendConfig) ref.backendConfig = backendConfig;
    }
    // An empty selector selects nothing: such a Service has manually managed endpoints.
    if (service.selector.size === 0) continue;
    const selector = [...service.selector];
    service.targets = (workloadsByNamespace.get(service.object.namespace) ?? []).filter((w) => selector.every(([k, v]) => w.podLabels.get(k)?.text === v.text));
  }
  const containers = [...model.workloads.flatMap((w) => w.containers.map((c) => ({ c, ns: w.object.namespace }))), ...model.knativeServices.flatMap((k) => k.containers.map((c) => ({ c, ns: k.object.namespace })))];
  for (const { c, ns } of containers) {
    for (const env of c.env) {
      const name = env.configMapKeyRef?.name?.text;
      const configMap = name === undefined ? undefined : configMaps.get(key(ns, name));
      if (configMap) env.configMap = configMap;
    }
    for (const from of c.envFrom) {
      const configMap = from.configMapName ? configMaps.get(key(ns, from.configMapName.text)) : undefined;
      if (configMap) from.configMap = configMap;
    }
  }

  model.ingressNginxControllerConfigs = findIngressNginxConfigMaps(model.configMaps, options.ingressNginxConfigMapNames ?? DEFAULT_INGRESS_NGINX_CONFIGMAP_NAMES);
  const controllerConfigMap = model.ingressNginxControllerConfigs[0]?.configMap;
  const classControllers = { ...DEFAULT_CLASS_CONTROLLERS, ...options.ingressClassControllers };
  for (const ingress of model.ingresses) {
    resolveIngressController(ingress, model.ingressClasses, classControllers);
    // An Ingress whose controller is unknown may well be ingress-nginx (the most common default class).
    if (ingress.controller === 'ingress-nginx' || ingress.controller === 'unknown') ingress.ingressNginx = ingressNginxSettings(ingress.timeoutAnnotations, controllerConfigMap);
    const backends = [...(ingress.defaultBackend ? [ingress.defaultBackend] : []), ...ingress.paths.map((p) => p.backend)];
    for (const backend of backends) {
      linkIngressBackend(backend, services.get(key(ingress.object.namespace, backend.serviceName?.text ?? '')));
      if (ingress.controller === 'gce') {
        const timeout = gceTimeoutOf(backend);
        if (timeout) backend.gceTimeout = timeout;
      }
    }
  }
  for (const vs of model.virtualServices) {
    for (const destination of vs.http.flatMap((r) => r.destinations)) {
      const target = destination.host ? serviceOfHost(destination.host.text, vs.object.namespace) : undefined;
      const service = target ? services.get(key(target.namespace, target.name)) : undefined;
      if (service) destination.service = service;
    }
  }
  const linkRef = (ref: BackendRefFacts, namespace: string): void => {
    if (ref.kind && ref.kind.text !== 'Service') return;
    const service = ref.name ? services.get(key(ref.namespace?.text ?? namespace, ref.name.text)) : undefined;
    if (service) ref.service = service;
  };
  for (const route of model.gatewayRoutes) for (const ref of route.rules.flatMap((r) => r.backendRefs)) linkRef(ref, route.object.namespace);
  for (const proxy of model.httpProxies) for (const ref of proxy.routes.flatMap((r) => r.services)) linkRef(ref, proxy.object.namespace);
}

function linkIngressBackend(backend: IngressBackend, service: ServiceFacts | undefined): void {
  if (!service) return;
  backend.service = service;
  const port = backend.port;
  if (!port) return;
  const servicePort = service.ports.find((p) => (port.number !== undefined ? p.port?.value === port.number : p.name?.text === port.name));
  if (servicePort) backend.servicePort = servicePort;
}

/** The BackendConfig reference a GKE backend uses: the one for its Service port (by name or number), else the `default` one. */
export function backendConfigRefOf(backend: IngressBackend): ServiceFacts['backendConfigRefs'][number] | undefined {
  const service = backend.service;
  if (!service) return undefined;
  const port = backend.servicePort;
  const portKeys = [port?.name?.text, port?.port?.value === undefined ? undefined : String(port.port.value)].filter((k): k is string => k !== undefined);
  return service.backendConfigRefs.find((r) => r.port !== undefined && portKeys.includes(r.port)) ?? service.backendConfigRefs.find((r) => r.port === undefined);
}

/** The GKE backend service timeout of a backend: its BackendConfig's `timeoutSec`, or 30 s when no BackendConfig applies (facts §9). */
function gceTimeoutOf(backend: IngressBackend): EffectiveDuration | undefined {
  const service = backend.service;
  if (!service) return undefined;
  const ref = backendConfigRefOf(backend);
  if (!ref) return service.backendConfigAnnotationInvalid ? undefined : effectiveDuration(undefined, { ms: 30_000 }, '§9');
  return ref.backendConfig?.timeout;
}

/** `reviews`, `reviews.prod`, `reviews.prod.svc` and `reviews.prod.svc.cluster.local` name the Service `reviews`. */
function serviceOfHost(host: string, namespace: string): { name: string; namespace: string } | undefined {
  const parts = host.split('.');
  if (parts.length === 1) return { name: host, namespace };
  if (parts.length === 2 || parts[2] === 'svc') return { name: parts[0]!, namespace: parts[1]! };
  return undefined;
}
