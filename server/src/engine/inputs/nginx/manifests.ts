// The YAML files an nginx container's deployment is read from (compose files, kustomizations, manifests), as the shared readers give them: evidence of where configs land and which values placeholders get.
import type { FileId } from '../../types.js';
import { parseCompose, isComposeFileName, type ComposeFile } from '../../yaml/compose.js';
import { firstDataDocument, looksLikeK8s, type YamlFile } from '../../yaml/file.js';
import { memoizeByFileText } from '../../text-memo.js';

export type { K8sObject } from '../../yaml/file.js';

export interface ManifestFile extends YamlFile {
  kind: 'manifests' | 'kustomization' | 'compose';
  compose?: ComposeFile;
}

const KUSTOMIZATION = /(^|\/)(kustomization\.ya?ml|Kustomization)$/;

/** Whether a YAML file's name or text makes it deployment evidence, and of which kind. */
export function manifestKindOf(file: FileId, text: string): ManifestFile['kind'] | undefined {
  if (isComposeFileName(file)) return 'compose';
  if (KUSTOMIZATION.test(file)) return 'kustomization';
  return manifestTextLooksLikeK8s(file, text) ? 'manifests' : undefined;
}

const manifestTextLooksLikeK8s = memoizeByFileText(looksLikeK8s);

export function manifestFileOf(yaml: YamlFile, kind: ManifestFile['kind']): ManifestFile {
  const file: ManifestFile = { ...yaml, kind };
  if (kind === 'compose') {
    const first = firstDataDocument(yaml);
    if (first) file.compose = parseCompose(first.view, first.document.contents);
  }
  return file;
}
