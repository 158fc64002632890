// The hop of a load balancer declared in CloudFormation: its idle timeout (also the keep-alive it holds to targets, facts §9) with provenance, 60 s by default (facts §19).
import type { Hop, HopTimeout } from '../../chain/chain-types.js';
import type { CfnLoadBalancer } from './load-balancers.js';
import { spanOf, valueOf } from './template.js';

declare module '../../chain/chain-types.js' {
  interface HopKinds {
    'cloudformation-lb': true;
  }
  interface HopRefs {
    cloudformation: { kind: 'cloudformation'; lb: CfnLoadBalancer };
  }
}

export function cloudFormationLbHop(lb: CfnLoadBalancer): Hop {
  const knob = lb.product === 'alb' ? 'idle_timeout.timeout_seconds' : 'ConnectionSettings.IdleTimeout';
  const idle = idleTimeout(lb, knob);
  return {
    kind: 'cloudformation-lb',
    label: `${lb.product === 'alb' ? 'ALB' : 'Classic ELB'} ${lb.resource.id}`,
    span: lb.resource.idSpan,
    timeouts: [idle],
    keepAlive: { ...idle, kind: 'keepalive' },
    ref: { kind: 'cloudformation', lb },
  };
}

function idleTimeout(lb: CfnLoadBalancer, knob: string): HopTimeout {
  if (!lb.idle) return { kind: 'idle', knob, text: '60', ms: 60_000, source: 'default', factsRef: '§19' };
  const value = valueOf(lb.template, lb.idle.node);
  const span = value?.span ?? spanOf(lb.template, lb.idle.node) ?? lb.idle.keySpan;
  // An intrinsic function (`!Sub`, `!If`, `!FindInMap`) or a parameter without a default: unknown, never the default.
  const timeout: HopTimeout = { kind: 'idle', knob, text: value?.text ?? lb.template.view?.source.slice(span.start, span.end) ?? '?', source: 'set', span, factsRef: '§19' };
  if (value && /^\d+$/.test(value.text.trim())) timeout.ms = Number(value.text) * 1000;
  return timeout;
}
