// What kustomize adds to the objects of the files a kustomization pulls in: labels on selectors and pod templates (commonLabels, labels with includeSelectors/includeTemplates).
import type { Kustomization } from './kustomization.js';
import type { FileId } from '../../types.js';

/** Labels kustomize writes into the objects of one file; a key two kustomizations set differently is left out (which build is meant is not known). */
export interface KustomizedLabels {
  /** Into Service selectors (and workload selectors). */
  selector: ReadonlyMap<string, string>;
  /** Into pod template labels. */
  template: ReadonlyMap<string, string>;
}

const MAX_DEPTH = 16;

/**
 * Per manifest file, the labels the kustomizations of the workspace add to its objects. A
 * kustomization reaches the files its `resources:`/`bases:` name and, through a folder with a
 * kustomization of its own, everything that one emits (overlays over bases), however deep.
 */
export function kustomizedLabels(kustomizations: ReadonlyArray<{ file: FileId; kustomization: Kustomization }>, manifests: ReadonlySet<FileId>): Map<FileId, KustomizedLabels> {
  const out = new Map<FileId, KustomizedLabels>();
  if (!kustomizations.some((k) => k.kustomization.labels.length > 0)) return out;
  const byDir = new Map<string, Kustomization>();
  for (const { file, kustomization } of kustomizations) byDir.set(dirOf(file), kustomization);
  const emitted = (dir: string, seen: Set<string>, depth: number): FileId[] => {
    const kustomization = byDir.get(dir);
    if (!kustomization || seen.has(dir) || depth > MAX_DEPTH) return [];
    seen.add(dir);
    const files: FileId[] = [];
    for (const entry of [...kustomization.resources, ...kustomization.bases]) {
      const target = join(dir, entry.text);
      if (target === undefined) continue;
      if (manifests.has(target)) files.push(target);
      else files.push(...emitted(target, seen, depth + 1));
    }
    return files;
  };
  const selector = new Map<FileId, Map<string, string | null>>();
  const template = new Map<FileId, Map<string, string | null>>();
  const put = (into: Map<FileId, Map<string, string | null>>, file: FileId, key: string, value: string) => {
    const labels = into.get(file) ?? new Map<string, string | null>();
    const known = labels.get(key);
    // null marks a key set to two different values by two kustomizations.
    labels.set(key, known === undefined || known === value ? value : null);
    into.set(file, labels);
  };
  for (const [dir, kustomization] of byDir) {
    if (kustomization.labels.length === 0) continue;
    for (const file of new Set(emitted(dir, new Set(), 0))) {
      for (const entry of kustomization.labels) {
        for (const [key, value] of entry.pairs) {
          if (value.unresolved) continue;
          if (entry.selectors) put(selector, file, key, value.text);
          if (entry.templates) put(template, file, key, value.text);
        }
      }
    }
  }
  const settled = (labels: Map<string, string | null> | undefined) => new Map([...(labels ?? [])].filter((e): e is [string, string] => e[1] !== null));
  for (const file of new Set([...selector.keys(), ...template.keys()])) out.set(file, { selector: settled(selector.get(file)), template: settled(template.get(file)) });
  return out;
}

function dirOf(file: FileId): string {
  const slash = file.lastIndexOf('/');
  return slash < 0 ? '' : file.slice(0, slash);
}

/** A resource path inside the workspace, or undefined (a URL, or a path above the root). */
function join(dir: string, relative: string): FileId | undefined {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(relative) || relative.startsWith('github.com/') || relative.startsWith('/')) return undefined;
  const parts = dir === '' ? [] : dir.split('/');
  for (const part of relative.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (parts.length === 0) return undefined;
      parts.pop();
    } else parts.push(part);
  }
  return parts.join('/');
}

/**
 * Per manifest file, the namespace kustomize writes into its objects: the outermost kustomization
 * that sets one wins (an overlay over its base), as kustomize applies it last. A file built by
 * several top kustomizations with different namespaces (or one with none) keeps its own.
 */
export function kustomizedNamespaces(kustomizations: ReadonlyArray<{ file: FileId; kustomization: Kustomization }>, manifests: ReadonlySet<FileId>): Map<FileId, string> {
  const out = new Map<FileId, string>();
  if (!kustomizations.some((k) => k.kustomization.namespace)) return out;
  const byDir = new Map<string, Kustomization>();
  for (const { file, kustomization } of kustomizations) byDir.set(dirOf(file), kustomization);
  const childrenOf = (dir: string): Array<{ kind: 'file' | 'dir'; path: string }> => {
    const kustomization = byDir.get(dir)!;
    return [...kustomization.resources, ...kustomization.bases].flatMap((entry): Array<{ kind: 'file' | 'dir'; path: string }> => {
      const target = join(dir, entry.text);
      if (target === undefined) return [];
      if (manifests.has(target)) return [{ kind: 'file', path: target }];
      return byDir.has(target) ? [{ kind: 'dir', path: target }] : [];
    });
  };
  const referenced = new Set<string>();
  for (const dir of byDir.keys()) for (const child of childrenOf(dir)) if (child.kind === 'dir') referenced.add(child.path);
  const values = new Map<FileId, Set<string | undefined>>();
  const walk = (dir: string, outer: string | undefined, seen: Set<string>, depth: number) => {
    if (seen.has(dir) || depth > MAX_DEPTH) return;
    seen.add(dir);
    const namespace = outer ?? (byDir.get(dir)!.namespace?.unresolved ? undefined : byDir.get(dir)!.namespace?.text);
    for (const child of childrenOf(dir)) {
      if (child.kind === 'dir') walk(child.path, namespace, seen, depth + 1);
      else values.set(child.path, (values.get(child.path) ?? new Set()).add(namespace));
    }
  };
  // Top kustomizations are those no other one pulls in; a cycle with no top is walked from each of its members.
  const tops = [...byDir.keys()].filter((dir) => !referenced.has(dir));
  for (const dir of tops.length > 0 ? tops : [...byDir.keys()]) walk(dir, undefined, new Set(), 0);
  for (const [file, set] of values) {
    const only = set.size === 1 ? [...set][0] : undefined;
    if (only !== undefined) out.set(file, only);
  }
  return out;
}
