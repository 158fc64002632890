// Kong Ingress Controller's KongIngress (configuration.konghq.com/v1): the `proxy` section's timeouts and retries, which the controller copies onto the Kong Service made for each Kubernetes Service whose `konghq.com/override` annotation names it.
import type { K8sObject } from './file.js';
import type { K8sAnnotation } from './annotations.js';
import { readInteger, type K8sInteger } from './values.js';

export const KONG_CONFIGURATION_GROUP = 'configuration.konghq.com';

/**
 * The annotation on a Service that attaches a KongIngress: `konghq.com/override` since KIC 0.8,
 * `configuration.konghq.com` before it (still read by KIC 2.x).
 */
const OVERRIDE_ANNOTATIONS = ['konghq.com/override', 'configuration.konghq.com'];

export interface KongIngressFacts {
  object: K8sObject;
  /**
   * `proxy.*` integers in milliseconds (`retries` a count). The CRD declares them integers with a
   * minimum of 0, so a string or a negative number is rejected by the API server: such a value is
   * kept as written with `invalid` set, never taken for Kong's default.
   */
  connectTimeout?: K8sInteger;
  readTimeout?: K8sInteger;
  writeTimeout?: K8sInteger;
  retries?: K8sInteger;
}

/**
 * Only `proxy` holds timeouts: `route` selects requests (methods, protocols, paths) and `upstream`
 * balances and health-checks them (its `healthchecks.active.timeout` bounds a probe, not a request).
 * KIC 3.x deprecates `proxy` in favour of the Service's `konghq.com/*-timeout` and `retries`
 * annotations, which it applies after the KongIngress, so an annotation wins (see k8s/hops.ts).
 */
export function readKongIngress(object: K8sObject): KongIngressFacts {
  const { view, node } = object;
  const proxy = view.get(node, 'proxy');
  const facts: KongIngressFacts = { object };
  const integer = (key: string): K8sInteger | undefined => {
    const value = readInteger(view, view.get(proxy, key), 'yaml-int');
    if (value?.value !== undefined && value.value < 0) return { text: value.text, span: value.span, invalid: 'negative' };
    return value;
  };
  const connect = integer('connect_timeout');
  if (connect) facts.connectTimeout = connect;
  const read = integer('read_timeout');
  if (read) facts.readTimeout = read;
  const write = integer('write_timeout');
  if (write) facts.writeTimeout = write;
  const retries = integer('retries');
  if (retries) facts.retries = retries;
  return facts;
}

/** The Service annotation naming its KongIngress, when written with a value. */
export function kongOverrideAnnotation(annotations: readonly K8sAnnotation[]): K8sAnnotation | undefined {
  return annotations.find((a) => OVERRIDE_ANNOTATIONS.includes(a.key) && a.value !== undefined && a.value.text.trim() !== '');
}
