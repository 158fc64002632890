// A small hand-written OpenRouter client: tests pass a fake fetch, the server passes one with a timeout.
export interface ChatRequest {
  model: string;
  messages: Array<{ role: string; content: string }>;
}

export class OpenRouterClient {
  private apiKey: string | undefined;
  private baseURL: string;
  private customFetch?: typeof fetch;

  constructor(apiKey: string | undefined, baseURL?: string, customFetch?: typeof fetch) {
    this.apiKey = apiKey;
    this.baseURL = baseURL || 'https://openrouter.ai/api/v1';
    this.customFetch = customFetch;
  }

  async chatCompletions(request: ChatRequest): Promise<unknown> {
    const fetchFn = this.customFetch || fetch;
    const response = await fetchFn(`${this.baseURL}/chat/completions`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${this.apiKey}` },
      body: JSON.stringify({ ...request, stream: false }),
    });
    if (!response.ok) throw new Error(`OpenRouter API error: ${response.status}`);
    return response.json();
  }
}
