// The chain hop of a Kong route and its service: connect, read and write timeouts per try (milliseconds), retries, and how long idle upstream connections are kept.
import type { Hop, HopAttempts, HopTimeout } from '../../chain/chain-types.js';
import type { TimeoutKind } from '../../timeout-kind.js';
import type { KongFile, KongNumber, KongRoute, KongService } from './config.js';

declare module '../../chain/chain-types.js' {
  interface HopKinds {
    'kong-route': true;
  }
  interface HopRefs {
    kong: { kind: 'kong'; file: KongFile; service: KongService; route?: KongRoute };
  }
}

/** Kong's Service defaults: 60000 ms for each timeout, 5 retries (timeout-facts §8). */
const DEFAULT_TIMEOUT_MS = 60_000;
const DEFAULT_RETRIES = 5;
/** `upstream_keepalive_idle_timeout` in kong.conf: 60 s (timeout-facts §8). */
const DEFAULT_KEEPALIVE_MS = 60_000;

/** Methods nginx does not retry once the request was sent (facts §14); Kong retries through nginx's balancer (facts §8). */
const NON_IDEMPOTENT = new Set(['POST', 'PATCH', 'LOCK']);

/**
 * A hop for requests a route sends to its service. Kong applies the three timeouts to each try
 * through the nginx balancer, so they act like nginx's proxy_connect/send/read timeouts (read:
 * between two successive reads, facts §0); `retries` adds tries, filtered as nginx's
 * `proxy_next_upstream error timeout` (facts §8, §14).
 */
export function kongHop(file: KongFile, service: KongService, route: KongRoute | undefined): Hop {
  // write_timeout bounds only the sending of the request (between two writes, like nginx's
  // proxy_send_timeout, which the nginx hop leaves out too): it never cuts a silent response.
  const timeouts: HopTimeout[] = [
    timeoutOf(service.readTimeout, 'read_timeout', 'idle'),
    timeoutOf(service.connectTimeout, 'connect_timeout', 'connect'),
  ];
  const serviceName = service.name ?? '(unnamed)';
  const label = route?.name ? `Kong route ${route.name} (service ${serviceName})` : `Kong service ${serviceName}`;
  const hop: Hop = {
    kind: 'kong-route',
    label,
    span: route?.span ?? service.span,
    timeouts,
    ref: route ? { kind: 'kong', file, service, route } : { kind: 'kong', file, service },
    keepAlive: { kind: 'keepalive', knob: 'upstream_keepalive_idle_timeout', text: '60s', ms: DEFAULT_KEEPALIVE_MS, source: 'default', factsRef: '§8' },
  };
  // Only when every method of the route is one nginx does not retry once sent does a timed-out try stay unretried.
  const methods = route?.methods ?? [];
  if (methods.length > 0 && methods.every((m) => NON_IDEMPOTENT.has(m))) hop.method = methods[0]!;
  const attempts = attemptsOf(service, hop.method);
  if (attempts) hop.attempts = attempts;
  return hop;
}

function timeoutOf(written: KongNumber | undefined, knob: string, kind: TimeoutKind): HopTimeout {
  if (!written) return { kind, knob, text: String(DEFAULT_TIMEOUT_MS), ms: DEFAULT_TIMEOUT_MS, source: 'default', factsRef: '§8', perAttempt: true };
  const timeout: HopTimeout = { kind, knob, text: written.text, source: 'set', span: written.span, factsRef: '§8', perAttempt: true };
  if (written.value !== undefined && written.value > 0) timeout.ms = written.value;
  return timeout;
}

function attemptsOf(service: KongService, method: string | undefined): HopAttempts | undefined {
  const written = service.retries;
  if (written && written.value === undefined) return undefined;
  const retries = written?.value ?? DEFAULT_RETRIES;
  if (retries < 1) return undefined;
  const attempts: HopAttempts = {
    count: retries + 1, knob: 'retries', source: written ? 'set' : 'default', factsRef: '§8, §14',
    retriesTimeouts: method === undefined || !NON_IDEMPOTENT.has(method),
  };
  if (written) attempts.span = written.span;
  return attempts;
}
