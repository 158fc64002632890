// Reports websocket hops whose gateway idle (read) timeout cuts a connection before the server's next ping: socket.io below its ping interval, ws with no ping at all.
import { chainsOf, compilePcrePattern, defineRule, parseNginxTime, spokenDuration, type Fix, type Hop, type Related } from '../server/src/engine/rule-api.js';
import { webSocketServerAnswers, type TsStreamEvidence, type TsWebSocketServer } from '../server/src/engine/inputs/ts/api.js';
import { describeTimeout, raisedSeconds, setTimeoutEdit } from './util/chain-hops.js';
import { idleLimitOf } from './util/chain-streaming.js';
import { websocketUpgrade } from './util/llm-routes.js';
import { headlineName, placeOf } from './util/places.js';

interface Options {
  /** ws servers that never ping are reported behind an idle timeout at or below this nginx duration. */
  noPingThreshold: string;
}

export default defineRule<Options>({
  id: 'websocket-idle-below-ping',
  description: 'A websocket behind a gateway must be pinged more often than the gateway\'s idle (read) timeout cuts a silent connection.',
  defaultSeverity: 'warning',
  fixable: 'sometimes',
  inputs: ['nginx', 'k8s', 'ts'],
  options: {
    schema: {
      type: 'object',
      additionalProperties: false,
      properties: {
        noPingThreshold: { type: 'string', description: 'A ws server that sends no pings is reported when the gateway cuts idle connections after this nginx duration or sooner.' },
      },
    },
    defaults: { noPingThreshold: '60s' },
  },
  messages: {
    belowPing:
      '{gatewayName} closes idle websockets at {value}; the server pings every {interval}. {gateway} relays the websocket of {server} ({knob}, {source}; ping: {ping}), so every idle connection is closed and the client reconnects.',
    noPing:
      '{gatewayName} closes idle websockets at {value}; the server sends no pings. {gateway} relays the websocket of {server} ({knob}, {source}), so an idle client is cut off; ping the clients more often than that (`setInterval(() => ws.ping(), …)`).',
  },
  check(ctx) {
    const threshold = parseNginxTime(ctx.options.noPingThreshold, 'ms');
    const noPingMs = threshold.ok ? threshold.ms : 60_000;
    const reported = new Set<string>();
    for (const chain of chainsOf(ctx.model).chains) {
      // The package behind the gateway: reached through its HTTP server, a route, or the websocket server itself.
      const pkgHop = chain.hops.find((h) => h.ref.kind === 'ts-server' || h.ref.kind === 'framework-server' || h.ref.kind === 'ts-route' || h.ref.kind === 'ts-websocket');
      if (!pkgHop) continue;
      const files = (pkgHop.ref as { pkg: { files: string[] } }).pkg.files;
      const servers = files.flatMap((file) => ctx.model.ts.files.get(file)?.webSocketServers ?? []);
      if (servers.length === 0) continue;
      const pings = files.flatMap((file) => ctx.model.ts.files.get(file)?.webSocketPings ?? []);
      for (const gateway of chain.hops.slice(0, chain.hops.indexOf(pkgHop))) {
        const path = websocketPathOf(gateway);
        if (path === undefined) continue;
        const idle = idleLimitOf(gateway);
        if (!idle) continue;
        const socketRef = chain.hops.map((h) => h.ref).find((r) => r.kind === 'ts-websocket');
        const server = socketRef?.kind === 'ts-websocket' && pathMatches(path, socketRef.server) ? socketRef.server : servers.find((s) => pathMatches(path, s));
        if (!server) continue;
        const verdict = verdictOf(server, pings, idle.ms!, noPingMs);
        if (!verdict) continue;
        const span = idle.span ?? gateway.span;
        const key = `${span.file}:${span.start}:${server.span.file}:${server.span.start}`;
        if (reported.has(key)) continue;
        reported.add(key);
        const related: Related[] = [{ span: server.span, message: `${server.library} server` }];
        if (verdict.pingSpan) related.push({ span: verdict.pingSpan, message: `ping: ${verdict.ping}` });
        if (idle.span) related.push({ span: gateway.span, message: gateway.label });
        const fixes: Fix[] = [];
        if (verdict.kind === 'belowPing') {
          const raiseTo = raisedSeconds(verdict.gapMs) * 1000;
          const edit = setTimeoutEdit(ctx.model, gateway, idle, raiseTo);
          if (edit) fixes.push({ title: `Raise ${idle.knob} of ${gateway.label} to ${spokenDuration(raiseTo)} (unsafe: holds idle connections longer)`, safety: 'unsafe', edits: [edit] });
        }
        ctx.report({
          messageId: verdict.kind,
          data: {
            gateway: gateway.label,
            gatewayName: headlineName(gateway.label),
            server: `the ${server.library} server at ${placeOf(ctx.model, server.span)}`,
            knob: idle.knob,
            value: spokenDuration(idle.ms!),
            valueMs: idle.ms!,
            source: describeTimeout(ctx.model, idle),
            ...(verdict.kind === 'belowPing' ? { interval: spokenDuration(verdict.intervalMs), intervalMs: verdict.intervalMs, ping: verdict.ping } : {}),
          },
          span,
          related,
          fixes,
        });
      }
    }
  },
});

type Verdict =
  | { kind: 'belowPing'; intervalMs: number; gapMs: number; ping: string; pingSpan?: TsWebSocketServer['span'] }
  | { kind: 'noPing'; ping?: undefined; pingSpan?: undefined };

/**
 * socket.io pings every `pingInterval` and starts the next interval once the pong is back (within
 * `pingTimeout`), so an idle connection carries a frame at least every `pingInterval`: a read
 * timeout at or below it closes every idle connection. ws pings only when the code does: the
 * package's ping timers count; none at all is reported behind a short idle timeout, a ping whose
 * interval is not static is unknown and stays quiet.
 */
function verdictOf(server: TsWebSocketServer, pings: TsStreamEvidence[], idleMs: number, noPingMs: number): Verdict | undefined {
  if (server.library === 'socket.io') {
    const interval = server.pingInterval;
    if (interval?.ms === undefined || interval.ms < idleMs) return undefined;
    const timeoutMs = server.pingTimeout?.ms ?? 0;
    const ping = interval.source === 'default' ? `pingInterval ${spokenDuration(interval.ms)} by default (engine.io)` : `pingInterval ${spokenDuration(interval.ms)}`;
    return { kind: 'belowPing', intervalMs: interval.ms, gapMs: interval.ms + timeoutMs, ping, ...(interval.span ? { pingSpan: interval.span } : {}) };
  }
  if (pings.length === 0) return idleMs <= noPingMs ? { kind: 'noPing' } : undefined;
  const known = pings.filter((p) => p.intervalMs !== undefined).sort((a, b) => a.intervalMs! - b.intervalMs!);
  const fastest = known[0];
  if (!fastest || fastest.intervalMs! < idleMs) return undefined;
  return { kind: 'belowPing', intervalMs: fastest.intervalMs!, gapMs: fastest.intervalMs!, ping: fastest.text, pingSpan: fastest.span };
}

/** The path a websocket hop routes (an nginx location that passes `Upgrade`, an Ingress path), or undefined when the hop is no websocket hop. */
function websocketPathOf(hop: Hop): { prefix?: string; regex?: { pattern: string; caseless: boolean } } | undefined {
  const ref = hop.ref;
  if (ref.kind === 'nginx') {
    if (!websocketUpgrade(ref.location)) return undefined;
    const match = ref.location.location;
    if (!match || match.modifier === '@') return undefined;
    if (match.modifier === '~' || match.modifier === '~*') return { regex: { pattern: match.pattern, caseless: match.modifier === '~*' } };
    return { prefix: match.pattern };
  }
  // ingress-nginx relays websockets on every path without an annotation.
  if (ref.kind === 'ingress') return { prefix: ref.path.path?.text ?? '/' };
  return undefined;
}

/** True when a request for the server's path can reach it through the hop; a server without a path (ws) takes any. */
function pathMatches(path: NonNullable<ReturnType<typeof websocketPathOf>>, server: TsWebSocketServer): boolean {
  if (path.prefix !== undefined) return webSocketServerAnswers(server, { path: path.prefix, prefix: true });
  if (server.pathUnknown) return false;
  if (server.path === undefined) return true;
  const compiled = compilePcrePattern(path.regex!.pattern, path.regex!.caseless);
  return compiled.ok && compiled.regex.test(server.path.endsWith('/') ? server.path : `${server.path}/`);
}
