// The LiteLLM input: LiteLLM proxy configs (`config.yaml`, `litellm_config.yaml`, `proxy_config.yaml`, …) whose models sit between callers and LLM providers.
import { defineInput } from '../input.js';
import { litellmLinker, type LitellmModelSet } from './chain.js';
import { isLitellmConfigName, looksLikeLitellmConfig } from './detect.js';
import { litellmConfigOf, type LitellmConfig } from './facts.js';

export type { LitellmModelSet } from './chain.js';

declare module '../../workspace-model.js' {
  interface InputModels {
    /** Every LiteLLM proxy config of the workspace with its models. */
    litellm: LitellmModelSet;
  }
}

export const litellmInput = defineInput({
  id: 'litellm',
  language: 'litellm',
  // By name, then by shape: `config.yaml` is a common name for anything.
  claim: (file) => (isLitellmConfigName(file) ? 'content' : undefined),
  accepts: (_file, text) => looksLikeLitellmConfig(text),
  reader(context) {
    const configs: LitellmConfig[] = [];
    return {
      take(file, text) {
        const decoded = text ?? context.readText(file);
        if (!decoded) return;
        const yaml = context.yaml(file);
        if (!yaml) return;
        const config = context.cache ? context.cache.derived(yaml, () => litellmConfigOf(yaml)) : litellmConfigOf(yaml);
        context.reportProblems(yaml.problems);
        if (!config) {
          context.notAnalysed(file, 'no model_list with litellm_params entries could be read');
          return;
        }
        configs.push(config);
        context.addSource(file, decoded);
      },
      build: () => ({ configs }),
    };
  },
  empty: () => ({ configs: [] }),
  present: (model) => model.configs.length > 0,
  linker: litellmLinker,
});
