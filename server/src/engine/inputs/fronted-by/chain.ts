// A configured load balancer in call chains: it starts a chain nobody else reaches and runs the request into the code its key names.
import { envContextOf, NO_ENV } from '../../chain/environment.js';
import type { ChainLinker, Step, Walker } from '../../chain/walk.js';
import { frontedByHop } from './hops.js';
import type { FrontedByModel } from './model.js';
import { PLATFORMS } from './platforms.js';

export function frontedByLinker(model: FrontedByModel, walker: Walker): ChainLinker {
  return {
    entries: {
      gateways() {
        for (const entry of model.entries) {
          const key = `fronted-by:${entry.name}`;
          if (walker.wasReached(key) || !walker.enter({ hops: [], seen: new Set() }, key)) continue;
          const hop = frontedByHop(entry);
          const step: Step = { hops: [hop], seen: new Set([key]) };
          const unknown = PLATFORMS[entry.setting.kind]?.unknown;
          if (unknown && hop.timeouts.length === 0) walker.note(hop, `${unknown}: give its values in chains.frontedBy (idleTimeout, timeout)`);
          // The key names a manifest's service or workload (whose code and environment it knows), or else a code folder or package.
          const wanted = entry.name.toLowerCase();
          const deployable = walker.deployables().find((d) => d.names.some((n) => n.toLowerCase() === wanted));
          const folder = entry.name.replace(/^\.\/?/, '').replace(/\/+$/, '');
          if (deployable) {
            walker.followCode(step, { names: deployable.names, env: deployable.vars ? envContextOf(deployable.owner, deployable.vars) : NO_ENV, folder: deployable.folder }, {}, undefined);
          } else {
            walker.followCode(step, { names: [entry.name], env: NO_ENV, folder }, {}, undefined);
          }
        }
      },
    },
  };
}
