// CloudFormation load balancers in call chains: each starts a chain into the code listening on the port its target group (or listener) forwards to.
import type { ChainLinker, Step, Walker } from '../../chain/walk.js';
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
