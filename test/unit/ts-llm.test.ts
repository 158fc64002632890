// LLM SDK calls read from TypeScript: constructor and per-request timeouts and retries, library defaults, streaming and max tokens.
import { describe, expect, it } from 'vitest';
import { parseTsText } from '../../server/src/engine/inputs/ts/file.js';
import { extractTsFacts, type TsOutboundCall, type TsTimeout } from '../../server/src/engine/inputs/ts/facts.js';

function only(source: string): TsOutboundCall {
  const calls = extractTsFacts(parseTsText('src/llm.ts', source)).calls;
  expect(calls).toHaveLength(1);
  return calls[0]!;
}

function brief(t: TsTimeout): string {
  const value = t.disabled ? 'off' : t.ms !== undefined ? String(t.ms) : t.value ? t.value.kind : '-';
  return `${t.kind}:${t.option}:${t.source}:${value}`;
}

const OPENAI = `import OpenAI from 'openai';\n`;

describe('LLM SDKs', () => {
  const cases: Array<[string, string, string, string[], string | undefined]> = [
    ['OpenAI on its default is 600 s, not "no timeout"', `${OPENAI}const openai = new OpenAI();\nawait openai.chat.completions.create({ model, messages });`, 'openai', ['time-to-headers:timeout:default:600000'], 'default:2'],
    ['OpenAI constructor timeout and retries', `${OPENAI}const openai = new OpenAI({ timeout: 20_000, maxRetries: 0 });\nawait openai.chat.completions.create({ model, messages });`, 'openai', ['time-to-headers:timeout:set:20000'], 'set:0'],
    ['OpenAI per-request options win', `${OPENAI}const openai = new OpenAI({ timeout: 20_000 });\nawait openai.chat.completions.create({ model, messages }, { timeout: 5000, maxRetries: 5 });`, 'openai', ['time-to-headers:timeout:set:5000'], 'set:5'],
    ['Azure OpenAI', `import { AzureOpenAI } from 'openai';\nconst client = new AzureOpenAI({ timeout: 1000 });\nawait client.responses.create({ model });`, 'openai', ['time-to-headers:timeout:set:1000'], 'default:2'],
    ['Anthropic default', `import Anthropic from '@anthropic-ai/sdk';\nconst anthropic = new Anthropic();\nawait anthropic.messages.create({ model, max_tokens: 64000, messages });`, 'anthropic', ['time-to-headers:timeout:default:600000'], 'default:2'],
    ['Groq default 60 s', `import Groq from 'groq-sdk';\nconst groq = new Groq();\nawait groq.chat.completions.create({ model, messages });`, 'groq', ['time-to-headers:timeout:default:60000'], 'default:2'],
    ['Mistral chat.complete falls back to 300 s; 0 does not disable', `import { Mistral } from '@mistralai/mistralai';\nconst m = new Mistral({ timeoutMs: 0 });\nawait m.chat.complete({ model, messages });`, 'mistral', ['total:timeoutMs:set:300000'], 'none:0'],
    ['Google GenAI has no default', `import { GoogleGenAI } from '@google/genai';\nconst ai = new GoogleGenAI({});\nawait ai.models.generateContent({ model, contents });`, 'google-genai', ['total:httpOptions.timeout:none:-'], 'none:0'],
    ['Google GenAI per-request httpOptions', `import { GoogleGenAI } from '@google/genai';\nconst ai = new GoogleGenAI({});\nawait ai.models.generateContent({ model, contents, config: { httpOptions: { timeout: 30000 } } });`, 'google-genai', ['total:httpOptions.timeout:set:30000'], 'none:0'],
    ['LangChain ChatOpenAI: 600 s and 6 retries', `import { ChatOpenAI } from '@langchain/openai';\nconst model = new ChatOpenAI({ model: 'gpt-4o' });\nawait model.invoke('hi');`, 'langchain', ['time-to-headers:timeout:default:600000'], 'default:6'],
    ['LangChain other chat model: no default claimed', `import { ChatAnthropic } from '@langchain/anthropic';\nconst model = new ChatAnthropic({ timeout: 1000, maxRetries: 1 });\nawait model.invoke('hi');`, 'langchain', ['time-to-headers:timeout:set:1000'], 'set:1'],
    ['Vercel AI generateText without timeout', `import { generateText } from 'ai';\nawait generateText({ model, prompt });`, 'ai', ['total:abortSignal:none:-'], 'default:2'],
    ['Vercel AI abortSignal and maxRetries', `import { streamText } from 'ai';\nconst result = streamText({ model, prompt, abortSignal: AbortSignal.timeout(60_000), maxRetries: 0 });`, 'ai', ['total:abortSignal (AbortSignal.timeout):set:60000'], 'set:0'],
    ['Vercel AI timeout object', `import { streamText } from 'ai';\nstreamText({ model, prompt, timeout: { totalMs: 120000, chunkMs: 10000 } });`, 'ai', ['total:timeout.totalMs:set:120000', 'idle:timeout.chunkMs:set:10000'], 'default:2'],
  ];
  it.each(cases)('%s', (_name, source, library, expected, retries) => {
    const call = only(source);
    expect(call.library).toBe(library);
    const briefs = call.timeouts.map(brief);
    for (const e of expected) expect(briefs).toContain(e);
    if (retries) expect(`${call.retries?.source}:${call.retries?.count}`).toBe(retries);
  });

  it('reads streaming and max_tokens', () => {
    const call = only(`${OPENAI}const openai = new OpenAI();\nawait openai.chat.completions.create({ model, stream: true, max_tokens: 4096 });`);
    expect(call.streaming).toBe(true);
    expect(call.maxTokens).toMatchObject({ kind: 'number', value: 4096 });
    expect(call.method).toBe('chat.completions.create');
    expect(only(`${OPENAI}const openai = new OpenAI();\nopenai.chat.completions.create({ model });`).streaming).toBe(false);
    expect(only(`import { streamText } from 'ai';\nstreamText({ model });`).streaming).toBe(true);
    expect(only(`import Anthropic from '@anthropic-ai/sdk';\nconst a = new Anthropic();\na.messages.stream({ model });`).streaming).toBe(true);
  });

  it('follows a client held in a class field (this.client)', () => {
    const call = only(`${OPENAI}export class Llm {\n  private client = new OpenAI({ timeout: 45_000 });\n  ask(q: string) { return this.client.chat.completions.create({ model, messages: [q] }); }\n}`);
    expect(call.timeouts.map(brief)).toContain('time-to-headers:timeout:set:45000');
  });

  it('keeps env-configured timeouts as env references', () => {
    const call = only(`${OPENAI}const openai = new OpenAI({ timeout: Number(process.env.LLM_TIMEOUT_MS ?? 120000) });\nopenai.chat.completions.create({});`);
    expect(call.timeouts[0]).toMatchObject({ source: 'set', value: { kind: 'env', name: 'LLM_TIMEOUT_MS', numeric: true, default: { kind: 'number', value: 120000 } } });
    expect(call.timeouts[0]!.ms).toBeUndefined();
  });

  it('records the constructor as a client fact even when no call uses it', () => {
    const facts = extractTsFacts(parseTsText('src/llm.ts', `${OPENAI}export const openai = new OpenAI({ maxRetries: 3 });`));
    expect(facts.clients).toMatchObject([{ library: 'openai', constructorName: 'OpenAI', variable: 'openai', retries: { count: 3 } }]);
    expect(facts.exports).toMatchObject([{ name: 'openai', clientIndex: 0 }]);
    expect(facts.calls).toEqual([]);
  });
});

describe('LangChain compositions (LCEL) call the model inside them', () => {
  const calls = (source: string) => extractTsFacts(parseTsText('src/chain.ts', source)).calls;
  const HEAD = `import { ChatOpenAI } from '@langchain/openai';\nimport { PromptTemplate } from '@langchain/core/prompts';\nimport { RunnableSequence } from '@langchain/core/runnables';\nimport { StringOutputParser } from '@langchain/core/output_parsers';\nconst prompt = PromptTemplate.fromTemplate('{q}');\nconst model = new ChatOpenAI({ model: 'gpt-4o', timeout: 30_000 });\n`;

  it.each([
    ['prompt.pipe(model).pipe(parser).stream()', `${HEAD}const chain = prompt.pipe(model).pipe(new StringOutputParser());\nawait chain.stream({ q: 'hi' });`, true],
    ['RunnableSequence.from([...]).invoke()', `${HEAD}const chain = RunnableSequence.from([prompt, model, new StringOutputParser()]);\nawait chain.invoke({ q: 'hi' });`, false],
    ['a composition piped again where it is called', `${HEAD}const agent = RunnableSequence.from([prompt, model]);\nawait agent.pipe(new StringOutputParser()).stream({ q: 'hi' });`, true],
    ['model.bind(…) and withRetry()', `${HEAD}await model.bind({ stop: ['\\n'] }).withRetry({ stopAfterAttempt: 2 }).invoke('hi');`, false],
    ['a sequence of sequences', `${HEAD}const first = RunnableSequence.from([prompt, model]);\nconst second = first.pipe(new StringOutputParser());\nawait second.stream({ q: 'hi' });`, true],
  ])('%s', (_name, source, streaming) => {
    const llm = calls(source).filter((c) => c.library === 'langchain');
    expect(llm).toHaveLength(1);
    expect(llm[0]!.streaming).toBe(streaming);
    // The model's own timeout bounds the call made through the composition.
    expect(llm[0]!.timeouts.map((t) => `${t.option}:${t.source}:${t.ms}`)).toContain('timeout:set:30000');
  });

  it('finds no model where the composition has none (an RxJS or Node stream pipe)', () => {
    const source = `import { map } from 'rxjs';\ndeclare const source: { pipe(...a: unknown[]): { invoke(x: unknown): unknown } };\nconst out = source.pipe(map((x: number) => x + 1));\nout.invoke(1);`;
    expect(calls(source).filter((c) => c.library === 'langchain')).toEqual([]);
  });
});

describe('CopilotKit runtime endpoints call the model through their service adapter', () => {
  const calls = (source: string) => extractTsFacts(parseTsText('src/copilot.ts', source)).calls;
  const HEAD = `import { CopilotRuntime, OpenAIAdapter, GroqAdapter, UnifyAdapter, copilotRuntimeNodeHttpEndpoint, copilotRuntimeNextJSAppRouterEndpoint } from '@copilotkit/runtime';\nimport OpenAI from 'openai';\n`;

  it.each([
    ['an adapter that makes its own OpenAI client: the SDK defaults', `${HEAD}export function handle(req, res) {\n  const h = copilotRuntimeNodeHttpEndpoint({ endpoint: '/c', runtime: new CopilotRuntime(), serviceAdapter: new OpenAIAdapter({ model: 'gpt-4o' }) });\n  return h(req, res);\n}`, ['time-to-headers:timeout:default:600000'], 'default:2', false],
    ['an adapter given a tuned client: the client\'s settings', `${HEAD}const openai = new OpenAI({ timeout: 45_000, maxRetries: 0 });\nconst serviceAdapter = new OpenAIAdapter({ openai });\nexport const POST = (req) => copilotRuntimeNextJSAppRouterEndpoint({ runtime: new CopilotRuntime(), serviceAdapter, endpoint: '/api/copilotkit' }).handleRequest(req);`, ['time-to-headers:timeout:set:45000'], 'set:0', false],
    ['an adapter given a client the reader cannot follow: unknown, not a default', `${HEAD}export function handle(req, res, openai) {\n  return copilotRuntimeNodeHttpEndpoint({ runtime: new CopilotRuntime(), serviceAdapter: new OpenAIAdapter({ openai }) })(req, res);\n}`, [], undefined, true],
    ['an adapter whose own client is not modelled (Groq): unknown', `${HEAD}export function handle(req, res) {\n  return copilotRuntimeNodeHttpEndpoint({ runtime: new CopilotRuntime(), serviceAdapter: new GroqAdapter({ model: 'llama3' }) })(req, res);\n}`, [], undefined, true],
  ])('%s', (_name, source, expected, retries, unknown) => {
    const llm = calls(source).filter((c) => c.method?.startsWith('CopilotKit'));
    expect(llm).toHaveLength(1);
    const call = llm[0]!;
    expect(call.streaming).toBe(true);
    expect(call.optionsUnknown).toBe(unknown);
    expect(call.timeouts.map(brief)).toEqual(expected);
    expect(call.retries ? `${call.retries.source}:${call.retries.count}` : undefined).toBe(retries);
    expect(call.evidence?.[0]?.text).toMatch(/^CopilotKit copilotRuntime\w+Endpoint\(\) with \w+Adapter: the runtime calls the model and streams its answer$/);
  });

  it('reads nothing for an adapter of an unmodelled provider, a runtime from another package, or a call without a service adapter', () => {
    const sources = [
      `${HEAD}copilotRuntimeNodeHttpEndpoint({ runtime: new CopilotRuntime(), serviceAdapter: new UnifyAdapter({}) });`,
      `import { copilotRuntimeNodeHttpEndpoint } from './local-runtime';\nimport { OpenAIAdapter } from '@copilotkit/runtime';\ncopilotRuntimeNodeHttpEndpoint({ serviceAdapter: new OpenAIAdapter() });`,
      `${HEAD}copilotRuntimeNodeHttpEndpoint({ runtime: new CopilotRuntime() });`,
    ];
    for (const source of sources) expect(calls(source).filter((c) => c.method?.startsWith('CopilotKit'))).toEqual([]);
  });
});

describe('SDK clients injected by their class are clients whose options are unknown', () => {
  const calls = (source: string) => extractTsFacts(parseTsText('src/chat.service.ts', source)).calls;
  const facts = (source: string) => extractTsFacts(parseTsText('src/chat.service.ts', source));

  it.each([
    ['OpenAI (default import)', `import OpenAI from 'openai';\nexport class S { constructor(private readonly openai: OpenAI) {}\n  ask() { return this.openai.chat.completions.create({ model, messages, stream: true }); } }`, 'openai', 'OpenAI', true],
    ['Anthropic with @Inject(token)', `import { Inject } from '@nestjs/common';\nimport Anthropic from '@anthropic-ai/sdk';\nexport class S { constructor(@Inject('LLM') private readonly llm: Anthropic) {}\n  ask() { return this.llm.messages.create({ model, max_tokens: 10, messages }); } }`, 'anthropic', 'Anthropic', false],
    ['a LangChain chat model', `import { ChatOpenAI } from '@langchain/openai';\nexport class S { constructor(private model: ChatOpenAI) {}\n  ask(q: string) { return this.model.invoke(q); } }`, 'langchain', 'ChatOpenAI', false],
    ['an AxiosInstance', `import type { AxiosInstance } from 'axios';\nexport class S { constructor(private readonly http: AxiosInstance) {}\n  get() { return this.http.get('http://billing:8080/invoices'); } }`, 'axios', 'AxiosInstance', undefined],
  ])('%s', (_name, source, library, constructorName, streaming) => {
    const all = calls(source);
    expect(all).toHaveLength(1);
    const call = all[0]!;
    expect(call.library).toBe(library);
    expect(call.optionsUnknown).toBe(true);
    expect(call.streaming).toBe(streaming);
    // No default is claimed for a client made elsewhere: neither a timeout nor a retry count.
    expect(call.timeouts.filter((t) => t.source !== 'set')).toEqual([]);
    expect(call.retries).toBeUndefined();
    const client = facts(source).clients[call.clientIndex!]!;
    expect(client).toMatchObject({ library, constructorName, injected: true, config: { kind: 'unknown' } });
  });

  it('keeps a member typed with a class the model does not know an import, not a client', () => {
    const source = `import { LlmService } from './llm.service';\nexport class S { constructor(private readonly llm: LlmService) {}\n  ask() { return this.llm.complete('hi'); } }`;
    expect(facts(source).clients).toEqual([]);
  });
});

describe('Mastra agents call their model through the AI SDK', () => {
  const facts = (source: string) => extractTsFacts(parseTsText('src/agent.ts', source));
  const AGENT = `import { Agent } from '@mastra/core/agent';\nimport { Mastra } from '@mastra/core/mastra';\nimport { openai } from '@ai-sdk/openai';\nconst agent = new Agent({ name: 'a', instructions: 'i', model: openai('gpt-4o') });\nconst mastra = new Mastra({ agents: { agent } });\n`;

  it.each([
    ['agent.stream(): streamed, timers unknown', `${AGENT}await agent.stream('hi');`, 'Mastra Agent.stream', true, []],
    ['agent.generate() with an abortSignal: that bound', `${AGENT}await agent.generate('hi', { abortSignal: AbortSignal.timeout(20_000) });`, 'Mastra Agent.generate', false, ['total:abortSignal (AbortSignal.timeout):set:20000']],
    ['mastra.getAgent(name).stream()', `${AGENT}const a = mastra.getAgent('agent');\nawait a.streamLegacy('hi');`, 'Mastra Agent.streamLegacy', true, []],
  ])('%s', (_name, source, method, streaming, timeouts) => {
    const llm = facts(source).calls.filter((c) => c.method?.startsWith('Mastra'));
    expect(llm).toHaveLength(1);
    expect(llm[0]!).toMatchObject({ library: 'ai', method, streaming, optionsUnknown: true });
    expect(llm[0]!.timeouts.map(brief)).toEqual(timeouts);
    expect(llm[0]!.retries).toBeUndefined();
  });

  it('reads no call for other methods or an Agent class of another package', () => {
    expect(facts(`${AGENT}agent.getInstructions();`).calls).toEqual([]);
    expect(facts(`import { Agent } from './agent';\nconst a = new Agent();\nawait a.stream('x');`).calls.filter((c) => c.method?.startsWith('Mastra'))).toEqual([]);
  });
});

describe('Bedrock Runtime (AWS SDK v3) calls are LLM calls whose options are not read', () => {
  const calls = (source: string) => extractTsFacts(parseTsText('src/bedrock.ts', source)).calls;
  const HEAD = `import { BedrockRuntimeClient, BedrockRuntime, ConverseCommand, ConverseStreamCommand, InvokeModelWithResponseStreamCommand, ListFoundationModelsCommand } from '@aws-sdk/client-bedrock-runtime';\nconst client = new BedrockRuntimeClient({ region: 'us-east-1' });\nconst runtime = new BedrockRuntime({});\n`;

  it.each([
    ['send(new ConverseStreamCommand(…)): streamed', `${HEAD}await client.send(new ConverseStreamCommand({ modelId, messages }));`, 'ConverseStreamCommand', true],
    ['send(new ConverseCommand(…))', `${HEAD}await client.send(new ConverseCommand({ modelId, messages }));`, 'ConverseCommand', false],
    ['send(new InvokeModelWithResponseStreamCommand(…))', `${HEAD}await client.send(new InvokeModelWithResponseStreamCommand({ modelId, body }));`, 'InvokeModelWithResponseStreamCommand', true],
    ['the aggregated client\'s converseStream()', `${HEAD}await runtime.converseStream({ modelId, messages });`, 'converseStream', true],
  ])('%s', (_name, source, method, streaming) => {
    const all = calls(source);
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({ library: 'bedrock', method, streaming, optionsUnknown: true, timeouts: [] });
    expect(all[0]!.retries).toBeUndefined();
  });

  it('reads no call for a command that calls no model, or a command class of another package', () => {
    expect(calls(`${HEAD}await client.send(new ListFoundationModelsCommand({}));`)).toEqual([]);
    expect(calls(`${HEAD}import { ConverseCommand as Local } from './commands';\nawait client.send(new Local({}));`)).toEqual([]);
  });
});
