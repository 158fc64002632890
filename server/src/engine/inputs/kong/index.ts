// The Kong input: declarative configuration files (decK, DB-less `kong.yml` with `_format_version`), read from the run's shared YAML parse.
import { defineInput } from '../input.js';
import type { FileId } from '../../types.js';
import { kongLinker } from './chain.js';
import { isKongName, looksLikeKong, readKongFile, type KongFile } from './config.js';

declare module '../../workspace-model.js' {
  interface InputModels {
    /** Every Kong declarative configuration file with its services, routes and upstreams. */
    kong: KongFile[];
  }
}

export const kongInput = defineInput({
  id: 'kong',
  language: 'kubernetes',
  // By content: the `_format_version` key is what makes a YAML file Kong's (a `kong.yaml` may be a Helm values file).
  claim: (file) => (/\.ya?ml$/i.test(file) ? 'content' : undefined),
  accepts: (file, text, { explicit }) => looksLikeKong(text) || (explicit && isKongName(file) && /^services[ \t]*:/m.test(text)),
  reader(context) {
    const files: KongFile[] = [];
    return {
      take(file: FileId, text) {
        const decoded = text ?? context.readText(file);
        if (!decoded) return;
        const yaml = context.yaml(file);
        if (!yaml) return;
        files.push(context.cache ? context.cache.derived(yaml, () => readKongFile(yaml)) : readKongFile(yaml));
        context.addSource(file, decoded);
      },
      build() {
        context.reportProblems(files.flatMap((f) => f.problems));
        return files;
      },
    };
  },
  empty: () => [],
  present: (files) => files.some((f) => f.services.length > 0),
  linker: kongLinker,
});
