// The hop of an Elastic Beanstalk environment's load balancer: its idle timeout is also the keep-alive it holds to the instances (facts §9, §19).
import type { Hop, HopTimeout } from '../../chain/chain-types.js';
import type { EbConfigFile, EbOptionSetting } from './file.js';

declare module '../../chain/chain-types.js' {
  interface HopKinds {
    'elastic-beanstalk-lb': true;
  }
  interface HopRefs {
    'elastic-beanstalk': { kind: 'elastic-beanstalk'; app: EbApp };
  }
}

/** One deployed folder and every option setting its `.ebextensions` files give. */
export interface EbApp {
  folder: string;
  files: EbConfigFile[];
  settings: EbOptionSetting[];
}

export type EbLoadBalancerType = 'application' | 'classic';

/** The load balancer the settings describe, when they describe one this input knows. */
export function loadBalancerOf(app: EbApp): { type: EbLoadBalancerType; idle?: EbOptionSetting; typeSetting?: EbOptionSetting } | undefined {
  const last = (namespace: string, option: string) => app.settings.filter((s) => s.namespace === namespace && s.option === option).at(-1);
  const typeSetting = last('aws:elasticbeanstalk:environment', 'LoadBalancerType');
  const alb = last('aws:elbv2:loadbalancer', 'IdleTimeout');
  const clb = last('aws:elb:policies', 'ConnectionSettingIdleTimeout');
  const type = typeSetting?.value.text.toLowerCase();
  if (type === 'application' || (type === undefined && alb)) return { type: 'application', ...(alb ? { idle: alb } : {}), ...(typeSetting ? { typeSetting } : {}) };
  if (type === 'classic' || (type === undefined && clb)) return { type: 'classic', ...(clb ? { idle: clb } : {}), ...(typeSetting ? { typeSetting } : {}) };
  // A network load balancer (TCP idle, no HTTP pooling) or a value this input does not know.
  return undefined;
}

export function ebLoadBalancerHop(app: EbApp, lb: NonNullable<ReturnType<typeof loadBalancerOf>>): Hop {
  const knob = lb.type === 'application' ? 'aws:elbv2:loadbalancer IdleTimeout' : 'aws:elb:policies ConnectionSettingIdleTimeout';
  const idle = idleTimeout(knob, lb.idle);
  const span = lb.idle?.nameSpan ?? lb.typeSetting!.nameSpan;
  const where = app.folder || 'the workspace root';
  return {
    kind: 'elastic-beanstalk-lb',
    label: `Elastic Beanstalk ${lb.type === 'application' ? 'ALB' : 'Classic ELB'} of ${where}`,
    span,
    timeouts: [idle],
    keepAlive: { ...idle, kind: 'keepalive' },
    ref: { kind: 'elastic-beanstalk', app },
  };
}

/** Whole seconds (1–3600, facts §19); anything else is unknown, never the default. */
function idleTimeout(knob: string, setting: EbOptionSetting | undefined): HopTimeout {
  if (!setting) return { kind: 'idle', knob, text: '60', ms: 60_000, source: 'default', factsRef: '§19' };
  const text = setting.value.text.trim();
  const timeout: HopTimeout = { kind: 'idle', knob, text, source: 'set', span: setting.value.span, factsRef: '§19' };
  if (!setting.value.unresolved && /^\d+$/.test(text)) timeout.ms = Number(text) * 1000;
  return timeout;
}
