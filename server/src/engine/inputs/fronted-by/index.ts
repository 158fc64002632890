// The fronted-by input: load balancers the workspace does not declare, named in the configuration (`chains.frontedBy`), in front of code it holds.
import { CONFIG_FILE_NAME } from '../../config.js';
import { defineInput } from '../input.js';
import { frontedByLinker } from './chain.js';
import { buildFrontedByModel, type FrontedByModel } from './model.js';

export type { FrontedByEntry, FrontedByModel } from './model.js';

declare module '../../workspace-model.js' {
  interface InputModels {
    /** The load balancers `chains.frontedBy` names. */
    frontedBy: FrontedByModel;
  }
}

export const frontedByInput = defineInput({
  id: 'frontedBy',
  language: 'json',
  // The configuration file is read (for the places of its entries) only when it names load balancers.
  claim: (file, context) => (file === CONFIG_FILE_NAME && Object.keys(context.config.chains.frontedBy).length > 0 ? 'name' : undefined),
  reader(context) {
    let config: { file: string; text: string } | undefined;
    return {
      take(file, text) {
        const decoded = text ?? context.readText(file);
        if (!decoded) return;
        config = { file, text: decoded.text };
        context.addSource(file, decoded);
      },
      build: () => buildFrontedByModel(context.config.chains.frontedBy, config),
    };
  },
  empty: () => ({ entries: [] }),
  present: (model) => model.entries.length > 0,
  linker: frontedByLinker,
});
