// Which LLM provider a LiteLLM model calls: the provider prefix of `litellm_params.model` (`openai/gpt-4o`, `anthropic/claude-3-5-sonnet`, `azure/<deployment>`), as LiteLLM's get_llm_provider reads it.

/** Provider prefixes LiteLLM routes by (litellm/types/utils.py LlmProviders), with the names chains show. */
const PROVIDERS: ReadonlyMap<string, string> = new Map([
  ['openai', 'OpenAI'], ['text-completion-openai', 'OpenAI'], ['azure', 'Azure OpenAI'], ['azure_text', 'Azure OpenAI'], ['azure_ai', 'Azure AI'],
  ['anthropic', 'Anthropic'], ['bedrock', 'AWS Bedrock'], ['sagemaker', 'AWS SageMaker'], ['sagemaker_chat', 'AWS SageMaker'],
  ['vertex_ai', 'Google Vertex AI'], ['vertex_ai_beta', 'Google Vertex AI'], ['gemini', 'Google Gemini API'], ['palm', 'Google PaLM'],
  ['mistral', 'Mistral AI'], ['codestral', 'Mistral AI'], ['cohere', 'Cohere'], ['cohere_chat', 'Cohere'], ['groq', 'Groq'],
  ['together_ai', 'Together AI'], ['fireworks_ai', 'Fireworks AI'], ['deepseek', 'DeepSeek'], ['xai', 'xAI'], ['perplexity', 'Perplexity'],
  ['openrouter', 'OpenRouter'], ['replicate', 'Replicate'], ['huggingface', 'Hugging Face'], ['deepinfra', 'DeepInfra'],
  ['databricks', 'Databricks'], ['watsonx', 'IBM watsonx'], ['cloudflare', 'Cloudflare Workers AI'], ['nvidia_nim', 'NVIDIA NIM'],
  ['cerebras', 'Cerebras'], ['sambanova', 'SambaNova'], ['ai21', 'AI21'], ['ai21_chat', 'AI21'], ['voyage', 'Voyage AI'], ['jina_ai', 'Jina AI'],
  ['github', 'GitHub Models'], ['dashscope', 'Alibaba DashScope'], ['moonshot', 'Moonshot AI'], ['nebius', 'Nebius AI'],
  ['ollama', 'Ollama'], ['ollama_chat', 'Ollama'], ['hosted_vllm', 'vLLM'], ['vllm', 'vLLM'], ['lm_studio', 'LM Studio'], ['llamafile', 'llamafile'],
  ['triton', 'NVIDIA Triton'], ['openai_like', 'an OpenAI-compatible server'], ['custom_openai', 'an OpenAI-compatible server'],
]);

/**
 * Model names LiteLLM knows without a prefix (its model cost map): only the families whose
 * provider is certain are inferred; any other bare name leaves the provider unnamed.
 */
const INFERRED: ReadonlyArray<readonly [RegExp, string]> = [
  [/^(gpt-|chatgpt-|o[134](-|$)|text-embedding-|dall-e-|whisper-|tts-)/i, 'openai'],
  [/^claude-/i, 'anthropic'],
];

export interface LitellmProvider {
  /** LiteLLM's provider id (`openai`, `anthropic`). */
  id: string;
  /** How chains name it (`OpenAI`). */
  name: string;
  /** True when the model carries no prefix and LiteLLM infers the provider from the model's name. */
  inferred: boolean;
}

/** The provider of `litellm_params.model`; undefined for an unknown prefix or a bare name of no known family. */
export function providerOf(model: string): LitellmProvider | undefined {
  const text = model.trim();
  const slash = text.indexOf('/');
  if (slash > 0) {
    const id = text.slice(0, slash).toLowerCase();
    const name = PROVIDERS.get(id);
    return name ? { id, name, inferred: false } : undefined;
  }
  const family = INFERRED.find(([pattern]) => pattern.test(text));
  return family ? { id: family[1], name: PROVIDERS.get(family[1])!, inferred: true } : undefined;
}
