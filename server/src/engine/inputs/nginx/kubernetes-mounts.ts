// nginx containers of Kubernetes workloads whose ConfigMap volumes a kustomize configMapGenerator makes from workspace files.
import type { FileId } from '../../types.js';
import { dirnameOf, resolveFileId } from '../../workspace-fs.js';
import type { ManifestFile as K8sFile } from './manifests.js';
import { normalise, type ContainerMount } from './container-paths.js';
import { isNginxImage } from './dockerfile.js';

/** The mounts of one nginx container of a workload, and who it is. */
export interface WorkloadMounts {
  mounts: ContainerMount[];
  owner: string;
}

const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Pod', 'Job', 'CronJob']);

/**
 * nginx containers of Kubernetes workloads whose ConfigMap volumes come from workspace files
 * (kustomize `configMapGenerator` `files:`): each key mounted under /etc/nginx (the whole
 * ConfigMap as a folder, or one key by `subPath`) maps to the file it was generated from.
 */
export function kubernetesContainers(files: readonly K8sFile[]): WorkloadMounts[] {
  const generated = new Map<string, Map<string, { file: FileId; owner: string }>>();
  for (const file of files) {
    if (file.kind !== 'kustomization') continue;
    const document = file.documents.find((d) => d.status === 'other' || d.status === 'object');
    if (!document) continue;
    const { view } = document;
    const base = dirnameOf(file.file);
    for (const generator of view.items(view.get(document.document.contents, 'configMapGenerator'))) {
      const name = view.text(generator, 'name');
      if (!name) continue;
      const keys = generated.get(name) ?? new Map<string, { file: FileId; owner: string }>();
      for (const item of view.items(view.get(generator, 'files'))) {
        const entry = view.scalar(item)?.text;
        if (!entry) continue;
        const equals = entry.indexOf('=');
        const path = equals < 0 ? entry : entry.slice(equals + 1);
        const key = equals < 0 ? path.slice(path.lastIndexOf('/') + 1) : entry.slice(0, equals);
        const workspace = resolveFileId(base === '' ? path : `${base}/${path}`);
        if (workspace !== undefined) keys.set(key, { file: workspace, owner: `configMapGenerator ${name} in ${file.file}` });
      }
      generated.set(name, keys);
    }
  }
  if (generated.size === 0) return [];
  const containers: WorkloadMounts[] = [];
  for (const file of files) {
    for (const object of file.objects) {
      if (!WORKLOAD_KINDS.has(object.kind)) continue;
      const { view } = object;
      const podSpec = object.kind === 'Pod' ? view.get(object.node, 'spec')
        : object.kind === 'CronJob' ? view.getIn(object.node, ['spec', 'jobTemplate', 'spec', 'template', 'spec'])
          : view.getIn(object.node, ['spec', 'template', 'spec']);
      const volumes = new Map<string, string>();
      for (const volume of view.items(view.get(podSpec, 'volumes'))) {
        const name = view.text(volume, 'name');
        const configMap = view.text(view.get(volume, 'configMap'), 'name');
        if (name && configMap) volumes.set(name, configMap);
      }
      for (const container of view.items(view.get(podSpec, 'containers'))) {
        if (!isNginxImage(view.text(container, 'image'))) continue;
        const owner = `${object.kind} ${object.namespace}/${object.name?.text ?? '?'}`;
        const mounts: ContainerMount[] = [];
        for (const mount of view.items(view.get(container, 'volumeMounts'))) {
          const path = view.text(mount, 'mountPath');
          const configMap = volumes.get(view.text(mount, 'name') ?? '');
          const keys = configMap === undefined ? undefined : generated.get(configMap);
          if (!path || !path.startsWith('/etc/nginx') || !keys) continue;
          const subPath = view.text(mount, 'subPath');
          for (const [key, source] of keys) {
            if (subPath !== undefined && subPath !== key) continue;
            const container = subPath !== undefined ? normalise(path) : normalise(`${path}/${key}`);
            mounts.push({ container, workspace: source.file, evidence: `ConfigMap ${configMap} key ${key} (${source.owner}) mounted at ${path} in ${owner}`, span: view.span(mount) });
          }
        }
        if (mounts.length > 0) containers.push({ mounts, owner });
      }
    }
  }
  return containers;
}

