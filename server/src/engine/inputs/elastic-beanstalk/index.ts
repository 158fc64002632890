// The Elastic Beanstalk input: `.ebextensions/*.config` option settings of an environment's load balancer, in front of the folder it deploys.
import { rethrowStop } from '../../run-deadline.js';
import { defineInput } from '../input.js';
import { ebLinker } from './chain.js';
import { isEbextensionsConfig, parseEbConfig, type EbConfigFile } from './file.js';
import { buildEbModel, type EbModel } from './model.js';

export type { EbModel } from './model.js';

declare module '../../workspace-model.js' {
  interface InputModels {
    /** Elastic Beanstalk applications (folders with `.ebextensions`). */
    elasticBeanstalk: EbModel;
  }
}

export const elasticBeanstalkInput = defineInput({
  id: 'elasticBeanstalk',
  language: 'elastic-beanstalk',
  claim: (file) => (isEbextensionsConfig(file) ? 'name' : undefined),
  reader(context) {
    const read: EbConfigFile[] = [];
    return {
      take(file, text) {
        const decoded = text ?? context.readText(file);
        if (!decoded) return;
        try {
          read.push(context.cache ? context.cache.byText(file, decoded.text, () => parseEbConfig(file, decoded.text)) : parseEbConfig(file, decoded.text));
        } catch (error) {
          rethrowStop(error);
          context.notAnalysed(file, `the YAML parser failed: ${error instanceof Error ? error.message : String(error)}`);
          return;
        }
        context.addSource(file, decoded);
      },
      build() {
        const model = buildEbModel(read);
        context.reportProblems(read.flatMap((r) => r.problems));
        return model;
      },
    };
  },
  empty: () => ({ apps: [] }),
  present: (model) => model.apps.length > 0,
  linker: ebLinker,
});
