// Route matching for call chains: Ingress, Gateway API, Istio, app frameworks, nginx proxy_pass rewrites and URL splitting.
import { describe, expect, it } from 'vitest';
import {
  matchAppRoute,
  matchGatewayHost,
  matchGatewayPath,
  matchIngressHost,
  matchIngressPath,
  matchIstioHost,
  matchIstioUri,
  rewriteForProxyPass,
  splitUrl,
} from '../../server/src/engine/chain/path-match.js';

describe('matchIngressPath', () => {
  // The examples table of https://kubernetes.io/docs/concepts/services-networking/ingress/#examples.
  it.each<[string, string, string, boolean]>([
    ['Prefix', '/', '/anything/at/all', true],
    ['Exact', '/foo', '/foo', true],
    ['Exact', '/foo', '/bar', false],
    ['Exact', '/foo', '/foo/', false],
    ['Exact', '/foo/', '/foo', false],
    ['Prefix', '/foo', '/foo', true],
    ['Prefix', '/foo', '/foo/', true],
    ['Prefix', '/foo/', '/foo', true],
    ['Prefix', '/foo/', '/foo/', true],
    ['Prefix', '/aaa/bb', '/aaa/bbb', false],
    ['Prefix', '/aaa/bbb', '/aaa/bbb', true],
    ['Prefix', '/aaa/bbb/', '/aaa/bbb', true],
    ['Prefix', '/aaa/bbb', '/aaa/bbb/', true],
    ['Prefix', '/aaa/bbb', '/aaa/bbb/ccc', true],
    ['Prefix', '/aaa/bbb', '/aaa/bbbxyz', false],
    ['Prefix', '/aaa', '/aaa/ccc', true],
    ['Prefix', '/aaa', '/ccc', false],
    ['Prefix', '/foo', '/FOO', false],
  ])('%s %s against %s matches: %s (Kubernetes docs table)', (pathType, pattern, path, expected) => {
    expect(matchIngressPath(pattern, pathType, path).matched).toBe(expected);
  });

  it.each<[string[], string, string]>([
    [['/', '/aaa'], '/aaa/ccc', '/aaa'],
    [['/', '/aaa', '/aaa/bbb'], '/aaa/bbb', '/aaa/bbb'],
    [['/', '/aaa', '/aaa/bbb'], '/ccc', '/'],
  ])('picks the longest matching Prefix among %j for %s', (patterns, path, winner) => {
    expect(best(patterns.map((pattern) => [pattern, matchIngressPath(pattern, 'Prefix', path)]))).toBe(winner);
  });

  it('prefers Exact over a Prefix of the same path (Kubernetes docs "Mixed" row)', () => {
    const exact = matchIngressPath('/foo', 'Exact', '/foo');
    const prefix = matchIngressPath('/foo', 'Prefix', '/foo');
    expect(exact.matched && prefix.matched).toBe(true);
    expect(exact.score).toBeGreaterThan(prefix.score);
  });

  it.each<[string | undefined, string | undefined, string, boolean]>([
    ['/api', 'ImplementationSpecific', '/api/chat', true],
    ['/api', 'ImplementationSpecific', '/apichat', false],
    ['/api', undefined, '/api/x', true],
    [undefined, 'ImplementationSpecific', '/whatever', true],
    ['/api', 'prefix', '/api', false],
  ])('%s with pathType %s against %s matches: %s', (pattern, pathType, path, expected) => {
    expect(matchIngressPath(pattern, pathType, path).matched).toBe(expected);
  });

  it.each<[string, string, boolean, boolean]>([
    ['/foo/.*', '/FOO/bar', true, true],
    ['/foo/.*', '/foo/bar', false, false],
    ['/api/v[0-9]+/chat', '/api/v2/chat/stream', true, true],
    ['/api/v[0-9]+/chat', '/x/api/v2/chat', true, false],
    ['/api/(chat|complete)', '/api/complete', true, true],
  ])('ImplementationSpecific %s against %s with regexEnabled=%s matches: %s', (pattern, path, regexEnabled, expected) => {
    expect(matchIngressPath(pattern, 'ImplementationSpecific', path, { regexEnabled }).matched).toBe(expected);
  });

  it.each<[string, string | undefined, string, boolean]>([
    ['/api/*', 'ImplementationSpecific', '/api/datasets', true],
    ['/api/*', undefined, '/api/', true],
    ['/api/*', 'ImplementationSpecific', '/api', false],
    ['/api/*', 'ImplementationSpecific', '/apis/x', false],
    ['/api', 'ImplementationSpecific', '/api', true],
    ['/api', 'ImplementationSpecific', '/api/datasets', false],
    ['/*', 'ImplementationSpecific', '/anything/at/all', true],
    ['/api', 'Prefix', '/api/datasets', true],
  ])('GKE (gce) %s with pathType %s against %s matches: %s', (pattern, pathType, path, expected) => {
    expect(matchIngressPath(pattern, pathType, path, { gce: true }).matched).toBe(expected);
  });

  it.each(['/api/(unclosed', '/[z-a]', '/a{2,1}', '(?P<bad'])('never throws on the invalid regex %s and does not match', (pattern) => {
    expect(() => matchIngressPath(pattern, 'ImplementationSpecific', '/api/x', { regexEnabled: true })).not.toThrow();
    expect(matchIngressPath(pattern, 'ImplementationSpecific', '/api/x', { regexEnabled: true }).matched).toBe(false);
  });

  it.each<[string, string, string, boolean]>([
    ['Prefix', '/api', '/api//chat', true],
    ['Exact', '/api/chat', '/api//chat', true],
    ['Exact', '/api/chat', '/api/chat?x=1#frag', true],
  ])('normalises like nginx: %s %s against %s matches: %s', (pathType, pattern, path, expected) => {
    expect(matchIngressPath(pattern, pathType, path).matched).toBe(expected);
  });

  it.each<[string, string, string, boolean]>([
    ['Prefix', '/api', '/api/{}', true],
    ['Prefix', '/api/users', '/api/{}', false],
    ['Exact', '/api/users/1', '/api/users/{}', false],
    ['Exact', '/tmpl/{}', '/tmpl/{}', false],
  ])('placeholder segments: %s %s against %s matches: %s', (pathType, pattern, path, expected) => {
    expect(matchIngressPath(pattern, pathType, path).matched).toBe(expected);
  });
});

describe('host matching', () => {
  it.each<[string | undefined, string | undefined, boolean]>([
    [undefined, 'anything.example.com', true],
    [undefined, undefined, true],
    ['foo.bar.com', 'foo.bar.com', true],
    ['foo.bar.com', 'FOO.bar.com:8443', true],
    ['foo.bar.com', 'other.bar.com', false],
    ['foo.bar.com', undefined, false],
    ['*.foo.com', 'bar.foo.com', true],
    ['*.foo.com', 'baz.bar.foo.com', false],
    ['*.foo.com', 'foo.com', false],
    ['*.foo.com', '{}.foo.com', true],
    ['bar.foo.com', '{}.foo.com', false],
  ])('Ingress host rule %s against %s matches: %s', (rule, host, expected) => {
    expect(matchIngressHost(rule, host).matched).toBe(expected);
  });

  it('ranks an exact Ingress host above a wildcard above no rule', () => {
    const scores = [matchIngressHost('bar.foo.com', 'bar.foo.com'), matchIngressHost('*.foo.com', 'bar.foo.com'), matchIngressHost(undefined, 'bar.foo.com')].map((m) => m.score);
    expect(scores[0]).toBeGreaterThan(scores[1] ?? Infinity);
    expect(scores[1]).toBeGreaterThan(scores[2] ?? Infinity);
  });

  it.each<[string, string, boolean]>([
    ['*.example.com', 'foo.example.com', true],
    ['*.example.com', 'foo.bar.example.com', true],
    ['*.example.com', 'example.com', false],
    ['www.example.com', 'www.example.com', true],
  ])('Gateway API hostname %s against %s matches: %s', (rule, host, expected) => {
    expect(matchGatewayHost(rule, host).matched).toBe(expected);
  });

  it.each<[string, string, boolean]>([
    ['*', 'anything', true],
    ['*.com', 'bar.foo.com', true],
    ['reviews', 'reviews', true],
    ['reviews', 'reviews.default.svc.cluster.local', false],
  ])('Istio host %s against %s matches: %s', (rule, host, expected) => {
    expect(matchIstioHost(rule, host).matched).toBe(expected);
  });
});

describe('matchGatewayPath', () => {
  it.each<[string | undefined, string | undefined, string, boolean]>([
    [undefined, undefined, '/anything', true],
    ['PathPrefix', '/abc', '/abc', true],
    ['PathPrefix', '/abc', '/abc/', true],
    ['PathPrefix', '/abc', '/abc/def', true],
    ['PathPrefix', '/abc', '/abcd', false],
    ['PathPrefix', '/abc/', '/abc', true],
    ['PathPrefix', '/abc', '/ABC', false],
    [undefined, '/abc', '/abc/x', true],
    ['Exact', '/abc', '/abc', true],
    ['Exact', '/abc', '/abc/', false],
    ['RegularExpression', '/v[0-9]+/chat', '/v1/chat', true],
    ['RegularExpression', '/v[0-9]+/chat', '/v1/chat/x', false],
    ['RegularExpression', '/(unclosed', '/(unclosed', false],
    ['Unknown', '/abc', '/abc', false],
    ['PathPrefix', '/abc', '/abc//def', true],
    ['PathPrefix', '/abc/def', '/abc//def', false],
  ])('%s %s against %s matches: %s', (type, value, path, expected) => {
    expect(matchGatewayPath(type, value, path).matched).toBe(expected);
  });

  it('ranks Exact above RegularExpression above any PathPrefix', () => {
    const exact = matchGatewayPath('Exact', '/a', '/a').score;
    const regex = matchGatewayPath('RegularExpression', '/.*', '/a').score;
    const prefix = matchGatewayPath('PathPrefix', '/a', '/a').score;
    expect(exact).toBeGreaterThan(regex);
    expect(regex).toBeGreaterThan(prefix);
  });
});

describe('matchIstioUri', () => {
  it.each<['exact' | 'prefix' | 'regex' | undefined, string | undefined, string, boolean]>([
    [undefined, undefined, '/anything', true],
    ['exact', '/ratings', '/ratings', true],
    ['exact', '/ratings', '/ratings/', false],
    ['prefix', '/ratings/v2/', '/ratings/v2/x', true],
    ['prefix', '/usrv', '/usrv-expand/x', true],
    ['prefix', '/api', '/apiv2', true],
    ['regex', '/pr[1-3]/.*', '/pr3/list', true],
    ['regex', '/pr[1-3]/.*', '/x/pr3/list', false],
    ['regex', '\\d{3}', '1234', false],
    ['regex', '(?i)/ABC', '/abc', true],
    ['regex', '/(?P<id>[0-9]+)', '/42', true],
    ['regex', '/[unclosed', '/[unclosed', false],
    ['prefix', '/api/users', '/api/{}', false],
  ])('%s %s against %s matches: %s', (kind, value, path, expected) => {
    expect(matchIstioUri(kind, value, path).matched).toBe(expected);
  });
});

describe('matchAppRoute', () => {
  it.each<[string, string, string, boolean]>([
    ['express', '/users/:id', '/users/42', true],
    ['express', '/users/:id', '/users', false],
    ['express', '/users/:id', '/users/42/', true],
    ['express', '/users/:id', '/Users/42', true],
    ['express', '/users/:id', '/users/42?x=1', true],
    ['express', '/users/:id?', '/users', true],
    ['express', '/users/:id?', '/users/42', true],
    ['express', '/users/:id(\\d+)', '/users/42', true],
    ['express', '*', '/anything/here', true],
    ['express', '/api/*', '/api/a/b', true],
    ['express', '/flights/:from-:to', '/flights/LAX-SFO', true],
    ['express', '/flights/:from-:to', '/flights/LAX', false],
    ['express', '/*splat', '/a/b', true],
    ['express', '/*splat', '/', false],
    ['express', '/users{/:id}/delete', '/users/delete', true],
    ['express', '/users{/:id}/delete', '/users/7/delete', true],
    ['express', '{/:opt}', '/', true],
    ['express', '/a//b', '/a/b', false],
    ['nest', '/cats/:id', '/cats/1', true],
    ['koa', '/posts/:slug', '/posts/hello', true],
    ['fastify', '/files/*', '/files/a/b.txt', true],
    ['fastify', '/users/:id', '/users/1/', false],
    ['fastify', '/Users', '/users', false],
    ['hono', '/posts/:id{[0-9]+}', '/posts/abc', true],
    ['hono', '/posts/:id{[0-9]+}', '/posts/1/comments', false],
    ['hono', '/api/*', '/api/x', true],
    ['next-app', '/api/chat/[id]', '/api/chat/7', true],
    ['next-app', '/api/chat/[id]', '/api/chat', false],
    ['next-app', '/shop/[...slug]', '/shop/a/b/c', true],
    ['next-app', '/shop/[...slug]', '/shop', false],
    ['next-pages', '/shop/[[...slug]]', '/shop', true],
    ['next-pages', '/shop/[[...slug]]', '/shop/a/b', true],
    ['next-app', '/(marketing)/about', '/about', true],
    ['next-app', '/Blog', '/blog', false],
    ['sveltekit', '/conversation/[id]', '/conversation/42', true],
    ['sveltekit', '/conversation/[id]', '/conversation', false],
    ['sveltekit', '/[[lang]]/about', '/about', true],
    ['sveltekit', '/[[lang]]/about', '/fr/about', true],
    ['sveltekit', '/files/[...path]', '/files', true],
    ['sveltekit', '/files/[...path]', '/files/a/b', true],
    ['sveltekit', '/items/[id=integer]', '/items/7', true],
    ['sveltekit', '/(app)/settings', '/settings', true],
    ['nitro', '/api/conversations/[id]', '/api/conversations/9', true],
    ['astro', '/api/files/[...path]', '/api/files/a/b', true],
    ['remix', '/projects/[projectId]', '/projects/p1', true],
    ['remix', '/[[lang]]/about', '/about', true],
  ])('%s %s against %s matches: %s', (framework, pattern, path, expected) => {
    expect(matchAppRoute(framework, pattern, path).matched).toBe(expected);
  });

  it.each<[string, string, string, boolean]>([
    ['express', '/users/:id', '/users/{}', true],
    ['express', '/users/me', '/users/{}', false],
    ['express', '/users/*', '/users/{}/posts', true],
    ['express', '/files/:name.json', '/files/{}.json', true],
    ['next-app', '/api/chat/[id]', '/api/chat/{}', true],
    ['next-app', '/api/chat/stream', '/api/chat/{}', false],
    ['next-app', '/docs/[[...slug]]', '/docs/{}/{}', true],
    ['hono', '/posts/:id{[0-9]+}', '/posts/{}', true],
  ])('placeholder segments: %s %s against %s matches: %s', (framework, pattern, path, expected) => {
    expect(matchAppRoute(framework, pattern, path).matched).toBe(expected);
  });

  it.each<[string, string[], string, string]>([
    ['express', ['/users/:id', '/users/me', '/users/*'], '/users/me', '/users/me'],
    ['express', ['/users/:id', '/users/*'], '/users/7', '/users/:id'],
    ['express', ['/:a/:b/:c', '/x/*'], '/x/y/z', '/x/*'],
    ['express', ['/users', '/users/:id?'], '/users', '/users'],
    ['next-app', ['/blog/[slug]', '/blog/[...rest]', '/blog/first'], '/blog/first', '/blog/first'],
    ['next-app', ['/blog/[slug]', '/blog/[...rest]'], '/blog/x', '/blog/[slug]'],
  ])('%s: among %j the most specific for %s is %s', (framework, patterns, path, winner) => {
    expect(best(patterns.map((pattern) => [pattern, matchAppRoute(framework, pattern, path)]))).toBe(winner);
  });

  it.each(['/:id(', '/a{/:b', '/x/:id{[0-9', '/(((', '/[...', '/:a?+*'])('never throws on the malformed pattern %s', (pattern) => {
    for (const framework of ['express', 'fastify', 'hono', 'next-app']) {
      expect(() => matchAppRoute(framework, pattern, '/x/1')).not.toThrow();
    }
  });
});

describe('rewriteForProxyPass', () => {
  it.each<[string, string | undefined, string, string]>([
    ['/api/', '/v1/', '/api/chat', '/v1/chat'],
    ['/api/', '/', '/api/chat', '/chat'],
    ['/api/', undefined, '/api/chat', '/api/chat'],
    ['/api/', '', '/api/chat', '/api/chat'],
    ['/api', '/v1/', '/api/chat', '/v1//chat'],
    ['/api/', '/v1', '/api/chat', '/v1chat'],
    ['/api/', '/v1/', '/api/chat?stream=1#top', '/v1/chat?stream=1'],
    ['/api/', '/v1/', '/api//chat', '/v1/chat'],
    ['/api/', undefined, '/api//chat', '/api//chat'],
    ['/api/', '/v1/', '/other/chat', '/other/chat'],
    ['= /api/chat', '/v1/complete', '/api/chat', '/v1/complete'],
    ['/api/', '$request_uri', '/api/chat?x=1', '/api/chat?x=1'],
    ['/api/', '/v1$uri', '/api//chat', '/v1/api/chat'],
    ['/api/', '/$unknown_var', '/api/chat', '/api/chat'],
  ])('location %s with proxy_pass URI %s turns %s into %s', (location, uri, request, expected) => {
    expect(rewriteForProxyPass(location, uri, request)).toBe(expected);
  });
});

describe('splitUrl', () => {
  it.each<[string, ReturnType<typeof splitUrl>]>([
    ['http://chat-api:8080/v1/x?y', { scheme: 'http', host: 'chat-api', port: 8080, path: '/v1/x' }],
    ['HTTPS://Example.com', { scheme: 'https', host: 'Example.com', path: '/' }],
    ['https://example.com?x=1', { scheme: 'https', host: 'example.com', path: '/' }],
    ['//host/p', { host: 'host', path: '/p' }],
    ['/only/path#frag', { path: '/only/path' }],
    ['chat-api.default.svc.cluster.local:80', { host: 'chat-api.default.svc.cluster.local', port: 80, path: '/' }],
    ['chat-api.default.svc', { host: 'chat-api.default.svc', path: '/' }],
    ['localhost:3000/api', { host: 'localhost', port: 3000, path: '/api' }],
    ['http://user:pw@10.0.0.1:9000/x', { scheme: 'http', host: '10.0.0.1', port: 9000, path: '/x' }],
    ['http://[::1]:8080/x', { scheme: 'http', host: '[::1]', port: 8080, path: '/x' }],
    ['http://{}/api/{}', { scheme: 'http', host: '{}', path: '/api/{}' }],
    ['http://chat:{}/x', { scheme: 'http', host: 'chat', path: '/x' }],
  ])('splits %s', (text, expected) => {
    expect(splitUrl(text)).toEqual(expected);
  });

  it.each(['', '   ', 'hello', 'hello world', 'gpt-4.1', 'config.json', '12:30', 'http://', 'http://host:99999/', 'http://host:abc/', 'mailto:a@b.com', 'C:\\temp'])(
    'returns undefined for %j',
    (text) => {
      expect(splitUrl(text)).toBeUndefined();
    },
  );
});

/** The name whose match has the highest score, or undefined if none matched. */
function best(candidates: [string, { matched: boolean; score: number }][]): string | undefined {
  const matched = candidates.filter(([, match]) => match.matched);
  matched.sort((a, b) => b[1].score - a[1].score);
  return matched[0]?.[0];
}
