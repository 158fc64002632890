// The hop of a load balancer declared in Terraform: its idle (or response) timeout with provenance, and the keep-alive it holds to its targets (facts §9, §19).
import type { Hop, HopTimeout } from '../../chain/chain-types.js';
import type { TfLoadBalancer } from './load-balancers.js';
import { attribute, evaluate, secondsOf } from './module.js';

declare module '../../chain/chain-types.js' {
  interface HopKinds {
    'terraform-lb': true;
  }
  interface HopRefs {
    terraform: { kind: 'terraform'; lb: TfLoadBalancer };
  }
}

const PRODUCTS = {
  alb: { words: 'ALB', knob: 'idle_timeout', kind: 'idle', defaultS: 60, factsRef: '§19' },
  elb: { words: 'Classic ELB', knob: 'idle_timeout', kind: 'idle', defaultS: 60, factsRef: '§19' },
  'gcp-backend-service': { words: 'GCP backend service', knob: 'timeout_sec', kind: 'total', defaultS: 30, factsRef: '§19' },
} as const;

export function terraformLbHop(lb: TfLoadBalancer): Hop {
  const product = PRODUCTS[lb.product];
  const { block } = lb.resource;
  const timeout = secondsTimeout(lb, product.knob, product.kind, product.defaultS, product.factsRef);
  const hop: Hop = {
    kind: 'terraform-lb',
    label: `${product.words} ${lb.resource.type}.${lb.resource.name}`,
    span: block.labels[1]!.span,
    timeouts: [timeout],
    ref: { kind: 'terraform', lb },
  };
  // An AWS load balancer's idle timeout also closes (and bounds the reuse of) its connections to targets (facts §9).
  if (lb.product !== 'gcp-backend-service') hop.keepAlive = { ...timeout, kind: 'keepalive' };
  else if (externalScheme(lb)) hop.keepAlive = { kind: 'keepalive', knob: 'GFE backend keep-alive', text: '600s', ms: 600_000, source: 'default', factsRef: '§9' };
  return hop;
}

/** A value in seconds: written (in the resource or a variable's default), unknown when it cannot be evaluated, else the default. */
function secondsTimeout(lb: TfLoadBalancer, knob: string, kind: HopTimeout['kind'], defaultS: number, factsRef: string): HopTimeout {
  const written = attribute(lb.resource.block, knob);
  const label = `${lb.resource.type}.${knob}`;
  if (!written) return { kind, knob: label, text: String(defaultS), ms: defaultS * 1000, source: 'default', factsRef };
  const value = evaluate(lb.module, written.value);
  const seconds = secondsOf(value);
  const text = value ? String(value.value) : written.value.kind === 'other' ? written.value.text : written.value.kind === 'ref' ? written.value.path.join('.') : '?';
  const timeout: HopTimeout = { kind, knob: label, text, source: 'set', span: value?.span ?? written.value.span, factsRef };
  if (seconds !== undefined) timeout.ms = seconds * 1000;
  return timeout;
}

/** The GFE's fixed 600 s keep-alive is documented for external Application Load Balancers (facts §9). */
function externalScheme(lb: TfLoadBalancer): boolean {
  const scheme = attribute(lb.resource.block, 'load_balancing_scheme');
  if (!scheme) return true;
  const value = evaluate(lb.module, scheme.value)?.value;
  return value === 'EXTERNAL' || value === 'EXTERNAL_MANAGED';
}
