// The Kubernetes model: facts of every object across the parsed YAML files, linked by namespace and name, with effective timeouts.
import type { K8sFile, K8sObject } from './file.js';
import type { Kustomization } from './kustomization.js';
import type { FileId, Problem } from '../../types.js';
import { DEFAULT_INGRESS_NGINX_PREFIX } from './annotations.js';
import {
  DEFAULT_CLASS_CONTROLLERS, readIngress, readIngressClass, resolveIngressController,
  type IngressBackend, type IngressClassFacts, type IngressController, type IngressFacts,
} from './ingress.js';
import { DEFAULT_INGRESS_NGINX_CONFIGMAP_NAMES, findIngressNginxConfigMaps, ingressNginxSettings, type IngressNginxControllerConfig, type IngressNginxSettings } from './ingress-nginx.js';
import { KONG_CONFIGURATION_GROUP, kongOverrideAnnotation, readKongIngress, type KongIngressFacts } from './kong-ingress.js';
import { kustomizedLabels, kustomizedNamespaces } from './kustomize.js';
import { readDestinationRule, readVirtualService, type DestinationRuleFacts, type VirtualServiceFacts } from './istio.js';
import { AI_GATEWAY_GROUP, INFERENCE_GROUPS, readAiServiceBackend, readInferencePool, type AiServiceBackendFacts, type InferencePoolFacts } from './inference.js';
import { ENVOY_GATEWAY_GROUP, linkTrafficPolicies, readBackendTrafficPolicy, type BackendTrafficPolicyFacts } from './envoy-gateway.js';
import { readGatewayRoute, readHttpProxy, readKnativeService, type BackendRefFacts, type GatewayRouteFacts, type HttpProxyFacts, type KnativeServiceFacts } from './routes.js';
import { readBackendConfig, readConfigMap, readService, type BackendConfigFacts, type ConfigMapFacts, type ServiceFacts } from './services.js';
import { collectTimeoutFacts, type K8sTimeoutFact } from './timeouts.js';
import { effectiveDuration, type EffectiveDuration } from './values.js';
import { isWorkload, readWorkload, type WorkloadFacts } from './workloads.js';
import type { ContainerFacts } from './containers.js';

export type * from './annotations.js';
export type * from './containers.js';
export type * from './env.js';
export type * from './envoy-gateway.js';
export type * from './ingress.js';
export type * from './ingress-nginx.js';
export type * from './inference.js';
export type * from './istio.js';
export type * from './kong-ingress.js';
export type * from './routes.js';
export type * from './services.js';
export type * from './timeouts.js';
export type * from './values.js';
export type * from './workloads.js';
export { containerEnvironment } from './env.js';
export { DEFAULT_INGRESS_NGINX_PREFIX } from './annotations.js';
export { DEFAULT_INGRESS_NGINX_CONFIGMAP_NAMES } from './ingress-nginx.js';

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
  /**
   * ingress-nginx controller ConfigMaps: named by a controller container's `--configmap` argument,
   * then by configured name, then by ingress-nginx-only keys; the first one feeds every Ingress's
   * effective settings.
   */
  ingressNginxControllerConfigs: IngressNginxControllerConfig[];
  backendConfigs: BackendConfigFacts[];
  /** Kong Ingress Controller KongIngress objects (their `proxy` timeouts and retries). */
  kongIngresses: KongIngressFacts[];
  virtualServices: VirtualServiceFacts[];
  destinationRules: DestinationRuleFacts[];
  /** HTTPRoute, GRPCRoute and Envoy AI Gateway's AIGatewayRoute. */
  gatewayRoutes: GatewayRouteFacts[];
  /** Gateway API inference extension pools: model servers picked by labels. */
  inferencePools: InferencePoolFacts[];
  /** Envoy AI Gateway backends (LLM providers). */
  aiServiceBackends: AiServiceBackendFacts[];
  /** Envoy Gateway BackendTrafficPolicies (timeouts and retries of the routes they target). */
  backendTrafficPolicies: BackendTrafficPolicyFacts[];
  httpProxies: HttpProxyFacts[];
  knativeServices: KnativeServiceFacts[];
  kustomizations: Array<{ file: FileId; kustomization: Kustomization }>;
  /** Every request-path timeout written in the manifests (not probes, grace periods, cookies or fault delays). */
  timeouts: K8sTimeoutFact[];
}

/** Builds the model from parsed files. Never throws: an object that cannot be read becomes a problem. */
export function buildK8sModel(files: readonly K8sFile[], options: K8sModelOptions = { ingressNginxAnnotationPrefix: DEFAULT_INGRESS_NGINX_PREFIX }): K8sModel {
  const prefix = options.ingressNginxAnnotationPrefix || DEFAULT_INGRESS_NGINX_PREFIX;
  const model: K8sModel = {
    ingressNginxAnnotationPrefix: prefix,
    files, objects: [], problems: [],
    ingresses: [], ingressClasses: [], services: [], workloads: [], configMaps: [], ingressNginxControllerConfigs: [],
    backendConfigs: [], kongIngresses: [], virtualServices: [], destinationRules: [], gatewayRoutes: [], inferencePools: [], aiServiceBackends: [], backendTrafficPolicies: [], httpProxies: [], knativeServices: [],
    kustomizations: [], timeouts: [],
  };
  // A loop, not flatMap: rebuilt on every re-lint of thousands of manifests, nearly all without problems.
  for (const file of files) for (const problem of file.problems) model.problems.push(problem);
  for (const file of files) {
    if (file.kustomization) model.kustomizations.push({ file: file.file, kustomization: file.kustomization });
    for (const object of file.objects) {
      model.objects.push(object);
      const read = readObjectCached(object, prefix);
      if (read.error !== undefined) {
        model.problems.push({ kind: 'not-analysed', message: `not analysed: ${object.kind} could not be read (${read.error})`, span: object.span });
        continue;
      }
      if (read.facts) (model[read.facts.list] as unknown[]).push(read.facts.value);
      // Facts read in an earlier run come back as they were read: links of that run are undone.
      for (const slot of read.slots) restoreSlot(slot);
    }
  }
  applyKustomizeNamespaces(model);
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

/** The namespace each object had as written, for objects a kustomization moved: every build starts from it. */
const writtenNamespaces = new WeakMap<K8sObject, string>();

/**
 * kustomize writes its `namespace:` into every object of the files it pulls in: the objects are
 * linked in that namespace. Parsed objects are shared between builds (the parse cache), so each
 * build first puts back the namespace an earlier build changed.
 */
function applyKustomizeNamespaces(model: K8sModel): void {
  for (const object of model.objects) {
    const written = writtenNamespaces.get(object);
    if (written !== undefined) object.namespace = written;
  }
  const namespaces = kustomizedNamespaces(model.kustomizations, new Set(model.files.map((f) => f.file)));
  if (namespaces.size === 0) return;
  for (const object of model.objects) {
    const namespace = namespaces.get(object.file);
    if (namespace === undefined || namespace === object.namespace || CLUSTER_SCOPED.has(object.kind)) continue;
    if (!writtenNamespaces.has(object)) writtenNamespaces.set(object, object.namespace);
    object.namespace = namespace;
  }
}

const CLUSTER_SCOPED = new Set(['IngressClass', 'Namespace', 'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition', 'GatewayClass', 'PersistentVolume', 'StorageClass']);

type FactsList = 'ingresses' | 'ingressClasses' | 'services' | 'configMaps' | 'backendConfigs' | 'kongIngresses' | 'virtualServices' | 'destinationRules' | 'gatewayRoutes' | 'inferencePools' | 'aiServiceBackends' | 'backendTrafficPolicies' | 'httpProxies' | 'knativeServices' | 'workloads';

interface ReadObject {
  prefix: string;
  facts?: { list: FactsList; value: unknown };
  error?: string;
  /** The fields link() sets, with the values they had when read. */
  slots: LinkSlot[];
}

type LinkSlot = [target: object, field: string, had: boolean, value: unknown];

/**
 * Facts by object. A parsed file that did not change keeps its objects (the parse cache returns
 * the same K8sFile), so a long-lived front end reads only the objects of edited files again.
 * link() sets fields on facts; each build first puts back the values they were read with.
 */
const readObjects = new WeakMap<K8sObject, ReadObject>();

function readObjectCached(object: K8sObject, prefix: string): ReadObject {
  const known = readObjects.get(object);
  if (known && known.prefix === prefix) return known;
  let read: ReadObject;
  try {
    const facts = readObject(object, prefix);
    read = { prefix, slots: facts ? linkSlotsOf(facts.list, facts.value) : [] };
    if (facts) read.facts = facts;
  } catch (error) {
    read = { prefix, error: error instanceof Error ? error.message : String(error), slots: [] };
  }
  readObjects.set(object, read);
  return read;
}

function readObject(object: K8sObject, prefix: string): { list: FactsList; value: unknown } | undefined {
  const { group, kind } = object;
  if (kind === 'Ingress' && (group === 'networking.k8s.io' || group === 'extensions')) return { list: 'ingresses', value: readIngress(object, prefix) };
  if (kind === 'IngressClass' && group === 'networking.k8s.io') return { list: 'ingressClasses', value: readIngressClass(object) };
  if (kind === 'Service' && group === '') return { list: 'services', value: readService(object, prefix) };
  if (kind === 'ConfigMap' && group === '') return { list: 'configMaps', value: readConfigMap(object) };
  if (kind === 'BackendConfig' && group === 'cloud.google.com') return { list: 'backendConfigs', value: readBackendConfig(object) };
  if (kind === 'KongIngress' && group === KONG_CONFIGURATION_GROUP) return { list: 'kongIngresses', value: readKongIngress(object) };
  if (kind === 'VirtualService' && group === 'networking.istio.io') return { list: 'virtualServices', value: readVirtualService(object) };
  if (kind === 'DestinationRule' && group === 'networking.istio.io') return { list: 'destinationRules', value: readDestinationRule(object) };
  if ((kind === 'HTTPRoute' || kind === 'GRPCRoute') && group === 'gateway.networking.k8s.io') return { list: 'gatewayRoutes', value: readGatewayRoute(object) };
  if (kind === 'AIGatewayRoute' && group === AI_GATEWAY_GROUP) return { list: 'gatewayRoutes', value: readGatewayRoute(object) };
  if (kind === 'AIServiceBackend' && group === AI_GATEWAY_GROUP) return { list: 'aiServiceBackends', value: readAiServiceBackend(object) };
  if (kind === 'BackendTrafficPolicy' && group === ENVOY_GATEWAY_GROUP) return { list: 'backendTrafficPolicies', value: readBackendTrafficPolicy(object) };
  if (kind === 'InferencePool' && INFERENCE_GROUPS.has(group)) return { list: 'inferencePools', value: readInferencePool(object) };
  if (kind === 'HTTPProxy' && group === 'projectcontour.io') return { list: 'httpProxies', value: readHttpProxy(object) };
  if (kind === 'Service' && group === 'serving.knative.dev') return { list: 'knativeServices', value: readKnativeService(object) };
  if (isWorkload(object)) {
    const workload = readWorkload(object);
    if (workload) return { list: 'workloads', value: workload };
  }
  return undefined;
}

/** Every field link() may set on these facts (keep in step with link() below; test/unit/k8s-model-cache.test.ts checks it). */
function linkSlotsOf(list: FactsList, value: unknown): LinkSlot[] {
  const slots: LinkSlot[] = [];
  const add = (target: object, ...fields: string[]) => {
    for (const field of fields) slots.push([target, field, Object.hasOwn(target, field), (target as Record<string, unknown>)[field]]);
  };
  const containers = (list: readonly ContainerFacts[]) => {
    for (const container of list) {
      for (const env of container.env) add(env, 'configMap');
      for (const from of container.envFrom) add(from, 'configMap');
    }
  };
  switch (list) {
    case 'ingresses': {
      const ingress = value as IngressFacts;
      add(ingress, 'ingressClass', 'classSource', 'controller', 'controllerSource', 'controllerAnnotation', 'ingressNginx');
      for (const backend of [...(ingress.defaultBackend ? [ingress.defaultBackend] : []), ...ingress.paths.map((p) => p.backend)]) add(backend, 'service', 'servicePort', 'gceTimeout');
      break;
    }
    case 'services': {
      const service = value as ServiceFacts;
      add(service, 'targets', 'kongIngress');
      for (const ref of service.backendConfigRefs) add(ref, 'backendConfig');
      break;
    }
    case 'workloads':
      containers((value as WorkloadFacts).containers);
      break;
    case 'knativeServices':
      containers((value as KnativeServiceFacts).containers);
      break;
    case 'virtualServices':
      for (const route of (value as VirtualServiceFacts).http) for (const destination of route.destinations) add(destination, 'service');
      break;
    case 'gatewayRoutes':
      for (const rule of (value as GatewayRouteFacts).rules) {
        add(rule, 'trafficPolicy');
        for (const ref of rule.backendRefs) add(ref, 'service', 'pool', 'aiBackend');
      }
      break;
    case 'inferencePools':
      add(value as InferencePoolFacts, 'targets');
      break;
    case 'httpProxies':
      for (const route of (value as HttpProxyFacts).routes) for (const ref of route.services) add(ref, 'service');
      break;
    default:
      break;
  }
  return slots;
}

function restoreSlot([target, field, had, value]: LinkSlot): void {
  // An absent field comes back as undefined, not deleted: deleting a property V8 did not add last
  // turns the object into a slow dictionary (no code tests these fields with `in`).
  (target as Record<string, unknown>)[field] = had ? value : undefined;
}

/** Links objects by namespace and name; objects without `metadata.namespace` are in `default`. */
function link(model: K8sModel, options: K8sModelOptions): void {
  const key = (namespace: string, name: string): string => `${namespace}\u0000${name}`;
  const byName = <T extends { object: K8sObject }>(list: readonly T[]): Map<string, T> => {
    const map = new Map<string, T>();
    // A name a template left unknown (`${UNRESOLVED}` from an undefined Helm include) names nothing: two such objects are not one.
    for (const item of list) if (item.object.name && !item.object.name.unresolved) map.set(key(item.object.namespace, item.object.name.text), item);
    return map;
  };
  const services = byName(model.services);
  const configMaps = byName(model.configMaps);
  const backendConfigs = byName(model.backendConfigs);
  const kongIngresses = byName(model.kongIngresses);

  // Workloads by namespace and one pod label: a Service's selector looks at the workloads carrying
  // its first label only (thousands of Services and workloads in one namespace stay linear).
  const workloadsByLabel = new Map<string, WorkloadFacts[]>();
  // Labels a kustomization adds (commonLabels, labels with includeSelectors): the objects as kustomize builds them.
  const kustomized = kustomizedLabels(model.kustomizations, new Set(model.files.map((f) => f.file)));
  const podLabelsOf = (workload: WorkloadFacts): ReadonlyMap<string, string> => {
    // A label whose value is unknown matches no selector (nor does an unknown selector value match it).
    const labels = new Map<string, string>();
    for (const [k, v] of workload.podLabels) if (!v.unresolved) labels.set(k, v.text);
    for (const [k, v] of kustomized.get(workload.object.span.file)?.template ?? []) labels.set(k, v);
    return labels;
  };
  const podLabels = new Map(model.workloads.map((w) => [w, podLabelsOf(w)]));
  for (const workload of model.workloads) {
    for (const [label, text] of podLabels.get(workload)!) {
      const at = `${key(workload.object.namespace, label)}\u0000${text}`;
      const list = workloadsByLabel.get(at);
      if (list) list.push(workload);
      else workloadsByLabel.set(at, [workload]);
    }
  }
  for (const service of model.services) {
    for (const ref of service.backendConfigRefs) {
      const backendConfig = backendConfigs.get(key(service.object.namespace, ref.name));
      if (backendConfig) ref.backendConfig = backendConfig;
    }
    const override = kongOverrideAnnotation(service.annotations);
    const kongIngress = override ? kongIngresses.get(key(service.object.namespace, override.value!.text.trim())) : undefined;
    if (kongIngress) service.kongIngress = kongIngress;
    // A selector with a value the linter cannot know picks workloads it cannot know either.
    if ([...service.selector.values()].some((v) => v.unresolved)) continue;
    const selectorMap = new Map([...service.selector].map(([k, v]): [string, string] => [k, v.text]));
    for (const [k, v] of kustomized.get(service.object.span.file)?.selector ?? []) selectorMap.set(k, v);
    // An empty selector selects nothing: such a Service has manually managed endpoints.
    if (selectorMap.size === 0) continue;
    const selector = [...selectorMap];
    const [firstLabel, firstValue] = selector[0]!;
    const candidates = workloadsByLabel.get(`${key(service.object.namespace, firstLabel)}\u0000${firstValue}`) ?? [];
    service.targets = candidates.filter((w) => selector.every(([k, v]) => podLabels.get(w)!.get(k) === v));
  }
  // An InferencePool picks its model servers by labels, as a Service does.
  for (const pool of model.inferencePools) {
    if ([...pool.selector.values()].some((v) => v.unresolved)) continue;
    const selector = [...pool.selector].map(([k, v]): [string, string] => [k, v.text]);
    if (selector.length === 0) continue;
    const [firstLabel, firstValue] = selector[0]!;
    const candidates = workloadsByLabel.get(`${key(pool.object.namespace, firstLabel)}\u0000${firstValue}`) ?? [];
    pool.targets = candidates.filter((w) => selector.every(([k, v]) => podLabels.get(w)!.get(k) === v));
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

  model.ingressNginxControllerConfigs = findIngressNginxConfigMaps(model.configMaps, options.ingressNginxConfigMapNames ?? DEFAULT_INGRESS_NGINX_CONFIGMAP_NAMES, model.workloads);
  const controllerConfigMap = model.ingressNginxControllerConfigs[0]?.configMap;
  const classControllers = { ...DEFAULT_CLASS_CONTROLLERS, ...options.ingressClassControllers };
  for (const ingress of model.ingresses) {
    resolveIngressController(ingress, model.ingressClasses, classControllers);
    // An Ingress whose controller is unknown may well be ingress-nginx (the most common default class).
    if (ingress.controller === 'ingress-nginx' || ingress.controller === 'unknown') ingress.ingressNginx = settingsOf(ingress, controllerConfigMap);
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
  const pools = byName(model.inferencePools);
  const aiBackends = byName(model.aiServiceBackends);
  const linkRef = (ref: BackendRefFacts, namespace: string, routeKind?: string): void => {
    const target = key(ref.namespace?.text ?? namespace, ref.name?.text ?? '');
    if (ref.kind?.text === 'InferencePool') {
      const pool = pools.get(target);
      if (pool) ref.pool = pool;
      return;
    }
    // An AIGatewayRoute's ref without a kind names an AIServiceBackend (Envoy AI Gateway's default).
    if (routeKind === 'AIGatewayRoute' && !ref.kind) {
      const backend = aiBackends.get(target);
      if (backend) ref.aiBackend = backend;
      return;
    }
    if (ref.kind && ref.kind.text !== 'Service') return;
    const service = ref.name ? services.get(key(ref.namespace?.text ?? namespace, ref.name.text)) : undefined;
    if (service) ref.service = service;
  };
  for (const route of model.gatewayRoutes) for (const ref of route.rules.flatMap((r) => r.backendRefs)) linkRef(ref, route.object.namespace, route.kind);
  for (const proxy of model.httpProxies) for (const ref of proxy.routes.flatMap((r) => r.services)) linkRef(ref, proxy.object.namespace);
  linkTrafficPolicies(model.backendTrafficPolicies, model.gatewayRoutes);
}

const settingsByIngress = new WeakMap<IngressFacts, { configMap: ConfigMapFacts | undefined; settings: IngressNginxSettings }>();

/** An Ingress's effective ingress-nginx settings; the same (cached) facts and ConfigMap give the same settings. */
function settingsOf(ingress: IngressFacts, configMap: ConfigMapFacts | undefined): IngressNginxSettings {
  const known = settingsByIngress.get(ingress);
  if (known && known.configMap === configMap) return known.settings;
  const settings = ingressNginxSettings(ingress.timeoutAnnotations, configMap);
  settingsByIngress.set(ingress, { configMap, settings });
  return settings;
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
