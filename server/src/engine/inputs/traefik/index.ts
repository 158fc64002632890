// The Traefik input: static and dynamic configuration files (YAML, TOML), `traefik.*` labels and flags in compose files, and Traefik's Kubernetes custom resources.
import { defineInput } from '../input.js';
import type { DecodedText } from '../../text.js';
import type { FileId, Problem } from '../../types.js';
import type { WorkspaceFs } from '../../workspace-fs.js';
import type { YamlFile } from '../../yaml/file.js';
import { composeFileOf, isComposeFileName } from '../../yaml/compose.js';
import { traefikLinker } from './chain.js';
import { crdFacts, mentionsTraefikCrd } from './crd.js';
import { emptyFacts, type TraefikFacts } from './facts.js';
import { isTraefikStaticName, isTraefikTomlCandidate, looksLikeTraefik, looksLikeTraefikStatic, traefikTomlFacts, traefikYamlFacts, type TraefikFileFacts } from './file.js';
import { composeServiceFacts, mentionsTraefik } from './labels.js';
import { buildTraefikModel, type TraefikModel } from './model.js';
import { providerLoads, type TraefikProviderLoad } from './provider.js';
import { memoizeByFileText } from '../../text-memo.js';

// Every candidate compose file and manifest is looked at on each run: the look is kept per text.
const composeMentionsTraefik = memoizeByFileText(mentionsTraefik);
const manifestMentionsTraefikCrd = memoizeByFileText(mentionsTraefikCrd);

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
    const taken = new Set<FileId>();
    /** A file read as Traefik configuration: recorded as analysed unless another input already shows it. */
    const readFile = (file: FileId, decoded: DecodedText): TraefikFileFacts | undefined => {
      let facts: TraefikFileFacts;
      if (/\.toml$/i.test(file)) {
        const parse = () => traefikTomlFacts(file, decoded.text);
        facts = context.cache ? context.cache.byText(file, decoded.text, parse) : parse();
      } else {
        const yaml = context.yaml(file);
        if (!yaml) return undefined;
        facts = context.cache ? context.cache.derived(yaml, () => traefikYamlFacts(yaml)) : traefikYamlFacts(yaml);
      }
      taken.add(file);
      if (!context.hasSource(file)) context.addSource(file, decoded);
      return facts;
    };
    return {
      take(file: FileId, text) {
        const decoded = text ?? context.readText(file);
        if (!decoded) return;
        const facts = readFile(file, decoded);
        if (facts) read.push(facts);
      },
      build() {
        const facts: TraefikFacts[] = read.map((r) => r.facts);
        const problems: Problem[] = read.flatMap((r) => r.problems);
        const composeFiles: YamlFile[] = [];
        // Files other inputs took (compose files, manifests): read only those whose text names Traefik.
        for (const file of context.candidates) {
          context.stop.check();
          const compose = isComposeFileName(file);
          if (!compose && !/\.ya?ml$/i.test(file)) continue;
          const text = context.sourceText(file);
          if (text === undefined || (compose ? !composeMentionsTraefik(file, text) : !manifestMentionsTraefikCrd(file, text))) continue;
          const yaml = context.yaml(file);
          if (!yaml) continue;
          if (compose) composeFiles.push(yaml);
          const make = () => {
            const found = emptyFacts(file);
            if (compose) for (const service of composeFileOf(yaml).compose?.services ?? []) composeServiceFacts(file, service, found);
            else crdFacts(yaml, found);
            return found;
          };
          facts.push(context.cache ? context.cache.derived(yaml, make) : make());
        }
        // The dynamic files a file provider names are Traefik's whatever their names and contents.
        const statics = facts.flatMap((f) => f.statics);
        let loads: Map<FileId, TraefikProviderLoad> | undefined;
        if (statics.some((s) => s.fileProvider)) {
          const followed = providerLoads({
            statics,
            composeFiles,
            composeServices: (yaml) => (composeFileOf(yaml).compose?.services ?? []).map((service) => service.name),
            stat: (path) => context.fs.stat(path),
            list: (dir) => listDirectory(context.fs, dir),
          });
          loads = followed.loads;
          problems.push(...followed.problems);
          for (const file of loads.keys()) {
            context.stop.check();
            if (taken.has(file)) continue;
            const decoded = context.readText(file);
            const found = decoded ? readFile(file, decoded) : undefined;
            if (!found) continue;
            facts.push(found.facts);
            problems.push(...found.problems);
          }
        }
        context.reportProblems(problems);
        return buildTraefikModel(facts, problems, loads);
      },
    };
  },
  empty: () => buildTraefikModel([]),
  present: (model) => model.routers.length > 0 || model.statics.length > 0,
  linker: traefikLinker,
});

/** A folder's entries with their kinds, from the run's file system (one stat per entry only when the listing has no kinds). */
function listDirectory(fs: WorkspaceFs, dir: FileId): Array<{ name: string; directory: boolean }> | undefined {
  const kinds = fs.readDirectoryKinds?.(dir);
  const path = (name: string) => (dir === '' ? name : `${dir}/${name}`);
  if (kinds) return kinds.map(([name, kind]) => ({ name, directory: kind === 'directory' || (kind === 'other' && fs.stat(path(name))?.isDirectory === true) }));
  return fs.readDirectory(dir)?.map((name) => ({ name, directory: fs.stat(path(name))?.isDirectory === true }));
}
