// nginx hops: a proxying location with its read/connect timeouts, tries over the upstream's servers, pooled keep-alive and error_page fallbacks.
import { effectiveValue, upstreamNamed, type EffectiveValue, type NginxBlock, type NginxModel } from './model.js';
import { errorPageFallback, servingLocation } from './serving.js';
import type { TimeoutKind } from '../../timeout-kind.js';
import type { Span } from '../../types.js';
import type { Hop, HopAttempts, HopTimeout } from '../../chain/chain-types.js';

declare module '../../chain/chain-types.js' {
  interface HopKinds {
    'nginx-location': true;
  }
  interface HopRefs {
    nginx: { kind: 'nginx'; model: NginxModel; server?: NginxBlock; location: NginxBlock };
  }
}

/** Methods nginx does not retry once the request was sent (facts §14). */
export const NON_IDEMPOTENT = new Set(['POST', 'PATCH', 'LOCK']);

export function headerSpanOf(block: NginxBlock, fallback: Span): Span {
  const directive = block.directive;
  if (!directive) return fallback;
  const last = directive.args.at(-1);
  return { file: directive.span.file, start: directive.nameSpan.start, end: last ? last.span.end : directive.nameSpan.end };
}

// Effective values are shared by every location that inherits the same directive or default, and so
// are the hop timeouts made of them (never changed once made): one per value, kind and per-attempt.
const nginxTimeouts = new WeakMap<EffectiveValue, Map<string, HopTimeout>>();

function nginxTimeout(value: EffectiveValue | undefined, kind: TimeoutKind, perAttempt = false): HopTimeout | undefined {
  if (!value) return undefined;
  let made = nginxTimeouts.get(value);
  if (!made) {
    made = new Map();
    nginxTimeouts.set(value, made);
  }
  const key = perAttempt ? `${kind}+` : kind;
  let timeout = made.get(key);
  if (!timeout) {
    timeout = makeNginxTimeout(value, kind, perAttempt);
    made.set(key, timeout);
  }
  return timeout;
}

function makeNginxTimeout(value: EffectiveValue, kind: TimeoutKind, perAttempt: boolean): HopTimeout {
  const source = value.source.kind === 'default' ? 'default' : value.source.kind;
  const timeout: HopTimeout = { kind, knob: value.knob.name, text: value.text, source, factsRef: value.knob.factsRef };
  // Set here, not spread onto a copy later: a spread copy costs every hop timeout a hidden class of its own.
  if (perAttempt) timeout.perAttempt = true;
  // A value nginx rejects only for its spelling counts as what it means (invalid-timeout-value reports the spelling).
  const ms = value.ms ?? value.meantMs;
  if (ms !== undefined) timeout.ms = ms;
  if (value.source.kind !== 'default') {
    const args = value.source.directive.args;
    timeout.span = args.length > 0 ? { file: args[0]!.span.file, start: args[0]!.span.start, end: args.at(-1)!.span.end } : value.source.directive.span;
  }
  return timeout;
}

/** An nginx location that proxies: read/connect timeouts, tries over the upstream's servers, pooled keep-alive. */
interface FamilyKnobs {
  family: string;
  read: string;
  connect: string;
  nextTimeout: string;
  tries: string;
  next: string;
  buffering: string;
}

const knobsByVia = new Map<string, FamilyKnobs>();

/** The knob names of a `*_pass` family (`proxy`, `grpc`, `fastcgi`, `uwsgi`), built once: every location of a gateway asks. */
function familyKnobs(via: string): FamilyKnobs {
  let knobs = knobsByVia.get(via);
  if (!knobs) {
    const family = via.replace(/_pass$/, '');
    knobs = {
      family, read: `${family}_read_timeout`, connect: `${family}_connect_timeout`, nextTimeout: `${family}_next_upstream_timeout`,
      tries: `${family}_next_upstream_tries`, next: `${family}_next_upstream`, buffering: `${family}_buffering`,
    };
    knobsByVia.set(via, knobs);
  }
  return knobs;
}

/** nginx stops re-running a request after this many internal redirects (`NGX_HTTP_MAX_URI_CHANGES`). */
const MAX_URI_CHANGES = 10;

export function nginxLocationHop(model: NginxModel, server: NginxBlock | undefined, location: NginxBlock, method: string | undefined): Hop {
  const hop = nginxProxyHop(model, location, method);
  if (server) hop.ref = { kind: 'nginx', model, location, server };
  if (!server) return hop;
  // A timed-out request re-run by `error_page 504` (facts §1.3): the fallback's waits add to these.
  // nginx marks the request as redirected once by the location whose error_page it uses, unless
  // `recursive_error_pages on` applies *there* (ngx_http_special_response_handler); so a fallback's
  // own error_page runs only when every location before it had it on (measured: on in the fallback alone is not enough).
  let from = location;
  let last = hop;
  const seen = new Set([location]);
  for (let i = 0; i < MAX_URI_CHANGES; i++) {
    const fallback = errorPageFallback(server, from, 504);
    const serving = fallback ? servingLocation(server, fallback) : undefined;
    if (!serving || seen.has(serving)) break;
    seen.add(serving);
    last.fallback = nginxProxyHop(model, serving, method, server);
    last = last.fallback;
    if (!recursiveErrorPages(from)) break;
    from = serving;
  }
  return hop;
}

/** `recursive_error_pages` as it applies in a block: the innermost setting, else off. */
function recursiveErrorPages(block: NginxBlock): boolean {
  for (let current: NginxBlock | undefined = block; current; current = current.parent) {
    const directive = current.statements.find((d) => d.name === 'recursive_error_pages');
    if (directive) return directive.args[0]?.value === 'on';
  }
  return false;
}

function nginxProxyHop(model: NginxModel, location: NginxBlock, method: string | undefined, server?: NginxBlock): Hop {
  const target = location.proxyTarget;
  const knobs = familyKnobs(target ? target.via : 'proxy_pass');
  const timeouts: HopTimeout[] = [];
  const read = nginxTimeout(effectiveValue(location, knobs.read), 'idle', true);
  const connect = nginxTimeout(effectiveValue(location, knobs.connect), 'connect', true);
  if (read) timeouts.push(read);
  if (connect) timeouts.push(connect);
  const upstream = target?.host ? upstreamNamed(model, target.host) : undefined;
  // Every server but `down` ones is a try, `backup` ones included (facts §1.3, measured s19).
  const servers = upstream ? Math.max(1, upstream.servers.filter((s) => !s.down).length) : 1;
  const hop: Hop = {
    kind: 'nginx-location',
    // A named location's pattern already holds its `@`.
    label: `nginx location ${location.location?.modifier && location.location.modifier !== '@' ? `${location.location.modifier} ` : ''}${location.location?.pattern ?? ''}`,
    span: headerSpanOf(location, target?.span ?? model.root.statements[0]?.span ?? { file: model.config.entry, start: 0, end: 0 }),
    timeouts,
    ref: { kind: 'nginx', model, location, ...(server ? { server } : {}) },
  };
  if (method) hop.method = method;
  const tries = effectiveValue(location, knobs.tries);
  const next = effectiveValue(location, knobs.next);
  const words = (next?.text ?? 'error timeout').split(/\s+/);
  const triesCount = Number(tries?.text ?? '0');
  let count = Math.min(servers, triesCount > 0 ? triesCount : servers);
  // proxy_next_upstream_timeout is checked only when a try has failed, before the next one starts
  // (facts §1.3, measured s18): tries go on while the time spent is below it, and a running try is
  // never cut. With a silent upstream each try lasts the read timeout.
  const nextTimeout = nginxTimeout(effectiveValue(location, knobs.nextTimeout), 'total');
  const gated = nextTimeout?.ms !== undefined && nextTimeout.ms > 0 && read?.ms !== undefined && read.ms > 0
    ? Math.max(1, Math.ceil(nextTimeout.ms / read.ms)) : undefined;
  const gate = gated !== undefined && gated < count ? nextTimeout : undefined;
  if (gate) count = gated!;
  if (count > 1) {
    const retriesTimeouts = words.includes('timeout') && (words.includes('non_idempotent') || !NON_IDEMPOTENT.has(method ?? ''));
    const attempts: HopAttempts = { count, knob: knobs.tries, source: tries && tries.source.kind !== 'default' ? 'set' : 'default', retriesTimeouts, factsRef: '§1.3, §14' };
    if (tries && tries.source.kind !== 'default') attempts.span = tries.source.directive.span;
    if (gate) attempts.gate = gate;
    hop.attempts = attempts;
  }
  if (upstream?.block.statements.some((d) => d.name === 'keepalive')) {
    const keepAlive = nginxTimeout(effectiveValue(upstream.block, 'keepalive_timeout'), 'keepalive');
    if (keepAlive) hop.keepAlive = keepAlive;
  }
  const buffering = effectiveValue(location, knobs.buffering);
  if (buffering?.text === 'off') hop.streaming = true;
  return hop;
}

