// The HAProxy input: `haproxy.cfg` and other HAProxy configuration files, one model per file with its proxies' effective settings.
import { defineInput } from '../input.js';
import type { FileId } from '../../types.js';
import type { HaproxyFile } from './ast.js';
import { haproxyLinker } from './chain.js';
import { isHaproxyConfig, isHaproxyPath } from './detect.js';
import { buildHaproxyModel, type HaproxyModel } from './facts.js';
import { parseHaproxy } from './parse.js';

declare module '../../workspace-model.js' {
  interface InputModels {
    /** One model per HAProxy configuration file, each with its proxies and their effective settings. */
    haproxy: HaproxyModel[];
  }
}

export const haproxyInput = defineInput({
  id: 'haproxy',
  language: 'haproxy',
  // Every candidate is confirmed by its text: a `haproxy.cfg` may still be an INI file, a `.cfg` anything.
  claim: (file) => (file.endsWith('.cfg') ? 'content' : undefined),
  accepts: (file, text, { explicit }) => (explicit && isHaproxyPath(file)) || isHaproxyConfig(file, text),
  reader(context) {
    const files: HaproxyFile[] = [];
    return {
      take(file: FileId, text) {
        const decoded = text ?? context.readText(file);
        if (!decoded) return;
        const parse = () => parseHaproxy(file, decoded.text);
        files.push(context.cache ? context.cache.byText(file, decoded.text, parse) : parse());
        context.addSource(file, decoded);
      },
      build() {
        // Each file is a configuration of its own: a defaults section never reaches into another file.
        return files.map((parsed) => {
          context.stop.check();
          const model = context.cache ? context.cache.derived(parsed, () => buildHaproxyModel([parsed])) : buildHaproxyModel([parsed]);
          context.reportProblems([...parsed.problems, ...model.problems]);
          return model;
        });
      },
    };
  },
  empty: () => [],
  present: (models) => models.some((m) => m.proxies.length > 0),
  linker: haproxyLinker,
});
