// HAProxy in the chain model: which backends a frontend routes to, WebSocket and path conditions, and the hop's timeouts, retries and pooled idle time.
import { describe, expect, it } from 'vitest';
import { frontendsOf, pathPrefixOf, routesOf, routesUpgrades } from '../../server/src/engine/inputs/haproxy/backends.js';
import { buildHaproxyModel, type HaproxyModel } from '../../server/src/engine/inputs/haproxy/facts.js';
import { haproxyHop } from '../../server/src/engine/inputs/haproxy/hops.js';
import { parseHaproxy } from '../../server/src/engine/inputs/haproxy/parse.js';

const model = (text: string): HaproxyModel => buildHaproxyModel([parseHaproxy('haproxy.cfg', text)]);
/** The hop of the first route of the first frontend. */
function firstHop(text: string) {
  const m = model(text);
  const route = routesOf(m, frontendsOf(m)[0]!)[0]!;
  return haproxyHop(m, route, route.backend!, undefined);
}
const timeoutsOf = (text: string) => firstHop(text).timeouts.map((t) => [t.knob, t.kind, t.ms ?? (t.disabled ? 'off' : 'unknown'), t.source]);

describe('routes', () => {
  const m = model([
    'frontend web',
    '  bind :80',
    '  acl is_ws hdr(Upgrade) -i WebSocket',
    '  acl is_api path_beg /api',
    '  use_backend ws if is_ws',
    '  use_backend api if is_api',
    '  use_backend static if { path_beg -i /assets } !is_ws',
    '  use_backend api unless is_ws',
    '  use_backend nowhere',
    '  default_backend api',
    'listen stats',
    '  bind :8404',
    '  server s 127.0.0.1:9000',
    'backend ws',
    'backend api',
    'backend static',
    '',
  ].join('\n'));
  const web = frontendsOf(m)[0]!;
  const routes = routesOf(m, web);

  it('lists use_backend rules in order, then default_backend; a listen section serves itself', () => {
    expect(routes.map((r) => [r.via, r.name, r.backend?.name])).toStrictEqual([
      ['use_backend', 'ws', 'ws'], ['use_backend', 'api', 'api'], ['use_backend', 'static', 'static'], ['use_backend', 'api', 'api'],
      ['use_backend', 'nowhere', undefined], ['default_backend', 'api', 'api'],
    ]);
    expect(routesOf(m, frontendsOf(m)[1]!).map((r) => [r.via, r.backend?.name])).toStrictEqual([['listen', 'stats']]);
  });

  it('recognises WebSocket routing by an ACL or an inline condition on Upgrade, never by unless', () => {
    expect(routes.map((r) => (r.rule ? routesUpgrades(r.rule, web.acls) : null))).toStrictEqual([true, false, false, false, false, null]);
    const inline = model('frontend f\n  use_backend ws if { hdr(upgrade) -i websocket }\n  use_backend b if { hdr_sub(connection) -i upgrade }\nbackend ws\nbackend b\n');
    expect(routesOf(inline, frontendsOf(inline)[0]!).map((r) => routesUpgrades(r.rule!, []))).toStrictEqual([true, true]);
  });

  it('reads a single path_beg prefix from the condition or the one ACL it names', () => {
    expect(routes.map(pathPrefixOf)).toStrictEqual([undefined, '/api', '/assets', undefined, undefined, undefined]);
  });
});

describe('haproxyHop', () => {
  it('takes timeout server as the idle bound and timeout connect per attempt, from the backend side', () => {
    expect(timeoutsOf('defaults\n  mode http\n  timeout connect 4s\n  timeout client 1m\n  timeout server 45s\nfrontend f\n  default_backend b\nbackend b\n')).toStrictEqual([
      ['timeout server', 'idle', 45_000, 'inherited'], ['timeout connect', 'connect', 4_000, 'inherited'],
    ]);
  });

  it('adds timeout client in TCP mode, where the client side waits while the server works', () => {
    expect(timeoutsOf('defaults\n  mode tcp\n  timeout client 20s\n  timeout server 1m\nfrontend f\n  default_backend b\nbackend b\n')).toStrictEqual([
      ['timeout server', 'idle', 60_000, 'inherited'], ['timeout connect', 'connect', 'off', 'default'], ['timeout client', 'idle', 20_000, 'inherited'],
    ]);
  });

  it('reads a bare number as milliseconds and 0 as no timeout (mode tcp by default, so the client side counts)', () => {
    expect(timeoutsOf('frontend f\n  default_backend b\nbackend b\n  timeout server 30\n  timeout connect 0\n')).toStrictEqual([
      ['timeout server', 'idle', 30, 'set'], ['timeout connect', 'connect', 'off', 'set'], ['timeout client', 'idle', 'off', 'default'],
    ]);
  });

  it('counts retries as connection attempts that multiply timeouts only with retry-on response-timeout in HTTP mode', () => {
    expect(firstHop('frontend f\n  default_backend b\nbackend b\n').attempts).toMatchObject({ count: 4, source: 'default', retriesTimeouts: false });
    expect(firstHop('frontend f\n  mode http\n  default_backend b\nbackend b\n  mode http\n  retries 2\n  retry-on response-timeout 503\n').attempts).toMatchObject({ count: 3, source: 'set', retriesTimeouts: true });
    expect(firstHop('frontend f\n  default_backend b\nbackend b\n  retry-on response-timeout\n').attempts?.retriesTimeouts).toBe(false);
    expect(firstHop('frontend f\n  default_backend b\nbackend b\n  retries 0\n').attempts).toBeUndefined();
  });

  it('keeps idle server connections for at least pool-purge-delay in HTTP keep-alive mode only', () => {
    const http = 'defaults\n  mode http\nfrontend f\n  default_backend b\n';
    expect(firstHop(`${http}backend b\n  server a a:1\n`).keepAlive).toMatchObject({ knob: 'pool-purge-delay', ms: 5000, source: 'default' });
    expect(firstHop(`${http}backend b\n  default-server pool-purge-delay 30s\n  server a a:1\n`).keepAlive).toMatchObject({ ms: 30_000, source: 'set' });
    expect(firstHop(`${http}backend b\n  option http-server-close\n  server a a:1\n`).keepAlive).toBeUndefined();
    expect(firstHop(`${http}  option httpclose\nbackend b\n  server a a:1\n`).keepAlive).toBeUndefined();
    expect(firstHop(`${http}backend b\n  server a a:1 pool-purge-delay 0\n`).keepAlive).toBeUndefined();
    expect(firstHop('frontend f\n  default_backend b\nbackend b\n  server a a:1\n').keepAlive).toBeUndefined();
  });

  it('labels the hop with the backend and the frontend', () => {
    const hop = firstHop('frontend web\n  default_backend api\nbackend api\n');
    expect([hop.kind, hop.label]).toStrictEqual(['haproxy-backend', 'HAProxy backend api (frontend web)']);
  });
});
