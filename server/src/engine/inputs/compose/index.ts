// The compose input: docker-compose files, whose services name the code they build and the environment they give it.
import { composeFileOf, isComposeFileName, type ComposeFileFacts, type ComposeModel } from '../../yaml/compose.js';

export type { ComposeModel } from '../../yaml/compose.js';
import { composeLinker } from './chain.js';
import { defineInput } from '../input.js';


declare module '../../workspace-model.js' {
  interface InputModels {
    /** Every compose file of the workspace with its services. */
    compose: ComposeModel;
  }
}

export const composeInput = defineInput({
  id: 'compose',
  // Shown as Kubernetes-style YAML, as every YAML file the linter reads.
  language: 'kubernetes',
  claim: (file) => (isComposeFileName(file) ? 'name' : undefined),
  reader(context) {
    const read: ComposeFileFacts[] = [];
    return {
      take(file, text) {
        const decoded = text ?? context.readText(file);
        if (!decoded) return;
        const yaml = context.yaml(file);
        if (!yaml) return;
        read.push(context.cache ? context.cache.derived(yaml, () => composeFileOf(yaml)) : composeFileOf(yaml));
        context.addSource(file, decoded);
      },
      build() {
        const model: ComposeModel = { files: [], problems: read.flatMap((r) => r.problems) };
        for (const facts of read) if (facts.compose) model.files.push({ file: facts.file, compose: facts.compose });
        context.reportProblems(model.problems);
        return model;
      },
    };
  },
  empty: () => ({ files: [], problems: [] }),
  present: (model) => model.files.length > 0,
  linker: composeLinker,
});
