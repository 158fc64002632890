// The chain hop of a Traefik router: its servers transport's forwarding timeouts, its entry point's responding timeouts, retry middleware attempts, and how long idle backend connections are pooled.
import type { Hop, HopAttempts, HopTimeout, HopValueSource } from '../../chain/chain-types.js';
import type { TimeoutKind } from '../../timeout-kind.js';
import type { TraefikDuration, TraefikRouter, TraefikService, TraefikTransport } from './facts.js';
import { entryPointsOfRouter, retriesOfRouter, staticTransport, transportOfService, type TraefikModel } from './model.js';

declare module '../../chain/chain-types.js' {
  interface HopKinds {
    'traefik-router': true;
  }
  interface HopRefs {
    traefik: { kind: 'traefik'; model: TraefikModel; router: TraefikRouter; service: TraefikService };
  }
}

// Traefik v3 defaults (timeout-facts §7, re-checked in §20).
const DEFAULTS = {
  dialTimeout: { text: '30s', ms: 30_000 },
  responseHeaderTimeout: { text: '0s', ms: 0 },
  idleConnTimeout: { text: '90s', ms: 90_000 },
  readTimeout: { text: '60s', ms: 60_000 },
  writeTimeout: { text: '0s', ms: 0 },
} as const;

const PROVIDER_WORDS: Readonly<Record<TraefikRouter['provider'], string>> = { file: 'file', docker: 'docker', kubernetescrd: 'kubernetescrd' };

/**
 * A hop for requests a router sends to its service. `responseHeaderTimeout` bounds the wait for
 * response headers once the request is written (time-to-headers, 0 = none), `dialTimeout` each
 * connection, `idleConnTimeout` idle pooled connections (facts §0, §7). The entry point's
 * `writeTimeout` bounds the whole response (0 = none); `readTimeout` the client's request.
 */
export function traefikHop(model: TraefikModel, router: TraefikRouter, service: TraefikService): Hop {
  const own = transportOfService(model, service);
  const fallback = staticTransport(model, service.provider === 'file' ? service.span.file : undefined);
  const timeouts: HopTimeout[] = [];
  const pick = (field: 'dialTimeout' | 'responseHeaderTimeout' | 'idleConnTimeout', kind: TimeoutKind): HopTimeout => {
    const knob = `forwardingTimeouts.${field}`;
    if (own === 'missing') return { kind, knob, text: `(serversTransport ${service.transport!.text} is not in the workspace)`, source: 'set', span: service.transport!.span };
    const written = own?.[field];
    if (written) return fromDuration(written, kind, knob, 'set');
    // A named transport without the field keeps Traefik's default; only services that name none take the static one.
    const inherited = own ? undefined : fallback?.[field];
    if (inherited) return fromDuration(inherited, kind, knob, 'inherited');
    const d = DEFAULTS[field];
    return d.ms === 0 ? { kind, knob, text: d.text, source: 'default', disabled: true, factsRef: '§7' } : { kind, knob, text: d.text, ms: d.ms, source: 'default', factsRef: '§7' };
  };
  const headers = pick('responseHeaderTimeout', 'time-to-headers');
  headers.perAttempt = true;
  const dial = pick('dialTimeout', 'connect');
  dial.perAttempt = true;
  timeouts.push(headers, dial);
  timeouts.push(...entryPointTimeouts(model, router));
  const hop: Hop = {
    kind: 'traefik-router',
    label: `Traefik router ${router.name}@${PROVIDER_WORDS[router.provider]}`,
    span: router.span,
    timeouts,
    ref: { kind: 'traefik', model, router, service },
  };
  // The router's file is Traefik's through a static configuration's file provider: say which, and how its path was placed.
  const load = router.provider === 'file' ? model.providerLoads.get(router.file) : undefined;
  if (load) {
    const mounted = load.mount ? `, mounted from ${load.mount.sourceText}` : '';
    hop.evidence = [{ text: `Traefik's file provider (providers.file.${load.kind === 'file' ? 'filename' : 'directory'} ${load.setting.text}${mounted})`, span: load.setting.span }];
  }
  const keepAlive = pick('idleConnTimeout', 'keepalive');
  if (!keepAlive.disabled) hop.keepAlive = keepAlive;
  const attempts = attemptsOf(model, router);
  if (attempts) hop.attempts = attempts;
  return hop;
}

/**
 * The entry point's responding timeouts, when the static configuration is in the workspace and
 * the router's entry points agree on them (several that differ: the shortest known one).
 */
function entryPointTimeouts(model: TraefikModel, router: TraefikRouter): HopTimeout[] {
  const entryPoints = entryPointsOfRouter(model, router);
  if (entryPoints.length === 0) return [];
  const out: HopTimeout[] = [];
  const shortest = (field: 'writeTimeout' | 'readTimeout', kind: TimeoutKind): void => {
    const knob = `respondingTimeouts.${field}`;
    const values = entryPoints.map((e) => e[field]);
    const written = values.filter((v): v is TraefikDuration => v !== undefined);
    if (written.length === 0) {
      const d = DEFAULTS[field];
      out.push(d.ms === 0 ? { kind, knob, text: d.text, source: 'default', disabled: true, factsRef: '§7' } : { kind, knob, text: d.text, ms: d.ms, source: 'default', factsRef: '§7' });
      return;
    }
    const known = written.filter((v) => v.ms !== undefined).sort((a, b) => a.ms! - b.ms!);
    out.push(fromDuration(known[0] ?? written[0]!, kind, knob, 'set'));
  };
  shortest('writeTimeout', 'total');
  shortest('readTimeout', 'request-receive');
  return out;
}

function fromDuration(value: TraefikDuration, kind: TimeoutKind, knob: string, source: HopValueSource): HopTimeout {
  const timeout: HopTimeout = { kind, knob, text: value.text, source, span: value.span, factsRef: '§7' };
  if (value.disabled) timeout.disabled = true;
  else if (value.ms !== undefined) timeout.ms = value.ms;
  return timeout;
}

/**
 * A retry middleware's `attempts` (its attempts in all, not retries). Whether Traefik retries an
 * attempt that timed out waiting for headers is not confirmed in timeout-facts, so attempts are
 * not taken to multiply the timeouts (`retriesTimeouts` false), which never overstates a budget.
 */
function attemptsOf(model: TraefikModel, router: TraefikRouter): HopAttempts | undefined {
  const found = retriesOfRouter(model, router).find((r) => r.retry.attempts?.count !== undefined);
  const attempts = found?.retry.attempts;
  if (!attempts || attempts.count === undefined || attempts.count < 2) return undefined;
  return { count: attempts.count, knob: `retry.attempts (middleware ${found.retry.name})`, source: 'set', span: attempts.span, retriesTimeouts: false };
}
