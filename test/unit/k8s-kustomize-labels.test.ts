// Kustomize labels (commonLabels, labels with includeSelectors/includeTemplates) applied to the files a kustomization pulls in, so Services find the workloads kustomize labels.
import { describe, expect, it } from 'vitest';
import { createModelCapture } from '../../server/src/host/model-capture.js';
import { allRules } from '../../rules/index.js';
import { defaultConfig } from '../../server/src/engine/config.js';
import type { WorkspaceModel } from '../../server/src/engine/workspace-model.js';
import { lint, ParseCache } from '../../server/src/engine/run.js';
import { MemoryFs } from '../../server/src/engine/workspace-fs.js';

function modelOf(files: Record<string, string>): WorkspaceModel {
  const capture = createModelCapture();
  lint({ fs: new MemoryFs(files), files: Object.keys(files), config: defaultConfig(allRules), rules: [capture.rule], toolVersion: 'test' });
  return capture.model()!;
}

// The Service selects a label the Deployment's pod template does not carry: kustomize adds it.
const service = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: ui\nspec:\n  selector:\n    app.kubernetes.io/name: ui\n  ports:\n    - port: 8080\n';
const deployment = (labels = '') => `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ui\nspec:\n  template:\n    metadata:\n${labels || '      annotations: {}\n'}    spec:\n      containers:\n        - name: ui\n          image: ui:1\n`;
const base = (kustomization: string, labels = '') => ({
  'deploy/base/kustomization.yaml': kustomization,
  'deploy/base/service.yaml': service,
  'deploy/base/deployment.yaml': deployment(labels),
});
const targets = (model: WorkspaceModel) => model.k8s.services[0]!.targets.map((w) => w.object.name?.text);
const resources = 'resources:\n  - service.yaml\n  - deployment.yaml\n';

describe('kustomize labels on selectors and pod templates', () => {
  it.each([
    ['labels with includeSelectors', `${resources}labels:\n  - pairs:\n      app.kubernetes.io/name: ui\n    includeSelectors: true\n`, ['ui']],
    ['commonLabels', `${resources}commonLabels:\n  app.kubernetes.io/name: ui\n`, ['ui']],
    ['labels without includeSelectors (metadata only)', `${resources}labels:\n  - pairs:\n      app.kubernetes.io/name: ui\n`, []],
    ['labels with includeTemplates only: the pods get it, and the Service selects it already', `${resources}labels:\n  - pairs:\n      app.kubernetes.io/name: ui\n    includeTemplates: true\n`, ['ui']],
    ['a kustomization that does not list the files', 'resources:\n  - other.yaml\nlabels:\n  - pairs:\n      app.kubernetes.io/name: ui\n    includeSelectors: true\n', []],
  ])('%s', (_case, kustomization, expected) => {
    expect(targets(modelOf(base(kustomization)))).toEqual(expected);
  });

  it('an overlay reaches the base files through the base folder', () => {
    const model = modelOf({
      ...base('resources:\n  - service.yaml\n  - deployment.yaml\n'),
      'deploy/overlays/dev/kustomization.yaml': 'resources:\n  - ../../base\ncommonLabels:\n  app.kubernetes.io/name: ui\n',
    });
    expect(targets(model)).toEqual(['ui']);
  });

  it('a selector label kustomize adds must be on the pods too: includeSelectors writes both', () => {
    const model = modelOf(base(`${resources}labels:\n  - pairs:\n      tier: web\n    includeSelectors: true\n`, '      labels:\n        app.kubernetes.io/name: ui\n'));
    expect(targets(model)).toEqual(['ui']);
  });

  it('two overlays setting a label differently leave that label out (which build is meant is not known)', () => {
    const model = modelOf({
      ...base(resources, '      labels:\n        app.kubernetes.io/name: ui\n'),
      'deploy/overlays/a/kustomization.yaml': 'resources:\n  - ../../base\ncommonLabels:\n  env: a\n',
      'deploy/overlays/b/kustomization.yaml': 'resources:\n  - ../../base\ncommonLabels:\n  env: b\n',
    });
    expect(targets(model)).toEqual(['ui']);
  });

  it('cycles between kustomizations terminate', () => {
    const model = modelOf({
      ...base('resources:\n  - service.yaml\n  - deployment.yaml\n  - ../loop\ncommonLabels:\n  app.kubernetes.io/name: ui\n'),
      'deploy/loop/kustomization.yaml': 'resources:\n  - ../base\n',
    });
    expect(targets(model)).toEqual(['ui']);
  });
});

describe('kustomize namespace', () => {
  const ns = (model: WorkspaceModel) => model.k8s.objects.filter((o) => o.kind !== 'Kustomization').map((o) => `${o.kind} ${o.namespace}`).sort();
  const files = (baseNs: string, overlays: Record<string, string> = {}) => ({
    'deploy/base/kustomization.yaml': `${resources}${baseNs}`,
    'deploy/base/service.yaml': service,
    'deploy/base/deployment.yaml': deployment('      labels:\n        app.kubernetes.io/name: ui\n'),
    ...overlays,
  });

  it('the namespace of the kustomization is the namespace of its objects, and they still link', () => {
    const model = modelOf(files('namespace: instructlab\n'));
    expect(ns(model)).toEqual(['Deployment instructlab', 'Service instructlab']);
    expect(targets(model)).toEqual(['ui']);
  });

  it('an overlay namespace wins over the base one', () => {
    expect(ns(modelOf(files('namespace: base\n', { 'deploy/overlays/dev/kustomization.yaml': 'namespace: dev\nresources:\n  - ../../base\n' })))).toEqual(['Deployment dev', 'Service dev']);
  });

  it('two overlays with different namespaces leave the objects as written', () => {
    const model = modelOf(files('', {
      'deploy/overlays/a/kustomization.yaml': 'namespace: a\nresources:\n  - ../../base\n',
      'deploy/overlays/b/kustomization.yaml': 'namespace: b\nresources:\n  - ../../base\n',
    }));
    expect(ns(model)).toEqual(['Deployment default', 'Service default']);
  });

  it('with a shared parse cache, a build without the kustomization puts the written namespace back', () => {
    const cache = new ParseCache();
    const build = (all: Record<string, string>, files: string[]) => {
      const capture = createModelCapture();
      lint({ fs: new MemoryFs(all), files, config: defaultConfig(allRules), rules: [capture.rule], toolVersion: 'test', parseCache: cache });
      return capture.model()!;
    };
    const all = files('namespace: instructlab\n');
    expect(ns(build(all, Object.keys(all)))).toEqual(['Deployment instructlab', 'Service instructlab']);
    expect(ns(build(all, ['deploy/base/service.yaml', 'deploy/base/deployment.yaml']))).toEqual(['Deployment default', 'Service default']);
    expect(ns(build(all, Object.keys(all)))).toEqual(['Deployment instructlab', 'Service instructlab']);
  });
});
