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

const indexes = new WeakMap<ChainModel, Map<GatewayKey, { call: Hop; handler?: Hop }>>();

/**
 * The first non-streaming LLM call reached through the gateway hop `key` identifies, with the
 * handler that makes it. Streaming calls are left to the streaming rules: their idle gaps are short.
 * The index is built once per model, so every route costs a map lookup.
 */
export function llmCallBehind(model: WorkspaceModel, key: GatewayKey | undefined): LlmBehind | undefined {
  if (key === undefined) return undefined;
  const found = indexOf(chainsOf(model)).get(key);
  if (!found) return undefined;
  const { call, handler } = found;
  const evidence = `${handler ? `its handler ${handler.label.replace(/ handler$/, '')}` : 'the code behind it'} calls ${call.label} at ${placeOf(model, call.span)}`;
  const related: Related[] = [{ span: call.span, message: `LLM call: ${call.label}` }];
  if (handler) related.push({ span: handler.span, message: `route handler ${handler.label.replace(/ handler$/, '')}` });
  return { evidence, related };
}

function indexOf(chains: ChainModel): Map<GatewayKey, { call: Hop; handler?: Hop }> {
  let index = indexes.get(chains);
  if (index) return index;
  index = new Map();
  for (const chain of chains.chains) {
    const call = chain.hops.find((h) => h.llm && h.kind === 'outbound-call' && h.streaming !== true);
    if (!call) continue;
    const callAt = chain.hops.indexOf(call);
    chain.hops.forEach((hop, i) => {
      if (i >= callAt) return;
      const key = hop.ref.kind === 'nginx' ? hop.ref.location.directive : hop.ref.kind === 'ingress' ? hop.ref.path : undefined;
      if (!key || index!.has(key)) return;
      const handler = chain.hops.slice(i + 1, callAt).find((h) => h.kind === 'route-handler');
      index!.set(key, handler ? { call, handler } : { call });
    });
  }
  indexes.set(chains, index);
  return index;
}
