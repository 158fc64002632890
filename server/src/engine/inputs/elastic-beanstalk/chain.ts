// Elastic Beanstalk in call chains: an environment's load balancer starts a chain into the code of the folder it deploys.
import { NO_ENV } from '../../chain/environment.js';
import type { ChainLinker, Step, Walker } from '../../chain/walk.js';
import { ebLoadBalancerHop, loadBalancerOf } from './hops.js';
import type { EbModel } from './model.js';

export function ebLinker(model: EbModel, walker: Walker): ChainLinker {
  return {
    entries: {
      gateways() {
        for (const app of model.apps) {
          const lb = loadBalancerOf(app);
          if (!lb) continue;
          const key = `elastic-beanstalk:${app.folder}`;
          if (walker.wasReached(key)) continue;
          const hop = ebLoadBalancerHop(app, lb);
          const step: Step = { hops: [hop], seen: new Set([key]) };
          // The environment runs the application bundle: the folder that holds `.ebextensions`.
          const evidence = [{ text: `.ebextensions in ${app.folder || 'the workspace root'}: Elastic Beanstalk deploys that folder`, span: hop.span }];
          walker.withLinkEvidence(evidence, () => walker.followCode(step, { names: [], env: NO_ENV, folder: app.folder }, {}, undefined));
        }
      },
    },
  };
}
