// Reads Ingress and IngressClass objects: class → controller, host/path rules → backend Service and port, timeout annotations.
import type { Node } from 'yaml';
import type { K8sObject } from './file.js';
import type { ScalarFact, YamlView } from '../../yaml/view.js';
import type { Span } from '../../types.js';
import { readAnnotations, timeoutAnnotationsOf, type K8sAnnotation, type TimeoutAnnotation } from './annotations.js';
import { readPortRef, type PortRef } from './containers.js';
import type { IngressNginxSettings } from './ingress-nginx.js';
import type { ServiceFacts, ServicePortFacts } from './services.js';
import type { EffectiveDuration } from './values.js';

export type IngressController = 'ingress-nginx' | 'nginx-inc' | 'kong' | 'alb' | 'gce' | 'traefik' | 'unknown';

export interface IngressClassFacts {
  object: K8sObject;
  /** `spec.controller`, e.g. `k8s.io/ingress-nginx`. */
  controllerName?: ScalarFact;
  controller: IngressController;
  /** Annotated `ingressclass.kubernetes.io/is-default-class: "true"`. */
  isDefault: boolean;
}

export interface IngressBackend {
  span: Span;
  serviceName?: ScalarFact;
  port?: PortRef;
  /** True for a `resource:` backend (no Service). */
  resource: boolean;
  /** The Service in the same namespace, when it is among the manifests (filled by the model). */
  service?: ServiceFacts;
  /** The Service port the backend port names or numbers (filled by the model). */
  servicePort?: ServicePortFacts;
  /**
   * For GKE Ingresses (controller `gce`): the backend service timeout from the Service's
   * BackendConfig, or the 30 s default without one (facts §9). Absent when the Service is not in the
   * manifests or its BackendConfig is referenced but missing: unknown, not the default.
   */
  gceTimeout?: EffectiveDuration;
}

export interface IngressPathFacts {
  /** The `paths[]` entry. */
  span: Span;
  host?: ScalarFact;
  path?: ScalarFact;
  pathType?: ScalarFact;
  backend: IngressBackend;
}

export interface IngressFacts {
  object: K8sObject;
  /** True for `extensions/v1beta1` and `networking.k8s.io/v1beta1`. */
  legacyApi: boolean;
  className?: ScalarFact;
  classSource: 'ingressClassName' | 'annotation' | 'default-class' | 'none';
  controller: IngressController;
  /**
   * How the controller was found: from an IngressClass object's `spec.controller`, guessed from the
   * class name alone (`nginx` is the default name of both ingress-nginx and NGINX Inc's controller), or,
   * for a custom or unknown class, inferred from `nginx.ingress.kubernetes.io/*` annotations.
   */
  controllerSource: 'ingress-class' | 'class-name' | 'annotations' | 'none';
  /**
   * For `controllerSource: 'annotations'`: the first `nginx.ingress.kubernetes.io/*` annotation, which
   * made ingress-nginx the guess for a class that names no known controller.
   */
  controllerAnnotation?: K8sAnnotation;
  ingressClass?: IngressClassFacts;
  annotations: K8sAnnotation[];
  timeoutAnnotations: TimeoutAnnotation[];
  defaultBackend?: IngressBackend;
  paths: IngressPathFacts[];
  /** Effective ingress-nginx settings, for Ingresses of ingress-nginx or of an unknown controller (filled by the model). */
  ingressNginx?: IngressNginxSettings;
}

// Well-known `spec.controller` values of IngressClass objects; a prefix match also covers custom
// controller classes such as `k8s.io/ingress-nginx-internal`.
const CONTROLLER_NAMES: ReadonlyArray<readonly [string, IngressController]> = [
  ['k8s.io/ingress-nginx', 'ingress-nginx'],
  ['nginx.org/ingress-controller', 'nginx-inc'],
  ['ingress-controllers.konghq.com/kong', 'kong'],
  ['ingress.k8s.aws/alb', 'alb'],
  ['traefik.io/ingress-controller', 'traefik'],
];

/** Default class names of the controllers; `options.ingressClassControllers` adds to and overrides them. */
export const DEFAULT_CLASS_CONTROLLERS: Readonly<Record<string, IngressController>> = {
  nginx: 'ingress-nginx',
  kong: 'kong',
  alb: 'alb',
  gce: 'gce',
  'gce-internal': 'gce',
  traefik: 'traefik',
};

export function controllerOfName(name: string): IngressController {
  for (const [prefix, controller] of CONTROLLER_NAMES) if (name.startsWith(prefix)) return controller;
  return 'unknown';
}

export function readIngressClass(object: K8sObject): IngressClassFacts {
  const { view, node } = object;
  const controllerName = view.scalar(view.getIn(node, ['spec', 'controller']));
  const annotations = readAnnotations(view, view.get(node, 'metadata'));
  const isDefault = annotations.some((a) => a.key === 'ingressclass.kubernetes.io/is-default-class' && a.value?.text === 'true');
  const facts: IngressClassFacts = { object, controller: controllerName ? controllerOfName(controllerName.text) : 'unknown', isDefault };
  if (controllerName) facts.controllerName = controllerName;
  return facts;
}

/** Reads an Ingress; the controller is resolved later by the model, which knows the IngressClass objects. */
export function readIngress(object: K8sObject, ingressNginxPrefix: string): IngressFacts {
  const { view, node } = object;
  const spec = view.get(node, 'spec');
  const annotations = readAnnotations(view, view.get(node, 'metadata'));
  const facts: IngressFacts = {
    object,
    legacyApi: object.apiVersion.endsWith('/v1beta1'),
    classSource: 'none',
    controller: 'unknown',
    controllerSource: 'none',
    annotations,
    timeoutAnnotations: timeoutAnnotationsOf(view, annotations, 'Ingress', ingressNginxPrefix),
    paths: [],
  };
  const className = view.scalar(view.get(spec, 'ingressClassName'));
  const legacyClass = annotations.find((a) => a.key === 'kubernetes.io/ingress.class')?.value;
  // The field replaced the annotation; when both are set the field is taken.
  if (className) Object.assign(facts, { className, classSource: 'ingressClassName' });
  else if (legacyClass) Object.assign(facts, { className: legacyClass, classSource: 'annotation' });
  const defaultBackend = view.get(spec, 'defaultBackend') ?? view.get(spec, 'backend');
  if (defaultBackend) facts.defaultBackend = readBackend(view, defaultBackend);
  for (const rule of view.items(view.get(spec, 'rules'))) {
    const host = view.scalar(view.get(rule, 'host'));
    for (const entry of view.items(view.getIn(rule, ['http', 'paths']))) {
      const path: IngressPathFacts = { span: view.span(entry), backend: readBackend(view, view.get(entry, 'backend')) };
      if (host) path.host = host;
      const pathText = view.scalar(view.get(entry, 'path'));
      if (pathText) path.path = pathText;
      const pathType = view.scalar(view.get(entry, 'pathType'));
      if (pathType) path.pathType = pathType;
      facts.paths.push(path);
    }
  }
  return facts;
}

/** Fills `controller`/`ingressClass` from IngressClass objects, the default class, or the class name. */
export function resolveIngressController(
  ingress: IngressFacts,
  classes: readonly IngressClassFacts[],
  classControllers: Readonly<Record<string, IngressController>>,
): void {
  let ingressClass: IngressClassFacts | undefined;
  if (ingress.className && !ingress.className.unresolved) {
    ingressClass = classes.find((c) => c.object.name?.text === ingress.className!.text);
  } else if (!ingress.className) {
    ingressClass = classes.find((c) => c.isDefault);
    if (ingressClass) ingress.classSource = 'default-class';
  }
  if (ingressClass) {
    ingress.ingressClass = ingressClass;
    if (ingressClass.controller !== 'unknown') {
      ingress.controller = ingressClass.controller;
      ingress.controllerSource = 'ingress-class';
      return;
    }
  }
  const name = ingress.className?.unresolved ? undefined : ingress.className?.text;
  const byName = name !== undefined && Object.hasOwn(classControllers, name) ? classControllers[name] : undefined;
  if (byName) {
    ingress.controller = byName;
    ingress.controllerSource = 'class-name';
    return;
  }
  // A custom class (an IngressClass of another controller name, or a name no manifest defines) whose
  // Ingress carries ingress-nginx's own annotations is, in practice, an ingress-nginx install with a
  // class of its own: read it so, and say it is a guess. Without a class at all nothing is guessed.
  const annotation = ingress.className ? ingress.annotations.find((a) => a.key.startsWith(INGRESS_NGINX_ANNOTATION_PREFIX)) : undefined;
  if (annotation) {
    ingress.controller = 'ingress-nginx';
    ingress.controllerSource = 'annotations';
    ingress.controllerAnnotation = annotation;
  }
}

const INGRESS_NGINX_ANNOTATION_PREFIX = 'nginx.ingress.kubernetes.io/';

/** The guess behind an Ingress's controller when it was inferred from annotations, in words for messages and chains. */
export function inferredControllerNote(ingress: IngressFacts): string | undefined {
  if (ingress.controllerSource !== 'annotations') return undefined;
  const cls = ingress.ingressClass ? `IngressClass ${ingress.className?.text ?? '?'} names controller ${ingress.ingressClass.controllerName?.text ?? '?'}` : `no IngressClass ${ingress.className?.text ?? '?'} is among the manifests`;
  return `controller inferred from nginx.ingress.kubernetes.io annotations (${cls})`;
}

function readBackend(view: YamlView, node: Node | undefined): IngressBackend {
  const backend: IngressBackend = { span: view.span(node), resource: Boolean(view.get(node, 'resource')) };
  const service = view.get(node, 'service');
  if (service) {
    // networking.k8s.io/v1: service.name and service.port.number | service.port.name.
    const name = view.scalar(view.get(service, 'name'));
    if (name) backend.serviceName = name;
    const port = view.get(service, 'port');
    const ref = readPortRef(view, view.get(port, 'number') ?? view.get(port, 'name'));
    if (ref) backend.port = ref;
    return backend;
  }
  // v1beta1: serviceName and servicePort (a number or a port name).
  const name = view.scalar(view.get(node, 'serviceName'));
  if (name) backend.serviceName = name;
  const ref = readPortRef(view, view.get(node, 'servicePort'));
  if (ref) backend.port = ref;
  return backend;
}
