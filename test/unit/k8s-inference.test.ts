// Gateway API inference and Envoy AI Gateway: InferencePool and AIServiceBackend are backends of their own (never "not a Service"), with the model servers a pool picks and the 60 s an AIGatewayRoute rule gets by default.
import { describe, expect, it } from 'vitest';
import { allRules } from '../../rules/index.js';
import { chainsOf } from '../../server/src/engine/chain/chains.js';
import { defaultConfig } from '../../server/src/engine/config.js';
import { lint } from '../../server/src/engine/run.js';
import { MemoryFs } from '../../server/src/engine/workspace-fs.js';
import { createModelCapture } from '../../server/src/host/model-capture.js';

const MANIFESTS = [
  'apiVersion: gateway.networking.k8s.io/v1',
  'kind: HTTPRoute',
  'metadata: { name: llm, namespace: ai }',
  'spec:',
  '  hostnames: ["llm.example.com"]',
  '  rules:',
  '    - backendRefs:',
  '        - { group: inference.networking.k8s.io, kind: InferencePool, name: llama }',
  '---',
  'apiVersion: inference.networking.x-k8s.io/v1alpha2',
  'kind: InferencePool',
  'metadata: { name: llama, namespace: ai }',
  'spec:',
  '  targetPortNumber: 8000',
  '  selector: { app: vllm-llama }',
  '  extensionRef: { name: llama-epp }',
  '---',
  'apiVersion: apps/v1',
  'kind: Deployment',
  'metadata: { name: vllm-llama, namespace: ai }',
  'spec:',
  '  template:',
  '    metadata: { labels: { app: vllm-llama } }',
  '    spec:',
  '      containers: [{ name: vllm, image: "vllm/vllm-openai:v0.9.1" }]',
  '---',
  'apiVersion: aigateway.envoyproxy.io/v1alpha1',
  'kind: AIGatewayRoute',
  'metadata: { name: providers, namespace: ai }',
  'spec:',
  '  rules:',
  '    - backendRefs: [{ name: openai }]',
  '    - backendRefs: [{ name: bedrock }]',
  '      timeouts: { request: 300s }',
  '---',
  'apiVersion: aigateway.envoyproxy.io/v1alpha1',
  'kind: AIServiceBackend',
  'metadata: { name: openai, namespace: ai }',
  'spec:',
  '  schema: { name: OpenAI }',
  '  backendRef: { name: openai, kind: Backend, group: gateway.envoyproxy.io }',
  '',
].join('\n');

function chains(text: string) {
  const fs = new MemoryFs({ 'k8s/llm.yaml': text });
  const capture = createModelCapture();
  lint({ fs, files: fs.list(), config: defaultConfig(allRules), rules: [...allRules, capture.rule], toolVersion: 'test' });
  return chainsOf(capture.model()!);
}

describe('InferencePool and Envoy AI Gateway backends', () => {
  const model = chains(MANIFESTS);
  const labels = model.chains.map((c) => c.hops.map((h) => h.label));

  it('follows an HTTPRoute to its InferencePool and the model servers its selector picks (v1alpha2 shape)', () => {
    expect(labels).toContainEqual(['HTTPRoute ai/llm', 'InferencePool ai/llama', 'Deployment ai/vllm-llama (container vllm)']);
    expect(model.unresolved.map((u) => u.message).filter((m) => m.includes('not a Service'))).toEqual([]);
    expect(model.unresolved.map((u) => u.message)).toContain('backend bedrock is not an AIServiceBackend among the manifests');
  });

  it('ends an AIGatewayRoute at its AIServiceBackend, with 60 s when the rule sets no request timeout', () => {
    const chain = model.chains.find((c) => c.hops[0]!.label === 'AIGatewayRoute ai/providers' && c.hops[1]?.label === 'AIServiceBackend ai/openai (OpenAI)');
    expect(chain?.unresolved).toBeUndefined();
    expect(chain!.hops[0]!.timeouts).toEqual([expect.objectContaining({ knob: 'timeouts.request', ms: 60_000, source: 'default' })]);
    expect(chain!.hops[1]!.llm).toBe(true);
  });

  it('keeps a written AIGatewayRoute timeout, and says when an AIServiceBackend is missing', () => {
    const chain = model.chains.find((c) => c.hops[0]!.label === 'AIGatewayRoute ai/providers' && c.hops[0]!.timeouts[0]?.ms === 300_000);
    expect(chain?.unresolved?.message).toContain('bedrock');
  });

  it('says which labels a pool selects when no workload carries them', () => {
    const lonely = chains(MANIFESTS.replace('app: vllm-llama } }', 'app: other } }'));
    expect(lonely.unresolved.map((u) => u.message)).toContainEqual('no workload in namespace ai has the pod labels app=vllm-llama');
  });
});
