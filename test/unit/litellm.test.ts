// LiteLLM proxy configs: which files are claimed, what each model's timeout and attempts are (with provenance and the 6000 s default), and how callers link to the proxy.
import { describe, expect, it } from 'vitest';
import { allRules } from '../../rules/index.js';
import { chainsOf } from '../../server/src/engine/chain/chains.js';
import { mayTake } from '../../server/src/engine/chain/budget.js';
import { defaultConfig } from '../../server/src/engine/config.js';
import { isLitellmConfigName, looksLikeLitellmConfig } from '../../server/src/engine/inputs/litellm/detect.js';
import { litellmConfigOf } from '../../server/src/engine/inputs/litellm/facts.js';
import { litellmModelHop, litellmProviderHop } from '../../server/src/engine/inputs/litellm/hops.js';
import { providerOf } from '../../server/src/engine/inputs/litellm/provider.js';
import { lint } from '../../server/src/engine/run.js';
import { MemoryFs } from '../../server/src/engine/workspace-fs.js';
import { parseYamlFile } from '../../server/src/engine/yaml/file.js';
import { createModelCapture } from '../../server/src/host/model-capture.js';

const CONFIG = [
  'model_list:',
  '  - model_name: gpt-4o',
  '    litellm_params:',
  '      model: openai/gpt-4o',
  '      timeout: 45',
  '      stream_timeout: 10',
  '      num_retries: 1',
  '  - model_name: local',
  '    litellm_params:',
  '      model: hosted_vllm/llama',
  '      api_base: http://vllm:8000/v1',
  '      timeout: os.environ/VLLM_TIMEOUT',
  '  - model_name: mini',
  '    litellm_params:',
  '      model: openai/gpt-4o-mini',
  'router_settings:',
  '  fallbacks: [{"gpt-4o": ["mini"]}]',
  '',
].join('\n');

const at = (text: string, span: { start: number; end: number } | undefined) => (span ? text.slice(span.start, span.end) : undefined);

function config(text = CONFIG) {
  return litellmConfigOf(parseYamlFile('litellm/config.yaml', text))!;
}

describe('LiteLLM config detection', () => {
  it.each([
    ['config.yaml', true], ['litellm/config.yaml', true], ['deploy/litellm_config.yaml', true], ['proxy_config.yaml', true], ['litellm-proxy.yml', true],
    ['k8s/deployment.yaml', false], ['values.yaml', false], ['src/config.ts', false],
  ])('claims %s by name: %s', (file, claimed) => {
    expect(isLitellmConfigName(file)).toBe(claimed);
  });

  it('accepts only the shape of a proxy config', () => {
    expect(looksLikeLitellmConfig(CONFIG)).toBe(true);
    expect(looksLikeLitellmConfig('server:\n  port: 8080\n')).toBe(false);
    expect(looksLikeLitellmConfig('model_list:\n  - name: a\n')).toBe(false);
  });
});

describe('LiteLLM model hops', () => {
  it('reads per-model timeouts and retries with their spans', () => {
    const read = config();
    const [gpt] = read.models;
    const hop = litellmModelHop(read, gpt!);
    expect(hop.kind).toBe('llm-gateway');
    expect(hop.timeouts.map((t) => [t.knob, t.kind, t.ms, t.source, at(CONFIG, t.span)])).toEqual([['litellm_params.timeout', 'total', 45_000, 'set', '45']]);
    // A streamed request is bounded by stream_timeout instead (time to the first chunk).
    expect(litellmModelHop(read, gpt!, true).timeouts.map((t) => [t.knob, t.kind, at(CONFIG, t.span)])).toEqual([['litellm_params.stream_timeout', 'time-to-headers', '10']]);
    expect([hop.attempts!.count, hop.attempts!.knob, hop.attempts!.retriesTimeouts, at(CONFIG, hop.attempts!.span)]).toEqual([2, 'litellm_params.num_retries', true, '1']);
  });

  it('adds the fallback models after the attempts, each with its own timeout', () => {
    const read = config();
    const hop = litellmModelHop(read, read.models[0]!);
    expect(hop.fallback?.label).toBe('LiteLLM model mini (openai/gpt-4o-mini)');
    // 2 × 45 s, then the fallback: 3 attempts (default num_retries 2) × 6000 s (default request_timeout).
    expect(mayTake(hop)?.ms).toBe(2 * 45_000 + 3 * 6_000_000);
  });

  it('falls back to the router timeout, then request_timeout, then the 6000 s default', () => {
    const model = '  - model_name: m\n    litellm_params:\n      model: openai/m\n';
    const router = config(`model_list:\n${model}router_settings:\n  timeout: 30\n  num_retries: 0\nlitellm_settings:\n  request_timeout: 90\n`);
    expect(litellmModelHop(router, router.models[0]!).timeouts[0]).toMatchObject({ knob: 'router_settings.timeout', ms: 30_000, source: 'inherited' });
    expect(litellmModelHop(router, router.models[0]!).attempts?.count).toBe(1);
    const general = config(`model_list:\n${model}litellm_settings:\n  request_timeout: 90\n`);
    expect(litellmModelHop(general, general.models[0]!).timeouts[0]).toMatchObject({ knob: 'litellm_settings.request_timeout', ms: 90_000, source: 'inherited' });
    const bare = config(`model_list:\n${model}`);
    expect(litellmModelHop(bare, bare.models[0]!).timeouts[0]).toMatchObject({ ms: 6_000_000, source: 'default', factsRef: '§20' });
    expect(litellmModelHop(bare, bare.models[0]!).attempts).toMatchObject({ count: 3, source: 'default' });
  });

  it('leaves an os.environ value unknown, naming the variable, never a default', () => {
    const read = config();
    const timeout = litellmModelHop(read, read.models[1]!).timeouts[0]!;
    expect(timeout.ms).toBeUndefined();
    expect(timeout.source).toBe('env');
    expect(timeout.env?.name).toBe('VLLM_TIMEOUT');
  });

  it('counts TimeoutErrorRetries of the retry policy for timed-out calls', () => {
    const read = config('model_list:\n  - model_name: m\n    litellm_params:\n      model: openai/m\nrouter_settings:\n  num_retries: 5\n  retry_policy:\n    TimeoutErrorRetries: 1\n');
    expect(litellmModelHop(read, read.models[0]!).attempts).toMatchObject({ count: 2, knob: 'router_settings.retry_policy.TimeoutErrorRetries' });
  });
});

describe('LiteLLM in linked chains', () => {
  const FILES: Record<string, string> = {
    'litellm/config.yaml': CONFIG,
    'docker-compose.yml': 'services:\n  gateway:\n    image: ghcr.io/berriai/litellm:main-stable\n  vllm:\n    image: vllm/vllm-openai:latest\n  api:\n    build: ./api\n',
    'api/package.json': '{ "name": "api", "dependencies": { "openai": "^4.0.0", "express": "^4.0.0" } }\n',
    'api/src/server.ts': [
      "import express from 'express';",
      "import OpenAI from 'openai';",
      "const openai = new OpenAI({ baseURL: 'http://gateway:4000', timeout: 30_000 });",
      'const app = express();',
      "app.post('/chat', async (req, res) => res.json(await openai.chat.completions.create({ model: 'gpt-4o', messages: [] })));",
      'app.listen(3000);',
      '',
    ].join('\n'),
    'scripts/package.json': '{ "name": "scripts", "dependencies": { "openai": "^4.0.0" } }\n',
    'scripts/eval.ts': "import OpenAI from 'openai';\nconst client = new OpenAI({ baseURL: 'http://localhost:4000' });\nexport const run = () => client.chat.completions.create({ model: 'mini', messages: [] });\n",
  };

  const fs = new MemoryFs(FILES);
  const capture = createModelCapture();
  lint({ fs, files: fs.list(), config: defaultConfig(allRules), rules: [...allRules, capture.rule], toolVersion: 'test' });
  const chains = chainsOf(capture.model()!).chains;
  const labels = chains.map((c) => c.hops.map((h) => h.label));

  it('links a client to the proxy by the name of the container running the LiteLLM image, with the evidence', () => {
    const chain = chains.find((c) => c.hops[0]!.label.includes('http://gateway:4000') && c.hops[1]?.label === 'LiteLLM model gpt-4o (openai/gpt-4o)');
    expect(chain).toBeDefined();
    expect(chain!.hops[1]!.evidence?.map((e) => e.text)).toEqual(['compose service gateway runs the LiteLLM image ghcr.io/berriai/litellm:main-stable; its config is litellm/config.yaml', 'model_name gpt-4o, the model the call asks for']);
  });

  it('follows only the model the call asks for', () => {
    const fromClient = chains.filter((c) => c.hops[0]!.label.includes('http://gateway:4000'));
    expect(fromClient.map((c) => c.hops[1]?.label)).toEqual(['LiteLLM model gpt-4o (openai/gpt-4o)']);
  });

  it('links a client on this machine through the default port 4000', () => {
    expect(labels.some((l) => l[0]!.includes('http://localhost:4000') && l[1] === 'LiteLLM model mini (openai/gpt-4o-mini)')).toBe(true);
  });

  it('follows a model whose api_base is a service of the workspace', () => {
    expect(labels.some((l) => l.at(-2) === 'LiteLLM model local (hosted_vllm/llama)' && l.at(-1)!.includes('vllm'))).toBe(true);
  });

  it('ends a hosted model\'s chain at the provider litellm_params.model names, an LLM hop placed on the model string', () => {
    const chain = chains.find((c) => c.hops[0]!.label.includes('http://gateway:4000') && c.hops[1]?.label === 'LiteLLM model gpt-4o (openai/gpt-4o)')!;
    const provider = chain.hops.at(-1)!;
    expect([provider.kind, provider.label, provider.llm, provider.timeouts]).toStrictEqual(['llm-provider', 'LLM provider OpenAI', true, []]);
    expect(at(CONFIG, provider.span)).toBe('openai/gpt-4o');
    expect(provider.evidence?.map((e) => e.text)).toStrictEqual(['litellm_params.model openai/gpt-4o']);
  });

  it('does not start a chain of its own at a model a client reached', () => {
    expect(labels.filter((l) => l[0] === 'LiteLLM model gpt-4o (openai/gpt-4o)')).toEqual([]);
  });
});

describe('LiteLLM providers', () => {
  it.each([
    ['openai/gpt-4o', 'openai', 'OpenAI', false],
    ['anthropic/claude-3-5-sonnet-20240620', 'anthropic', 'Anthropic', false],
    ['azure/my-gpt4o-deployment', 'azure', 'Azure OpenAI', false],
    ['bedrock/anthropic.claude-3-haiku-20240307-v1:0', 'bedrock', 'AWS Bedrock', false],
    ['Vertex_AI/gemini-1.5-pro', 'vertex_ai', 'Google Vertex AI', false],
    ['ollama_chat/llama3.1', 'ollama_chat', 'Ollama', false],
    ['gpt-4o-mini', 'openai', 'OpenAI', true],
    ['claude-3-opus-20240229', 'anthropic', 'Anthropic', true],
  ])('names the provider of %s', (model, id, name, inferred) => {
    expect(providerOf(model)).toStrictEqual({ id, name, inferred });
  });

  it.each(['meta-llama/Llama-3-8b', 'llama3', 'my-model'])('names no provider for %s (an unknown prefix or a bare name of no known family)', (model) => {
    expect(providerOf(model)).toBeUndefined();
  });

  it('makes no provider hop for a model whose provider is unknown, and names the api_base host of one it knows', () => {
    const text = 'model_list:\n  - model_name: a\n    litellm_params:\n      model: my-finetune\n  - model_name: b\n    litellm_params:\n      model: openai/llama-3-70b\n      api_base: https://api.together.xyz/v1\n  - model_name: c\n    litellm_params:\n      model: claude-3-haiku-20240307\n';
    const parsed = config(text);
    expect(litellmProviderHop(parsed, parsed.models[0]!)).toBeUndefined();
    expect(litellmProviderHop(parsed, parsed.models[1]!)?.label).toBe('LLM provider OpenAI at api.together.xyz');
    expect(litellmProviderHop(parsed, parsed.models[2]!)?.evidence?.map((e) => e.text)).toStrictEqual(['litellm_params.model claude-3-haiku-20240307 (LiteLLM infers Anthropic from the model name)']);
  });
});
