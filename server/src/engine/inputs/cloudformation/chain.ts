// CloudFormation load balancers in call chains: each starts a chain into the code listening on the port its target group (or listener) forwards to.
import { followPortForwards, type ChainLinker, type Step, type Walker } from '../../chain/walk.js';
import { cloudFormationLbHop } from './hops.js';
import { loadBalancersOf } from './load-balancers.js';
import type { CfnTemplate } from './template.js';

export interface CloudFormationModel {
  templates: CfnTemplate[];
}

export function cloudFormationLinker(model: CloudFormationModel, walker: Walker): ChainLinker {
  return {
    entries: {
      gateways() {
        for (const template of model.templates) {
          for (const lb of loadBalancersOf(template)) {
            const key = `cloudformation:${template.file}:${lb.resource.idSpan.start}`;
            if (walker.wasReached(key)) continue;
            const hop = cloudFormationLbHop(lb);
            const step: Step = { hops: [hop], seen: new Set([key]) };
            followPortForwards(walker, step, hop, lb.forwards);
          }
        }
      },
    },
  };
}
