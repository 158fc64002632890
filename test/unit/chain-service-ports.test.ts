// A gateway reaches a Service only through a port the Service exposes: an Ingress or HTTPRoute backend naming another port (a targetPort included) is an unresolved link, with that reason.
import { createModelCapture } from '../../server/src/host/model-capture.js';
import { describe, expect, it } from 'vitest';
import { allRules } from '../../rules/index.js';
import { chainsOf } from '../../server/src/engine/chain/chains.js';
import { defaultConfig } from '../../server/src/engine/config.js';
import type { WorkspaceModel } from '../../server/src/engine/workspace-model.js';
import { lint } from '../../server/src/engine/run.js';
import { MemoryFs } from '../../server/src/engine/workspace-fs.js';

function modelOf(files: Record<string, string>): WorkspaceModel {
  const capture = createModelCapture();
  lint({ fs: new MemoryFs(files), files: Object.keys(files), config: defaultConfig(allRules), rules: [capture.rule], toolVersion: 'test' });
  return capture.model()!;
}

const service = `apiVersion: v1\nkind: Service\nmetadata:\n  name: chat\n  namespace: llm\nspec:\n  selector:\n    app: chat\n  ports:\n    - name: http\n      port: 80\n      targetPort: 8080\n    - name: metrics\n      port: 9090\n`;
const deployment = `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: chat\n  namespace: llm\nspec:\n  selector:\n    matchLabels:\n      app: chat\n  template:\n    metadata:\n      labels:\n        app: chat\n    spec:\n      containers:\n        - name: app\n          image: chat:1\n          ports:\n            - containerPort: 8080\n`;
const ingress = (port: string) => `apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: chat\n  namespace: llm\nspec:\n  ingressClassName: nginx\n  rules:\n    - host: chat.example.com\n      http:\n        paths:\n          - path: /\n            pathType: Prefix\n            backend:\n              service:\n                name: chat\n                port:\n${port}\n`;
const route = (refs: string) => `apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n  name: chat\n  namespace: llm\nspec:\n  hostnames: [chat.example.com]\n  rules:\n    - backendRefs:\n${refs}\n`;

function linking(gateway: string) {
  const { chains, unresolved } = chainsOf(modelOf({ 'k8s/chat.yaml': `${service}---\n${deployment}`, 'k8s/gateway.yaml': gateway }));
  return { labels: chains.map((c) => c.hops.map((h) => h.label)), messages: unresolved.map((u) => u.message) };
}

describe('Ingress backend port', () => {
  it.each([
    ['number 80', '                  number: 80'],
    ['name http', '                  name: http'],
    ['number 9090', '                  number: 9090'],
  ])('%s is exposed: linked to the workload', (_case, port) => {
    const { labels, messages } = linking(ingress(port));
    expect(messages).toEqual([]);
    expect(labels[0]).toEqual(['Ingress llm/chat path /', 'Service llm/chat', 'Deployment llm/chat (container app)']);
  });

  it.each([
    ['the targetPort 8080', '                  number: 8080', 'the Ingress backend port 8080 is not a port Service llm/chat exposes (ports: 80 (http), 9090 (metrics)); 8080 is the targetPort of its port 80, and a backend must name the Service port'],
    ['an unknown number', '                  number: 81', 'the Ingress backend port 81 is not a port Service llm/chat exposes (ports: 80 (http), 9090 (metrics))'],
    ['an unknown name', '                  name: web', 'the Ingress backend port web is not a port Service llm/chat exposes (ports: 80 (http), 9090 (metrics))'],
  ])('%s is not exposed: the chain stops at the Ingress with that reason', (_case, port, message) => {
    const { labels, messages } = linking(ingress(port));
    expect(messages).toEqual([message]);
    expect(labels[0]).toEqual(['Ingress llm/chat path /']);
  });
});

describe('HTTPRoute backendRef port', () => {
  it('an exposed port links', () => {
    const { labels, messages } = linking(route('        - name: chat\n          port: 80'));
    expect(messages).toEqual([]);
    expect(labels[0]).toEqual([expect.stringContaining('HTTPRoute'), 'Service llm/chat', 'Deployment llm/chat (container app)']);
  });

  it('a targetPort stops the chain with that reason', () => {
    const { labels, messages } = linking(route('        - name: chat\n          port: 8080'));
    expect(messages).toEqual(['the HTTPRoute backendRef chat port 8080 is not a port Service llm/chat exposes (ports: 80 (http), 9090 (metrics)); 8080 is the targetPort of its port 80, and a backend must name the Service port']);
    expect(labels[0]).toHaveLength(1);
  });

  it('one wrong backend among good ones is a note; the good one still links', () => {
    const { labels, messages } = linking(route('        - name: chat\n          port: 80\n        - name: chat\n          port: 81'));
    expect(messages).toEqual(['the HTTPRoute backendRef chat port 81 is not a port Service llm/chat exposes (ports: 80 (http), 9090 (metrics))']);
    expect(labels[0]).toEqual([expect.stringContaining('HTTPRoute'), 'Service llm/chat', 'Deployment llm/chat (container app)']);
  });
});
