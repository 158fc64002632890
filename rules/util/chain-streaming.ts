// Finds the streaming route handler behind a gateway route through the chain model: the route streams because its handler's code says so.
import { chainsOf, type ChainModel, type Hop, type HopKind, type HopTimeout, type Related, type WorkspaceModel } from '../../server/src/engine/rule-api.js';
import type { GatewayKey } from './chain-llm.js';
import { placeOf } from './places.js';

export interface StreamBehind {
  /** For messages: `its handler POST /api/chat streams: res.write at services/api/src/chat.ts:41`. */
  evidence: string;
  related: Related[];
  /** The handler sends `X-Accel-Buffering: no` itself (or its framework does): nginx does not buffer it. */
  noBuffering: boolean;
  /** The handler streams a model's answer (a streamed LLM SDK call). */
  llm: boolean;
}

const indexes = new WeakMap<ChainModel, Map<GatewayKey, Hop[]>>();

/**
 * The route handlers with streaming evidence reached through the gateway hop `key` identifies
 * (an nginx location's directive, an Ingress path). Several handlers may sit behind one prefix
 * location: the first one that streams speaks for the route, and the route counts as unbuffered
 * only when every streaming handler behind it turns buffering off.
 */
export function streamBehind(model: WorkspaceModel, key: GatewayKey | undefined): StreamBehind | undefined {
  if (key === undefined) return undefined;
  const handlers = indexOf(chainsOf(model)).get(key);
  if (!handlers || handlers.length === 0) return undefined;
  const first = handlers[0]!;
  const stream = first.stream!;
  const piece = stream.streams[0]!;
  const name = first.label.replace(/ handler$/, '');
  const evidence = `its handler ${name} streams: ${piece.text} at ${placeOf(model, piece.span!)}`;
  const related: Related[] = [{ span: piece.span!, message: `streams: ${piece.text}` }, { span: first.span, message: `route handler ${name}` }];
  const llmPiece = handlers.map((h) => h.stream!.llmStreams[0]).find((e) => e !== undefined && e !== piece);
  if (llmPiece) related.push({ span: llmPiece.span!, message: `streams: ${llmPiece.text}` });
  return { evidence, related, noBuffering: handlers.every((h) => h.stream!.noBuffering.length > 0), llm: handlers.some((h) => h.stream!.llmStreams.length > 0) };
}

function indexOf(chains: ChainModel): Map<GatewayKey, Hop[]> {
  let index = indexes.get(chains);
  if (index) return index;
  index = new Map();
  for (const chain of chains.chains) {
    const at = chain.hops.findIndex((h) => h.kind === 'route-handler' && (h.stream?.streams.length ?? 0) > 0);
    if (at < 0) continue;
    const handler = chain.hops[at]!;
    for (const hop of chain.hops.slice(0, at)) {
      const key = hop.ref.kind === 'nginx' ? hop.ref.location.directive : hop.ref.kind === 'ingress' ? hop.ref.path : hop.ref.kind === 'gateway-route' ? hop.ref.rule : hop.ref.kind === 'virtual-service' ? hop.ref.route : undefined;
      if (!key) continue;
      const list = index.get(key) ?? [];
      if (!list.includes(handler)) list.push(handler);
      index.set(key, list);
    }
  }
  indexes.set(chains, index);
  return index;
}

/** Hops that proxy a request on to the next one: their idle timer cuts a stream that stays silent. */
export const GATEWAY_HOPS: ReadonlySet<HopKind> = new Set<HopKind>(['nginx-location', 'ingress-path', 'gateway-route', 'virtual-service', 'traefik-router', 'kong-route']);

/**
 * The gateway timer that ends a silent stream: its shortest idle (read) timeout with a known value.
 * Total timers are not idle limits (a heartbeat does not help against them) and are left out.
 */
export function idleLimitOf(hop: Hop): HopTimeout | undefined {
  let best: HopTimeout | undefined;
  for (const timeout of hop.timeouts) {
    if (timeout.kind !== 'idle' || timeout.disabled || timeout.ms === undefined || timeout.ms <= 0) continue;
    if (!best || timeout.ms < best.ms!) best = timeout;
  }
  return best;
}
