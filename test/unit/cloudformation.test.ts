// CloudFormation templates: load balancer idle timeouts with provenance (literal, parameter default, unresolved intrinsic) and the ports they forward to.
import { describe, expect, it } from 'vitest';
import { looksLikeCloudFormation, parseTemplate } from '../../server/src/engine/inputs/cloudformation/template.js';
import { loadBalancersOf } from '../../server/src/engine/inputs/cloudformation/load-balancers.js';
import { cloudFormationLbHop } from '../../server/src/engine/inputs/cloudformation/hops.js';

const at = (text: string, span: { start: number; end: number }) => text.slice(span.start, span.end);

function hopsOf(text: string) {
  const template = parseTemplate('t.yaml', text);
  return loadBalancersOf(template).map((lb) => ({ lb, hop: cloudFormationLbHop(lb) }));
}

const alb = (value: string) => `Resources:\n  LB:\n    Type: AWS::ElasticLoadBalancingV2::LoadBalancer\n    Properties:\n      LoadBalancerAttributes:\n        - Key: idle_timeout.timeout_seconds\n          Value: ${value}\n`;

describe('CloudFormation load balancers', () => {
  it('recognises templates by their markers only', () => {
    expect(looksLikeCloudFormation(alb('"60"'))).toBe(true);
    expect(looksLikeCloudFormation('apiVersion: v1\nkind: Service\n')).toBe(false);
  });

  it('reads a literal idle timeout with its span, and a Ref to a parameter with a default', () => {
    const text = alb('"300"');
    const { hop } = hopsOf(text)[0]!;
    expect(hop.keepAlive).toMatchObject({ ms: 300_000, source: 'set', knob: 'idle_timeout.timeout_seconds' });
    expect(at(text, hop.keepAlive!.span!)).toBe('"300"');
    const withParam = `Parameters:\n  Idle:\n    Type: Number\n    Default: 90\n${alb('!Ref Idle')}`;
    const { hop: fromParam } = hopsOf(withParam)[0]!;
    expect(fromParam.keepAlive).toMatchObject({ ms: 90_000 });
    expect(at(withParam, fromParam.keepAlive!.span!)).toBe('90');
  });

  it('leaves intrinsic functions and parameters without a default unknown, never the default', () => {
    for (const value of ['!Ref Idle', '!Sub "${Idle}"', '{ "Fn::FindInMap": [Env, !Ref Stage, Idle] }']) {
      const { hop } = hopsOf(alb(value))[0]!;
      expect(hop.keepAlive!.ms, value).toBeUndefined();
      expect(hop.keepAlive!.source).toBe('set');
    }
  });

  it('defaults to 60 s (facts §19) and reads a Classic ELB\'s ConnectionSettings and listeners', () => {
    const text = 'Resources:\n  Web:\n    Type: AWS::ElasticLoadBalancing::LoadBalancer\n    Properties:\n      ConnectionSettings:\n        IdleTimeout: 400\n      Listeners:\n        - LoadBalancerPort: "80"\n          InstancePort: "3000"\n          Protocol: HTTP\n  Other:\n    Type: AWS::ElasticLoadBalancingV2::LoadBalancer\n    Properties: {}\n';
    const found = hopsOf(text);
    expect(found.map(({ hop }) => [hop.label, hop.keepAlive?.ms, hop.keepAlive?.source])).toEqual([['Classic ELB Web', 400_000, 'set'], ['ALB Other', 60_000, 'default']]);
    expect(found[0]!.lb.forwards.map((f) => f.port)).toEqual([3000]);
    expect(found[1]!.lb.forwards[0]!.unknown).toBe('no listener in t.yaml forwards Other to a target group');
  });

  it('takes the container port of the ECS service that registers its tasks in the target group', () => {
    const text = 'Resources:\n  LB:\n    Type: AWS::ElasticLoadBalancingV2::LoadBalancer\n  TG:\n    Type: AWS::ElasticLoadBalancingV2::TargetGroup\n    Properties:\n      Port: 80\n  L:\n    Type: AWS::ElasticLoadBalancingV2::Listener\n    Properties:\n      LoadBalancerArn: !Ref LB\n      DefaultActions:\n        - Type: forward\n          TargetGroupArn: !Ref TG\n  Svc:\n    Type: AWS::ECS::Service\n    Properties:\n      LoadBalancers:\n        - ContainerName: app\n          ContainerPort: "3000"\n          TargetGroupArn: !Ref TG\n';
    const { lb } = hopsOf(text)[0]!;
    expect(lb.forwards.map((f) => [f.port, f.evidence.map((e) => e.text)])).toEqual([[3000, ['L forwards to TG', 'Svc registers its containers in TG', 'port 3000 of Svc']]]);
  });

  it('skips network load balancers', () => {
    expect(hopsOf('Resources:\n  N:\n    Type: AWS::ElasticLoadBalancingV2::LoadBalancer\n    Properties:\n      Type: network\n')).toEqual([]);
  });
});
