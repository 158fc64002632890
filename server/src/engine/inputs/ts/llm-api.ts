// LLM requests made without an SDK: a plain HTTP call (fetch, axios, got, …) to an OpenAI-compatible
// chat or completions endpoint (vLLM, LM Studio, LiteLLM, a model server's /v1), Anthropic's
// messages API or Gemini's generateContent, with the body's `stream` flag. Real code often talks to a
// self-hosted model this way; the call is then an LLM call in chains, as an SDK call is.
import { unwrap, type AstNode } from './ast.js';
import { lookupOption, type FactsContext } from './context.js';
import type { TsLlmApi, TsValue } from './types.js';
import type { RawCall } from './walk.js';

/** Endpoint paths that only LLM APIs serve, with words for the evidence. */
const LLM_PATHS: Array<{ pattern: RegExp; words: string; streamInPath?: boolean }> = [
  { pattern: /\/chat\/completions\/?$/, words: 'an OpenAI-compatible chat completions endpoint' },
  { pattern: /\/v1\/completions\/?$/, words: 'an OpenAI-compatible completions endpoint' },
  { pattern: /(?:^|[./])anthropic\.com\/v1\/messages\/?$/, words: "Anthropic's messages endpoint" },
  { pattern: /:streamGenerateContent$/, words: "Gemini's streamGenerateContent endpoint", streamInPath: true },
  { pattern: /:generateContent$/, words: "Gemini's generateContent endpoint" },
];

/**
 * The LLM API a call's URL names, with the body's stream flag, or undefined. `url` is the call's
 * URL value; `body` the request body node (fetch's `init.body`, axios' `data`).
 */
export function readLlmApi(ctx: FactsContext, call: RawCall, url: TsValue | undefined, body: () => AstNode | undefined): TsLlmApi | undefined {
  const path = staticPath(url);
  if (path === undefined) return undefined;
  const match = LLM_PATHS.find((p) => p.pattern.test(path));
  if (!match) return undefined;
  const api: TsLlmApi = { words: `${match.words} (${shortPath(path)})` };
  const streaming = match.streamInPath ? true : streamFlag(ctx, call, body());
  if (streaming !== undefined) api.streaming = streaming;
  return api;
}

/** The URL with its query string removed and unknown parts as `*`: enough to test which endpoint it names. */
function staticPath(url: TsValue | undefined): string | undefined {
  if (!url) return undefined;
  const text = url.kind === 'string' ? url.value : url.kind === 'template' ? url.parts.map((p) => (typeof p === 'string' ? p : '*')).join('') : undefined;
  return text?.replace(/[?#].*$/, '');
}

function shortPath(path: string): string {
  const slash = path.search(/\/(?:v\d+(?:beta)?\/|chat\/)/);
  return slash >= 0 ? path.slice(slash) : path;
}

/**
 * The body's `stream` flag: true or false when it is written, false when the body is an object
 * literal without it (these APIs answer in one piece by default), undefined when the body cannot be
 * read (a variable, a spread, a value from elsewhere).
 */
function streamFlag(ctx: FactsContext, call: RawCall, body: AstNode | undefined): boolean | undefined {
  let node = unwrap(body);
  // fetch bodies are strings: `JSON.stringify({ … })`.
  if (node?.type === 'CallExpression' && node.callee.type === 'MemberExpression' && node.callee.object.type === 'Identifier' && node.callee.object.name === 'JSON' && !node.callee.computed && node.callee.property.name === 'stringify') node = unwrap(node.arguments[0]);
  if (!node) return undefined;
  const value = ctx.values.evaluate(node, call.scope);
  if (value.kind !== 'object') return undefined;
  const stream = lookupOption(value, 'stream');
  if (stream.state === 'absent') return false;
  if (stream.state !== 'present') return undefined;
  return stream.property.value.kind === 'boolean' ? stream.property.value.value : undefined;
}
