// Terraform load balancers in call chains: each starts a chain into the code listening on the port its target group (or listener, or named port) forwards to.
import type { ChainLinker, Step, Walker } from '../../chain/walk.js';
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
            for (const forward of lb.forwards) {
              if (forward.port === undefined) {
                walker.stop(step, hop, forward.unknown ?? 'the port it forwards to is not known', forward.at);
                continue;
              }
              const targets = walker.listeningOn(forward.port);
              if (targets.length === 0) {
                walker.stop(step, hop, `no code in the workspace listens on port ${forward.port} (${forward.evidence.map((e) => e.text).join('; ')})`, forward.evidence.at(-1)?.span);
                continue;
              }
              for (const target of targets) walker.withLinkEvidence(forward.evidence, () => target.follow(step, {}, undefined, 'default'));
            }
          }
        }
      },
    },
  };
}
