// The Kubernetes input: manifests (core objects, Ingress, Gateway API, Istio, Contour, Knative, controller ConfigMaps) and kustomizations.
import { buildK8sModel, type K8sModel } from './model.js';
import { k8sFileKindByPath, looksLikeK8s, withKustomization, type K8sFile } from './file.js';
import { k8sLinker } from './chain.js';
import { defineInput, type ReadContext } from '../input.js';
import type { YamlFile } from '../../yaml/file.js';

declare module '../../workspace-model.js' {
  interface InputModels {
    /** Every Kubernetes object of the workspace, linked by namespace and name. */
    k8s: K8sModel;
  }
}

export const k8sInput = defineInput({
  id: 'k8s',
  language: 'kubernetes',
  claim(file) {
    if (!/\.ya?ml$/i.test(file)) return undefined;
    // A cheap look at the text first: most YAML in a repository (CI, Helm values) is not a manifest.
    return k8sFileKindByPath(file) === 'kustomization' ? 'name' : 'content';
  },
  accepts: (_file, text) => looksLikeK8s(text),
  reader(context) {
    const files: K8sFile[] = [];
    return {
      take(file, text) {
        const decoded = text ?? context.readText(file);
        if (!decoded) return;
        const yaml = context.yaml(file);
        if (!yaml) return;
        files.push(k8sFileOf(yaml, context));
        context.addSource(file, decoded);
      },
      build() {
        const model = buildK8sModel(files, {
          ingressNginxAnnotationPrefix: context.config.kubernetes.ingressNginxAnnotationPrefix,
          ingressNginxConfigMapNames: context.config.kubernetes.ingressNginxConfigMapNames,
        });
        context.reportProblems(model.problems);
        return model;
      },
    };
  },
  empty: () => buildK8sModel([]),
  present: (model) => model.objects.length > 0,
  linker: k8sLinker,
});

/** The file as the Kubernetes model reads it: the shared YAML reading, and what a kustomization says (made once per parsed file). */
function k8sFileOf(yaml: YamlFile, context: ReadContext): K8sFile {
  const make = () => withKustomization(yaml);
  return context.cache ? context.cache.derived(yaml, make) : make();
}
