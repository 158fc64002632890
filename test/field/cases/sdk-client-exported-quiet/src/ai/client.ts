import OpenAI from 'openai';

// One try of at most 60 s: the proxy in front waits 90 s.
export const ai = new OpenAI({ timeout: 60_000, maxRetries: 0 });
