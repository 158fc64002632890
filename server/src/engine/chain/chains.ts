// The chains of a workspace model, linked once per model and shared by every rule that reads them.
import type { WorkspaceModel } from '../workspace-model.js';
import { buildChains } from './build-chains.js';
import type { ChainModel } from './chain-types.js';

const linked = new WeakMap<WorkspaceModel, ChainModel>();
const linkMs = new WeakMap<WorkspaceModel, number>();

/** Links the model's per-file facts into chains on first use; later calls with the same model reuse the result. */
export function chainsOf(model: WorkspaceModel): ChainModel {
  let chains = linked.get(model);
  if (!chains) {
    const started = performance.now();
    chains = buildChains(model);
    linkMs.set(model, performance.now() - started);
    linked.set(model, chains);
  }
  return chains;
}

/** The chains if a rule already linked them for this model (the run's summary counts them without linking on its own). */
export function linkedChains(model: WorkspaceModel): ChainModel | undefined {
  return linked.get(model);
}

/** How long linking the model's chains took (ms), or 0 when nothing linked them yet: rule timings leave it out. */
export function linkTimeOf(model: WorkspaceModel): number {
  return linkMs.get(model) ?? 0;
}
