// The chain hop of a HAProxy route (frontend → backend): its timeouts by kind, retries, and how long idle server connections are reused.
import type { Hop, HopAttempts, HopTimeout, HopValueSource } from '../../chain/chain-types.js';
import type { TimeoutKind } from '../../timeout-kind.js';
import type { HaproxyRoute } from './backends.js';
import { parseHaproxyTime } from './duration.js';
import type { HaproxyModel, HaproxyProxy, HaproxySetting } from './facts.js';

declare module '../../chain/chain-types.js' {
  interface HopKinds {
    'haproxy-backend': true;
  }
  interface HopRefs {
    haproxy: { kind: 'haproxy'; model: HaproxyModel; route: HaproxyRoute; backend: HaproxyProxy };
  }
}

/** The HTTP connection mode of a request: `close` or `server-close` on either side wins over keep-alive (configuration.txt §4 "option httpclose"). */
function connectionMode(route: HaproxyRoute, backend: HaproxyProxy): 'keep-alive' | 'server-close' | 'close' | undefined {
  const modes = [route.frontend.httpConnectionMode, backend.httpConnectionMode];
  if (modes.some((m) => m.unknown !== undefined)) return undefined;
  if (modes.some((m) => m.value === 'close')) return 'close';
  if (modes.some((m) => m.value === 'server-close')) return 'server-close';
  return 'keep-alive';
}

/**
 * A hop for requests a frontend sends to a backend (or a listen section to its own servers). The
 * server side is the backend's: `timeout server` bounds the server's silence (idle kind, like nginx
 * proxy_read_timeout) and `timeout connect` each connection attempt (facts §20). `retries` repeats
 * connection attempts only, unless `retry-on` names a response timeout (facts §14, §20).
 */
export function haproxyHop(model: HaproxyModel, route: HaproxyRoute, backend: HaproxyProxy, method: string | undefined): Hop {
  const frontend = route.frontend;
  const timeouts: HopTimeout[] = [];
  const mode = backend.mode.value;
  const server = hopTimeout(backend.timeouts.server, 'timeout server', 'idle', true);
  const connect = hopTimeout(backend.timeouts.connect, 'timeout connect', 'connect', true);
  if (server) timeouts.push(server);
  if (connect) timeouts.push(connect);
  // In TCP mode HAProxy cannot tell who is expected to speak: the client side's inactivity timer
  // runs while the server thinks, and the shorter one cuts the connection ("timeout client":
  // "In TCP mode … the client timeout remains equal to the server timeout"). In HTTP mode it stops
  // once the request is complete (the client side reached end of input).
  if (mode === 'tcp' && frontend.mode.value === 'tcp') {
    const client = hopTimeout(frontend.timeouts.client, 'timeout client', 'idle', true);
    if (client) timeouts.push(client);
  }
  // Only a written one: unset, the client timeout stands in (facts §20) and is not a request timer of its own.
  const headers = hopTimeout(frontend.timeouts['http-request'], 'timeout http-request', 'request-receive', false);
  if (headers && headers.source !== 'default' && mode === 'http') timeouts.push(headers);
  const label = route.via === 'listen'
    ? `HAProxy listen ${backend.name ?? '?'}`
    : `HAProxy backend ${backend.name ?? '?'} (frontend ${frontend.name ?? '?'})`;
  const hop: Hop = {
    kind: 'haproxy-backend',
    label,
    span: backend.section.name?.span ?? backend.section.header.span,
    timeouts,
    ref: { kind: 'haproxy', model, route, backend },
  };
  if (method) hop.method = method;
  const attempts = attemptsOf(backend);
  if (attempts) hop.attempts = attempts;
  const keepAlive = pooledIdle(route, backend);
  if (keepAlive) hop.keepAlive = keepAlive;
  return hop;
}

function sourceOf(setting: HaproxySetting<unknown>): HopValueSource {
  return setting.source.kind;
}

function hopTimeout(setting: HaproxySetting<number | null> | undefined, knob: string, kind: TimeoutKind, perAttempt: boolean): HopTimeout | undefined {
  if (!setting) return undefined;
  const timeout: HopTimeout = {
    kind, knob, text: setting.text, source: sourceOf(setting), factsRef: '§20',
  };
  if (perAttempt) timeout.perAttempt = true;
  if (setting.valueSpan) timeout.span = setting.valueSpan;
  // No timeout (unset, or 0 which HAProxy stores as "eternity"): the timer is off.
  if (setting.value === null) timeout.disabled = true;
  else if (setting.value !== undefined) timeout.ms = setting.value;
  return timeout;
}

/** `retries` N: N + 1 connection attempts; a timed-out response is retried only with `retry-on` response-timeout (HTTP mode). */
function attemptsOf(backend: HaproxyProxy): HopAttempts | undefined {
  const retries = backend.retries;
  if (!retries || retries.value === undefined || retries.value < 1) return undefined;
  const retryOn = backend.retryOn?.value ?? [];
  const retriesTimeouts = backend.mode.value === 'http' && (retryOn.includes('response-timeout') || retryOn.includes('all-retryable-errors'));
  const attempts: HopAttempts = {
    count: retries.value + 1, knob: 'retries', source: retries.source.kind === 'default' ? 'default' : 'set', factsRef: '§20, §14', retriesTimeouts,
  };
  if (retries.source.kind !== 'default') attempts.span = retries.source.statement.span;
  return attempts;
}

/** HAProxy's default `pool-purge-delay` (configuration.txt "pool-purge-delay": "The default is 5s"). */
const DEFAULT_POOL_PURGE_DELAY_MS = 5000;

/**
 * How long HAProxy may keep an idle server connection for reuse. HAProxy has no idle timeout on
 * server connections (`timeout http-keep-alive` is the client side's, haproxy/haproxy#1236); idle
 * ones are closed by a task that runs every `pool-purge-delay` (5 s by default) and closes half of
 * them each time, so a connection may be reused at least that long after its last response.
 * `option http-server-close` or `httpclose` close it after each response: nothing is pooled.
 */
function pooledIdle(route: HaproxyRoute, backend: HaproxyProxy): HopTimeout | undefined {
  if (backend.mode.value !== 'http' || connectionMode(route, backend) !== 'keep-alive') return undefined;
  const written = backend.servers.map((s) => s.params['pool-purge-delay']).find((w) => w !== undefined);
  // Not in timeout-facts yet: the source is configuration.txt "pool-purge-delay", so no facts section is cited.
  if (!written) return { kind: 'keepalive', knob: 'pool-purge-delay', text: '5s', ms: DEFAULT_POOL_PURGE_DELAY_MS, source: 'default' };
  const timeout: HopTimeout = { kind: 'keepalive', knob: 'pool-purge-delay', text: written.value, source: 'set', span: written.span };
  const parsed = written.unresolved ? undefined : parseHaproxyTime(written.value);
  if (parsed?.ok) {
    // 0: HAProxy keeps no idle connection at all.
    if (parsed.ms === 0) return undefined;
    timeout.ms = parsed.ms;
  }
  return timeout;
}
