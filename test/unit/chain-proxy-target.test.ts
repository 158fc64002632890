// proxy_pass targets with variables: a literal host with a variable URI or scheme links by host and keeps the request path; a variable host or port stays unresolved, with its reason.
import { createModelCapture } from '../../server/src/host/model-capture.js';
import { describe, expect, it } from 'vitest';
import { allRules } from '../../rules/index.js';
import { chainsOf } from '../../server/src/engine/chain/chains.js';
import type { Chain } from '../../server/src/engine/chain/chain-types.js';
import { rewriteForProxyPass } from '../../server/src/engine/chain/path-match.js';
import { defaultConfig } from '../../server/src/engine/config.js';
import { buildNginxModel } from '../../server/src/engine/inputs/nginx/model.js';
import { proxyTargetInference } from '../../server/src/engine/inputs/nginx/proxy-target.js';
import type { WorkspaceModel } from '../../server/src/engine/workspace-model.js';
import { parseNginxConfig } from '../../server/src/engine/inputs/nginx/parser.js';
import { lint } from '../../server/src/engine/run.js';
import { MemoryFs } from '../../server/src/engine/workspace-fs.js';

function targetOf(proxyPass: string) {
  const conf = `events {}\nhttp {\n  server {\n    location /api/ { proxy_pass ${proxyPass}; }\n  }\n}\n`;
  return buildNginxModel(parseNginxConfig(new MemoryFs({ 'nginx.conf': conf }), 'nginx.conf', { absoluteIncludePrefix: 'root' })).locations[0]!.proxyTarget!;
}

function modelOf(files: Record<string, string>): WorkspaceModel {
  const capture = createModelCapture();
  lint({ fs: new MemoryFs(files), files: Object.keys(files), config: defaultConfig(allRules), rules: [capture.rule], toolVersion: 'test' });
  return capture.model()!;
}

const summary = (chain: Chain) => chain.hops.map((h) => `${h.label}${h.evidence?.length ? ` {${h.evidence.map((e) => e.text).join('; ')}}` : ''}`);

describe('parseProxyTarget with variables', () => {
  it.each<[string, { host?: string; port?: number; path?: string; scheme?: string; schemeVariable?: string; unresolved: boolean; unresolvedReason?: string }]>([
    ['http://api:8080$request_uri', { scheme: 'http', host: 'api', port: 8080, path: '$request_uri', unresolved: false }],
    ['http://api$request_uri', { host: 'api', path: '$request_uri', unresolved: false }],
    ['http://api:8080${request_uri}', { host: 'api', port: 8080, path: '${request_uri}', unresolved: false }],
    ['http://api$uri$is_args$args', { host: 'api', path: '$uri$is_args$args', unresolved: false }],
    ['http://backend/$1', { host: 'backend', path: '/$1', unresolved: false }],
    ['http://backend/v1/$1$is_args$args', { host: 'backend', path: '/v1/$1$is_args$args', unresolved: false }],
    ['$scheme://nextjs', { host: 'nextjs', schemeVariable: '$scheme', unresolved: false }],
    ['$scheme://nextjs:3000/app', { host: 'nextjs', port: 3000, path: '/app', schemeVariable: '$scheme', unresolved: false }],
    ['http://[::1]:8080$request_uri', { host: '::1', port: 8080, unresolved: false }],
    ['http://$backend', { unresolved: true, unresolvedReason: 'the host is a variable' }],
    ['$backend', { unresolved: true, unresolvedReason: 'the host is a variable' }],
    ['http://$host$request_uri', { unresolved: true, unresolvedReason: 'the host is a variable' }],
    ['http://api:$port', { unresolved: true, unresolvedReason: 'the port is a variable' }],
    ['http://api$suffix/x', { unresolved: true, unresolvedReason: 'a variable is part of the host' }],
    ['http://api-$env.internal', { unresolved: true, unresolvedReason: 'a variable is part of the host' }],
  ])('%s', (raw, expected) => {
    const target = targetOf(raw);
    expect(target).toMatchObject(expected);
    if (expected.unresolved) expect(target.host).toBeUndefined();
    if (expected.schemeVariable === undefined) expect(target.schemeVariable).toBeUndefined();
  });

  it.each([
    ['http://api:8080', undefined],
    ['http://api:8080$request_uri', 'host api from proxy_pass http://api:8080$request_uri (the URI part $request_uri passes the request path)'],
    ['http://backend/$1', 'host backend from proxy_pass http://backend/$1 (the URI part /$1 is a variable, the request path is kept)'],
    ['$scheme://nextjs', 'host nextjs from proxy_pass $scheme://nextjs (only the scheme $scheme is a variable)'],
    ['http://$backend', undefined],
  ])('inference for %s', (raw, text) => {
    expect(proxyTargetInference(targetOf(raw))).toBe(text);
  });
});

describe('rewriteForProxyPass with URI variables', () => {
  it.each<[string, string, string]>([
    ['$request_uri', '/api//chat?x=1', '/api//chat?x=1'],
    ['${request_uri}', '/api/chat?x=1', '/api/chat?x=1'],
    ['$uri', '/api//chat?x=1', '/api/chat'],
    ['$document_uri', '/api//chat', '/api/chat'],
    ['/v1$uri', '/api/chat', '/v1/api/chat'],
    ['/$1', '/api/chat', '/api/chat'],
  ])('%s on %s gives %s', (uri, request, expected) => {
    expect(rewriteForProxyPass('/api/', uri, request)).toBe(expected);
  });
});

const code = `import express from 'express';\nconst app = express();\napp.post('/api/chat', (req, res) => res.end());\napp.get('/health', (req, res) => res.end());\napp.listen(3000);\n`;

function linked(proxyPass: string, upstream = '') {
  return modelOf({
    'nginx.conf': `events {}\nhttp {\n${upstream}  server {\n    listen 80;\n    location /api/ { proxy_pass ${proxyPass}; }\n  }\n}\n`,
    'docker-compose.yml': 'services:\n  app:\n    build: ./app\n',
    'app/package.json': '{ "name": "app" }',
    'app/src/server.ts': code,
  });
}

describe('linking through proxy_pass targets with variables', () => {
  it.each([
    ['http://app:3000$request_uri', 'host app from proxy_pass http://app:3000$request_uri (the URI part $request_uri passes the request path)'],
    ['http://app:3000$uri', 'host app from proxy_pass http://app:3000$uri (the URI part $uri passes the request path)'],
    ['$scheme://app:3000', 'host app from proxy_pass $scheme://app:3000 (only the scheme $scheme is a variable)'],
  ])('%s links by host to the handler of the request path, with evidence', (proxyPass, evidence) => {
    const { chains, unresolved } = chainsOf(linked(proxyPass));
    expect(unresolved).toEqual([]);
    expect(chains.map(summary)).toEqual([['nginx location /api/', `compose service app {${evidence}}`, 'express server in app', 'POST /api/chat handler']]);
  });

  it('$scheme://upstream links through the upstream block', () => {
    const { chains, unresolved } = chainsOf(linked('$scheme://backend', '  upstream backend { server app:3000; }\n'));
    expect(unresolved).toEqual([]);
    expect(summary(chains[0]!).slice(0, 2)).toEqual(['nginx location /api/', 'compose service app {host backend from proxy_pass $scheme://backend (only the scheme $scheme is a variable)}']);
  });

  it('a variable host stays unresolved and says why', () => {
    const { unresolved } = chainsOf(linked('http://$backend$request_uri'));
    expect(unresolved.map((u) => u.message)).toEqual(['proxy target http://$backend$request_uri is resolved only at request time: the host is a variable']);
  });

  it('a variable port stays unresolved and says why', () => {
    const { unresolved } = chainsOf(linked('http://app:$port'));
    expect(unresolved.map((u) => u.message)).toEqual(['proxy target http://app:$port is resolved only at request time: the port is a variable']);
  });
});

describe('upstream servers written with placeholders', () => {
  const placeholderUpstream = '  upstream nextjs { server ${UPSTREAM_HOST}:${UPSTREAM_PORT}; }\n';
  const SOLE = 'upstream nextjs server ${UPSTREAM_HOST}:${UPSTREAM_PORT} is set when nginx starts, outside the workspace; app (app/package.json) is the only code package in the workspace that serves HTTP, so it is taken as the target';

  it('links to the only code package that serves HTTP, and the hop says why', () => {
    const { chains, unresolved } = chainsOf(linked('$scheme://nextjs', placeholderUpstream));
    expect(unresolved).toEqual([]);
    expect(chains.map(summary)).toEqual([['nginx location /api/', `express server in app {${SOLE}}`, 'POST /api/chat handler']]);
  });

  it('stops with that reason, never silently, when two packages serve HTTP', () => {
    const model = modelOf({
      'nginx.conf': `events {}\nhttp {\n${placeholderUpstream}  server {\n    listen 80;\n    location /api/ { proxy_pass $scheme://nextjs; }\n  }\n}\n`,
      'app/package.json': '{ "name": "app" }',
      'app/src/server.ts': code,
      'admin/package.json': '{ "name": "admin" }',
      'admin/src/server.ts': code.replace('3000', '4000'),
    });
    expect(chainsOf(model).unresolved.map((u) => u.message)).toEqual(['upstream nextjs server ${UPSTREAM_HOST}:${UPSTREAM_PORT} is resolved only when nginx starts: the address holds a variable or placeholder']);
  });

  it.each([
    ['a literal port the code listens on links', '${UPSTREAM_HOST}:3000', true],
    ['a literal port the code does not listen on stays unresolved', '${UPSTREAM_HOST}:8080', false],
  ])('%s', (_name, server, links) => {
    const { chains, unresolved } = chainsOf(linked('http://nextjs', `  upstream nextjs { server ${server}; }\n`));
    expect(unresolved.length === 0).toBe(links);
    expect(chains.some((c) => c.hops.some((h) => h.label === 'POST /api/chat handler'))).toBe(links);
  });

  it('a variable host resolved at request time is not taken for the only package', () => {
    const { unresolved } = chainsOf(linked('http://$backend$request_uri'));
    expect(unresolved.map((u) => u.message)).toEqual(['proxy target http://$backend$request_uri is resolved only at request time: the host is a variable']);
  });
});

describe('variables an unconditional `set` gives a literal value', () => {
  /** The target of the first location, in a server with `serverLines` and a location with `locationLines`. */
  const targetWith = (serverLines: string, locationLines: string, proxyPass: string) => {
    const conf = `events {}\nhttp {\n  resolver 127.0.0.11 valid=10s;\n  server {\n${serverLines}\n    location /api/ {\n${locationLines}\n      proxy_pass ${proxyPass};\n    }\n  }\n}\n`;
    return buildNginxModel(parseNginxConfig(new MemoryFs({ 'nginx.conf': conf }), 'nginx.conf', { absoluteIncludePrefix: 'root' })).locations[0]!.proxyTarget!;
  };

  it.each<[string, string, string, string, { host?: string; port?: number; path?: string; unresolved: boolean }]>([
    ['a server-level set, written after the location would be too', '    set $api app;', '', 'http://$api:3000', { host: 'app', port: 3000, unresolved: false }],
    ['a location-level set', '', '      set $api app;', 'http://$api:3000/v1/', { host: 'app', port: 3000, path: '/v1/', unresolved: false }],
    ['the location overrides the server', '    set $api other;', '      set $api app;', 'http://$api:3000', { host: 'app', unresolved: false }],
    ['the last set of a block wins', '', '      set $api other;\n      set $api app;', 'http://${api}:3000', { host: 'app', unresolved: false }],
    ['a whole URL in the variable', '', '      set $upstream "http://app:3000";', '$upstream', { host: 'app', port: 3000, unresolved: false }],
    ['a set port', '', '      set $port 3000;', 'http://app:$port', { host: 'app', port: 3000, unresolved: false }],
    ['a set inside an if is conditional', '    set $api app;\n    if ($http_x_canary) { set $api canary; }', '', 'http://$api:3000', { unresolved: true }],
    ['a set inside the location’s if is conditional', '', '      set $api app;\n      if ($arg_v = 2) { set $api v2; }', 'http://$api:3000', { unresolved: true }],
    ['a value holding another variable', '', '      set $api $host;', 'http://$api:3000', { unresolved: true }],
    ['no set at all', '', '', 'http://$api:3000', { unresolved: true }],
  ])('%s', (_what, serverLines, locationLines, proxyPass, expected) => {
    expect(targetWith(serverLines, locationLines, proxyPass)).toMatchObject(expected);
  });

  it('links through the set value, with the set named in the evidence', () => {
    const files = {
      'nginx.conf': 'events {}\nhttp {\n  resolver 127.0.0.11 valid=10s;\n  server {\n    listen 80;\n    set $app_server app;\n    location /api/ {\n      proxy_pass http://$app_server:3000;\n    }\n  }\n}\n',
      'docker-compose.yml': 'services:\n  app:\n    build: ./app\n',
      'app/package.json': '{ "name": "app" }',
      'app/src/server.ts': "import express from 'express';\nconst app = express();\napp.post('/api/chat', (req, res) => res.json({}));\napp.listen(3000);\n",
    };
    const { chains, unresolved } = chainsOf(modelOf(files));
    expect(unresolved).toEqual([]);
    expect(summary(chains.find((c) => c.hops.length > 2)!)).toEqual([
      'nginx location /api/',
      'compose service app {host app from proxy_pass http://$app_server:3000 ($app_server is `app`, set at nginx.conf:6)}',
      'express server in app',
      'POST /api/chat handler',
    ]);
  });
});
