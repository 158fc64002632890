// Decides whether a request (host + path) is served by an Ingress, HTTPRoute, VirtualService or app route, and how specifically.
import { compileSafeRegex, type SafeRegex } from '../safe-regex.js';
//
// Placeholders: the caller turns a template hole from code (`${id}`) into the path segment "{}". A segment
// containing "{}" is unknown text, so a parameter or wildcard matches it and a static segment never does
// (the linter must not claim "/users/{}" reaches a route "/users/me").
//
// Normalisation, per technology: the query and fragment are always dropped. Duplicate slashes are merged
// only for Ingress, because ingress-nginx is nginx and nginx has `merge_slashes on` by default. Envoy
// (Gateway API implementations, Istio) keeps `merge_slashes` off by default, and Express, Koa, Fastify,
// Hono and Next.js match the raw path, so there "//" stays an empty segment.

/** The outcome of one matcher. */
export interface PathMatch {
  matched: boolean;
  /** Higher = more specific. Only comparable between results of the same function. */
  score: number;
}

/** How code placeholders appear in request paths and hosts (see the file comment). */
export const PLACEHOLDER = '{}';

/**
 * Kubernetes Ingress path matching (networking.k8s.io/v1 `HTTPIngressPath`).
 *
 * - `Exact`: case-sensitive equality ("/foo" does not match "/foo/").
 * - `Prefix`: element-wise on '/'-split segments. "/foo" matches "/foo", "/foo/" and "/foo/bar", but not
 *   "/foobar". A trailing slash in the pattern is ignored, and "/" matches everything.
 * - `ImplementationSpecific` (also an absent pathType, the v1beta1 default): handled like `Prefix`, as for
 *   ingress-nginx; for GKE (`gce`), as its URL maps read it (see {@link gcePathPrefix}). With `regexEnabled` (`nginx.ingress.kubernetes.io/use-regex: "true"`) and a path that
 *   contains regex characters, it is handled as ingress-nginx writes it, `location ~* "^<path>"`, which is
 *   case-insensitive and anchored only at the start.
 * - An unknown pathType never matches, because the API server rejects it. An absent path matches all.
 *
 * Score: twice the pattern length, plus 1 for Exact. Longer paths win, and Exact beats a Prefix of the
 * same length (the Kubernetes docs rule "/foo (Prefix), /foo (Exact) → prefers Exact").
 * A placeholder segment in `path` is never matched by a static pattern segment. A regex sees it literally.
 */
export function matchIngressPath(
  pattern: string | undefined,
  pathType: string | undefined,
  path: string,
  options?: { regexEnabled?: boolean; gce?: boolean },
): PathMatch {
  const request = normaliseRequestPath(path, true);
  if (pattern === undefined || pattern === '') return hit(0);
  const type = pathType ?? 'ImplementationSpecific';
  if (type === 'Exact') return exactPath(rooted(pattern), request) ? hit(2 * pattern.length + 1) : noMatch();
  if (type !== 'Prefix' && type !== 'ImplementationSpecific') return noMatch();
  if (type === 'ImplementationSpecific' && options?.gce === true) {
    const gce = gcePathPrefix(pattern);
    return gce === undefined ? (exactPath(rooted(pattern), request) ? hit(2 * pattern.length + 1) : noMatch()) : request.startsWith(gce) ? hit(2 * gce.length) : noMatch();
  }
  if (type === 'ImplementationSpecific' && options?.regexEnabled === true && REGEX_CHARS.test(pattern)) {
    // ingress-nginx writes `'^' + path` without a group, so an alternation is anchored only on its left.
    const regex = compileRe2(pattern, 'start', true);
    return regex?.test(request) === true ? hit(2 * pattern.length) : noMatch();
  }
  const prefix = trimTrailingSlashes(rooted(pattern));
  return elementWisePrefix(prefix, request) ? hit(2 * prefix.length) : noMatch();
}

/**
 * GKE's Ingress (class `gce`) turns an ImplementationSpecific path into a URL map path rule, which is
 * not a regex and not an element-wise prefix: `/api/*` (the one wildcard, last, after a slash) matches
 * everything that starts with `/api/`; a path without it matches only itself (GKE's "Configuring
 * Ingress" guide; kubernetes/ingress-gce#181). The prefix a `/*` path stands for, else undefined.
 */
export function gcePathPrefix(pattern: string): string | undefined {
  return pattern.endsWith('/*') ? rooted(pattern.slice(0, -1)) : undefined;
}

/**
 * Ingress host rules: exact (case-insensitive, as DNS is), or one leading wildcard label that stands for
 * exactly one label ("*.foo.com" matches "bar.foo.com", not "baz.bar.foo.com" nor "foo.com"). An absent
 * rule matches any host. An absent request host matches only an absent rule, because we cannot tell.
 * A port on the request host is ignored.
 * Score tiers: any host 0, wildcard 2000 + suffix length, exact 3000 + length.
 */
export function matchIngressHost(rule: string | undefined, host: string | undefined): PathMatch {
  return matchHost(rule, host, 'one-label');
}

/**
 * Gateway API `HTTPRoute` hostnames. The syntax is the same as Ingress, but a wildcard label matches one
 * or more labels: "*.example.com" matches "foo.bar.example.com" (Gateway API "Hostnames" concept doc;
 * the spec changed from single-label matching, see projectcontour/contour#4554). Scores as for Ingress.
 */
export function matchGatewayHost(rule: string | undefined, host: string | undefined): PathMatch {
  return matchHost(rule, host, 'many-labels');
}

/**
 * Istio VirtualService `hosts` entries: exact, "*" (any host), or a leading "*." suffix wildcard that
 * matches one or more labels (Istio docs: "*.com" matches "bar.foo.com"). A short name like "reviews"
 * matches only "reviews": the caller expands it to an FQDN in the rule's namespace first.
 * Scores as for Ingress, with "*" in tier 1000.
 */
export function matchIstioHost(rule: string | undefined, host: string | undefined): PathMatch {
  if (rule?.trim() === '*') return host === undefined ? noMatch() : hit(1000);
  return matchHost(rule, host, 'many-labels');
}

/**
 * Gateway API `HTTPPathMatch`. The type defaults to `PathPrefix` and the value defaults to "/", so an
 * absent match matches everything. `PathPrefix` is element-wise like an Ingress Prefix. `Exact` is
 * equality. `RegularExpression` is implementation-specific: we use a full match in RE2 syntax, as Envoy
 * does. An invalid regex never matches. Score: Exact > RegularExpression > PathPrefix, then longer value.
 * The spec ranks Exact first and the longest prefix next. Regex ranking is implementation-specific.
 */
export function matchGatewayPath(type: string | undefined, value: string | undefined, path: string): PathMatch {
  const request = normaliseRequestPath(path, false);
  const pattern = value ?? '/';
  switch (type ?? 'PathPrefix') {
    case 'Exact':
      return exactPath(pattern, request) ? hit(3 * TIER + pattern.length) : noMatch();
    case 'RegularExpression':
      return compileRe2(pattern, 'full', false)?.test(request) === true ? hit(2 * TIER + pattern.length) : noMatch();
    case 'PathPrefix': {
      const prefix = trimTrailingSlashes(rooted(pattern));
      return elementWisePrefix(prefix, request) ? hit(TIER + prefix.length) : noMatch();
    }
    default:
      return noMatch();
  }
}

/**
 * Istio `HTTPMatchRequest.uri` (a `StringMatch`): `exact` is equality; `prefix` is a plain string prefix,
 * not element-wise ("/api" matches "/apiv2"); `regex` is an RE2 full match. An absent kind matches all.
 * Istio takes the first matching rule in declaration order, so the score (exact > prefix, longer > regex >
 * match-all) is only a tie-break for callers that compare routes from different VirtualServices.
 */
export function matchIstioUri(kind: 'exact' | 'prefix' | 'regex' | undefined, value: string | undefined, path: string): PathMatch {
  const request = normaliseRequestPath(path, false);
  if (kind === undefined || value === undefined) return hit(0);
  if (kind === 'exact') return exactPath(value, request) ? hit(3 * TIER + value.length) : noMatch();
  if (kind === 'prefix') return request.startsWith(value) ? hit(2 * TIER + value.length) : noMatch();
  return compileRe2(value, 'full', false)?.test(request) === true ? hit(TIER + value.length) : noMatch();
}

/**
 * Application route patterns against a concrete request path.
 *
 * - express / koa / nest (path-to-regexp 0.1.x and v8): ":id", ":id?" (optional), ":id(\\d+)" (the
 *   constraint is treated as "any segment"), "*" (zero or more segments), v8 "*splat" (one or more) and
 *   "{/:opt}" (an optional group). Case-insensitive, and a trailing slash is optional, as in Express defaults.
 * - fastify (find-my-way): ":id", "/files/*", ":lat-:lng". Case-sensitive, and a trailing slash is
 *   significant (ignoreTrailingSlash is off by default).
 * - hono: ":id", ":id?", ":id{[0-9]+}" (the constraint is treated as "any segment"), "*". Case-sensitive,
 *   and a trailing slash is significant (strict mode).
 * - next-app / next-pages: "[id]", "[...slug]" (one or more segments), "[[...slug]]" (zero or more).
 *   Route groups "(group)" and slots "@slot" are dropped. Case-sensitive. A trailing slash is redirected,
 *   so it is ignored.
 * - sveltekit (also nitro, astro, and remix once its `$id` names are written as brackets): as
 *   next-app, with "[[lang]]" an optional parameter, "[id=matcher]" a parameter (the matcher is
 *   treated as "any segment"), and "[...rest]" zero or more segments.
 * - Unknown frameworks use the Express dialect.
 *
 * A placeholder segment "{}" in `path` matches a parameter or wildcard, never a static segment.
 * Score: for each request segment in order, static > parameter > wildcard. Earlier segments weigh more,
 * and fewer optional or wildcard tokens break ties. So "/users/me" > "/users/:id" > "/users/*".
 */
export function matchAppRoute(framework: string, pattern: string, path: string): PathMatch {
  const dialect = dialectFor(framework);
  const segments = requestSegments(path, dialect);
  let best: number | undefined;
  for (const tokens of patternTokens(pattern, dialect)) {
    const score = bestTokenMatch(tokens, segments, dialect);
    if (score !== undefined && (best === undefined || score > best)) best = score;
  }
  return best === undefined ? noMatch() : hit(best);
}

// Linking asks for every route of a service against each request path that reaches it (a million
// times on a dense 10k workspace): a pattern's tokens and a path's segments are made once (both are
// pure functions of their text and dialect, and nothing changes them), and found again without
// building a key string per call (the dialects are shared objects, and a string keeps its hash).
// Bounded, for a language server that sees patterns come and go.
const MAX_CACHED = 20_000;
const tokensByDialect = new Map<RouteDialect, Map<string, readonly RouteToken[][]>>();
let cachedPatterns = 0;
const segmentsByPath = { strict: new Map<string, readonly string[]>(), loose: new Map<string, readonly string[]>() };

function patternTokens(pattern: string, dialect: RouteDialect): readonly RouteToken[][] {
  let byPattern = tokensByDialect.get(dialect);
  if (!byPattern) tokensByDialect.set(dialect, (byPattern = new Map()));
  let variants = byPattern.get(pattern);
  if (!variants) {
    const made: RouteToken[][] = [];
    for (const variant of expandPattern(pattern, dialect)) {
      const tokens = tokenize(variant, dialect);
      if (tokens !== undefined) made.push(tokens);
    }
    if (cachedPatterns >= MAX_CACHED) {
      for (const map of tokensByDialect.values()) map.clear();
      cachedPatterns = 0;
    }
    byPattern.set(pattern, (variants = made));
    cachedPatterns++;
  }
  return variants;
}

function requestSegments(path: string, dialect: RouteDialect): readonly string[] {
  const cache = dialect.strictTrailingSlash ? segmentsByPath.strict : segmentsByPath.loose;
  let segments = cache.get(path);
  if (!segments) {
    segments = splitSegments(normaliseRequestPath(path, false), dialect.strictTrailingSlash);
    if (cache.size >= MAX_CACHED) cache.clear();
    cache.set(path, segments);
  }
  return segments;
}

/**
 * The path an upstream sees after nginx `proxy_pass`. With a URI part (`proxy_pass http://up/v1/;` in
 * `location /api/`), nginx replaces the matched location prefix of the normalised URI (slashes merged)
 * with that URI, literally: "/api/chat" becomes "/v1/chat". A prefix "/api" with "/v1/" gives "/v1//chat".
 * Without a URI part (undefined or ""), the request path is passed unchanged. `$request_uri`, `$uri` and
 * `$document_uri` (also in `${…}` form) are substituted. Any other variable, or a path outside the prefix, returns the request path unchanged,
 * because we cannot know the result. The query is kept and the fragment is dropped.
 */
export function rewriteForProxyPass(locationPrefix: string, proxyPassPath: string | undefined, requestPath: string): string {
  const [rawPath, query] = splitQuery(requestPath);
  const original = rawPath + query;
  if (proxyPassPath === undefined || proxyPassPath === '') return original;
  const normalised = mergeSlashes(rawPath);
  if (proxyPassPath.includes('$')) {
    const substituted = proxyPassPath.replace(/\$(?:\{(request_uri|uri|document_uri)\}|(request_uri|uri|document_uri)(?![A-Za-z0-9_]))/g, (_, braced: string | undefined, bare: string | undefined) => ((braced ?? bare) === 'request_uri' ? original : normalised));
    return substituted.includes('$') ? original : substituted;
  }
  const prefix = locationPrefix.replace(/^(\^~|=)\s*/, '');
  if (!normalised.startsWith(prefix)) return original;
  return proxyPassPath + normalised.slice(prefix.length) + query;
}

/**
 * Splits a URL or URL-ish string into scheme, host, port and path (query and fragment dropped; an empty
 * path is "/"). Accepts "http://chat-api:8080/v1/x?y", "//host/p", "/only/path", and a bare authority
 * that is clearly a host: one with a port ("chat-api:80") or a Kubernetes service name
 * ("chat-api.default.svc", "….cluster.local"). Any other bare word ("gpt-4.1", "config.json", "hello")
 * gives undefined, and so do whitespace, an empty host and an invalid port. A placeholder port
 * ("host:{}") gives no port.
 */
export function splitUrl(text: string): { scheme?: string; host?: string; port?: number; path: string } | undefined {
  const trimmed = text.trim();
  if (trimmed === '' || /\s/.test(trimmed)) return undefined;
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(trimmed);
  if (scheme?.[1] !== undefined) return splitAuthority(trimmed.slice(scheme[0].length), scheme[1].toLowerCase(), false);
  if (trimmed.startsWith('//')) return splitAuthority(trimmed.slice(2), undefined, false);
  if (trimmed.startsWith('/')) return { path: pathOnly(trimmed) };
  return splitAuthority(trimmed, undefined, true);
}

// ---------------------------------------------------------------------------------------------------
// Paths, segments and regexes shared by the infrastructure matchers.

/** Separates score tiers of path matchers. Real paths are far shorter than this. */
const TIER = 1_000_000;
/** Characters that make an ingress-nginx path a regex. "." is left out: "/file.json" is a plain path. */
const REGEX_CHARS = /[\^$*+?()[\]{}|\\]/;

function hit(score: number): PathMatch {
  return { matched: true, score };
}

function noMatch(): PathMatch {
  return { matched: false, score: 0 };
}

function isPlaceholder(segment: string): boolean {
  return segment.includes(PLACEHOLDER);
}

function splitQuery(path: string): [string, string] {
  const withoutFragment = path.split('#', 1)[0] ?? '';
  const queryAt = withoutFragment.indexOf('?');
  return queryAt === -1 ? [withoutFragment, ''] : [withoutFragment.slice(0, queryAt), withoutFragment.slice(queryAt)];
}

function mergeSlashes(path: string): string {
  return path.replace(/\/{2,}/g, '/');
}

function rooted(path: string): string {
  return path.startsWith('/') ? path : `/${path}`;
}

function trimTrailingSlashes(path: string): string {
  return path.replace(/\/+$/, '');
}

function normaliseRequestPath(path: string, merge: boolean): string {
  const bare = rooted(splitQuery(path)[0]);
  return merge ? mergeSlashes(bare) : bare;
}

/** "/a/b" → ["a", "b"]; "/a/" → ["a", ""]; "/" → [""]; "" → []. */
function segmentsOf(path: string): string[] {
  return path === '' ? [] : path.split('/').slice(1);
}

function staticEquals(want: string, have: string, caseSensitive: boolean): boolean {
  if (isPlaceholder(have)) return false;
  return caseSensitive ? want === have : want.toLowerCase() === have.toLowerCase();
}

function exactPath(pattern: string, request: string): boolean {
  const want = segmentsOf(pattern);
  const have = segmentsOf(request);
  return want.length === have.length && want.every((segment, i) => staticEquals(segment, have[i] ?? '', true));
}

/** `prefix` has no trailing slash; "" (from "/") matches every path. */
function elementWisePrefix(prefix: string, request: string): boolean {
  const want = segmentsOf(prefix);
  const have = segmentsOf(request);
  return want.length <= have.length && want.every((segment, i) => staticEquals(segment, have[i] ?? '', true));
}

/**
 * Compiles an RE2 pattern (Envoy, Istio and Gateway API regexes are RE2; ingress-nginx writes `'^' +
 * path`) for linear-time matching, or undefined if it is invalid or cannot be run safely.
 */
function compileRe2(source: string, anchor: 'full' | 'start', caseInsensitive: boolean): SafeRegex | undefined {
  const compiled = compileSafeRegex(anchor === 'full' ? `^(?:${source})$` : `^${source}`, { caseInsensitive });
  return compiled.ok ? compiled.regex : undefined;
}

// ---------------------------------------------------------------------------------------------------
// Hosts.

/** Lower case, without a port or a trailing dot: the form hosts are compared in. */
export function normaliseHost(host: string): string {
  const lower = host.trim().toLowerCase();
  const withoutPort = lower.startsWith('[') ? lower.replace(/(\])(:.*)$/, '$1') : lower.replace(/:[^:]*$/, '');
  return withoutPort.replace(/\.$/, '');
}

function matchHost(rule: string | undefined, host: string | undefined, wildcard: 'one-label' | 'many-labels'): PathMatch {
  if (rule === undefined || rule.trim() === '') return hit(0);
  if (host === undefined) return noMatch();
  const want = normaliseHost(rule);
  const have = normaliseHost(host);
  if (!want.startsWith('*.')) return want === have && !isPlaceholder(have) ? hit(3000 + want.length) : noMatch();
  const suffix = want.slice(1);
  if (!have.endsWith(suffix) || have.length === suffix.length) return noMatch();
  const covered = have.slice(0, -suffix.length);
  return wildcard === 'many-labels' || !covered.includes('.') ? hit(2000 + suffix.length) : noMatch();
}

function splitAuthority(rest: string, scheme: string | undefined, bare: boolean): ReturnType<typeof splitUrl> {
  const end = rest.search(/[/?#]/);
  const authority = end === -1 ? rest : rest.slice(0, end);
  const hostPort = authority.slice(authority.lastIndexOf('@') + 1);
  const parts = /^(\[[^\]]*\]|[^:[\]]*)(?::(.*))?$/.exec(hostPort);
  const host = parts?.[1];
  if (host === undefined || !/^(\[[0-9a-f:.]+\]|[a-z0-9._~%{}-]+)$/i.test(host) || /^\d+$/.test(host)) return undefined;
  const rawPort = parts?.[2];
  const port = rawPort === undefined || isPlaceholder(rawPort) ? undefined : Number(rawPort);
  if (port !== undefined && !(/^\d{1,5}$/.test(rawPort ?? '') && port >= 1 && port <= 65535)) return undefined;
  if (bare && rawPort === undefined && !/\.(svc|cluster\.local)$/i.test(host)) return undefined;
  const path = end === -1 ? '/' : pathOnly(rest.slice(end));
  return { ...(scheme === undefined ? {} : { scheme }), host, ...(port === undefined ? {} : { port }), path };
}

function pathOnly(text: string): string {
  return rooted(splitQuery(text)[0]);
}

// ---------------------------------------------------------------------------------------------------
// Application routes.

interface RouteDialect {
  family: 'path-to-regexp' | 'fastify' | 'hono' | 'next-app' | 'next-pages' | 'sveltekit';
  caseSensitive: boolean;
  strictTrailingSlash: boolean;
}

type RouteToken =
  | { kind: 'static'; text: string }
  | { kind: 'param'; optional: boolean }
  | { kind: 'mixed'; regex: SafeRegex; hasParam: boolean }
  | { kind: 'rest'; min: 0 | 1 };

/** Weights per request segment; earlier segments are more significant. */
const WEIGHT = { static: 3, param: 2, rest: 1 } as const;
const SCORED_SEGMENTS = 16;
/** Bound on the variants produced by optional groups, so a hostile pattern stays cheap. */
const MAX_VARIANTS = 64;

// One object per dialect, shared: the caches above are keyed by them.
const DIALECTS = {
  fastify: { family: 'fastify', caseSensitive: true, strictTrailingSlash: true },
  hono: { family: 'hono', caseSensitive: true, strictTrailingSlash: true },
  nextApp: { family: 'next-app', caseSensitive: true, strictTrailingSlash: false },
  nextPages: { family: 'next-pages', caseSensitive: true, strictTrailingSlash: false },
  sveltekit: { family: 'sveltekit', caseSensitive: true, strictTrailingSlash: false },
  pathToRegexp: { family: 'path-to-regexp', caseSensitive: false, strictTrailingSlash: false },
} as const satisfies Record<string, RouteDialect>;

function dialectFor(framework: string): RouteDialect {
  switch (framework.toLowerCase()) {
    case 'fastify':
      return DIALECTS.fastify;
    case 'hono':
      return DIALECTS.hono;
    case 'next-app':
      return DIALECTS.nextApp;
    case 'next-pages':
      return DIALECTS.nextPages;
    case 'sveltekit':
    case 'nitro':
    case 'astro':
    case 'remix':
      return DIALECTS.sveltekit;
    default:
      return DIALECTS.pathToRegexp;
  }
}

function splitSegments(path: string, strictTrailingSlash: boolean): string[] {
  const segments = segmentsOf(rooted(path));
  if (!strictTrailingSlash && segments.length > 0 && segments[segments.length - 1] === '') segments.pop();
  return segments;
}

/** Strips parameter constraints and expands path-to-regexp v8 optional groups `{…}` into plain variants. */
function expandPattern(pattern: string, dialect: RouteDialect): string[] {
  if (dialect.family === 'next-app' || dialect.family === 'next-pages' || dialect.family === 'sveltekit') return [pattern];
  const stripped = stripAfterParams(pattern, '(', ')');
  if (dialect.family === 'hono') return [stripAfterParams(stripped, '{', '}')];
  if (dialect.family === 'fastify') return [stripped];
  const variants: string[] = [];
  const pending = [stripped];
  while (pending.length > 0 && variants.length < MAX_VARIANTS) {
    const current = pending.pop() ?? '';
    const open = current.indexOf('{');
    const close = open === -1 ? -1 : closingIndex(current, open, '{', '}');
    if (close === -1) variants.push(current);
    else pending.push(current.slice(0, open) + current.slice(close + 1), current.slice(0, open) + current.slice(open + 1, close) + current.slice(close + 1));
  }
  return variants;
}

/** Removes a balanced `(…)`/`{…}` that directly follows a `:name` parameter. */
function stripAfterParams(pattern: string, open: string, close: string): string {
  let result = '';
  let i = 0;
  while (i < pattern.length) {
    const char = pattern[i] ?? '';
    const afterParam = char === open && /:[\w$]+$/.test(result);
    const end = afterParam ? closingIndex(pattern, i, open, close) : -1;
    if (end === -1) { result += char; i += 1; } else i = end + 1;
  }
  return result;
}

function closingIndex(text: string, openAt: number, open: string, close: string): number {
  let depth = 0;
  for (let i = openAt; i < text.length; i += 1) {
    if (text[i] === '\\') i += 1;
    else if (text[i] === open) depth += 1;
    else if (text[i] === close && --depth === 0) return i;
  }
  return -1;
}

function tokenize(pattern: string, dialect: RouteDialect): RouteToken[] | undefined {
  const next = dialect.family === 'next-app' || dialect.family === 'next-pages';
  const segments = splitSegments(pattern === '' ? '/' : pattern, dialect.strictTrailingSlash)
    .filter((segment) => (dialect.family !== 'next-app' && dialect.family !== 'sveltekit') || !/^(\(.*\)|@.+)$/.test(segment));
  const tokens: RouteToken[] = [];
  for (const segment of segments) {
    const token = dialect.family === 'sveltekit' ? svelteKitToken(segment) : next ? nextToken(segment) : routeToken(segment, dialect);
    if (token === undefined) return undefined;
    tokens.push(token);
  }
  return tokens;
}

function nextToken(segment: string): RouteToken {
  if (/^\[\[\.\.\.[^\]]+\]\]$/.test(segment)) return { kind: 'rest', min: 0 };
  if (/^\[\.\.\.[^\]]+\]$/.test(segment)) return { kind: 'rest', min: 1 };
  if (/^\[[^\]]+\]$/.test(segment)) return { kind: 'param', optional: false };
  return { kind: 'static', text: segment };
}

function svelteKitToken(segment: string): RouteToken {
  // `[...rest]` matches zero or more segments in SvelteKit (`/a/[...rest]` answers `/a` too).
  if (/^\[\.\.\.[^\]]+\]$/.test(segment)) return { kind: 'rest', min: 0 };
  if (/^\[\[[^\].]+\]\]$/.test(segment)) return { kind: 'param', optional: true };
  if (/^\[[^\]]+\]$/.test(segment)) return { kind: 'param', optional: false };
  return { kind: 'static', text: segment };
}

function routeToken(segment: string, dialect: RouteDialect): RouteToken | undefined {
  if (segment === '*') return { kind: 'rest', min: 0 };
  if (/^\*[\w$]+$/.test(segment)) return { kind: 'rest', min: 1 };
  if (/^:[\w$]+$/.test(segment)) return { kind: 'param', optional: false };
  if (/^:[\w$]+\?$/.test(segment)) return { kind: 'param', optional: true };
  if (!/[:*?+]/.test(segment)) return { kind: 'static', text: segment };
  // A segment mixing text and parameters (":from-:to", "file.:ext", Express 4 "ab?cd").
  const source = segment
    .split(/(:[\w$]+|\*[\w$]*|[?+])/)
    .map((part) => (part.startsWith(':') ? '[^/]+' : part.startsWith('*') ? '.*' : part === '?' || part === '+' ? part : escapeRegex(part)))
    .join('');
  // Route strings come from workspace code: matched in linear time, however many parameters a segment holds.
  const compiled = compileSafeRegex(`^${source}$`, { caseInsensitive: !dialect.caseSensitive });
  return compiled.ok ? { kind: 'mixed', regex: compiled.regex, hasParam: /[:*]/.test(segment) } : undefined;
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** The best score over all ways `tokens` can consume `segments`, or undefined if none. */
function bestTokenMatch(tokens: readonly RouteToken[], segments: readonly string[], dialect: RouteDialect): number | undefined {
  let best: number | undefined;
  const walk = (ti: number, si: number, weights: number[], loose: number): void => {
    const token = tokens[ti];
    if (token === undefined) {
      if (si === segments.length) {
        const score = encodeScore(weights, loose);
        if (best === undefined || score > best) best = score;
      }
      return;
    }
    const segment = segments[si];
    if (token.kind === 'rest') {
      for (let end = si + token.min; end <= segments.length; end += 1) {
        walk(ti + 1, end, [...weights, ...new Array<number>(end - si).fill(WEIGHT.rest)], loose + 1);
      }
      return;
    }
    if (token.kind === 'param' && token.optional) walk(ti + 1, si, weights, loose + 1);
    if (segment !== undefined && segmentMatches(token, segment, dialect)) {
      walk(ti + 1, si + 1, [...weights, token.kind === 'static' ? WEIGHT.static : WEIGHT.param], loose + (token.kind === 'param' && token.optional ? 1 : 0));
    }
  };
  walk(0, 0, [], 0);
  return best;
}

function segmentMatches(token: Exclude<RouteToken, { kind: 'rest' }>, segment: string, dialect: RouteDialect): boolean {
  if (token.kind === 'static') return staticEquals(token.text, segment, dialect.caseSensitive);
  // path-to-regexp and find-my-way parameters need at least one character.
  if (token.kind === 'param') return segment !== '';
  return isPlaceholder(segment) ? token.hasParam : token.regex.test(segment);
}

/** Base-4 digits per request segment, most significant first, then a tie-break digit: fewer loose tokens. */
function encodeScore(weights: number[], loose: number): number {
  let score = 0;
  for (let i = 0; i < SCORED_SEGMENTS; i += 1) score = score * 4 + (weights[i] ?? 0);
  return score * 4 + (3 - Math.min(loose, 3));
}
