// The load balancers of a CloudFormation template and the ports they forward to: ELBv2 load balancers through listeners and target groups, Classic ELBs through their listeners.
import type { PortForward } from '../../chain/walk.js';
import type { Node } from 'yaml';
import type { HopEvidence } from '../../chain/chain-types.js';
import type { Span } from '../../types.js';
import { referencedId, spanOf, valueOf, type CfnResource, type CfnTemplate } from './template.js';

const ALB = 'AWS::ElasticLoadBalancingV2::LoadBalancer';
const LISTENER = 'AWS::ElasticLoadBalancingV2::Listener';
const RULE = 'AWS::ElasticLoadBalancingV2::ListenerRule';
const TARGET_GROUP = 'AWS::ElasticLoadBalancingV2::TargetGroup';
const CLB = 'AWS::ElasticLoadBalancing::LoadBalancer';

/** Where a load balancer forwards (the shape the walk follows). */
export type CfnForward = PortForward;

export interface CfnLoadBalancer {
  template: CfnTemplate;
  resource: CfnResource;
  product: 'alb' | 'elb';
  /** The idle timeout as written (the attribute's value, or `ConnectionSettings.IdleTimeout`). */
  idle?: { node: Node; keySpan: Span };
  forwards: CfnForward[];
}

export function loadBalancersOf(template: CfnTemplate): CfnLoadBalancer[] {
  const view = template.view;
  if (!view) return [];
  const out: CfnLoadBalancer[] = [];
  for (const resource of template.resources) {
    if (resource.type === ALB) {
      const type = valueOf(template, view.get(resource.properties, 'Type'));
      // The idle timeout attribute is an Application Load Balancer's (facts §19); the default type is application.
      if (view.get(resource.properties, 'Type') && type?.text !== 'application') continue;
      const lb: CfnLoadBalancer = { template, resource, product: 'alb', forwards: albForwards(template, resource) };
      for (const item of view.items(view.get(resource.properties, 'LoadBalancerAttributes'))) {
        const key = view.scalar(view.get(item, 'Key'));
        const value = view.get(item, 'Value');
        if (key?.text === 'idle_timeout.timeout_seconds' && value) lb.idle = { node: value, keySpan: key.span };
      }
      out.push(lb);
    } else if (resource.type === CLB) {
      const lb: CfnLoadBalancer = { template, resource, product: 'elb', forwards: elbForwards(template, resource) };
      const settings = view.get(resource.properties, 'ConnectionSettings');
      const idle = view.field(settings, 'IdleTimeout');
      if (idle?.value) lb.idle = { node: idle.value, keySpan: idle.key.span };
      out.push(lb);
    }
  }
  return out;
}

function albForwards(template: CfnTemplate, lb: CfnResource): CfnForward[] {
  const view = template.view!;
  const byId = new Map(template.resources.map((r) => [r.id, r]));
  const groups = new Map<CfnResource, HopEvidence>();
  const listeners = template.resources.filter((r) => r.type === LISTENER && referencedId(view, view.get(r.properties, 'LoadBalancerArn')) === lb.id);
  const collect = (owner: CfnResource, actions: Node[]) => {
    for (const action of actions) {
      const refs = [view.get(action, 'TargetGroupArn'), ...view.items(view.get(view.get(action, 'ForwardConfig'), 'TargetGroups')).map((g) => view.get(g, 'TargetGroupArn'))];
      for (const ref of refs) {
        const group = byId.get(referencedId(view, ref) ?? '');
        if (group?.type === TARGET_GROUP && !groups.has(group)) groups.set(group, { text: `${owner.id} forwards to ${group.id}`, ...(spanOf(template, ref) ? { span: spanOf(template, ref)! } : {}) });
      }
    }
  };
  for (const listener of listeners) {
    collect(listener, view.items(view.get(listener.properties, 'DefaultActions')));
    for (const rule of template.resources.filter((r) => r.type === RULE && referencedId(view, view.get(r.properties, 'ListenerArn')) === listener.id)) {
      collect(rule, view.items(view.get(rule.properties, 'Actions')));
    }
  }
  if (groups.size === 0) {
    const all = template.resources.filter((r) => r.type === TARGET_GROUP);
    const lbs = template.resources.filter((r) => r.type === ALB);
    if (listeners.length === 0 && all.length === 1 && lbs.length === 1) {
      groups.set(all[0]!, { text: `${lb.id} has no listener in ${template.file}, and ${all[0]!.id} is the template's only target group`, span: all[0]!.idSpan });
    } else {
      return [{ evidence: [], unknown: `no listener in ${template.file} forwards ${lb.id} to a target group`, at: lb.idSpan }];
    }
  }
  return [...groups].map(([group, link]) => {
    // An ECS service registers its tasks in the group on its container port, whatever port the group names.
    for (const service of template.resources.filter((r) => r.type === 'AWS::ECS::Service')) {
      for (const entry of view.items(view.get(service.properties, 'LoadBalancers'))) {
        const ref = view.get(entry, 'TargetGroupArn');
        if (referencedId(view, ref) !== group.id || !view.get(entry, 'ContainerPort')) continue;
        return portForward(template, service, view.get(entry, 'ContainerPort'), [link, { text: `${service.id} registers its containers in ${group.id}`, ...(spanOf(template, ref) ? { span: spanOf(template, ref)! } : {}) }]);
      }
    }
    return portForward(template, group, view.get(group.properties, 'Port'), [link]);
  });
}

function elbForwards(template: CfnTemplate, lb: CfnResource): CfnForward[] {
  const view = template.view!;
  const listeners = view.items(view.get(lb.properties, 'Listeners'));
  if (listeners.length === 0) return [{ evidence: [], unknown: `${lb.id} has no Listeners`, at: lb.idSpan }];
  return listeners.map((listener) => portForward(template, lb, view.get(listener, 'InstancePort'), []));
}

function portForward(template: CfnTemplate, owner: CfnResource, node: Node | undefined, links: HopEvidence[]): CfnForward {
  if (!node) return { evidence: links, unknown: `${owner.id} sets no port`, at: owner.idSpan };
  const value = valueOf(template, node);
  if (!value || !/^\d+$/.test(value.text.trim())) return { evidence: links, unknown: `the port of ${owner.id} cannot be evaluated (an intrinsic function or a parameter without a default)`, ...(spanOf(template, node) ? { at: spanOf(template, node)! } : {}) };
  const port = Number(value.text);
  return { port, evidence: [...links, { text: `port ${port} of ${owner.id}${value.via ? ` (${value.via})` : ''}`, span: value.span }] };
}
