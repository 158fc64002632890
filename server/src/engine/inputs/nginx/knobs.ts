// The nginx directives the model tracks, with their defaults and contexts from timeout-facts.md §1.
import type { TimeoutKind } from '../../timeout-kind.js';

export type NginxContextKind = 'main' | 'http' | 'server' | 'location' | 'if' | 'upstream' | 'stream' | 'other';

export type KnobValueType =
  | { type: 'duration'; resolution: 'ms' | 's'; kind: TimeoutKind }
  | { type: 'flag' }
  | { type: 'count' }
  | { type: 'words' };

export interface NginxKnob {
  name: string;
  value: KnobValueType;
  /** nginx's built-in default, as nginx documents it. */
  defaultText: string;
  /** Contexts where nginx accepts the directive (facts §1.2–1.3). */
  contexts: NginxContextKind[];
  /** Where the default is documented (a section of reference/timeout-facts.md). */
  factsRef: string;
}

const HSL: NginxContextKind[] = ['http', 'server', 'location'];

function duration(name: string, kind: TimeoutKind, defaultText: string, contexts = HSL, factsRef = '§1.3'): NginxKnob {
  return { name, value: { type: 'duration', resolution: 'ms', kind }, defaultText, contexts, factsRef };
}

function upstreamFamily(prefix: 'proxy' | 'grpc' | 'fastcgi' | 'uwsgi'): NginxKnob[] {
  return [
    duration(`${prefix}_connect_timeout`, 'connect', '60s'),
    duration(`${prefix}_send_timeout`, 'idle', '60s'),
    duration(`${prefix}_read_timeout`, 'idle', '60s'),
    { name: `${prefix}_next_upstream`, value: { type: 'words' }, defaultText: 'error timeout', contexts: HSL, factsRef: '§1.3' },
    { name: `${prefix}_next_upstream_tries`, value: { type: 'count' }, defaultText: '0', contexts: HSL, factsRef: '§1.3' },
    duration(`${prefix}_next_upstream_timeout`, 'total', '0'),
  ];
}

/**
 * Every knob the model resolves for http/server/location blocks. Defaults are nginx's own
 * (reference/timeout-facts.md §1.3); `proxy_http_version` is 1.1 only since nginx 1.29.7.
 */
export const NGINX_KNOBS: readonly NginxKnob[] = [
  ...upstreamFamily('proxy'),
  { name: 'proxy_buffering', value: { type: 'flag' }, defaultText: 'on', contexts: HSL, factsRef: '§1.3' },
  { name: 'proxy_request_buffering', value: { type: 'flag' }, defaultText: 'on', contexts: HSL, factsRef: '§1.3' },
  { name: 'proxy_http_version', value: { type: 'words' }, defaultText: '1.1', contexts: HSL, factsRef: '§1.3 (1.0 before nginx 1.29.7)' },
  ...upstreamFamily('grpc'),
  ...upstreamFamily('fastcgi'),
  ...upstreamFamily('uwsgi'),
  duration('client_header_timeout', 'request-receive', '60s', ['http', 'server']),
  duration('client_body_timeout', 'idle', '60s'),
  duration('send_timeout', 'idle', '60s'),
  duration('keepalive_timeout', 'keepalive', '75s'),
  duration('keepalive_time', 'total', '1h'),
  { name: 'keepalive_requests', value: { type: 'count' }, defaultText: '1000', contexts: HSL, factsRef: '§1.3' },
  duration('lingering_timeout', 'idle', '5s'),
  duration('lingering_time', 'total', '30s'),
  duration('resolver_timeout', 'connect', '30s'),
  duration('keepalive_min_timeout', 'keepalive', '0'),
];

export const NGINX_KNOBS_BY_NAME: ReadonlyMap<string, NginxKnob> = new Map(NGINX_KNOBS.map((k) => [k.name, k]));

/** Directives inside `upstream {}` blocks (facts §1.3, upstream module). */
export const UPSTREAM_KNOBS: readonly NginxKnob[] = [
  { name: 'keepalive', value: { type: 'count' }, defaultText: '32', contexts: ['upstream'], factsRef: '§1.3 (enabled by default since nginx 1.29.7; off before)' },
  { ...duration('keepalive_timeout', 'keepalive', '60s', ['upstream']) },
  { ...duration('keepalive_time', 'total', '1h', ['upstream']) },
  { name: 'keepalive_requests', value: { type: 'count' }, defaultText: '1000', contexts: ['upstream'], factsRef: '§1.3' },
];

export const UPSTREAM_KNOBS_BY_NAME: ReadonlyMap<string, NginxKnob> = new Map(UPSTREAM_KNOBS.map((k) => [k.name, k]));

/** Timeout directives that nginx rejects inside `if` (their context list lacks `if in location`, facts §1.2). */
export function isTimeoutDirective(name: string): boolean {
  const knob = NGINX_KNOBS_BY_NAME.get(name);
  return knob !== undefined && knob.value.type === 'duration';
}

/** The contexts `nginx -t` checks a timeout directive against (facts §1.2), by the names the table uses. */
export type TimeoutDirectiveContext = 'main' | 'http' | 'server' | 'location' | 'if' | 'limit_except' | 'upstream';

export interface TimeoutDirectiveRule {
  name: string;
  /** Contexts nginx accepts it in, with the first version that accepts it there when that is not every version. */
  contexts: ReadonlyMap<TimeoutDirectiveContext, string | undefined>;
  /** First nginx version that knows the directive at all. */
  since?: string;
  /** Value forms: how many arguments, and the resolution of each (facts §1.1). No timeout directive takes variables. */
  args: ReadonlyArray<'ms' | 's'>;
}

const ctx = (entries: Array<[TimeoutDirectiveContext, string?]>) => new Map(entries.map(([c, v]) => [c, v]));
const HSL_CONTEXTS: Array<[TimeoutDirectiveContext]> = [['http'], ['server'], ['location']];

/**
 * Every timeout directive the linter validates: where nginx accepts it, since which version, and its
 * value forms. Sources: facts §1.2–1.3 and the nginx module sources they cite; `nginx -t`
 * measurements c23, c36, c38 (upstream / limit_except / case).
 */
export const TIMEOUT_DIRECTIVES: ReadonlyMap<string, TimeoutDirectiveRule> = new Map(
  [
    ...(['proxy', 'grpc', 'fastcgi', 'uwsgi'] as const).flatMap((family) =>
      ['connect', 'send', 'read', 'next_upstream'].map((what) => ({ name: `${family}_${what}_timeout`, contexts: ctx(HSL_CONTEXTS), args: ['ms'] as const }))),
    { name: 'client_header_timeout', contexts: ctx([['http'], ['server']]), args: ['ms'] as const },
    { name: 'client_body_timeout', contexts: ctx(HSL_CONTEXTS), args: ['ms'] as const },
    { name: 'send_timeout', contexts: ctx(HSL_CONTEXTS), args: ['ms'] as const },
    // The client-side value takes an optional Keep-Alive header value in seconds; the upstream one (1.15.3) a single time.
    { name: 'keepalive_timeout', contexts: ctx([...HSL_CONTEXTS, ['upstream', '1.15.3']]), args: ['ms', 's'] as const },
    { name: 'keepalive_time', contexts: ctx([...HSL_CONTEXTS, ['upstream']]), since: '1.19.10', args: ['ms'] as const },
    { name: 'keepalive_min_timeout', contexts: ctx(HSL_CONTEXTS), since: '1.27.4', args: ['ms'] as const },
    { name: 'lingering_timeout', contexts: ctx(HSL_CONTEXTS), args: ['ms'] as const },
    { name: 'lingering_time', contexts: ctx(HSL_CONTEXTS), args: ['ms'] as const },
    { name: 'resolver_timeout', contexts: ctx([...HSL_CONTEXTS, ['upstream', '1.27.3']]), args: ['ms'] as const },
    // Obsolete since 1.19.7 (accepted with a warning; client_header_timeout and keepalive_timeout apply), still http/server only.
    { name: 'http2_recv_timeout', contexts: ctx([['http'], ['server']]), args: ['ms'] as const },
    { name: 'http2_idle_timeout', contexts: ctx([['http'], ['server']]), args: ['ms'] as const },
  ].map((rule) => [rule.name, rule as TimeoutDirectiveRule]),
);

/** nginx's current stable branch when the configuration names no target version (facts header: 1.31.x is mainline). */
export const DEFAULT_NGINX_VERSION = '1.30.0';

/** -1, 0 or 1 as nginx version `a` is older than, equal to or newer than `b` (`1.27.3`, `1.22`). */
export function compareNginxVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  return 0;
}

/**
 * Timeout directives of the stream (TCP/UDP) proxy that the http proxy does not have: inside http
 * nginx fails with "unknown directive" (checked with `nginx -t`; stream module docs, facts §1.3 last row).
 */
export const STREAM_ONLY_TIMEOUTS: ReadonlyMap<string, string> = new Map([
  ['proxy_timeout', 'proxy_read_timeout and proxy_send_timeout'],
]);
