// Finds the LLM call behind a gateway route through the chain model: the route is an LLM route because its handler calls a model.
import { chainsOf, type ChainModel, type Hop, type Related, type WorkspaceModel } from '../../server/src/engine/rule-api.js';
import { placeOf } from './places.js';

export interface LlmBehind {
  /** For messages: `its handler POST /api/chat calls openai chat.completions.create call at services/chat-api/src/server.ts:8`. */
  evidence: string;
  related: Related[];
}

/** The model object that identifies a gateway hop: the nginx location's directive or the Ingress path. */
export type GatewayKey = object;

interface Behind {
  call: Hop;
  handler?: Hop;
  /** The LLM gateway (a LiteLLM model) whose provider is the call, when no code makes it. */
  gateway?: Hop;
}

const indexes = new WeakMap<ChainModel, Map<GatewayKey, Behind>>();

/**
 * The first non-streaming LLM call reached through the gateway hop `key` identifies, with the
 * handler that makes it. Streaming calls are left to the streaming rules: their idle gaps are short.
 * The index is built once per model, so every route costs a map lookup.
 */
export function llmCallBehind(model: WorkspaceModel, key: GatewayKey | undefined): LlmBehind | undefined {
  if (key === undefined) return undefined;
  const found = indexOf(chainsOf(model)).get(key);
  if (!found) return undefined;
  const { call, handler, gateway } = found;
  const caller = handler ? `its handler ${handler.label.replace(/ handler$/, '')}` : gateway ? gateway.label : 'the code behind it';
  const evidence = `${caller} calls ${call.label} at ${placeOf(model, call.span)}`;
  const related: Related[] = [{ span: call.span, message: `LLM call: ${call.label}` }];
  if (handler) related.push({ span: handler.span, message: `route handler ${handler.label.replace(/ handler$/, '')}` });
  return { evidence, related };
}

function indexOf(chains: ChainModel): Map<GatewayKey, Behind> {
  let index = indexes.get(chains);
  if (index) return index;
  index = new Map();
  for (const chain of chains.chains) {
    // A call in code, or the provider an LLM gateway's model names (a LiteLLM proxy behind the route).
    const callAt = chain.hops.findIndex((h, i) => h.llm && h.streaming !== true && (h.kind === 'outbound-call' || (h.kind === 'llm-provider' && chain.hops[i - 1]?.streaming !== true)));
    if (callAt < 0) continue;
    const call = chain.hops[callAt]!;
    const gateway = call.kind === 'llm-provider' ? chain.hops[callAt - 1] : undefined;
    chain.hops.forEach((hop, i) => {
      if (i >= callAt) return;
      const key = hop.ref.kind === 'nginx' ? hop.ref.location.directive : hop.ref.kind === 'ingress' ? hop.ref.path : undefined;
      if (!key || index!.has(key)) return;
      const handler = chain.hops.slice(i + 1, callAt).find((h) => h.kind === 'route-handler');
      index!.set(key, { call, ...(handler ? { handler } : {}), ...(gateway && !handler ? { gateway } : {}) });
    });
  }
  indexes.set(chains, index);
  return index;
}
