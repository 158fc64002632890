// The classes of the SDK clients the model knows, by library: what `new X(…)` makes a client of, and
// what an injected member typed `X` stands for.
import type { TsLibrary } from './types.js';

/** Constructors (by exported name) that create an LLM client; `default` is the package's default export. */
export const LLM_CONSTRUCTORS: Partial<Record<TsLibrary, ReadonlySet<string>>> = {
  openai: new Set(['default', 'OpenAI', 'AzureOpenAI']),
  anthropic: new Set(['default', 'Anthropic', 'AnthropicBedrock', 'AnthropicVertex']),
  groq: new Set(['default', 'Groq']),
  mistral: new Set(['Mistral', 'default']),
  'google-genai': new Set(['GoogleGenAI']),
  // AWS SDK v3: the command client and the aggregated client with one method per command.
  bedrock: new Set(['BedrockRuntimeClient', 'BedrockRuntime']),
};

/** The class name a library's default export stands for. */
export function defaultClassName(library: TsLibrary): string {
  return { openai: 'OpenAI', anthropic: 'Anthropic', groq: 'Groq', mistral: 'Mistral' }[library as 'openai'] ?? library;
}

/** Whether a member typed with this export of `library` is one of its clients (an LLM SDK class, a LangChain chat model, axios's instance type). */
export function isClientClass(library: TsLibrary, name: string): boolean {
  if (LLM_CONSTRUCTORS[library]?.has(name)) return true;
  if (library === 'langchain') return /^(Azure)?Chat[A-Z]/.test(name);
  return library === 'axios' && name === 'AxiosInstance';
}
