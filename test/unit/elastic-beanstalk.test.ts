// Elastic Beanstalk `.ebextensions` option settings: both forms of option_settings, exact spans, the load balancer they describe.
import { describe, expect, it } from 'vitest';
import { appFolderOf, isEbextensionsConfig, parseEbConfig } from '../../server/src/engine/inputs/elastic-beanstalk/file.js';
import { buildEbModel } from '../../server/src/engine/inputs/elastic-beanstalk/model.js';
import { ebLoadBalancerHop, loadBalancerOf } from '../../server/src/engine/inputs/elastic-beanstalk/hops.js';

const at = (text: string, span: { start: number; end: number }) => text.slice(span.start, span.end);

describe('Elastic Beanstalk .ebextensions', () => {
  it('claims .config files under .ebextensions and deploys the folder that holds it', () => {
    expect(isEbextensionsConfig('app/.ebextensions/01-lb.config')).toBe(true);
    expect(isEbextensionsConfig('.ebextensions/lb.config')).toBe(true);
    expect(isEbextensionsConfig('app/ebextensions/lb.config')).toBe(false);
    expect(isEbextensionsConfig('app/.ebextensions/lb.yaml')).toBe(false);
    expect(appFolderOf('services/api/.ebextensions/lb.config')).toBe('services/api');
    expect(appFolderOf('.ebextensions/lb.config')).toBe('');
  });

  it('reads the namespace map form with the span of each value', () => {
    const text = 'option_settings:\n  aws:elbv2:loadbalancer:\n    IdleTimeout: 100\n  aws:elasticbeanstalk:application:environment:\n    PORT: "8080"\n';
    const facts = parseEbConfig('.ebextensions/lb.config', text);
    expect(facts.settings.map((s) => [s.namespace, s.option, s.value.text, at(text, s.value.span), at(text, s.nameSpan)])).toEqual([
      ['aws:elbv2:loadbalancer', 'IdleTimeout', '100', '100', 'IdleTimeout'],
    ]);
  });

  it('reads the list form, in JSON too', () => {
    const text = '{"option_settings": [{"namespace": "aws:elb:policies", "option_name": "ConnectionSettingIdleTimeout", "value": "120"}]}';
    const facts = parseEbConfig('.ebextensions/lb.config', text);
    expect(facts.settings.map((s) => [s.option, s.value.text, at(text, s.value.span)])).toEqual([['ConnectionSettingIdleTimeout', '120', '"120"']]);
    const app = buildEbModel([facts]).apps[0]!;
    const hop = ebLoadBalancerHop(app, loadBalancerOf(app)!);
    expect(hop.label).toBe('Elastic Beanstalk Classic ELB of the workspace root');
    expect(hop.keepAlive).toMatchObject({ ms: 120_000, source: 'set' });
  });

  it('uses the 60 s default (facts §19) when the load balancer type is set without an idle timeout, and the last file in name order wins', () => {
    const a = parseEbConfig('.ebextensions/01.config', 'option_settings:\n  aws:elasticbeanstalk:environment:\n    LoadBalancerType: application\n  aws:elbv2:loadbalancer:\n    IdleTimeout: 30\n');
    const b = parseEbConfig('.ebextensions/02.config', 'option_settings:\n  aws:elbv2:loadbalancer:\n    IdleTimeout: 300\n');
    const app = buildEbModel([b, a]).apps[0]!;
    expect(ebLoadBalancerHop(app, loadBalancerOf(app)!).keepAlive).toMatchObject({ ms: 300_000, source: 'set' });
    const typeOnly = buildEbModel([parseEbConfig('.ebextensions/01.config', 'option_settings:\n  aws:elasticbeanstalk:environment:\n    LoadBalancerType: application\n')]).apps[0]!;
    expect(ebLoadBalancerHop(typeOnly, loadBalancerOf(typeOnly)!).keepAlive).toMatchObject({ ms: 60_000, source: 'default', factsRef: '§19' });
  });

  it('leaves a value it cannot read unknown, and a network load balancer out', () => {
    const app = buildEbModel([parseEbConfig('.ebextensions/lb.config', 'option_settings:\n  aws:elbv2:loadbalancer:\n    IdleTimeout: \'`{ "Ref" : "Idle" }`\'\n')]).apps[0]!;
    const hop = ebLoadBalancerHop(app, loadBalancerOf(app)!);
    expect(hop.keepAlive?.ms).toBeUndefined();
    const nlb = buildEbModel([parseEbConfig('.ebextensions/lb.config', 'option_settings:\n  aws:elasticbeanstalk:environment:\n    LoadBalancerType: network\n')]).apps[0]!;
    expect(loadBalancerOf(nlb)).toBeUndefined();
  });

  it('never throws on broken YAML and reports it', () => {
    const facts = parseEbConfig('.ebextensions/lb.config', 'option_settings:\n  aws:elbv2:loadbalancer:\n    IdleTimeout: [100\n');
    expect(facts.problems.length).toBeGreaterThan(0);
  });
});
