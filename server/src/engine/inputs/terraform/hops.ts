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
  // No default: Azure documents 30 s only for AGIC and the PowerShell cmdlet; the portal's 20 s and the provider's default are unverified (facts §9, §19, §16.20).
  'azure-app-gateway': { words: 'Azure Application Gateway', knob: 'request_timeout', kind: 'total', defaultS: undefined, factsRef: '§19' },
} as const;

export function terraformLbHop(lb: TfLoadBalancer): Hop {
  const product = PRODUCTS[lb.product];
  const { block } = lb.resource;
  const timeout = secondsTimeout(lb, product.knob, product.kind, product.defaultS, product.factsRef);
  const settingsName = lb.settings ? evaluate(lb.module, attribute(lb.settings, 'name')?.value)?.value : undefined;
  const hop: Hop = {
    kind: 'terraform-lb',
    label: `${product.words} ${lb.resource.type}.${lb.resource.name}${lb.settings ? ` (backend_http_settings ${typeof settingsName === 'string' ? settingsName : '?'})` : ''}`,
    span: lb.settings?.typeSpan ?? block.labels[1]!.span,
    timeouts: [timeout],
    ref: { kind: 'terraform', lb },
  };
  // An AWS load balancer's idle timeout also closes (and bounds the reuse of) its connections to targets (facts §9).
  if (lb.product === 'alb' || lb.product === 'elb') hop.keepAlive = { ...timeout, kind: 'keepalive' };
  else if (lb.product === 'gcp-backend-service' && externalScheme(lb)) hop.keepAlive = { kind: 'keepalive', knob: 'GFE backend keep-alive', text: '600s', ms: 600_000, source: 'default', factsRef: '§9' };
  return hop;
}

/** A value in seconds: written (in the resource or a variable's default), unknown when it cannot be evaluated, else the default. */
function secondsTimeout(lb: TfLoadBalancer, knob: string, kind: HopTimeout['kind'], defaultS: number | undefined, factsRef: string): HopTimeout {
  const written = attribute(lb.settings ?? lb.resource.block, knob);
  const label = `${lb.resource.type}.${lb.settings ? 'backend_http_settings.' : ''}${knob}`;
  if (!written && defaultS === undefined) return { kind, knob: label, text: 'not set (default not documented)', source: 'default', factsRef };
  if (!written) return { kind, knob: label, text: String(defaultS), ms: defaultS! * 1000, source: 'default', factsRef };
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
