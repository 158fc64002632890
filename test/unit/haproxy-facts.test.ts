// HAProxy per-proxy facts: defaults inheritance (anonymous, named, `from`), provenance, sides, options, routes, binds and servers.
import { describe, expect, it } from 'vitest';
import { buildHaproxyModel, effectiveTimeout, findBackend, type HaproxyModel, type HaproxyProxy, type HaproxySetting } from '../../server/src/engine/inputs/haproxy/facts.js';
import { parseHaproxy } from '../../server/src/engine/inputs/haproxy/parse.js';

const model = (...texts: string[]): HaproxyModel =>
  buildHaproxyModel(texts.map((text, i) => parseHaproxy(i === 0 ? 'haproxy.cfg' : `conf.d/${i}.cfg`, text)));
const proxy = (m: HaproxyModel, kind: string, name?: string): HaproxyProxy => {
  const found = m.proxies.find((p) => p.kind === kind && p.name === name);
  if (!found) throw new Error(`no ${kind} ${name}`);
  return found;
};
/** A setting as [value, where it comes from]: `set`, `defaults <name>` / `defaults (anonymous, line n)`, or `default`. */
function origin<T>(setting: HaproxySetting<T> | undefined): [T | undefined, string] | undefined {
  if (!setting) return undefined;
  const s = setting.source;
  if (s.kind === 'default') return [setting.value, 'default'];
  if (s.kind === 'set') return [setting.value, 'set'];
  return [setting.value, `defaults ${s.section.name?.value ?? `(anonymous, line ${s.section.header.line})`}`];
}

describe('defaults inheritance', () => {
  it('applies the last defaults section before a proxy, anonymous or named', () => {
    const m = model([
      'defaults',
      '  timeout client 10s',
      'frontend a',
      'defaults named',
      '  timeout client 20s',
      'frontend b',
      'defaults',
      '  timeout server 5s',
      'frontend c',
      'backend d',
      '',
    ].join('\n'));
    expect(origin(proxy(m, 'frontend', 'a').timeouts.client)).toStrictEqual([10_000, 'defaults (anonymous, line 1)']);
    expect(origin(proxy(m, 'frontend', 'b').timeouts.client)).toStrictEqual([20_000, 'defaults named']);
    // A new defaults section starts from HAProxy's defaults: it does not extend the one before it.
    expect(origin(proxy(m, 'frontend', 'c').timeouts.client)).toStrictEqual([null, 'default']);
    expect(origin(proxy(m, 'backend', 'd').timeouts.server)).toStrictEqual([5_000, 'defaults (anonymous, line 7)']);
    expect(proxy(m, 'backend', 'd').defaultsBy).toBe('implicit');
  });

  it('takes a named defaults section with from, wherever the proxy stands', () => {
    const m = model([
      'defaults fast',
      '  timeout server 2s',
      'defaults slow',
      '  timeout server 2m',
      'backend a from fast',
      'backend b',
      '',
    ].join('\n'));
    expect(origin(proxy(m, 'backend', 'a').timeouts.server)).toStrictEqual([2_000, 'defaults fast']);
    expect(proxy(m, 'backend', 'a').defaultsBy).toBe('from');
    expect(origin(proxy(m, 'backend', 'b').timeouts.server)).toStrictEqual([120_000, 'defaults slow']);
  });

  it('chains defaults sections with from, keeping the section that set each value', () => {
    const m = model([
      'defaults base',
      '  timeout connect 4s',
      '  retries 5',
      'defaults api from base',
      '  timeout server 45s',
      'backend a from api',
      '  retries 1',
      '',
    ].join('\n'));
    const a = proxy(m, 'backend', 'a');
    expect(origin(a.timeouts.connect)).toStrictEqual([4_000, 'defaults base']);
    expect(origin(a.timeouts.server)).toStrictEqual([45_000, 'defaults api']);
    expect(origin(a.retries)).toStrictEqual([1, 'set']);
    expect(a.defaults?.name).toBe('api');
  });

  it('reports a from that names no earlier defaults section, and uses HAProxy defaults', () => {
    const m = model('backend a from nowhere\n  timeout connect 1s\ndefaults nowhere\n');
    expect(m.problems.map((p) => p.message)).toStrictEqual(["defaults section 'nowhere' not found (it must come before)"]);
    expect(origin(proxy(m, 'backend', 'a').timeouts.server)).toStrictEqual([null, 'default']);
  });

  it('carries the last defaults section over into the next file', () => {
    const m = model('defaults\n  timeout server 7s\n', 'backend api\n');
    expect(origin(proxy(m, 'backend', 'api').timeouts.server)).toStrictEqual([7_000, 'defaults (anonymous, line 1)']);
  });

  it('uses the last value of a section (HAProxy warns about the overwrite)', () => {
    const m = model('backend a\n  timeout server 1s\n  timeout server 2s\n');
    expect(origin(proxy(m, 'backend', 'a').timeouts.server)).toStrictEqual([2_000, 'set']);
  });
});

describe('HAProxy defaults (facts §20)', () => {
  const m = model('frontend f\nbackend b\nlisten l\n');

  it('has no timeout unless one is set, with HAProxy\'s fallbacks', () => {
    const b = proxy(m, 'backend', 'b');
    expect(b.timeouts.server).toMatchObject({ value: null, source: { kind: 'default', factsRef: 'reference/timeout-facts.md §20' } });
    expect(b.timeouts.queue?.text).toBe('none: timeout connect applies');
    expect(origin(b.retries)).toStrictEqual([3, 'default']);
    expect(origin(b.retryOn)).toStrictEqual([['conn-failure'], 'default']);
    expect(origin(b.redispatch)).toStrictEqual([{ enabled: false, interval: 0 }, 'default']);
    expect(origin(b.balance)).toStrictEqual(['roundrobin', 'default']);
    expect(origin(b.mode)).toStrictEqual(['tcp', 'default']);
    expect(origin(b.httpConnectionMode)).toStrictEqual(['keep-alive', 'default']);
  });

  it('keeps each side\'s settings: a frontend has no server timeout, a backend no client timeout, a listen both', () => {
    expect(Object.keys(proxy(m, 'frontend', 'f').timeouts)).toStrictEqual(['client', 'http-request', 'http-keep-alive', 'client-fin']);
    expect(Object.keys(proxy(m, 'backend', 'b').timeouts)).toStrictEqual(['connect', 'server', 'tunnel', 'http-request', 'http-keep-alive', 'queue', 'server-fin', 'check']);
    expect(Object.keys(proxy(m, 'listen', 'l').timeouts)).toHaveLength(10);
    expect(proxy(m, 'frontend', 'f').retries).toBeUndefined();
    expect(proxy(m, 'backend', 'b').defaultBackend).toBeUndefined();
  });

  it('follows fallbacks to the timeout that applies', () => {
    const f = proxy(model('frontend f\n  timeout client 30s\n  timeout http-request 5s\n'), 'frontend', 'f');
    const ka = effectiveTimeout(f, 'http-keep-alive')!;
    expect([ka.name, ka.setting.value]).toStrictEqual(['http-request', 5_000]);
    const fin = effectiveTimeout(f, 'client-fin')!;
    expect([fin.name, fin.setting.value]).toStrictEqual(['client', 30_000]);
  });
});

describe('values', () => {
  it('reads a bare number as milliseconds and keeps the value span and warning', () => {
    const text = 'backend a\n  timeout server 30\n';
    const server = proxy(buildHaproxyModel([parseHaproxy('haproxy.cfg', text)]), 'backend', 'a').timeouts.server!;
    expect([server.value, server.warning, text.slice(server.valueSpan!.start, server.valueSpan!.end)]).toStrictEqual([30, 'suspiciously-small', '30']);
  });

  it('reads timeout 0 as no timeout', () => {
    expect(proxy(model('backend a\n  timeout server 0\n'), 'backend', 'a').timeouts.server).toMatchObject({ value: null, text: '0', source: { kind: 'set' } });
  });

  it.each([
    ['timeout server 1.5s', "'timeout server' value '1.5s' has an unknown unit (HAProxy knows us, ms, s, m, h, d and no fractions)"],
    ['timeout server 30 s', "'timeout server' takes one value, got '30 s'"],
    ['timeout connect 25d', "'timeout connect' value '25d' is too large (HAProxy's maximum is 2147483647 ms, about 24.8 days)"],
    ['retries three', "'retries' expects an integer, got 'three'"],
    ['retry-on 503 sometimes', "'retry-on' does not know 'sometimes'"],
    ['mode udp', "'mode' does not accept 'udp'"],
  ])('reports %j as a problem', (line, message) => {
    const m = model(`backend a\n  ${line}\n`);
    expect(m.problems.map((p) => p.message)).toStrictEqual([message]);
  });

  it('leaves a value HAProxy refuses unknown, with its span', () => {
    const server = proxy(model('backend a\n  timeout server 1.5s\n'), 'backend', 'a').timeouts.server!;
    expect([server.value, server.unknown, server.text, server.source.kind]).toStrictEqual([undefined, 'invalid', '1.5s', 'set']);
  });

  it('leaves a value from an environment variable unresolved, never a default', () => {
    const m = model('defaults\n  timeout server "${SRV}"\nbackend a\n');
    expect(proxy(m, 'backend', 'a').timeouts.server).toMatchObject({ unknown: 'unresolved', text: '', source: { kind: 'inherited' } });
    expect(proxy(m, 'backend', 'a').timeouts.server!.value).toBeUndefined();
  });

  it('leaves a templated value unresolved instead of reporting it invalid', () => {
    const m = model('backend a\n  timeout server {{ server_timeout }}\n  timeout connect "{{ connect }}"\n');
    expect(m.problems).toStrictEqual([]);
    expect(proxy(m, 'backend', 'a').timeouts.connect).toMatchObject({ unknown: 'unresolved' });
    // `{{ server_timeout }}` is three words to HAProxy's tokenizer: the value is unknown, never a default.
    expect(proxy(m, 'backend', 'a').timeouts.server!.value).toBeUndefined();
  });

  it('uses a value the caller gives for an environment variable', () => {
    const file = parseHaproxy('haproxy.cfg', 'backend a\n  timeout server "${SRV}"\n', { env: new Map([['SRV', '45s']]) });
    expect(proxy(buildHaproxyModel([file]), 'backend', 'a').timeouts.server?.value).toBe(45_000);
  });

  it('leaves a value set in a conditional block unknown, and ignores a block HAProxy skips', () => {
    const m = model([
      'backend a',
      '  timeout server 30s',
      '.if defined(SLOW)',
      '  timeout server 5m',
      '.endif',
      '.if 0',
      '  timeout connect 1s',
      '.endif',
      'backend b',
      '.if defined(X)',
      '  retries 9',
      '.endif',
      '  retries 2',
      '',
    ].join('\n'));
    expect(proxy(m, 'backend', 'a').timeouts.server).toMatchObject({ unknown: 'conditional', text: '5m' });
    expect(origin(proxy(m, 'backend', 'a').timeouts.connect)).toStrictEqual([null, 'default']);
    expect(origin(proxy(m, 'backend', 'b').retries)).toStrictEqual([2, 'set']);
  });

  it('ignores a whole section HAProxy skips and flags a conditional one', () => {
    const m = model('.if 0\nbackend gone\n.endif\n.if defined(X)\nbackend maybe\n.endif\n');
    expect(m.proxies.map((p) => [p.name, p.reach])).toStrictEqual([['maybe', 'conditional']]);
  });

  it('lists settings HAProxy ignores on the wrong side', () => {
    const f = proxy(model('frontend f\n  timeout server 30s\n  retries 2\n'), 'frontend', 'f');
    expect(f.ignored.map((i) => i.reason)).toStrictEqual([
      "'timeout server' is a backend setting: HAProxy ignores it in a frontend",
      "'retries' is a backend setting: HAProxy ignores it in a frontend",
    ]);
  });
});

describe('options', () => {
  it.each([
    [['option redispatch'], { enabled: true, interval: -1 }],
    [['option redispatch 2'], { enabled: true, interval: 2 }],
    [['option redispatch 0'], { enabled: false, interval: 0 }],
    [['option redispatch', 'no option redispatch'], { enabled: false, interval: 0 }],
  ])('%j → %j', (lines, value) => {
    expect(proxy(model(`backend a\n  ${lines.join('\n  ')}\n`), 'backend', 'a').redispatch?.value).toStrictEqual(value);
  });

  it('goes back to HAProxy\'s default with default option, not to the defaults section', () => {
    const m = model('defaults\n  option redispatch\nbackend a\n  default option redispatch\nbackend b\n');
    expect(origin(proxy(m, 'backend', 'a').redispatch)).toStrictEqual([{ enabled: false, interval: 0 }, 'default']);
    expect(origin(proxy(m, 'backend', 'b').redispatch)).toStrictEqual([{ enabled: true, interval: -1 }, 'defaults (anonymous, line 1)']);
  });

  it.each([
    [['option http-server-close'], 'server-close'],
    [['option httpclose', 'option http-keep-alive'], 'keep-alive'],
    [['option httpclose', 'no option httpclose'], 'keep-alive'],
    [['option httpclose', 'no option http-server-close'], 'close'],
  ])('http connection mode %j → %s', (lines, mode) => {
    expect(proxy(model(`listen a\n  ${lines.join('\n  ')}\n`), 'listen', 'a').httpConnectionMode.value).toBe(mode);
  });

  it('replaces the retry-on list', () => {
    const m = model('defaults\n  retry-on conn-failure empty-response\nbackend a\n  retry-on 503 response-timeout\n');
    expect(origin(proxy(m, 'backend', 'a').retryOn)).toStrictEqual([['503', 'response-timeout'], 'set']);
  });
});

describe('routes, binds and servers', () => {
  const text = [
    'defaults',
    '  mode http',
    '  default-server check inter 2s',
    'frontend web',
    '  bind :80,[::1]:8080',
    '  bind *:8000-8010 ssl crt /etc/cert.pem',
    '  bind "fd@${FD_APP}"',
    '  acl is_ws hdr(Upgrade) -i WebSocket',
    '  use_backend ws if is_ws { path_beg /socket }',
    '  use_backend static unless { path_beg /api }',
    '  use_backend be_%[req.hdr(host),lower]',
    '  default_backend api',
    'backend api',
    '  server a1 api:3000 maxconn 50',
    '  server a2 10.0.0.2:3000 backup no-check',
    '  server a3 10.0.0.3 disabled cookie check',
    '  server-template app 1-3 app.svc:8080',
    '  server u1 /run/api.sock',
    '  server e1 "${API_ADDR}"',
    'backend ws',
    '  server w1 ws:8080',
    'backend static',
    '',
  ].join('\n');
  const m = buildHaproxyModel([parseHaproxy('haproxy.cfg', text)]);

  it('reads bind addresses and ports', () => {
    const web = proxy(m, 'frontend', 'web');
    expect(web.binds.map((b) => [b.addresses.map((a) => [a.host, a.port, a.portEnd]), b.ssl, b.unresolved])).toStrictEqual([
      [[['', 80, 80], ['::1', 8080, 8080]], false, false],
      [[['*', 8000, 8010]], true, false],
      [[], false, true],
    ]);
  });

  it('keeps use_backend rules with their condition text, and dynamic names unresolved', () => {
    const web = proxy(m, 'frontend', 'web');
    expect(web.useBackends.map((u) => [u.backend, u.condition?.kind, u.condition?.text])).toStrictEqual([
      ['ws', 'if', 'is_ws { path_beg /socket }'],
      ['static', 'unless', '{ path_beg /api }'],
      [undefined, undefined, undefined],
    ]);
    expect(text.slice(web.useBackends[0]!.condition!.span.start, web.useBackends[0]!.condition!.span.end)).toBe('is_ws { path_beg /socket }');
    expect(web.acls.map((a) => [a.name, a.text])).toStrictEqual([['is_ws', 'hdr(Upgrade) -i WebSocket']]);
    expect(web.defaultBackend?.value).toBe('api');
    expect(findBackend(m, 'ws')?.servers.map((s) => s.name)).toStrictEqual(['w1']);
  });

  it('reads server addresses and flags, with default-server inherited from defaults', () => {
    const api = proxy(m, 'backend', 'api');
    expect(api.servers.map((s) => [s.name, s.address?.host, s.address?.port, s.check, s.backup, s.disabled, s.unresolved, s.templateCount])).toStrictEqual([
      ['a1', 'api', 3000, true, false, false, false, undefined],
      ['a2', '10.0.0.2', 3000, false, true, false, false, undefined],
      ['a3', '10.0.0.3', undefined, true, false, true, false, undefined],
      ['app', 'app.svc', 8080, true, false, false, false, 3],
      ['u1', undefined, undefined, true, false, false, false, undefined],
      ['e1', undefined, undefined, true, false, false, true, undefined],
    ]);
    expect(api.servers[4]!.address?.family).toBe('unix');
    expect(text.slice(api.servers[0]!.addressSpan!.start, api.servers[0]!.addressSpan!.end)).toBe('api:3000');
  });
});
