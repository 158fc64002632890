// The compose input: docker-compose files, whose services name the code they build and the environment they give it.
import { isComposeFileName, parseComposeText, type ComposeFileFacts, type ComposeModel } from './file.js';

export type { ComposeModel } from './file.js';
import { composeLinker } from './chain.js';
import { defineInput, type ReadContext } from '../input.js';
import { rethrowStop } from '../../run-deadline.js';
import type { FileId } from '../../types.js';


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
        read.push(context.cache ? context.cache.byText(file, decoded.text, () => safeParse(file, decoded.text, context)) : safeParse(file, decoded.text, context));
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

function safeParse(file: FileId, text: string, context: ReadContext): ComposeFileFacts {
  try {
    return parseComposeText(file, text);
  } catch (error) {
    rethrowStop(error);
    context.notAnalysed(file, `the YAML parser failed: ${error instanceof Error ? error.message : String(error)}`);
    return { file, problems: [] };
  }
}
