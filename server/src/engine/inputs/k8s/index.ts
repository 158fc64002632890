// The Kubernetes input: manifests (core objects, Ingress, Gateway API, Istio, Contour, Knative, controller ConfigMaps) and kustomizations.
import { buildK8sModel, type K8sModel } from './model.js';
import { k8sFileKindByPath, looksLikeK8s, parseK8sText, type K8sFile } from './file.js';
import { k8sLinker } from './chain.js';
import { defineInput, type ReadContext } from '../input.js';
import { rethrowStop } from '../../run-deadline.js';
import type { FileId } from '../../types.js';

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
        files.push(context.cache ? context.cache.byText(file, decoded.text, () => safeParse(file, decoded.text, context)) : safeParse(file, decoded.text, context));
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

function safeParse(file: FileId, text: string, context: ReadContext): K8sFile {
  try {
    return parseK8sText(file, text);
  } catch (error) {
    rethrowStop(error);
    // The parser promises never to throw; if it does, the file is listed, not lost.
    context.notAnalysed(file, `the YAML parser failed: ${error instanceof Error ? error.message : String(error)}`);
    return { file, kind: k8sFileKindByPath(file), documents: [], objects: [], problems: [] };
  }
}
