// The Traefik input: static and dynamic configuration files (YAML, TOML), `traefik.*` labels and flags in compose files, and Traefik's Kubernetes custom resources.
import { defineInput } from '../input.js';
import type { FileId, Problem } from '../../types.js';
import { composeFileOf, isComposeFileName } from '../../yaml/compose.js';
import { traefikLinker } from './chain.js';
import { crdFacts, mentionsTraefikCrd } from './crd.js';
import { emptyFacts, type TraefikFacts } from './facts.js';
import { isTraefikStaticName, isTraefikTomlCandidate, looksLikeTraefik, looksLikeTraefikStatic, traefikTomlFacts, traefikYamlFacts, type TraefikFileFacts } from './file.js';
import { composeServiceFacts, mentionsTraefik } from './labels.js';
import { buildTraefikModel, type TraefikModel } from './model.js';

declare module '../../workspace-model.js' {
  interface InputModels {
    /** Every Traefik router, service, servers transport and retry middleware of the workspace, with the static configuration. */
    traefik: TraefikModel;
  }
}

export const traefikInput = defineInput({
  id: 'traefik',
  // Shown as the YAML it mostly is; a TOML file is listed the same way.
  language: 'kubernetes',
  // By content only: a `traefik.yaml` may as well be a Kubernetes manifest deploying Traefik.
  claim: (file) => (/\.ya?ml$/i.test(file) || isTraefikTomlCandidate(file) ? 'content' : undefined),
  accepts: (file, text) => looksLikeTraefik(file, text) || (isTraefikStaticName(file) && looksLikeTraefikStatic(text)),
  reader(context) {
    const read: TraefikFileFacts[] = [];
    return {
      take(file: FileId, text) {
        const decoded = text ?? context.readText(file);
        if (!decoded) return;
        if (/\.toml$/i.test(file)) {
          const parse = () => traefikTomlFacts(file, decoded.text);
          read.push(context.cache ? context.cache.byText(file, decoded.text, parse) : parse());
        } else {
          const yaml = context.yaml(file);
          if (!yaml) return;
          read.push(context.cache ? context.cache.derived(yaml, () => traefikYamlFacts(yaml)) : traefikYamlFacts(yaml));
        }
        context.addSource(file, decoded);
      },
      build() {
        const facts: TraefikFacts[] = read.map((r) => r.facts);
        const problems: Problem[] = read.flatMap((r) => r.problems);
        // Files other inputs took (compose files, manifests): read only those whose text names Traefik.
        for (const file of context.candidates) {
          context.stop.check();
          const compose = isComposeFileName(file);
          if (!compose && !/\.ya?ml$/i.test(file)) continue;
          const text = context.sourceText(file);
          if (text === undefined || (compose ? !mentionsTraefik(text) : !mentionsTraefikCrd(text))) continue;
          const yaml = context.yaml(file);
          if (!yaml) continue;
          const make = () => {
            const found = emptyFacts(file);
            if (compose) for (const service of composeFileOf(yaml).compose?.services ?? []) composeServiceFacts(file, service, found);
            else crdFacts(yaml, found);
            return found;
          };
          facts.push(context.cache ? context.cache.derived(yaml, make) : make());
        }
        context.reportProblems(problems);
        return buildTraefikModel(facts, problems);
      },
    };
  },
  empty: () => buildTraefikModel([]),
  present: (model) => model.routers.length > 0 || model.statics.length > 0,
  linker: traefikLinker,
});
