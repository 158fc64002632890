// The nginx directives the model tracks, with their defaults and contexts from timeout-facts.md §1.
import type { TimeoutKind } from './timeout-kind.js';

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
