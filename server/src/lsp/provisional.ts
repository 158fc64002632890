// The provisional first pass: diagnostics for a document (nginx or a manifest) opened while a big workspace is still being indexed.
import { compileGlobs, kindByPath } from '../engine/inputs/nginx/detect.js';
import type { FileId } from '../engine/types.js';
import { dirnameOf, type FileStat, type WorkspaceFs } from '../engine/workspace-fs.js';
import { isYaml, type FolderState } from './folder.js';
import { KUBERNETES_UNIT, type LintUnit } from './unit-index.js';

/**
 * Lints the nearest nginx.conf above `file` with the other nginx files of `file`'s folder hidden,
 * so that `include conf.d/*.conf` pulls in this one file instead of thousands. The file is seen in
 * its real context (the http and server blocks it inherits from), which is what its findings
 * depend on; only facts that live in hidden sibling files (an upstream defined next door) are
 * missing. The result is published at once and replaced when indexing reaches the real entry.
 * Returns undefined when no nginx.conf above the file includes it.
 */
export function provisionalUnit(folder: FolderState, file: FileId): LintUnit | undefined {
  if (isYaml(file)) return provisionalManifestUnit(folder, file);
  const globs = compileGlobs(folder.config.nginx.files);
  if (kindByPath(file, globs) === 'unknown') return undefined;
  const entry = nearestMainEntry(folder, file);
  if (entry === undefined) return undefined;
  const dir = dirnameOf(file);
  const hide = (name: string) => {
    const sibling = dir === '' ? name : `${dir}/${name}`;
    return sibling !== file && sibling !== entry && kindByPath(sibling, globs) !== 'unknown';
  };
  const unit = folder.lintUnit(entry, (fs) => new SiblingHidingFs(fs, dir, hide));
  return unit.texts.has(file) ? unit : undefined;
}

/** At most this many manifests of the opened file's folder are linted in the provisional pass. */
const MAX_PROVISIONAL_MANIFESTS = 200;

/**
 * A manifest opened while the Kubernetes group is still being indexed: lints it with the other
 * manifests of its folder (where its Service, Deployment and Ingress usually live), not the
 * thousands elsewhere. References into other folders (a controller ConfigMap, a Service in
 * another app's folder) are missing until the group's own run replaces this result.
 */
function provisionalManifestUnit(folder: FolderState, file: FileId): LintUnit | undefined {
  const dir = dirnameOf(file);
  const siblings = [...folder.candidates].filter((c) => c !== file && isYaml(c) && dirnameOf(c) === dir).slice(0, MAX_PROVISIONAL_MANIFESTS - 1);
  const unit = folder.lintUnit(KUBERNETES_UNIT, undefined, [file, ...siblings]);
  return unit.texts.has(file) ? unit : undefined;
}

function nearestMainEntry(folder: FolderState, file: FileId): FileId | undefined {
  for (let dir = dirnameOf(file); ; dir = dirnameOf(dir)) {
    const candidate = dir === '' ? 'nginx.conf' : `${dir}/nginx.conf`;
    if (candidate !== file && folder.cache.stat(candidate)?.isFile) return candidate;
    if (dir === '') return undefined;
  }
}

/** Lists a folder without the entries `hide` names; everything else passes through. */
class SiblingHidingFs implements WorkspaceFs {
  constructor(private readonly base: WorkspaceFs, private readonly dir: FileId, private readonly hide: (name: string) => boolean) {}

  readFile(file: FileId): Uint8Array | undefined {
    return this.base.readFile(file);
  }

  stat(file: FileId): FileStat | undefined {
    return this.base.stat(file);
  }

  readDirectory(dir: FileId): string[] | undefined {
    const names = this.base.readDirectory(dir);
    return dir === this.dir ? names?.filter((n) => !this.hide(n)) : names;
  }
}
