// Which `server` and `location` nginx picks for a request, following ngx_http_core_find_location and server_name lookup.
import type { NginxDirective } from './ast.js';
import type { NginxBlock, NginxModel } from './model.js';
import { compilePcrePattern, type SafeRegex } from '../../safe-regex.js';

export interface RequestTarget {
  /** The Host header (a `:port` suffix is ignored); undefined or '' means the request had none. */
  host?: string;
  /** The port the request arrived on; undefined means any port (80 and 443 preferred). */
  port?: number;
  /** The request target as sent: query string and fragment are dropped, %XX decoded, slashes merged. */
  path: string;
}

/**
 * Where routing cannot go on: a `server_name` or `location` regex nginx accepts but that cannot be
 * evaluated safely (see compilePcrePattern). Whether it matches is unknown, so the route is too.
 */
class UnknownRoute extends Error {
  constructor(readonly why: string) {
    super(why);
  }
}

export interface ListenPort {
  port: number;
  defaultServer: boolean;
}

export interface RouteResult {
  server: NginxBlock;
  location?: NginxBlock;
  /** Why, in words: `server_name exact "a.example.com"; longest prefix /api/`. */
  reason: string;
  /**
   * True when nginx answers 301 with a trailing slash added instead of running the location: the
   * URI is a proxy_pass (or fastcgi_pass, …) location's name without its final `/`.
   */
  autoRedirect?: boolean;
  /** Set when a location regex could not be evaluated: which location nginx picks is unknown. */
  unknown?: string;
}

/** A location, none, or why it is unknown (a regex that cannot be evaluated safely). */
export interface LocationLookup {
  location?: NginxBlock;
  unknown?: string;
}

/**
 * The server block nginx picks for a Host header and port: listen port, then server_name (exact,
 * leading wildcard *.x / .x, trailing wildcard x.*, regex ~ in order), then default_server, then
 * the first server listening on that port. Undefined when no server listens on the port.
 *
 * The listen address is not compared: every server on the port is a candidate, as if all listened
 * on the wildcard address.
 */
export function selectServer(model: NginxModel, target: RequestTarget): NginxBlock | undefined {
  return knownOrUndefined(() => chooseServer(model, target)?.server);
}

/**
 * The location (possibly nested) nginx uses for a URI inside a server block: `=` exact stops;
 * longest prefix; `^~` on the longest prefix stops; otherwise regex locations in order of
 * appearance (nested regexes inside the chosen prefix location first), case-insensitive for ~*;
 * else the longest prefix; named (@) locations never match. Undefined when nothing matches or when
 * nginx rejects the URI (400).
 */
export function selectLocation(server: NginxBlock, path: string): NginxBlock | undefined {
  return lookupLocation(server, path).location;
}

/** selectLocation, saying why when the answer is unknown (a regex location that cannot be evaluated comes first). */
export function lookupLocation(server: NginxBlock, path: string): LocationLookup {
  const uri = normaliseUri(path);
  if (uri === undefined) return {};
  try {
    const location = findLocation(server, uri)?.location;
    return location ? { location } : {};
  } catch (error) {
    if (error instanceof UnknownRoute) return { unknown: error.why };
    throw error;
  }
}

/**
 * Whether a `server_name` entry that is a regex (`~…`) names the host: undefined for other entries,
 * `{ unknown }` when the regex cannot be evaluated safely.
 */
export function serverNameRegexMatches(name: string, host: string): boolean | { unknown: string } | undefined {
  if (!name.startsWith('~')) return undefined;
  const compiled = serverNameRegex(name);
  return compiled.ok ? compiled.regex.test(normaliseHost(host)) : { unknown: compiled.why };
}

function knownOrUndefined<T>(run: () => T): T | undefined {
  try {
    return run();
  } catch (error) {
    if (error instanceof UnknownRoute) return undefined;
    throw error;
  }
}

/** Both at once, plus a human-readable reason. Undefined when no server listens on the port. */
export function routeRequest(model: NginxModel, target: RequestTarget): RouteResult | undefined {
  const chosen = knownOrUndefined(() => chooseServer(model, target));
  if (!chosen) return undefined;
  const uri = normaliseUri(target.path);
  if (uri === undefined) return { server: chosen.server, reason: `${chosen.reason}; nginx rejects the URI with 400` };
  let found: LocationFound | undefined;
  try {
    found = findLocation(chosen.server, uri);
  } catch (error) {
    if (!(error instanceof UnknownRoute)) throw error;
    return { server: chosen.server, reason: `${chosen.reason}; ${error.why}`, unknown: error.why };
  }
  if (!found) return { server: chosen.server, reason: `${chosen.reason}; no location matches ${uri}` };
  const result: RouteResult = { server: chosen.server, location: found.location, reason: `${chosen.reason}; ${found.reason}` };
  if (found.outcome === 'redirect') result.autoRedirect = true;
  return result;
}

/**
 * The ports a server listens on (`80`, `127.0.0.1:8080`, `[::]:443 ssl`; `unix:` sockets ignored;
 * no listen means 80) and whether it is the default_server for that port.
 */
export function listenPortsOf(server: NginxBlock): ListenPort[] {
  const listens = server.statements.filter((d) => d.name === 'listen');
  if (listens.length === 0) return [{ port: 80, defaultServer: false }];
  const byPort = new Map<number, boolean>();
  for (const listen of listens) {
    const port = portOfListen(listen);
    if (port === undefined) continue;
    // `default` is the pre-0.8.21 spelling of `default_server`.
    const isDefault = listen.args.slice(1).some((a) => a.value === 'default_server' || a.value === 'default');
    byPort.set(port, (byPort.get(port) ?? false) || isDefault);
  }
  return [...byPort].map(([port, defaultServer]) => ({ port, defaultServer }));
}

// ---------------------------------------------------------------------------------------------
// Server selection.

interface ServerChoice {
  server: NginxBlock;
  reason: string;
}

function chooseServer(model: NginxModel, target: RequestTarget): ServerChoice | undefined {
  const servers = httpServers(model);
  const host = normaliseHost(target.host);
  if (target.port !== undefined) return chooseOnPort(servers, host, target.port);
  const ports = candidatePorts(servers);
  for (const port of ports) {
    const named = matchServerName(serversOnPort(servers, port), host);
    if (named) return named;
  }
  return ports[0] === undefined ? undefined : chooseOnPort(servers, host, ports[0]);
}

function chooseOnPort(servers: NginxBlock[], host: string, port: number): ServerChoice | undefined {
  const onPort = serversOnPort(servers, port);
  if (onPort.length === 0) return undefined;
  const named = matchServerName(onPort, host);
  if (named) return named;
  const explicitDefault = onPort.find((s) => listenPortsOf(s).some((l) => l.port === port && l.defaultServer));
  if (explicitDefault) return { server: explicitDefault, reason: `default_server for port ${port}` };
  return { server: onPort[0]!, reason: `first server listening on port ${port}` };
}

/** Only `server` blocks of the http context (not stream, mail or upstream ones) route HTTP requests. */
function httpServers(model: NginxModel): NginxBlock[] {
  return model.servers.filter((s) => s.parent?.kind === 'http');
}

function serversOnPort(servers: NginxBlock[], port: number): NginxBlock[] {
  return servers.filter((s) => listenPortsOf(s).some((l) => l.port === port));
}

/** Ports in config order, with 80 and 443 first: the ports a request without one most likely used. */
function candidatePorts(servers: NginxBlock[]): number[] {
  const ports = new Set<number>();
  for (const server of servers) for (const listen of listenPortsOf(server)) ports.add(listen.port);
  const preferred = [80, 443].filter((p) => ports.has(p));
  return [...preferred, ...[...ports].filter((p) => !preferred.includes(p))];
}

function portOfListen(listen: NginxDirective): number | undefined {
  const address = listen.args[0]?.value;
  if (address === undefined || address.startsWith('unix:')) return undefined;
  // `80`, `127.0.0.1:8080`, `*:80`, `[::]:443`, or an address alone (`listen 127.0.0.1;` means port 80).
  const parts = /^\d+$/.test(address) ? [address, address] : /^(?:\[[^\]]*\]|[^:[\]]+)(?::(\d+))?$/.exec(address);
  if (!parts) return undefined;
  const port = parts[1] === undefined ? 80 : Number(parts[1]);
  return port > 0 && port < 65536 ? port : undefined;
}

/**
 * nginx validates the Host header before lookup: lowercased, port removed, one trailing dot dropped
 * (ngx_http_validate_host). '' stands for "no Host header", which nginx looks up as the name "".
 */
function normaliseHost(host: string | undefined): string {
  let name = (host ?? '').trim().toLowerCase();
  const port = name.startsWith('[') ? /\]:\d*$/.exec(name) : /:[^:]*$/.exec(name);
  if (port) name = name.slice(0, port.index + (name.startsWith('[') ? 1 : 0));
  return name.endsWith('.') ? name.slice(0, -1) : name;
}

/** nginx's lookup order: exact, longest leading wildcard, longest trailing wildcard, first regex. */
function matchServerName(servers: NginxBlock[], host: string): ServerChoice | undefined {
  const named = servers.map((server) => ({ server, names: namesOf(server) }));
  for (const { server, names } of named) {
    const exact = names.find((n) => isPlainName(n) && n === host);
    if (exact !== undefined) return { server, reason: `server_name exact "${exact}"` };
  }
  // Wildcards and regexes are never tried for an empty Host (ngx_http_find_virtual_server).
  if (host === '') return undefined;
  const head = longestWildcard(named, host, leadingWildcardLength);
  if (head) return head;
  const tail = longestWildcard(named, host, trailingWildcardLength);
  if (tail) return tail;
  for (const { server, names } of named) {
    const regex = names.find((n) => {
      if (!n.startsWith('~')) return false;
      const compiled = serverNameRegex(n);
      if (!compiled.ok) throw new UnknownRoute(compiled.why);
      return compiled.regex.test(host);
    });
    if (regex !== undefined) return { server, reason: `server_name regex ${regex} (first match in order)` };
  }
  return undefined;
}

/** A server without server_name is named "" (nginx ≥ 0.8.48), so it catches requests without Host. */
function namesOf(server: NginxBlock): string[] {
  const names = server.serverNames.map(unescapeNginxToken);
  return names.length === 0 ? [''] : names.map((n) => (n.startsWith('~') ? n : n.toLowerCase()));
}

function isPlainName(name: string): boolean {
  return !name.startsWith('~') && !name.includes('*') && !name.startsWith('.');
}

type WildcardLength = (name: string, host: string) => number;

function longestWildcard(named: Array<{ server: NginxBlock; names: string[] }>, host: string, lengthOf: WildcardLength): ServerChoice | undefined {
  let best: ServerChoice | undefined;
  let bestLength = 0;
  for (const { server, names } of named) {
    for (const name of names) {
      const length = lengthOf(name, host);
      if (length > bestLength) [best, bestLength] = [{ server, reason: `server_name wildcard "${name}"` }, length];
    }
  }
  return best;
}

/** `*.example.com` matches sub.example.com; `.example.com` also matches example.com itself. */
function leadingWildcardLength(name: string, host: string): number {
  const suffix = name.startsWith('*.') ? name.slice(1) : name.startsWith('.') ? name : undefined;
  if (suffix === undefined || suffix.length < 2 || suffix.includes('*')) return 0;
  if (host.length > suffix.length && host.endsWith(suffix)) return suffix.length;
  return name.startsWith('.') && host === suffix.slice(1) ? suffix.length : 0;
}

/** `www.example.*` matches www.example.org and www.example.co.uk, never www.example. */
function trailingWildcardLength(name: string, host: string): number {
  if (!name.endsWith('.*') || name.startsWith('~')) return 0;
  const prefix = name.slice(0, -1);
  if (prefix.length < 2 || prefix.includes('*')) return 0;
  return host.length > prefix.length && host.startsWith(prefix) ? prefix.length : 0;
}

/**
 * nginx compiles a server_name regex caselessly only when it contains an uppercase letter
 * (ngx_http_core_server_name); the host it is tested against is already lowercase.
 */
function serverNameRegex(name: string): { ok: true; regex: SafeRegex } | { ok: false; why: string } {
  const pattern = name.slice(1);
  const compiled = compilePcrePattern(pattern, /[A-Z]/.test(pattern));
  return compiled.ok ? compiled : { ok: false, why: `server_name ${name} cannot be evaluated safely: ${compiled.reason}` };
}

// ---------------------------------------------------------------------------------------------
// Location selection.

type Outcome = 'exact' | 'prefix' | 'regex' | 'redirect';

interface LocationFound {
  location: NginxBlock;
  reason: string;
  /** 'prefix' lets an enclosing level still try its regexes; the others end the search (NGX_OK/NGX_DONE). */
  outcome: Outcome;
}

const AUTO_REDIRECT_DIRECTIVES = new Set(['proxy_pass', 'fastcgi_pass', 'uwsgi_pass', 'scgi_pass', 'memcached_pass', 'grpc_pass']);

/**
 * One level of ngx_http_core_find_location: the static tree of `container`'s own locations, then
 * the longest prefix's nested locations, then (unless that prefix is `^~`) this level's regexes.
 */
function findLocation(container: NginxBlock, uri: string): LocationFound | undefined {
  const children = container.children.filter((c) => c.kind === 'location' && c.location && c.location.modifier !== '@');
  const statics = children.filter((c) => isStatic(c));
  const exact = statics.find((c) => c.location!.modifier === '=' && patternBytes(c) === uri);
  if (exact) return { location: exact, reason: `exact = ${exact.location!.pattern}`, outcome: 'exact' };
  const redirect = statics.find((c) => patternBytes(c) === `${uri}/` && autoRedirects(c));
  if (redirect) return { location: redirect, reason: `301 to ${redirect.location!.pattern} (auto redirect of a *_pass location)`, outcome: 'redirect' };
  const prefix = longestPrefix(statics, uri);
  const inner = prefix ? findLocation(prefix, uri) : undefined;
  if (inner && inner.outcome !== 'prefix') return nestedIn(prefix, inner);
  const fallback = prefix ? (inner ? nestedIn(prefix, inner) : prefixFound(prefix)) : undefined;
  if (prefix?.location!.modifier === '^~') return fallback;
  return firstRegex(children, uri) ?? fallback;
}

function isStatic(block: NginxBlock): boolean {
  const modifier = block.location!.modifier;
  return modifier === '=' || modifier === '^~' || modifier === '';
}

function longestPrefix(statics: NginxBlock[], uri: string): NginxBlock | undefined {
  let best: NginxBlock | undefined;
  for (const block of statics) {
    if (block.location!.modifier === '=') continue;
    const pattern = patternBytes(block);
    if (uri.startsWith(pattern) && (!best || pattern.length > patternBytes(best).length)) best = block;
  }
  return best;
}

function prefixFound(prefix: NginxBlock): LocationFound {
  const { modifier, pattern } = prefix.location!;
  const reason = modifier === '^~' ? `longest prefix ^~ ${pattern} (regexes skipped)` : `longest prefix ${pattern}`;
  return { location: prefix, reason, outcome: 'prefix' };
}

function nestedIn(outer: NginxBlock | undefined, inner: LocationFound): LocationFound {
  return outer ? { ...inner, reason: `${inner.reason}, nested in ${describeLocation(outer)}` } : inner;
}

/**
 * The first regex location (in order) that matches; then its own nested locations are searched.
 * nginx returns NGX_OK there whatever the nested search found, so a nested auto redirect does not
 * redirect: the location just handles the request.
 */
function firstRegex(children: NginxBlock[], uri: string): LocationFound | undefined {
  for (const block of children) {
    const regex = locationRegex(block);
    if (!regex?.test(uri)) continue;
    // (locationRegex throws UnknownRoute for a regex that cannot be evaluated: regexes are tried in order.)
    const own: LocationFound = { location: block, reason: `regex ${describeLocation(block)} (first match in order)`, outcome: 'regex' };
    const inner = findLocation(block, uri);
    return inner ? { location: inner.location, reason: `${inner.reason}, nested in ${describeLocation(block)}`, outcome: 'regex' } : own;
  }
  return undefined;
}

function locationRegex(block: NginxBlock): SafeRegex | undefined {
  const match = block.location;
  if (!match || (match.modifier !== '~' && match.modifier !== '~*')) return undefined;
  const compiled = compilePcrePattern(toByteString(unescapeNginxToken(match.pattern)), match.modifier === '~*');
  if (!compiled.ok) throw new UnknownRoute(`location ${match.modifier} ${match.pattern} cannot be evaluated safely: ${compiled.reason}`);
  return compiled.regex;
}

/** nginx sets auto_redirect when a location whose name ends with `/` has a *_pass directive. */
function autoRedirects(block: NginxBlock): boolean {
  return block.location!.pattern.endsWith('/') && block.statements.some((d) => AUTO_REDIRECT_DIRECTIVES.has(d.name));
}

function patternBytes(block: NginxBlock): string {
  return toByteString(unescapeNginxToken(block.location!.pattern));
}

function describeLocation(block: NginxBlock): string {
  const { modifier, pattern } = block.location!;
  return modifier ? `${modifier} ${pattern}` : pattern;
}

// ---------------------------------------------------------------------------------------------
// Text: URIs as nginx sees them, config tokens, PCRE.

/**
 * The URI nginx matches locations against (ngx_http_parse_complex_uri), as a byte string (one char
 * per byte, since nginx compares bytes and PCRE runs without UTF mode). Query and fragment are cut
 * off, %XX decoded once (a decoded `/` or `.` then merges and resolves like a literal one), `//`
 * merged, `.` and `..` segments resolved. Undefined when nginx answers 400: bad %-escape, NUL,
 * `..` above the root, or a target that does not start with `/`.
 */
export function normaliseUri(path: string): string | undefined {
  const raw = path.split(/[?#]/, 1)[0] ?? '';
  if (raw === '') return '/';
  if (!raw.startsWith('/')) return undefined;
  const decoded = percentDecode(raw);
  return decoded === undefined ? undefined : resolveSegments(decoded);
}

function percentDecode(raw: string): string | undefined {
  const bytes = toByteString(raw);
  let out = '';
  for (let i = 0; i < bytes.length; i++) {
    const ch = bytes[i]!;
    if (ch !== '%') {
      out += ch;
      continue;
    }
    const hex = bytes.slice(i + 1, i + 3);
    if (!/^[0-9a-fA-F]{2}$/.test(hex) || hex === '00') return undefined;
    out += String.fromCharCode(parseInt(hex, 16));
    i += 2;
  }
  return out.includes('\0') ? undefined : out;
}

function resolveSegments(decoded: string): string | undefined {
  const segments = decoded.split('/').slice(1);
  const kept: string[] = [];
  for (const segment of segments) {
    if (segment === '' || segment === '.') continue;
    if (segment !== '..') kept.push(segment);
    else if (kept.pop() === undefined) return undefined;
  }
  const last = segments[segments.length - 1];
  const trailingSlash = kept.length > 0 && (last === '' || last === '.' || last === '..');
  return `/${kept.join('/')}${trailingSlash ? '/' : ''}`;
}

/** UTF-8 bytes of `text`, one char per byte. */
function toByteString(text: string): string {
  if (!/[^\x00-\x7f]/.test(text)) return text;
  let out = '';
  for (const byte of new TextEncoder().encode(text)) out += String.fromCharCode(byte);
  return out;
}

/**
 * nginx's config reader turns `\"`, `\'` and `\\` into the bare character and `\t` `\r` `\n` into
 * control characters in every token (ngx_conf_read_token); the parser keeps escapes as written.
 */
function unescapeNginxToken(value: string): string {
  if (!value.includes('\\')) return value;
  const controls: Record<string, string> = { t: '\t', r: '\r', n: '\n' };
  return value.replace(/\\(["'\\trn])/g, (_, ch: string) => controls[ch] ?? ch);
}

/**
 * A PCRE pattern as nginx runs it, compiled for linear-time matching (see compilePcrePattern), or
 * undefined when it cannot be evaluated safely.
 */
export function compilePcre(pattern: string, caseless: boolean): SafeRegex | undefined {
  const compiled = compilePcrePattern(pattern, caseless);
  return compiled.ok ? compiled.regex : undefined;
}
