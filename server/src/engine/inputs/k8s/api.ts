// What rules may read of the Kubernetes input: the model's facts, annotation knobs and duration readers.
export { DEFAULT_INGRESS_NGINX_PREFIX, INGRESS_NGINX_ANNOTATION_KNOBS } from './annotations.js';
export type { K8sObject } from './file.js';
export { inferredControllerNote } from './ingress.js';
export {
  backendConfigRefOf,
  type ContainerFacts, type EffectiveDuration, type GatewayRouteFacts, type GatewayRouteRuleFacts, type HttpProxyFacts, type HttpProxyRouteFacts, type IngressController, type IngressFacts,
  type IngressNginxConfigMapArg, type IngressNginxControllerConfig, type IngressNginxKnob, type IngressNginxValue, type IngressPathFacts, type IstioHttpRouteFacts, type K8sAnnotation, type K8sDuration, type K8sInteger, type K8sModel, type ProbeFacts,
  type ServiceFacts, type TimeoutAnnotation, type VirtualServiceFacts, type WorkloadFacts,
} from './model.js';
export { parseDurationText, readDuration } from './values.js';
export { envoyRouteTimeout, policyLabel, retriesTimeouts, ENVOY_GATEWAY_DEFAULT_RETRY_ON, type BackendTrafficPolicyFacts, type EnvoyRouteTimeout, type RouteTrafficPolicy } from './envoy-gateway.js';
