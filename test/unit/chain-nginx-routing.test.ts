// nginx request routing: which server and location nginx picks, checked by table and against the real nginx binary.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  compilePcre, listenPortsOf, lookupLocation, normaliseUri, routeRequest, selectLocation, selectServer, type RequestTarget,
} from '../../server/src/engine/inputs/nginx/routing.js';
import { buildNginxModel, type NginxBlock, type NginxModel } from '../../server/src/engine/inputs/nginx/model.js';
import { parseNginxConfig } from '../../server/src/engine/inputs/nginx/parser.js';
import { MemoryFs } from '../../server/src/engine/workspace-fs.js';

function modelOf(text: string): NginxModel {
  return buildNginxModel(parseNginxConfig(new MemoryFs({ 'nginx.conf': text }), 'nginx.conf', { absoluteIncludePrefix: 'root' }));
}

/** How a test names a location: its modifier and pattern as written (`= /health`, `/api/`). */
function locationName(block: NginxBlock | undefined): string | undefined {
  if (!block?.location) return undefined;
  return block.location.modifier ? `${block.location.modifier} ${block.location.pattern}` : block.location.pattern;
}

const serverName = (block: NginxBlock | undefined) => block?.serverNames.join(' ') ?? block?.directive?.name;

const LOCATIONS = `server {
    listen 80;
    location = /health { }
    location /health { }
    location / { }
    location /api/ { }
    location /api/v1/ { }
    location ^~ /static/ { }
    location ~ \\.png$ { }
    location ~* \\.PHP$ { }
    location ~ ^/api/v1/.*\\.json$ { }
    location ~ ^/api/v1/ { }
    location /nest/ {
        location ~ \\.json$ { }
        location /nest/deep/ { }
        location = /nest/exact { }
    }
    location ~ ^/nest/.*\\.(json|xml)$ { }
    location ^~ /raw/ {
        location ~ \\.gz$ { }
    }
    location @fallback { }
    location ~ ^/(?P<name>named)/(?<id>\\d+)$ { }
    location /proxy/ { proxy_pass http://127.0.0.1:9; }
}
`;

describe('selectLocation', () => {
  const server = modelOf(LOCATIONS).servers[0]!;
  it.each([
    ['/health', '= /health', 'an exact match stops the search'],
    ['/health/x', '/health', 'the exact location only matches the exact URI'],
    ['/api/users', '/api/', 'the longest prefix wins when no regex matches'],
    ['/api/v1/users', '~ ^/api/v1/', 'a regex beats the longest prefix'],
    ['/api/v1/users.json', '~ ^/api/v1/.*\\.json$', 'regexes are tried in order of appearance'],
    ['/static/logo.png', '^~ /static/', '^~ on the longest prefix skips the regexes'],
    ['/img/logo.png', '~ \\.png$', 'a case-sensitive regex matches'],
    ['/img/logo.PNG', '/', '~ is case-sensitive'],
    ['/index.php', '~* \\.PHP$', '~* is case-insensitive'],
    ['/nest/a.json', '~ \\.json$', 'nested regexes in the chosen prefix come before outer ones'],
    ['/nest/a.xml', '~ ^/nest/.*\\.(json|xml)$', 'outer regexes are tried when no nested one matches'],
    ['/nest/deep/page', '/nest/deep/', 'a nested prefix is longer'],
    ['/nest/exact', '= /nest/exact', 'a nested exact location'],
    ['/raw/file.gz', '~ \\.gz$', 'a ^~ prefix still tries its own nested regexes'],
    ['/raw/file.png', '^~ /raw/', 'a ^~ prefix skips the outer regexes'],
    ['/named/42', '~ ^/(?P<name>named)/(?<id>\\d+)$', 'PCRE named groups are translated'],
    ['/@fallback', '/', 'named locations never match'],
    ['/api//v1/./users', '~ ^/api/v1/', 'slashes are merged and dot segments resolved'],
    ['/api/%76%31/x', '~ ^/api/v1/', '%XX is decoded before matching'],
    ['/img/a.png?x=.php', '~ \\.png$', 'the query string is ignored'],
    ['/index.php%0A', '~* \\.PHP$', 'PCRE $ also matches before a final newline'],
    ['/proxy', '/proxy/', 'a *_pass location is chosen for its name without the slash (301)'],
  ])('%s → %s (%s)', (path, expected) => {
    expect(locationName(selectLocation(server, path))).toBe(expected);
  });

  it('says the location is unknown when a regex tried before the match cannot be evaluated safely', () => {
    const atomic = modelOf('server { location = /exact { } location / { } location ~ (?>atomic) { } location ~ \\.png$ { } }').servers[0]!;
    // An exact match is decided before any regex; every other URI meets the atomic group first.
    expect(lookupLocation(atomic, '/exact')).toEqual({ location: atomic.children[0] });
    expect(lookupLocation(atomic, '/a.png')).toEqual({ unknown: expect.stringMatching(/^location ~ \(\?>atomic\) cannot be evaluated safely: RE2 cannot evaluate it/) });
    expect(selectLocation(atomic, '/a.png')).toBeUndefined();
    expect(routeRequest(modelOf(`http { ${'server { listen 80; location ~ (a)\\1 { } }'} }`), { path: '/aa' })).toMatchObject({ unknown: expect.stringContaining('invalid escape sequence') });
  });

  it('returns undefined when no location matches or nginx rejects the URI', () => {
    const only = modelOf('server { location /only/ { } location @named { } }').servers[0]!;
    expect(selectLocation(only, '/other')).toBeUndefined();
    expect(selectLocation(server, '/../etc/passwd')).toBeUndefined();
    expect(selectLocation(server, '/a%zz')).toBeUndefined();
  });
});

const SERVERS = `http {
    server { listen 80; server_name first.example.com; }
    server { listen 80; server_name www.example.com example.com; }
    server { listen 80; server_name *.example.com; }
    server { listen 80; server_name *.deep.example.com; }
    server { listen 80; server_name .example.org; }
    server { listen 80; server_name www.example.*; }
    server { listen 80; server_name ~^(?<sub>[a-z]+)\\.regex\\.net$; }
    server { listen 80; server_name ~^API\\.regex\\.net$ "~^(?P<x>.+)\\.net$"; }
    server { listen 80; server_name ""; }
    server { listen 8080; server_name other.example.com; }
    server { listen 127.0.0.1:8080 default_server; server_name fallback8080; }
    server { listen [::]:8443 ssl; server_name v6; }
    server { listen unix:/run/x.sock; server_name sock; }
}
stream { server { listen 80; } }
`;

describe('selectServer', () => {
  const model = modelOf(SERVERS);
  it.each<[RequestTarget, string | undefined, string]>([
    [{ host: 'www.example.com', port: 80, path: '/' }, 'www.example.com example.com', 'exact name'],
    [{ host: 'WWW.Example.COM:80', port: 80, path: '/' }, 'www.example.com example.com', 'case-insensitive, port split off'],
    [{ host: 'www.example.com.', port: 80, path: '/' }, 'www.example.com example.com', 'a trailing dot is dropped'],
    [{ host: 'a.example.com', port: 80, path: '/' }, '*.example.com', 'leading wildcard'],
    [{ host: 'x.deep.example.com', port: 80, path: '/' }, '*.deep.example.com', 'the longest leading wildcard wins'],
    [{ host: 'example.org', port: 80, path: '/' }, '.example.org', '.x matches x itself'],
    [{ host: 'a.b.example.org', port: 80, path: '/' }, '.example.org', '.x matches subdomains'],
    [{ host: 'www.example.net', port: 80, path: '/' }, 'www.example.*', 'trailing wildcard'],
    [{ host: 'foo.regex.net', port: 80, path: '/' }, '~^(?<sub>[a-z]+)\\.regex\\.net$', 'the first matching regex'],
    [{ host: 'api.regex.net', port: 80, path: '/' }, '~^(?<sub>[a-z]+)\\.regex\\.net$', 'regexes in order of appearance'],
    [{ host: 'x.y.net', port: 80, path: '/' }, '~^API\\.regex\\.net$ ~^(?P<x>.+)\\.net$', 'P-style named groups'],
    [{ port: 80, path: '/' }, '', 'no Host header matches the name ""'],
    [{ host: 'unknown.test', port: 80, path: '/' }, 'first.example.com', 'the first server on the port is the default'],
    [{ host: 'unknown.test', port: 8080, path: '/' }, 'fallback8080', 'default_server beats the first server'],
    [{ host: 'other.example.com', port: 8080, path: '/' }, 'other.example.com', 'names are looked up among the port servers'],
    [{ host: 'www.example.com', port: 8080, path: '/' }, 'fallback8080', 'a name on another port does not count'],
    [{ host: 'v6', port: 8443, path: '/' }, 'v6', 'IPv6 listen'],
    [{ host: 'x', port: 9999, path: '/' }, undefined, 'no server on the port'],
    [{ host: 'v6', path: '/' }, 'v6', 'without a port every server is considered'],
    [{ host: 'nobody.test', path: '/' }, 'first.example.com', 'without a port the default of port 80 is preferred'],
  ])('%j → %s (%s)', (target, expected) => {
    expect(serverName(selectServer(model, target))).toBe(expected);
  });

  it('routes a conf.d fragment with top-level server blocks', () => {
    const fragment = modelOf('server { listen 80; server_name a; location / { } }\nserver { listen 80; server_name b; location /b/ { } }\n');
    const route = routeRequest(fragment, { host: 'b', port: 80, path: '/b/x' });
    expect(serverName(route?.server)).toBe('b');
    expect(locationName(route?.location)).toBe('/b/');
  });
});

describe('listenPortsOf', () => {
  it.each([
    ['listen 80;', [{ port: 80, defaultServer: false }]],
    ['listen 127.0.0.1:8080 default_server;', [{ port: 8080, defaultServer: true }]],
    ['listen [::]:443 ssl http2;', [{ port: 443, defaultServer: false }]],
    ['listen 127.0.0.1;', [{ port: 80, defaultServer: false }]],
    ['listen unix:/run/a.sock;', []],
    ['listen 80; listen [::]:80 default_server;', [{ port: 80, defaultServer: true }]],
    ['', [{ port: 80, defaultServer: false }]],
  ])('%s', (listen, expected) => {
    expect(listenPortsOf(modelOf(`server { ${listen} }`).servers[0]!)).toEqual(expected);
  });
});

describe('routeRequest', () => {
  const model = modelOf(`server { listen 80; server_name a.test; location = /health { } location /api/ { } location ~* \\.php$ { } location /p/ { proxy_pass http://b; } }`);
  it.each([
    ['/health', 'exact = /health'],
    ['/api/x', 'longest prefix /api/'],
    ['/x.PHP', 'regex ~* \\.php$ (first match in order)'],
  ])('explains %s', (path, reason) => {
    expect(routeRequest(model, { host: 'a.test', port: 80, path })?.reason).toContain(reason);
  });

  it('flags the 301 auto redirect and reports missing locations', () => {
    expect(routeRequest(model, { host: 'a.test', port: 80, path: '/p' })?.autoRedirect).toBe(true);
    const route = routeRequest(model, { host: 'a.test', port: 80, path: '/nothing' });
    expect(route?.location).toBeUndefined();
    expect(route?.reason).toContain('no location matches');
    expect(routeRequest(model, { port: 81, path: '/' })).toBeUndefined();
  });

  it('never throws on odd input', () => {
    const odd = modelOf('server { listen; location ~ ( { } location ~ "(?P<bad" { } location { } }');
    expect(() => routeRequest(odd, { host: '[::1', port: 80, path: '%%%' })).not.toThrow();
    expect(() => routeRequest(odd, { host: '...', path: '/(' })).not.toThrow();
  });
});

describe('normaliseUri and compilePcre', () => {
  it.each([
    ['/a//b', '/a/b'], ['/a/%2F/b', '/a/b'], ['/a/b/..', '/a/'], ['/a/..', '/'], ['/a/b/.', '/a/b/'],
    ['/a%25%32%46', '/a%2F'], ['/a#frag', '/a'], ['/a/.%2E/b', '/b'], ['/a/..b', '/a/..b'], ['', '/'],
    ['/..', undefined], ['/a%00b', undefined], ['/a%zz', undefined], ['x/a', undefined],
  ])('%s → %s', (path, expected) => {
    expect(normaliseUri(path)).toBe(expected);
  });

  it('translates PCRE to RE2 and refuses what RE2 cannot run in linear time', () => {
    expect(compilePcre("^/(?P<x>a)(?'y'b)(?<z>c)$", false)?.test('/abc')).toBe(true);
    expect(compilePcre('(?i)^/abc', false)?.test('/ABC')).toBe(true);
    expect(compilePcre('[]a]+\\z', false)?.test(']a')).toBe(true);
    // PCRE's `$` and `\Z` also match before a final newline (nginx decodes %0A in the URI).
    expect(compilePcre('\\.php$', false)?.test('/x.php\n')).toBe(true);
    expect(compilePcre('\\.php\\Z', false)?.test('/x.php\nx')).toBe(false);
    expect(compilePcre('^/(?P<x>a)(?P=x)$', false)).toBeUndefined();
    expect(compilePcre('^/(a)\\1$', false)).toBeUndefined();
    expect(compilePcre('^/(?!admin)', false)).toBeUndefined();
    expect(compilePcre('(?>a)', false)).toBeUndefined();
    expect(compilePcre('a++', false)).toBeUndefined();
    expect(compilePcre('(', false)).toBeUndefined();
  });
});

// ---------------------------------------------------------------------------------------------
// The same decisions, asked of the real nginx.

const NGINX = '/usr/sbin/nginx';
const hasNginx = existsSync(NGINX);
if (!hasNginx) console.warn(`chain-nginx-routing: ${NGINX} not found, skipping the comparison with the real nginx`);

/** Every location and server answers with its id, so the response says what nginx chose. */
const REAL_SERVERS = `
    server {
        listen 127.0.0.1:PORT;
        server_name main.test;
        location = /health { return 200 "main:exact-health"; }
        location /health { return 200 "main:prefix-health"; }
        location / { return 200 "main:root"; }
        location /api/ { return 200 "main:api"; }
        location /api/v1/ { return 200 "main:api-v1"; }
        location ^~ /static/ { return 200 "main:static"; }
        location ~ \\.png$ { return 200 "main:png"; }
        location ~* \\.PHP$ { return 200 "main:php"; }
        location ~ ^/api/v1/.*\\.json$ { return 200 "main:v1-json"; }
        location ~ ^/api/v1/ { return 200 "main:v1-regex"; }
        location /nest/ {
            return 200 "main:nest";
            location ~ \\.json$ { return 200 "main:nest-json"; }
            location /nest/deep/ { return 200 "main:nest-deep"; }
            location = /nest/exact { return 200 "main:nest-exact"; }
        }
        location ~ ^/nest/.*\\.(json|xml)$ { return 200 "main:outer-json-xml"; }
        location ^~ /raw/ {
            return 200 "main:raw";
            location ~ \\.gz$ { return 200 "main:raw-gz"; }
        }
        location ~ ^/(?P<name>named)/(?<id>\\d+)$ { return 200 "main:named-groups"; }
        location "~^/esc\\\\d+$" { return 200 "main:escaped"; }
        location /proxy/ { proxy_pass http://127.0.0.1:9; return 200 "main:proxy"; }
        location @fallback { return 200 "main:named"; }
    }
    server { listen 127.0.0.1:PORT; server_name *.wild.test; return 200 "wild-head"; }
    server { listen 127.0.0.1:PORT; server_name *.deep.wild.test; return 200 "wild-head-deep"; }
    server { listen 127.0.0.1:PORT; server_name .dot.test; return 200 "dot"; }
    server { listen 127.0.0.1:PORT; server_name www.tail.*; return 200 "wild-tail"; }
    server { listen 127.0.0.1:PORT; server_name ~^(?<sub>[a-z]+)\\.re\\.test$; return 200 "regex-1"; }
    server { listen 127.0.0.1:PORT; server_name ~^API\\.re2\\.test$ ~^.+\\.re2\\.test$; return 200 "regex-2"; }
    server { listen 127.0.0.1:PORT; server_name ""; return 200 "no-host"; }
    server { listen 127.0.0.1:PORT2 default_server; server_name second; return 200 "second-default"; }
    server { listen 127.0.0.1:PORT2; server_name main.test; return 200 "second-main"; }
`;

/** [Host header (undefined: none, HTTP/1.0), port index, path]. */
const REAL_REQUESTS: Array<[string | undefined, 0 | 1, string]> = [
  ['main.test', 0, '/health'], ['main.test', 0, '/health/x'], ['main.test', 0, '/healthz'], ['main.test', 0, '/'],
  ['main.test', 0, '/api/users'], ['main.test', 0, '/api/v1/users'], ['main.test', 0, '/api/v1/u.json'],
  ['main.test', 0, '/static/a.png'], ['main.test', 0, '/img/a.png'], ['main.test', 0, '/img/a.PNG'],
  ['main.test', 0, '/index.php'], ['main.test', 0, '/INDEX.Php'], ['main.test', 0, '/index.php%0A'],
  ['main.test', 0, '/nest/a.json'], ['main.test', 0, '/nest/a.xml'], ['main.test', 0, '/nest/deep/x'],
  ['main.test', 0, '/nest/exact'], ['main.test', 0, '/nest/exact/'], ['main.test', 0, '/raw/a.gz'],
  ['main.test', 0, '/raw/a.png'], ['main.test', 0, '/named/42'], ['main.test', 0, '/named/x'],
  ['main.test', 0, '/esc12'], ['main.test', 0, '/@fallback'], ['main.test', 0, '/proxy'], ['main.test', 0, '/proxy/x'],
  ['main.test', 0, '/api//v1/./x'], ['main.test', 0, '/api/%76%31/x'], ['main.test', 0, '/a/../static/x.png'],
  ['main.test', 0, '/img/a.png?x=.php'], ['main.test', 0, '/x/%2e%2e/health'], ['MAIN.TEST:1234', 0, '/'],
  ['main.test.', 0, '/'], ['a.wild.test', 0, '/'], ['a.deep.wild.test', 0, '/'], ['dot.test', 0, '/'],
  ['x.dot.test', 0, '/'], ['www.tail.example', 0, '/'], ['abc.re.test', 0, '/'], ['api.re2.test', 0, '/'],
  ['a1.re.test', 0, '/'], [undefined, 0, '/'], ['unknown.test', 0, '/health'], ['unknown.test', 1, '/'],
  ['main.test', 1, '/'],
];

describe.skipIf(!hasNginx)(`real nginx at ${NGINX}`, () => {
  let dir = '';
  let nginx: ChildProcess | undefined;
  let stderr = '';
  const ports = [0, 0];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'timeout-lint-routing-'));
    const base = 20000 + Math.floor(Math.random() * 20000);
    ports.splice(0, 2, base, base + 1);
    const servers = REAL_SERVERS.replaceAll('PORT2', String(ports[1])).replaceAll('PORT', String(ports[0]));
    // Temp paths are compiled in as /var/lib/nginx/…; point them into the sandbox.
    const temps = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `${t}_temp_path ${join(dir, t)};`).join(' ');
    writeFileSync(join(dir, 'nginx.conf'), `events {}\nhttp {\n    access_log off;\n    ${temps}\n${servers}}\n`);
    nginx = spawn(NGINX, ['-p', dir, '-c', join(dir, 'nginx.conf'), '-e', 'stderr',
      '-g', `daemon off; master_process off; pid ${join(dir, 'nginx.pid')}; error_log stderr;`], { stdio: ['ignore', 'ignore', 'pipe'] });
    nginx.stderr?.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
    await waitForPort(ports[0]!, () => stderr);
  }, 20_000);

  afterAll(() => {
    if (nginx?.pid !== undefined && nginx.exitCode === null) nginx.kill('SIGTERM');
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('picks the same server and location as nginx for every request', async () => {
    const model = modelOf(`http {\n${REAL_SERVERS.replaceAll('PORT2', '8081').replaceAll('PORT', '8080')}}\n`);
    const mismatches: string[] = [];
    for (const [host, portIndex, path] of REAL_REQUESTS) {
      const answer = await askNginx(ports[portIndex]!, host, path);
      const expected = expectedAnswer(model, { host, port: 8080 + portIndex, path });
      if (answer !== expected) mismatches.push(`${host ?? '(no Host)'}:${portIndex} ${path}: nginx "${answer}", routeRequest "${expected}"`);
    }
    expect(mismatches, stderr).toEqual([]);
  }, 30_000);
});

/** What nginx would answer if routeRequest is right: the chosen block's `return` text, or the 301. */
function expectedAnswer(model: NginxModel, target: RequestTarget): string {
  const route = routeRequest(model, target);
  if (!route) return 'no server';
  if (route.autoRedirect) return '301';
  const block = route.location ?? route.server;
  const ret = block.statements.find((d) => d.name === 'return');
  // A server without a matching location serves files from its (empty) root.
  return ret?.args[1]?.value ?? '404';
}

function askNginx(port: number, host: string | undefined, path: string): Promise<string> {
  if (host === undefined) return askWithoutHost(port, path);
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { Host: host }, agent: false }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => { body += chunk.toString(); });
      res.on('end', () => resolve(res.statusCode === 200 ? body : String(res.statusCode)));
    });
    req.on('error', (error) => resolve(`error ${error.message}`));
    req.end();
  });
}

/** HTTP/1.1 requires a Host header (400 without), so a request without one is written as HTTP/1.0 by hand. */
function askWithoutHost(port: number, path: string): Promise<string> {
  return new Promise((resolve) => {
    let response = '';
    const socket = connect(port, '127.0.0.1', () => socket.write(`GET ${path} HTTP/1.0\r\n\r\n`));
    socket.on('data', (chunk: Buffer) => { response += chunk.toString(); });
    socket.on('end', () => {
      const status = /^HTTP\/1\.\d (\d+)/.exec(response)?.[1] ?? 'no status';
      resolve(status === '200' ? response.slice(response.indexOf('\r\n\r\n') + 4) : status);
    });
    socket.on('error', (error) => resolve(`error ${error.message}`));
  });
}

async function waitForPort(port: number, log: () => string): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const answer = await askNginx(port, 'main.test', '/health');
    if (!answer.startsWith('error')) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`nginx did not start on port ${port}: ${log()}`);
}
