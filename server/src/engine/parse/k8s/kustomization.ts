// Reads a kustomization.yaml: the resource paths it pulls in and the namespace it sets, with spans.
import type { Node } from 'yaml';
import type { ScalarFact, YamlView } from './yaml-view.js';

export interface Kustomization {
  /** `resources:` entries (files, directories or remote URLs), as written. */
  resources: ScalarFact[];
  /** Legacy `bases:` entries, which kustomize still reads like resources. */
  bases: ScalarFact[];
  components: ScalarFact[];
  /** `namespace:`, which kustomize writes into every object it emits. */
  namespace?: ScalarFact;
}

/** Reads the lists of a kustomization root mapping; anything that is not a list of strings is skipped. */
export function parseKustomization(view: YamlView, root: Node | null): Kustomization {
  const list = (key: string): ScalarFact[] =>
    view.items(view.get(root, key)).map((item) => view.scalar(item)).filter((s): s is ScalarFact => s !== undefined);
  const result: Kustomization = { resources: list('resources'), bases: list('bases'), components: list('components') };
  const namespace = view.scalar(view.get(root, 'namespace'));
  if (namespace) result.namespace = namespace;
  return result;
}
