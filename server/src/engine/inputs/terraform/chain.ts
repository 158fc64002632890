// Terraform load balancers in call chains: each starts a chain into the code listening on the port its target group (or listener, or named port) forwards to.
import { followPortForwards, type ChainLinker, type Step, type Walker } from '../../chain/walk.js';
import { terraformLbHop } from './hops.js';
import { loadBalancersOf } from './load-balancers.js';
import type { TerraformModel } from './module.js';

export function terraformLinker(model: TerraformModel, walker: Walker): ChainLinker {
  return {
    entries: {
      gateways() {
        for (const module of model.modules) {
          for (const lb of loadBalancersOf(module)) {
            const key = `terraform:${lb.resource.file}:${lb.resource.block.span.start}`;
            if (walker.wasReached(key)) continue;
            const hop = terraformLbHop(lb);
            const step: Step = { hops: [hop], seen: new Set([key]) };
            followPortForwards(walker, step, hop, lb.forwards);
          }
        }
      },
    },
  };
}
