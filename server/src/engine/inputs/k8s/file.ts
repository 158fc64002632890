// A Kubernetes YAML file: its documents and objects (the shared YAML reader), and for a kustomization, what it says.
import type { FileId } from '../../types.js';
import { firstDataDocument, parseYamlFile, type YamlFile } from '../../yaml/file.js';
import { parseKustomization, type Kustomization } from './kustomization.js';

export type { K8sObject, YamlDocument as K8sDocument } from '../../yaml/file.js';

export type K8sFileKind = 'manifests' | 'kustomization';

export interface K8sFile extends YamlFile {
  kind: K8sFileKind;
  /** Set for `kustomization.yaml` files. */
  kustomization?: Kustomization;
}

/** Parses a manifest or kustomization file. Never throws (see {@link parseYamlFile}). */
export function parseK8sText(file: FileId, text: string): K8sFile {
  return withKustomization(parseYamlFile(file, text));
}

/** A parsed YAML file as a Kubernetes file: a kustomization (by its name) gets what it says. */
export function withKustomization(yaml: YamlFile): K8sFile {
  const kind = k8sFileKindByPath(yaml.file);
  const parsed: K8sFile = { ...yaml, kind };
  if (kind === 'kustomization') {
    const first = firstDataDocument(parsed);
    if (first) parsed.kustomization = parseKustomization(first.view, first.document.contents);
  }
  return parsed;
}

export { looksLikeK8s } from '../../yaml/file.js';

/** Which reader a YAML path needs, judged by its name. */
export function k8sFileKindByPath(file: FileId): K8sFileKind {
  const base = file.slice(file.lastIndexOf('/') + 1);
  if (/^kustomization\.ya?ml$/.test(base) || base === 'Kustomization') return 'kustomization';
  return 'manifests';
}
