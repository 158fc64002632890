// An Ingress of a custom or unknown class that carries nginx.ingress.kubernetes.io annotations is read as ingress-nginx, and the guess is said where the Ingress shows up.
import { createModelCapture } from '../../server/src/host/model-capture.js';
import { describe, expect, it } from 'vitest';
import { allRules } from '../../rules/index.js';
import { chainsOf } from '../../server/src/engine/chain/chains.js';
import { defaultConfig } from '../../server/src/engine/config.js';
import { inferredControllerNote } from '../../server/src/engine/inputs/k8s/ingress.js';
import type { WorkspaceModel } from '../../server/src/engine/workspace-model.js';
import { lint } from '../../server/src/engine/run.js';
import { MemoryFs } from '../../server/src/engine/workspace-fs.js';

function modelOf(files: Record<string, string>): WorkspaceModel {
  const capture = createModelCapture();
  lint({ fs: new MemoryFs(files), files: Object.keys(files), config: defaultConfig(allRules), rules: [capture.rule], toolVersion: 'test' });
  return capture.model()!;
}

const ingress = (className: string | undefined, annotation: string) =>
  `apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: chat\n  annotations:\n    ${annotation}\nspec:\n${className ? `  ingressClassName: ${className}\n` : ''}  rules:\n    - host: chat.example.com\n      http:\n        paths:\n          - path: /\n            pathType: Prefix\n            backend:\n              service:\n                name: chat\n                port:\n                  number: 80\n`;
const ingressClass = (name: string, controller: string) => `apiVersion: networking.k8s.io/v1\nkind: IngressClass\nmetadata:\n  name: ${name}\nspec:\n  controller: ${controller}\n`;
const nginxAnnotation = 'nginx.ingress.kubernetes.io/proxy-read-timeout: "30"';

describe('ingress controller inferred from annotations', () => {
  it.each<[string, Record<string, string>, string, string, string | undefined]>([
    ['a class no manifest defines', { 'i.yaml': ingress('edge', nginxAnnotation) }, 'ingress-nginx', 'annotations', 'controller inferred from nginx.ingress.kubernetes.io annotations (no IngressClass edge is among the manifests)'],
    ['an IngressClass of another controller', { 'i.yaml': ingress('edge', nginxAnnotation), 'c.yaml': ingressClass('edge', 'example.com/edge') }, 'ingress-nginx', 'annotations', 'controller inferred from nginx.ingress.kubernetes.io annotations (IngressClass edge names controller example.com/edge)'],
    ['an IngressClass of ingress-nginx', { 'i.yaml': ingress('edge', nginxAnnotation), 'c.yaml': ingressClass('edge', 'k8s.io/ingress-nginx') }, 'ingress-nginx', 'ingress-class', undefined],
    ['a known class name', { 'i.yaml': ingress('traefik', nginxAnnotation) }, 'traefik', 'class-name', undefined],
    ['a known IngressClass controller', { 'i.yaml': ingress('edge', nginxAnnotation), 'c.yaml': ingressClass('edge', 'traefik.io/ingress-controller') }, 'traefik', 'ingress-class', undefined],
    ['no class at all', { 'i.yaml': ingress(undefined, nginxAnnotation) }, 'unknown', 'none', undefined],
    ['other annotations only', { 'i.yaml': ingress('edge', 'nginx.org/proxy-read-timeout: "30s"') }, 'unknown', 'none', undefined],
  ])('%s', (_case, files, controller, source, note) => {
    const found = modelOf(files).k8s.ingresses[0]!;
    expect(found.controller).toBe(controller);
    expect(found.controllerSource).toBe(source);
    expect(inferredControllerNote(found)).toBe(note);
  });

  it('the guessed Ingress gets the annotation timeouts on its hop, with the guess as evidence', () => {
    const model = modelOf({ 'i.yaml': ingress('edge', nginxAnnotation) });
    const hop = chainsOf(model).chains[0]!.hops[0]!;
    expect(hop.timeouts.map((t) => `${t.knob} ${t.ms}`)).toContain('nginx.ingress.kubernetes.io/proxy-read-timeout 30000');
    expect(hop.evidence?.map((e) => e.text)).toEqual(['controller inferred from nginx.ingress.kubernetes.io annotations (no IngressClass edge is among the manifests)']);
  });
});
