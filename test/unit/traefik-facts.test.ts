// Traefik facts however the configuration is written (YAML, TOML, compose labels and flags, Kubernetes resources), and the hop they make: timeouts by kind, their sources and defaults (facts §7).
import { describe, expect, it } from 'vitest';
import { parseYamlFile } from '../../server/src/engine/yaml/file.js';
import { parseComposeText } from '../../server/src/engine/yaml/compose.js';
import { parseTraefikDuration } from '../../server/src/engine/inputs/traefik/duration.js';
import { crdFacts } from '../../server/src/engine/inputs/traefik/crd.js';
import { emptyFacts, pathPrefixOfRule, type TraefikFacts } from '../../server/src/engine/inputs/traefik/facts.js';
import { looksLikeTraefik, looksLikeTraefikStatic, traefikTomlFacts, traefikYamlFacts } from '../../server/src/engine/inputs/traefik/file.js';
import { traefikHop } from '../../server/src/engine/inputs/traefik/hops.js';
import { composeServiceFacts } from '../../server/src/engine/inputs/traefik/labels.js';
import { buildTraefikModel, serviceOfRouter } from '../../server/src/engine/inputs/traefik/model.js';

const yamlFacts = (file: string, text: string) => traefikYamlFacts(parseYamlFile(file, text));
const slice = (text: string, span: { start: number; end: number }) => text.slice(span.start, span.end);

/** The first router's hop, as `[knob, kind, ms | 'off' | 'unknown', source, written text at the span]`. */
function hopOf(sources: Array<{ text: string; facts: TraefikFacts }>) {
  const model = buildTraefikModel(sources.map((s) => s.facts));
  const router = model.routers[0]!;
  const hop = traefikHop(model, router, serviceOfRouter(model, router)!);
  const textOf = (file: string | undefined) => sources.find((s) => s.facts.file === file)?.text ?? '';
  const row = (t: (typeof hop.timeouts)[number]) => [t.knob, t.kind, t.ms ?? (t.disabled ? 'off' : 'unknown'), t.source, t.span ? slice(textOf(t.span.file), t.span) : null];
  return { hop, timeouts: hop.timeouts.map(row), keepAlive: hop.keepAlive ? row(hop.keepAlive) : undefined };
}

describe('parseTraefikDuration', () => {
  it.each([
    ['90s', 90_000], ['1m30s', 90_000], ['500ms', 500], ['1.5h', 5_400_000], ['30', 30_000], ['0', 0], ['0s', 0],
  ])('reads %s as %d ms (bare digits are seconds)', (text, ms) => {
    expect(parseTraefikDuration(text)).toStrictEqual({ ok: true, ms });
  });
  it.each(['30 s', 'ten', '5d', '-3s', ''])('rejects %j', (text) => {
    expect(parseTraefikDuration(text).ok).toBe(false);
  });
});

describe('router rules', () => {
  it.each([
    ['PathPrefix(`/api`)', { path: '/api', prefix: true }],
    ['Host(`a.example.com`) && Path(`/chat`)', { path: '/chat', prefix: false }],
    ['PathPrefix(`/a`) || PathPrefix(`/b`)', undefined],
    ['PathRegexp(`^/v[0-9]+`)', undefined],
    ['Host(`a.example.com`)', undefined],
  ])('reads the path of %s', (rule, expected) => {
    expect(pathPrefixOfRule(rule)).toStrictEqual(expected);
  });
});

const DYNAMIC_YAML = [
  'http:',
  '  routers:',
  '    chat:',
  '      rule: PathPrefix(`/chat`)',
  '      service: chat',
  '      middlewares: [retry-3]',
  '  services:',
  '    chat:',
  '      loadBalancer:',
  '        serversTransport: slow',
  '        servers:',
  '          - url: "http://chat:3000/"',
  '  serversTransports:',
  '    slow:',
  '      forwardingTimeouts:',
  '        responseHeaderTimeout: 120s',
  '        idleConnTimeout: 30',
  '  middlewares:',
  '    retry-3:',
  '      retry:',
  '        attempts: 3',
  '',
].join('\n');

const DYNAMIC_TOML = [
  '[http.routers.chat]',
  '  rule = "PathPrefix(`/chat`)"',
  '  service = "chat"',
  '  middlewares = ["retry-3"]',
  '[http.services.chat.loadBalancer]',
  '  serversTransport = "slow"',
  '  [[http.services.chat.loadBalancer.servers]]',
  '    url = "http://chat:3000/"',
  '[http.serversTransports.slow.forwardingTimeouts]',
  '  responseHeaderTimeout = "120s"',
  '  idleConnTimeout = 30',
  '[http.middlewares.retry-3.retry]',
  '  attempts = 3',
  '',
].join('\n');

describe('file configuration', () => {
  it('reads the same dynamic configuration from YAML and TOML, with the places of its values', () => {
    for (const [file, text] of [['dynamic.yml', DYNAMIC_YAML], ['dynamic.toml', DYNAMIC_TOML]] as const) {
      const { facts, problems } = file.endsWith('.toml') ? traefikTomlFacts(file, text) : yamlFacts(file, text);
      expect(problems).toStrictEqual([]);
      const { hop, timeouts, keepAlive } = hopOf([{ text, facts }]);
      expect(timeouts).toStrictEqual([
        ['forwardingTimeouts.responseHeaderTimeout', 'time-to-headers', 120_000, 'set', '120s'],
        ['forwardingTimeouts.dialTimeout', 'connect', 30_000, 'default', null],
      ]);
      expect(keepAlive).toStrictEqual(['forwardingTimeouts.idleConnTimeout', 'keepalive', 30_000, 'set', '30']);
      expect(hop.attempts).toMatchObject({ count: 3, retriesTimeouts: false });
      expect(slice(text, hop.attempts!.span!)).toBe('3');
      expect(facts.services[0]!.servers.map((s) => [s.host, s.port])).toStrictEqual([['chat', 3000]]);
    }
  });

  it('takes the static serversTransport for services that name none, and Traefik\'s default for fields a named one leaves out', () => {
    const staticText = 'entryPoints:\n  web:\n    address: ":80"\n    transport:\n      respondingTimeouts:\n        writeTimeout: 300s\nserversTransport:\n  forwardingTimeouts:\n    responseHeaderTimeout: 45s\n';
    const plain = 'http:\n  routers:\n    a:\n      rule: PathPrefix(`/`)\n      service: a\n  services:\n    a:\n      loadBalancer:\n        servers:\n          - url: http://a:1\n';
    const both = [{ text: plain, facts: yamlFacts('dynamic.yml', plain).facts }, { text: staticText, facts: yamlFacts('traefik.yml', staticText).facts }];
    expect(hopOf(both).timeouts).toStrictEqual([
      ['forwardingTimeouts.responseHeaderTimeout', 'time-to-headers', 45_000, 'inherited', '45s'],
      ['forwardingTimeouts.dialTimeout', 'connect', 30_000, 'default', null],
      ['respondingTimeouts.writeTimeout', 'total', 300_000, 'set', '300s'],
      ['respondingTimeouts.readTimeout', 'request-receive', 60_000, 'default', null],
    ]);
    const named = `${plain}        serversTransport: other\n  serversTransports:\n    other:\n      forwardingTimeouts:\n        dialTimeout: 2s\n`;
    const withNamed = [{ text: named, facts: yamlFacts('dynamic.yml', named).facts }, { text: staticText, facts: yamlFacts('traefik.yml', staticText).facts }];
    expect(hopOf(withNamed).timeouts.slice(0, 2)).toStrictEqual([
      ['forwardingTimeouts.responseHeaderTimeout', 'time-to-headers', 'off', 'default', null],
      ['forwardingTimeouts.dialTimeout', 'connect', 2_000, 'set', '2s'],
    ]);
  });

  it('leaves a placeholder unknown and a transport the workspace does not hold unknown, never a default', () => {
    const text = 'http:\n  routers:\n    a:\n      service: a\n  services:\n    a:\n      loadBalancer:\n        serversTransport: gone@file\n        servers: [{ url: "http://a:1" }]\n';
    expect(hopOf([{ text, facts: yamlFacts('d.yml', text).facts }]).timeouts[0]).toStrictEqual(['forwardingTimeouts.responseHeaderTimeout', 'time-to-headers', 'unknown', 'set', 'gone@file']);
    const templated = 'http:\n  routers:\n    a:\n      service: a\n  services:\n    a:\n      loadBalancer:\n        serversTransport: t\n        servers: [{ url: "http://a:1" }]\n  serversTransports:\n    t:\n      forwardingTimeouts:\n        responseHeaderTimeout: \'{{ env "T" }}\'\n';
    expect(hopOf([{ text: templated, facts: yamlFacts('d.yml', templated).facts }]).timeouts[0]).toStrictEqual(['forwardingTimeouts.responseHeaderTimeout', 'time-to-headers', 'unknown', 'set', '{{ env "T" }}']);
  });

  it('lists a TOML file that does not parse as not analysed, with where it broke', () => {
    const { facts, problems } = traefikTomlFacts('bad.toml', '[http.routers.a]\nrule = "PathPrefix(`/`)\n');
    expect(facts.routers).toStrictEqual([]);
    expect(problems.map((p) => [p.kind, p.span.start > 0])).toStrictEqual([['not-analysed', true]]);
    expect(problems[0]!.message).toMatch(/^not analysed: the file is not valid TOML/);
  });

  it('recognises Traefik files by their text, and a static file name only when it is no manifest', () => {
    expect(looksLikeTraefik('d.yml', DYNAMIC_YAML)).toBe(true);
    expect(looksLikeTraefik('d.toml', DYNAMIC_TOML)).toBe(true);
    expect(looksLikeTraefik('values.yaml', 'http:\n  port: 80\n')).toBe(false);
    expect(looksLikeTraefik('Cargo.toml', '[package]\nname = "x"\n')).toBe(false);
    expect(looksLikeTraefikStatic('providers:\n  docker: {}\n')).toBe(true);
    expect(looksLikeTraefikStatic('apiVersion: apps/v1\nkind: Deployment\n')).toBe(false);
  });
});

describe('compose labels and flags', () => {
  const COMPOSE = [
    'services:',
    '  proxy:',
    '    image: traefik:v3.1',
    '    command: --providers.docker --entrypoints.web.address=:80 --serverstransport.forwardingtimeouts.responseheadertimeout=20s',
    '  api:',
    '    build: ./api',
    '    ports: ["8080:3000"]',
    '    labels:',
    '      traefik.enable: "true"',
    '      traefik.http.routers.api.rule: PathPrefix(`/api`)',
    '      traefik.http.routers.api.middlewares: retry@file, auth@file',
    '  worker:',
    '    build: ./worker',
    '    labels:',
    '      - traefik.enable=false',
    '      - traefik.http.routers.worker.rule=PathPrefix(`/jobs`)',
    '',
  ].join('\n');

  it('makes the container the service of a router without one, on its only port; a disabled container is skipped', () => {
    const facts = emptyFacts('docker-compose.yml');
    for (const service of parseComposeText('docker-compose.yml', COMPOSE).compose!.services) composeServiceFacts('docker-compose.yml', service, facts);
    expect(facts.routers.map((r) => [r.name, r.provider, r.rule?.text, r.middlewares.map((m) => slice(COMPOSE, m.span))])).toStrictEqual([
      ['api', 'docker', 'PathPrefix(`/api`)', ['retry@file', 'auth@file']],
    ]);
    expect(facts.services.map((s) => [s.name, s.servers.map((v) => [v.host, v.port, v.portEvidence?.text])])).toStrictEqual([
      ['api', [['api', 3000, 'port 3000 of compose service api (its only port)']]],
    ]);
    // Flags are case-insensitive, as Traefik reads them.
    const { timeouts } = hopOf([{ text: COMPOSE, facts }]);
    expect(timeouts[0]).toStrictEqual(['forwardingTimeouts.responseHeaderTimeout', 'time-to-headers', 20_000, 'inherited', '20s']);
  });
});

describe('Kubernetes resources', () => {
  const TEXT = [
    'apiVersion: traefik.io/v1alpha1',
    'kind: IngressRoute',
    'metadata: { name: web, namespace: shop }',
    'spec:',
    '  routes:',
    '    - match: PathPrefix(`/cart`)',
    '      middlewares: [{ name: retry }]',
    '      services:',
    '        - { name: cart, port: 80, serversTransport: slow }',
    '---',
    'apiVersion: traefik.containo.us/v1alpha1',
    'kind: ServersTransport',
    'metadata: { name: slow, namespace: shop }',
    'spec:',
    '  forwardingTimeouts: { responseHeaderTimeout: 2m }',
    '---',
    'apiVersion: traefik.io/v1alpha1',
    'kind: Middleware',
    'metadata: { name: retry, namespace: shop }',
    'spec: { retry: { attempts: 4 } }',
    '',
  ].join('\n');

  it('reads each IngressRoute route as a router over the Services it lists, with its ServersTransport and retry middleware', () => {
    const facts = emptyFacts('k8s/traefik.yaml');
    crdFacts(parseYamlFile('k8s/traefik.yaml', TEXT), facts);
    expect(facts.services.map((s) => s.servers.map((v) => [v.host, v.port, v.namespace]))).toStrictEqual([[['cart', 80, 'shop']]]);
    const { hop, timeouts } = hopOf([{ text: TEXT, facts }]);
    expect(timeouts[0]).toStrictEqual(['forwardingTimeouts.responseHeaderTimeout', 'time-to-headers', 120_000, 'set', '2m']);
    expect(hop.attempts?.count).toBe(4);
    expect(slice(TEXT, hop.span)).toBe('PathPrefix(`/cart`)');
  });
});
