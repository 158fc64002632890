// Reports a Node server that closes idle keep-alive connections before the proxy in front of it stops reusing them (502 on reuse).
import { chainsOf, defineRule, type Fix, type Hop, type HopTimeout, type Related, type Span } from '../server/src/engine/rule-api.js';
import { upstreamNamed } from '../server/src/engine/inputs/nginx/api.js';
import { chainRelated, describeTimeout, setTimeoutEdit, valueText } from './util/chain-hops.js';
import { headlineName, placeOf } from './util/places.js';
import { serverKeepAliveEdit } from './util/ts-edits.js';

/** Hops a pooled connection passes through without a keep-alive of their own (kube-proxy, the pod). */
const TRANSPARENT = new Set<Hop['kind']>(['k8s-service', 'compose-service', 'workload']);
/** How much longer than the proxy the server keeps an idle connection after the fix. */
const FIX_MARGIN_MS = 5000;
/** Above this, a server matching the pool would hold idle sockets for too long: the fix belongs to the proxy (a DestinationRule idleTimeout below the server keep-alive). */
const MAX_FIX_MS = 15 * 60_000;

interface Pair {
  proxy: Hop;
  proxyKeepAlive: HopTimeout & { ms: number };
  server: Hop;
  serverKeepAlive: HopTimeout;
  /** The server's keep-alive in effect; for an unknown Node version, Node ≤ 25's default. */
  serverMs: number;
  /** True when the Node version is unknown and {@link serverMs} is Node ≤ 25's default. */
  versionUnknown: boolean;
  /** Node 26's default when the version is unknown. */
  newerDefaultMs?: number;
  chain: { hops: Hop[] };
}

export default defineRule({
  id: 'backend-keepalive-below-proxy-idle',
  description: 'A Node server behind a pooling proxy must keep idle keep-alive connections open longer than the proxy reuses them.',
  defaultSeverity: 'warning',
  fixable: 'sometimes',
  inputs: ['nginx', 'k8s', 'ts'],
  options: { schema: { type: 'object', additionalProperties: false, properties: {} }, defaults: {} },
  messages: {
    serverClosesFirst:
      'Server keep-alive {serverValue}; {proxyName} reuses idle connections for {proxyValue}. {server}: {serverKnob}, {serverSource}; {proxy}: {proxyKnob}: {proxySource}. A request sent on a connection the server is closing fails (502 from nginx or a load balancer, 503 from Envoy).',
    serverClosesFirstOldNode:
      'Server keep-alive {serverValue}; {proxyName} reuses idle connections for {proxyValue}. {server} runs on a Node version the package does not pin: {serverKnob} is {serverValue} by default up to Node 25 and {newerValue} from Node 26; {proxy}: {proxyKnob}, {proxySource}. A request sent on a connection the server is closing fails (502 from nginx or a load balancer, 503 from Envoy).',
  },
  check(ctx) {
    // One finding per server: the proxy that pools longest names the value to beat, the others are related.
    const byServer = new Map<string, Pair[]>();
    for (const chain of chainsOf(ctx.model).chains) {
      for (let i = 0; i < chain.hops.length; i++) {
        const pair = pairAt(chain.hops, i);
        if (!pair || pair.serverMs > pair.proxyKeepAlive.ms) continue;
        const key = spanKey(pair.server.span);
        const pairs = byServer.get(key) ?? [];
        if (!pairs.some((p) => spanKey(keepAliveSpan(p.proxy, p.proxyKeepAlive)) === spanKey(keepAliveSpan(pair.proxy, pair.proxyKeepAlive)))) pairs.push({ ...pair, chain });
        byServer.set(key, pairs);
      }
    }
    for (const pairs of byServer.values()) {
      const worst = pairs.reduce((a, b) => (b.proxyKeepAlive.ms > a.proxyKeepAlive.ms ? b : a));
      const { proxy, proxyKeepAlive, server, serverKeepAlive } = worst;
      const related: Related[] = [
        { span: keepAliveSpan(proxy, proxyKeepAlive), message: `${proxy.label}: ${proxyKeepAlive.knob} ${valueText(proxyKeepAlive.ms)} (${describeTimeout(ctx.model, proxyKeepAlive)})` },
      ];
      if (proxyKeepAlive.span) related.push({ span: proxy.span, message: proxy.label });
      const span = serverKeepAlive.span ?? server.span;
      if (serverKeepAlive.span) related.push({ span: server.span, message: server.label });
      for (const other of pairs) {
        if (other === worst) continue;
        related.push({ span: keepAliveSpan(other.proxy, other.proxyKeepAlive), message: `also ${other.proxy.label}: ${other.proxyKeepAlive.knob} ${valueText(other.proxyKeepAlive.ms)}` });
      }
      related.push(...chainRelated(ctx.model, worst.chain, [proxy, server]));
      const data: Record<string, string | number> = {
        server: server.label,
        serverValue: valueText(worst.serverMs),
        serverMs: worst.serverMs,
        serverKnob: serverKeepAlive.knob,
        serverSource: describeTimeout(ctx.model, serverKeepAlive),
        serverPlace: placeOf(ctx.model, span),
        proxy: proxy.label,
        proxyName: headlineName(proxy.label),
        proxyValue: valueText(proxyKeepAlive.ms),
        proxyMs: proxyKeepAlive.ms,
        proxyKnob: proxyKeepAlive.knob,
        proxySource: describeTimeout(ctx.model, proxyKeepAlive),
        proxyPlace: placeOf(ctx.model, keepAliveSpan(proxy, proxyKeepAlive)),
      };
      if (worst.newerDefaultMs !== undefined) data['newerValue'] = valueText(worst.newerDefaultMs);
      ctx.report({
        messageId: worst.versionUnknown ? 'serverClosesFirstOldNode' : 'serverClosesFirst',
        data,
        span,
        related,
        // A pool kept for longer than MAX_FIX_MS (Istio's 1 h default) is shortened on the proxy's side, not matched by the server.
        fixes: proxyKeepAlive.ms > MAX_FIX_MS ? [] : fixesFor(server, serverKeepAlive, proxyKeepAlive.ms + FIX_MARGIN_MS),
      });
    }

    function fixesFor(server: Hop, keepAlive: HopTimeout, ms: number): Fix[] {
      if (server.ref.kind === 'framework-server') {
        const edit = setTimeoutEdit(ctx.model, server, keepAlive, ms);
        const knob = keepAlive.source === 'env' ? keepAlive.knob : '--keepAliveTimeout';
        const value = server.ref.server.keepAliveEnv?.unit === 's' && keepAlive.source === 'env' ? `${Math.ceil(ms / 1000)} s` : valueText(ms);
        return edit ? [{ title: `Set ${knob} of ${server.label} to ${value} (unsafe: idle sockets stay open longer)`, safety: 'unsafe', edits: [edit] }] : [];
      }
      if (server.ref.kind !== 'ts-server') return [];
      // A value the code reads from the environment is changed where the environment (or the code's fallback) gives it.
      const edit = keepAlive.source === 'env'
        ? setTimeoutEdit(ctx.model, server, keepAlive, ms)
        : serverKeepAliveEdit(ctx.model, server.ref.file, server.ref.server, ms);
      if (!edit) return [];
      return [{ title: `Set keepAliveTimeout of ${server.label} to ${valueText(ms)} (unsafe: idle sockets stay open longer)`, safety: 'unsafe', edits: [edit] }];
    }
  },
});

/** A pooling gateway at `index` and the code server behind it (through Services and workloads), with their keep-alive values. */
function pairAt(hops: readonly Hop[], index: number): Omit<Pair, 'chain'> | undefined {
  const proxy = hops[index]!;
  const proxyKeepAlive = proxy.keepAlive;
  if (proxy.kind === 'code-server' || !proxyKeepAlive || proxyKeepAlive.disabled || proxyKeepAlive.ms === undefined || proxyKeepAlive.ms <= 0) return undefined;
  let j = index + 1;
  while (j < hops.length && TRANSPARENT.has(hops[j]!.kind)) j++;
  const server = hops[j];
  if (!server || server.kind !== 'code-server' || !server.keepAlive) return undefined;
  const serverKeepAlive = server.keepAlive;
  // keepAliveTimeout 0 turns the server's idle timer off: it never closes first.
  if (serverKeepAlive.disabled) return undefined;
  const withMs = { ...proxyKeepAlive, ms: proxyKeepAlive.ms };
  if (serverKeepAlive.ms !== undefined) {
    if (serverKeepAlive.ms === 0) return undefined;
    return { proxy, proxyKeepAlive: withMs, server, serverKeepAlive, serverMs: serverKeepAlive.ms, versionUnknown: false };
  }
  const candidates = serverKeepAlive.candidates;
  const older = candidates?.['<=25'];
  if (older === undefined) return undefined;
  const pair: Omit<Pair, 'chain'> = { proxy, proxyKeepAlive: withMs, server, serverKeepAlive, serverMs: older, versionUnknown: true };
  const newer = candidates?.['>=26'];
  if (newer !== undefined) pair.newerDefaultMs = newer;
  return pair;
}

/** Where the proxy's keep-alive is written; for nginx's default `keepalive_timeout`, the upstream's `keepalive` that turns pooling on. */
function keepAliveSpan(proxy: Hop, keepAlive: HopTimeout): Span {
  if (keepAlive.span) return keepAlive.span;
  if (proxy.ref.kind === 'nginx') {
    const host = proxy.ref.location.proxyTarget?.host;
    const upstream = host ? upstreamNamed(proxy.ref.model, host) : undefined;
    const pooling = upstream?.block.statements.find((d) => d.name === 'keepalive');
    if (pooling) return pooling.span;
  }
  return proxy.span;
}

function spanKey(span: Span): string {
  return `${span.file}:${span.start}:${span.end}`;
}
