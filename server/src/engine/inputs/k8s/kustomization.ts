// Reads a kustomization.yaml: the resource paths it pulls in, the namespace and the labels it sets, with spans.
import type { Node } from 'yaml';
import type { ScalarFact, YamlView } from '../../yaml/view.js';

export interface Kustomization {
  /** `resources:` entries (files, directories or remote URLs), as written. */
  resources: ScalarFact[];
  /** Legacy `bases:` entries, which kustomize still reads like resources. */
  bases: ScalarFact[];
  components: ScalarFact[];
  /** `namespace:`, which kustomize writes into every object it emits. */
  namespace?: ScalarFact;
  /**
   * Labels kustomize adds: `commonLabels` (to metadata, selectors and pod templates) and each `labels:`
   * entry with the parts it reaches (`includeSelectors` also reaches pod templates; `includeTemplates`
   * reaches pod templates only).
   */
  labels: KustomizeLabels[];
}

export interface KustomizeLabels {
  pairs: ReadonlyMap<string, ScalarFact>;
  /** Written into Service selectors and workload selectors. */
  selectors: boolean;
  /** Written into pod template labels. */
  templates: boolean;
  /** `commonLabels` or `labels`, for messages. */
  from: 'commonLabels' | 'labels';
}

/** Reads the lists of a kustomization root mapping; anything that is not a list of strings is skipped. */
export function parseKustomization(view: YamlView, root: Node | null): Kustomization {
  const list = (key: string): ScalarFact[] =>
    view.items(view.get(root, key)).map((item) => view.scalar(item)).filter((s): s is ScalarFact => s !== undefined);
  const pairsOf = (node: Node | undefined): Map<string, ScalarFact> => {
    const pairs = new Map<string, ScalarFact>();
    for (const { key, value } of view.fields(node)) {
      const scalar = view.scalar(value);
      if (scalar) pairs.set(key.text, scalar);
    }
    return pairs;
  };
  const labels: KustomizeLabels[] = [];
  const common = pairsOf(view.get(root, 'commonLabels'));
  if (common.size > 0) labels.push({ pairs: common, selectors: true, templates: true, from: 'commonLabels' });
  for (const entry of view.items(view.get(root, 'labels'))) {
    const pairs = pairsOf(view.get(entry, 'pairs'));
    if (pairs.size === 0) continue;
    const selectors = view.scalar(view.get(entry, 'includeSelectors'))?.text === 'true';
    const templates = selectors || view.scalar(view.get(entry, 'includeTemplates'))?.text === 'true';
    labels.push({ pairs, selectors, templates, from: 'labels' });
  }
  const result: Kustomization = { resources: list('resources'), bases: list('bases'), components: list('components'), labels };
  const namespace = view.scalar(view.get(root, 'namespace'));
  if (namespace) result.namespace = namespace;
  return result;
}
