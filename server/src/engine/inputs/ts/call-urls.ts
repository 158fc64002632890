// The URL an outbound call targets, as far as it is known: literals, templates, base URLs, imported constants and environment variables.
import { isProviderApiHost } from './llm.js';
import { resolveImportedValue } from './resolve.js';
import type { TsOutboundCall, TsValue } from './types.js';
import type { FileId } from '../../types.js';
import { splitUrl } from '../../chain/path-match.js';
import type { TsLookup } from './chain-values.js';
import type { EnvContext } from '../../chain/environment.js';

export interface CallUrl {
  /** The URL with unknown parts as `{}` (one path segment each). */
  text: string;
  host?: string;
  port?: number;
  path?: string;
}

/** A segment the caller cannot know (`/users/${id}`): matches a route parameter, never a static segment. */
export const UNKNOWN_SEGMENT = '{}';
/** Unknown parts and slashes only, at least one unknown part (`{}`, `{}/{}`); `/` alone is a known path. */
const ONLY_UNKNOWN = /^\/*\{\}(?:\/*\{\})*\/*$/;
const MAX_DEPTH = 8;

export function callUrlOf(call: TsOutboundCall, file: FileId, lookup: TsLookup, env: EnvContext): CallUrl | undefined {
  if (!call.url) return undefined;
  const path = stringOf(call.url.value, file, lookup, env, 0);
  if (path === undefined) return undefined;
  const base = call.url.base ? stringOf(call.url.base, file, lookup, env, 0) : undefined;
  const text = base !== undefined && !/^[a-z]+:\/\//i.test(path) ? `${base.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}` : path;
  // Nothing of it is known (`fetch(url)` with `url` a parameter): no URL to show, link or name, rather than "{}".
  if (ONLY_UNKNOWN.test(text)) return undefined;
  const parts = splitUrl(text);
  // A base from the environment that the environment does not give (or gives as the provider's API) is no gateway.
  if (call.url.fromEnvironment && (!parts?.host || parts.host.includes(UNKNOWN_SEGMENT) || isProviderApiHost(parts.host))) return undefined;
  if (!parts) return { text };
  const out: CallUrl = { text, path: parts.path || '/' };
  // A host made of unknown parts is no host at all.
  if (parts.host && !parts.host.includes(UNKNOWN_SEGMENT)) out.host = parts.host;
  if (parts.port !== undefined) out.port = parts.port;
  return out;
}

function stringOf(value: TsValue, file: FileId, lookup: TsLookup, env: EnvContext, depth: number): string | undefined {
  if (depth > MAX_DEPTH) return UNKNOWN_SEGMENT;
  switch (value.kind) {
    case 'string':
      return value.value;
    case 'number':
      return String(value.value);
    case 'template':
      return value.parts.map((part) => (typeof part === 'string' ? part : (stringOf(part, file, lookup, env, depth + 1) ?? UNKNOWN_SEGMENT))).join('');
    case 'import': {
      // An imported value read in another module (a client's options) resolves from the module that wrote it.
      const resolved = resolveImportedValue(lookup, value.span.file || file, value);
      return resolved.kind === 'unknown' ? UNKNOWN_SEGMENT : stringOf(resolved, resolved.span.file || file, lookup, env, depth + 1);
    }
    case 'env': {
      const binding = env.get(value.name);
      if (binding?.text !== undefined && !binding.unknown) return binding.text;
      if (binding) return UNKNOWN_SEGMENT;
      return value.default ? stringOf(value.default, file, lookup, env, depth + 1) : UNKNOWN_SEGMENT;
    }
    default:
      return UNKNOWN_SEGMENT;
  }
}
