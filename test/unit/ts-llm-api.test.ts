// LLM requests written as plain HTTP calls (llm-api.ts): which endpoints count, and the body's stream flag.
import { describe, expect, it } from 'vitest';
import { extractTsFacts } from '../../server/src/engine/inputs/ts/facts.js';
import { parseTsText } from '../../server/src/engine/inputs/ts/file.js';
import { isProviderApiHost } from '../../server/src/engine/inputs/ts/llm.js';

function callsOf(source: string) {
  return extractTsFacts(parseTsText('src/app/api/chat/route.ts', source)).calls;
}

describe('plain HTTP calls to LLM APIs', () => {
  it.each([
    ['fetch, stream: true in JSON.stringify', "fetch(`${process.env.MODEL_URL}/v1/chat/completions`, { method: 'POST', body: JSON.stringify({ model: 'm', messages: [], stream: true }) });", 'an OpenAI-compatible chat completions endpoint (/v1/chat/completions)', true],
    ['fetch without a stream flag answers in one piece', "fetch('http://vllm:8000/v1/chat/completions', { method: 'POST', body: JSON.stringify({ model: 'm', messages: [] }) });", 'an OpenAI-compatible chat completions endpoint (/v1/chat/completions)', false],
    ['fetch with stream: false', "fetch('http://vllm:8000/v1/completions', { method: 'POST', body: JSON.stringify({ prompt: 'x', stream: false }) });", 'an OpenAI-compatible completions endpoint (/v1/completions)', false],
    ['a body from a variable: stream unknown', "declare const payload: string;\nfetch('https://api.example.com/openai/chat/completions', { method: 'POST', body: payload });", 'an OpenAI-compatible chat completions endpoint (/chat/completions)', undefined],
    ['a stream flag from a parameter: unknown', "export function ask(stream: boolean) { return fetch('http://llm:8000/v1/chat/completions', { method: 'POST', body: JSON.stringify({ messages: [], stream }) }); }", 'an OpenAI-compatible chat completions endpoint (/v1/chat/completions)', undefined],
    ['axios.post with the body as data', "import axios from 'axios';\naxios.post('http://llm:8000/v1/chat/completions', { messages: [], stream: true }, { responseType: 'stream' });", 'an OpenAI-compatible chat completions endpoint (/v1/chat/completions)', true],
    ["Anthropic's messages API", "fetch('https://api.anthropic.com/v1/messages', { method: 'POST', body: JSON.stringify({ model: 'claude', max_tokens: 1024, messages: [], stream: true }) });", "Anthropic's messages endpoint (/v1/messages)", true],
    ["Gemini's streamGenerateContent streams by its path", "fetch(`https://generativelanguage.googleapis.com/v1beta/models/${'gemini-2.0-flash'}:streamGenerateContent?alt=sse`, { method: 'POST' });", "Gemini's streamGenerateContent endpoint (/v1beta/models/gemini-2.0-flash:streamGenerateContent)", true],
  ])('%s', (_name, source, words, streaming) => {
    const [call] = callsOf(source);
    expect(call?.llmApi?.words).toBe(words);
    expect(call?.llmApi?.streaming).toBe(streaming);
    expect(call?.streaming).toBe(streaming);
  });

  it.each([
    ['an app route that merely says chat', "fetch('/api/chat', { method: 'POST', body: JSON.stringify({ stream: true }) });"],
    ['a messages path on another host', "fetch('https://chat.example.com/v1/messages', { method: 'POST' });"],
    ['an unknown URL', "declare const url: string;\nfetch(url, { method: 'POST', body: JSON.stringify({ stream: true }) });"],
  ])('not an LLM API: %s', (_name, source) => {
    expect(callsOf(source)[0]?.llmApi).toBeUndefined();
  });
});

describe('provider API hosts (an LLM base URL naming one is the provider, not a gateway)', () => {
  it.each<[string, boolean]>([
    ['api.openai.com', true],
    ['my-resource.openai.azure.com', true],
    ['api.anthropic.com', true],
    ['xopenai.com', false],
    ['litellm', false],
    ['openai.com.internal', false],
  ])('%s → %s', (host, expected) => {
    expect(isProviderApiHost(host)).toBe(expected);
  });
});
