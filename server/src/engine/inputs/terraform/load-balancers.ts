// The load balancers of a Terraform module and the ports they forward to: aws_lb/aws_alb (through listeners, listener rules and target groups), aws_elb, google_compute_(region_)backend_service, azurerm_application_gateway.
import type { PortForward } from '../../chain/walk.js';
import type { HopEvidence } from '../../chain/chain-types.js';
import type { Span } from '../../types.js';
import type { HclBlock } from './hcl.js';
import { attribute, evaluate, referenced, secondsOf, type TfModule, type TfResource } from './module.js';

export type TfProduct = 'alb' | 'elb' | 'gcp-backend-service' | 'azure-app-gateway';

/** Where a load balancer forwards (the shape the walk follows). */
export type TfForward = PortForward;

export interface TfLoadBalancer {
  module: TfModule;
  resource: TfResource;
  product: TfProduct;
  forwards: TfForward[];
  /** For an Azure Application Gateway: the `backend_http_settings` block this hop stands for (each has its own timeout and port). */
  settings?: HclBlock;
}

const LBS = ['aws_lb', 'aws_alb'];
const LISTENERS = ['aws_lb_listener', 'aws_alb_listener'];
const RULES = ['aws_lb_listener_rule', 'aws_alb_listener_rule'];
const TARGET_GROUPS = ['aws_lb_target_group', 'aws_alb_target_group'];
const INSTANCE_GROUPS = ['google_compute_instance_group', 'google_compute_instance_group_manager', 'google_compute_region_instance_group_manager'];

export function loadBalancersOf(module: TfModule): TfLoadBalancer[] {
  const out: TfLoadBalancer[] = [];
  for (const resource of module.resources) {
    if (LBS.includes(resource.type)) {
      const type = attribute(resource.block, 'load_balancer_type');
      const value = evaluate(module, type?.value);
      // idle_timeout applies to Application Load Balancers only (facts §19); the default type is application.
      if (type && (!value || value.value !== 'application')) continue;
      out.push({ module, resource, product: 'alb', forwards: albForwards(module, resource) });
    } else if (resource.type === 'aws_elb') {
      out.push({ module, resource, product: 'elb', forwards: elbForwards(module, resource) });
    } else if (resource.type === 'google_compute_backend_service' || resource.type === 'google_compute_region_backend_service') {
      out.push({ module, resource, product: 'gcp-backend-service', forwards: backendServiceForwards(module, resource) });
    } else if (resource.type === 'azurerm_application_gateway') {
      out.push(...appGatewaySettings(module, resource));
    }
  }
  return out;
}

/** Listeners of the ALB (and the rules on them) → target groups → their ports. */
function albForwards(module: TfModule, lb: TfResource): TfForward[] {
  const groups = new Map<TfResource, HopEvidence>();
  const listeners = module.resources.filter((r) => LISTENERS.includes(r.type) && referenced(module, attribute(r.block, 'load_balancer_arn')?.value, LBS) === lb);
  const collect = (owner: TfResource, actions: readonly HclBlock[]) => {
    for (const action of actions) {
      const refs = [attribute(action, 'target_group_arn')?.value];
      for (const forward of action.body.blocks.filter((b) => b.type === 'forward')) {
        for (const group of forward.body.blocks.filter((b) => b.type === 'target_group')) refs.push(attribute(group, 'arn')?.value);
      }
      for (const ref of refs) {
        const group = referenced(module, ref, TARGET_GROUPS);
        if (group && !groups.has(group)) groups.set(group, { text: `${owner.type}.${owner.name} forwards to ${group.type}.${group.name}`, span: ref!.span });
      }
    }
  };
  for (const listener of listeners) {
    collect(listener, listener.block.body.blocks.filter((b) => b.type === 'default_action'));
    for (const rule of module.resources.filter((r) => RULES.includes(r.type) && referenced(module, attribute(r.block, 'listener_arn')?.value, LISTENERS) === listener)) {
      collect(rule, rule.block.body.blocks.filter((b) => b.type === 'action'));
    }
  }
  if (groups.size === 0) {
    // No listener is written in the module (it may live in another module), but the module holds this
    // ALB and one target group only: nothing else could forward to that group. Said on the link.
    const albs = module.resources.filter((r) => LBS.includes(r.type));
    const all = module.resources.filter((r) => TARGET_GROUPS.includes(r.type));
    if (listeners.length === 0 && albs.length === 1 && all.length === 1) {
      const only = all[0]!;
      return [portForward(module, only, attribute(only.block, 'port'), [{ text: `${lb.type}.${lb.name} has no listener in ${module.folder || 'the workspace root'}, and ${only.type}.${only.name} is the module's only target group`, span: only.block.labels[1]!.span }])];
    }
    return [{ evidence: [], unknown: `no aws_lb_listener in ${module.folder || 'the workspace root'} forwards ${lb.type}.${lb.name} to a target group`, at: lb.block.labels[1]!.span }];
  }
  return [...groups].map(([group, link]) => {
    // An ECS service registers its tasks in the group on its container port, whatever port the group names.
    const ecs = ecsLoadBalancerOf(module, group);
    if (ecs) return portForward(module, ecs.service, attribute(ecs.block, 'container_port'), [link, { text: `${ecs.service.type}.${ecs.service.name} registers its containers in ${group.type}.${group.name}`, span: attribute(ecs.block, 'target_group_arn')!.value.span }]);
    return portForward(module, group, attribute(group.block, 'port'), [link]);
  });
}

/** The `load_balancer` block of an `aws_ecs_service` of the module that names the target group. */
function ecsLoadBalancerOf(module: TfModule, group: TfResource): { service: TfResource; block: HclBlock } | undefined {
  for (const service of module.resources.filter((r) => r.type === 'aws_ecs_service')) {
    const block = service.block.body.blocks.find((b) => b.type === 'load_balancer' && referenced(module, attribute(b, 'target_group_arn')?.value, TARGET_GROUPS) === group);
    if (block && attribute(block, 'container_port')) return { service, block };
  }
  return undefined;
}

/** Each `listener { instance_port = … }` of a Classic ELB. */
function elbForwards(module: TfModule, lb: TfResource): TfForward[] {
  const listeners = lb.block.body.blocks.filter((b) => b.type === 'listener');
  if (listeners.length === 0) return [{ evidence: [], unknown: `${lb.type}.${lb.name} has no listener block`, at: lb.block.labels[1]!.span }];
  return listeners.map((listener) => portForward(module, lb, attribute(listener, 'instance_port'), []));
}

/**
 * An Azure Application Gateway: one hop per `backend_http_settings` block a routing rule (or URL path
 * map) uses, each sending to its `port` on the backends of its pool. Settings no rule names carry no traffic.
 */
function appGatewaySettings(module: TfModule, gateway: TfResource): TfLoadBalancer[] {
  const blocks = gateway.block.body.blocks;
  const used = new Set<string>();
  const named = (block: HclBlock, key: string) => {
    const value = evaluate(module, attribute(block, key)?.value)?.value;
    if (typeof value === 'string') used.add(value);
  };
  for (const rule of blocks.filter((b) => b.type === 'request_routing_rule')) named(rule, 'backend_http_settings_name');
  for (const map of blocks.filter((b) => b.type === 'url_path_map')) {
    named(map, 'default_backend_http_settings_name');
    for (const rule of map.body.blocks.filter((b) => b.type === 'path_rule')) named(rule, 'backend_http_settings_name');
  }
  return blocks.filter((b) => b.type === 'backend_http_settings').flatMap((settings) => {
    const name = evaluate(module, attribute(settings, 'name')?.value)?.value;
    // A name that cannot be evaluated may be the one a rule names: kept, never dropped on a guess.
    if (typeof name === 'string' && used.size > 0 && !used.has(name)) return [];
    const where = `backend_http_settings ${typeof name === 'string' ? name : '?'} of ${gateway.type}.${gateway.name}`;
    return [{ module, resource: gateway, product: 'azure-app-gateway' as const, settings, forwards: [portForward(module, gateway, attribute(settings, 'port'), [{ text: `${where} sends to the port of its backend pool`, span: settings.typeSpan }])] }];
  });
}

/** `port_name` → the `named_port` of an instance group in the module with that name. */
function backendServiceForwards(module: TfModule, service: TfResource): TfForward[] {
  const portName = attribute(service.block, 'port_name');
  const name = evaluate(module, portName?.value);
  if (!portName || !name || typeof name.value !== 'string') {
    return [{ evidence: [], unknown: `${service.type}.${service.name}: port_name ${portName ? 'cannot be evaluated' : 'is not set'}, so the port of its backends is not known`, at: (portName?.value.span ?? service.block.labels[1]!.span) }];
  }
  for (const group of module.resources.filter((r) => INSTANCE_GROUPS.includes(r.type))) {
    for (const named of group.block.body.blocks.filter((b) => b.type === 'named_port')) {
      if (evaluate(module, attribute(named, 'name')?.value)?.value !== name.value) continue;
      return [portForward(module, group, attribute(named, 'port'), [{ text: `port_name ${name.value} of ${service.type}.${service.name} is a named_port of ${group.type}.${group.name}`, span: portName.value.span }])];
    }
  }
  return [{ evidence: [], unknown: `no instance group in ${module.folder || 'the workspace root'} has a named_port ${name.value}`, at: portName.value.span }];
}

function portForward(module: TfModule, owner: TfResource, port: ReturnType<typeof attribute>, links: HopEvidence[]): TfForward {
  const where = `${owner.type}.${owner.name}`;
  if (!port) return { evidence: links, unknown: `${where} sets no port`, at: owner.block.labels[1]!.span };
  const value = evaluate(module, port.value);
  const number = secondsOf(value);
  if (number === undefined) return { evidence: links, unknown: `the port of ${where} cannot be evaluated (${port.value.kind === 'other' ? port.value.text : 'a value set outside this module'})`, at: port.value.span };
  return { port: number, evidence: [...links, { text: `port ${number} of ${where}${value?.via ? ` (${value.via})` : ''}`, span: value!.span }] };
}
