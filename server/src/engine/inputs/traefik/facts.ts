// Traefik facts from one configuration tree: entry points and the default servers transport (static), routers, services, servers transports and retry middlewares (dynamic), each value with its place.
import type { FileId, Span } from '../../types.js';
import { parseTraefikDuration } from './duration.js';
import { childOf, entriesOf, entryOf, itemsOf, pathOf, scalarOf, type ConfigNode, type ConfigScalar } from './tree.js';

/** Where a Traefik object comes from: Traefik names objects per provider (`api@file`, `api@docker`). */
export type TraefikProvider = 'file' | 'docker' | 'kubernetescrd';

export interface TraefikDuration {
  text: string;
  /** Milliseconds; undefined when unknown (a placeholder) or invalid. */
  ms?: number;
  /** 0 switches the timer off. */
  disabled?: boolean;
  unresolved: boolean;
  invalid?: string;
  span: Span;
}

export interface TraefikTransport {
  name: string;
  provider: TraefikProvider;
  span: Span;
  /** Kubernetes: the ServersTransport's namespace. */
  namespace?: string;
  dialTimeout?: TraefikDuration;
  responseHeaderTimeout?: TraefikDuration;
  idleConnTimeout?: TraefikDuration;
}

export interface TraefikRetry {
  name: string;
  provider: TraefikProvider;
  span: Span;
  namespace?: string;
  attempts?: { count?: number; text: string; span: Span };
  initialInterval?: TraefikDuration;
}

/** A load-balancer server: a URL (file, labels) or the compose service / Kubernetes Service it runs as. */
export interface TraefikServer {
  span: Span;
  /** The URL as written. */
  url?: ConfigScalar;
  host?: string;
  port?: number;
  unresolved: boolean;
  /** Kubernetes: the namespace of a Service named by an IngressRoute. */
  namespace?: string;
  /** Compose labels: the service's container port, and which label (or `ports` entry) says so. */
  portEvidence?: { text: string; span: Span };
}

export interface TraefikService {
  name: string;
  provider: TraefikProvider;
  span: Span;
  servers: TraefikServer[];
  /** `loadBalancer.serversTransport`: a transport name, maybe with `@provider`. */
  transport?: ConfigScalar;
  /** The compose service whose labels declare it. */
  composeService?: string;
}

export interface TraefikRouter {
  name: string;
  provider: TraefikProvider;
  file: FileId;
  span: Span;
  rule?: ConfigScalar;
  service?: ConfigScalar;
  middlewares: ConfigScalar[];
  entryPoints: string[];
  /** A compose service whose labels declare the router (its default service is the container). */
  composeService?: string;
  /** The IngressRoute's namespace (its Services and Middlewares are looked up there). */
  namespace?: string;
}

export interface TraefikEntryPoint {
  name: string;
  span: Span;
  readTimeout?: TraefikDuration;
  writeTimeout?: TraefikDuration;
  idleTimeout?: TraefikDuration;
}

/** `providers.file` of a static configuration, as written (followed by provider.ts). */
export interface TraefikFileProvider {
  filename?: ConfigScalar;
  directory?: ConfigScalar;
}

/** The static configuration: entry points and the transport every service uses unless it names its own. */
export interface TraefikStatic {
  file: FileId;
  span: Span;
  entryPoints: TraefikEntryPoint[];
  /** `serversTransport` (static): the default forwarding timeouts. */
  transport?: TraefikTransport;
  /** `providers.file`: where the dynamic configuration this Traefik loads is. */
  fileProvider?: TraefikFileProvider;
  /** The compose service whose `--…` flags hold this configuration (its volumes place container paths). */
  composeService?: string;
}

/** What one source (a file, a compose service's labels, a traefik container's flags, a CRD file) declares. */
export interface TraefikFacts {
  file: FileId;
  statics: TraefikStatic[];
  routers: TraefikRouter[];
  services: TraefikService[];
  transports: TraefikTransport[];
  retries: TraefikRetry[];
}

export function emptyFacts(file: FileId): TraefikFacts {
  return { file, statics: [], routers: [], services: [], transports: [], retries: [] };
}

export function durationOf(node: ConfigNode | undefined): TraefikDuration | undefined {
  const scalar = scalarOf(node);
  if (!scalar) return undefined;
  const out: TraefikDuration = { text: scalar.text, span: scalar.span, unresolved: scalar.unresolved };
  if (scalar.unresolved) return out;
  const parsed = parseTraefikDuration(scalar.text);
  if (!parsed.ok) out.invalid = parsed.reason;
  else if (parsed.ms === 0) out.disabled = true;
  else out.ms = parsed.ms;
  return out;
}

/** `forwardingTimeouts` of a transport node (file: under `serversTransports.<n>`; static: `serversTransport`; CRD: `spec`). */
export function transportOf(name: string, provider: TraefikProvider, node: ConfigNode, span: Span): TraefikTransport {
  const timeouts = childOf(node, 'forwardingTimeouts');
  const transport: TraefikTransport = { name, provider, span };
  const dial = durationOf(childOf(timeouts, 'dialTimeout'));
  if (dial) transport.dialTimeout = dial;
  const headers = durationOf(childOf(timeouts, 'responseHeaderTimeout'));
  if (headers) transport.responseHeaderTimeout = headers;
  const idle = durationOf(childOf(timeouts, 'idleConnTimeout'));
  if (idle) transport.idleConnTimeout = idle;
  return transport;
}

export function retryOf(name: string, provider: TraefikProvider, retry: ConfigNode, span: Span): TraefikRetry {
  const out: TraefikRetry = { name, provider, span };
  const attempts = scalarOf(childOf(retry, 'attempts'));
  if (attempts) out.attempts = { text: attempts.text, span: attempts.span, ...(!attempts.unresolved && /^\d+$/.test(attempts.text) ? { count: Number(attempts.text) } : {}) };
  const interval = durationOf(childOf(retry, 'initialInterval'));
  if (interval) out.initialInterval = interval;
  return out;
}

/** Static settings of a tree: `entryPoints` and `serversTransport`. */
export function staticOf(file: FileId, tree: ConfigNode): TraefikStatic | undefined {
  const entryPoints = entriesOf(childOf(tree, 'entryPoints')).map(({ key, keySpan, value }) => {
    const timeouts = pathOf(value, ['transport', 'respondingTimeouts']);
    const entry: TraefikEntryPoint = { name: key, span: keySpan };
    const read = durationOf(childOf(timeouts, 'readTimeout'));
    if (read) entry.readTimeout = read;
    const write = durationOf(childOf(timeouts, 'writeTimeout'));
    if (write) entry.writeTimeout = write;
    const idle = durationOf(childOf(timeouts, 'idleTimeout'));
    if (idle) entry.idleTimeout = idle;
    return entry;
  });
  const transportEntry = entryOf(tree, 'serversTransport');
  const fileProvider = childOf(childOf(tree, 'providers'), 'file');
  const filename = scalarOf(childOf(fileProvider, 'filename'));
  const directory = scalarOf(childOf(fileProvider, 'directory'));
  if (entryPoints.length === 0 && !transportEntry && !filename && !directory) return undefined;
  const out: TraefikStatic = { file, span: tree.span, entryPoints };
  if (transportEntry) out.transport = transportOf('(static serversTransport)', 'file', transportEntry.value, transportEntry.keySpan);
  if (filename || directory) out.fileProvider = { ...(filename ? { filename } : {}), ...(directory ? { directory } : {}) };
  return out;
}

/** Dynamic settings under `http` (file provider, labels): routers, services, transports, retry middlewares. */
export function dynamicOf(file: FileId, tree: ConfigNode, provider: TraefikProvider, into: TraefikFacts, composeService?: string): void {
  const http = childOf(tree, 'http');
  for (const { key, keySpan, value } of entriesOf(childOf(http, 'routers'))) {
    const router: TraefikRouter = {
      name: key, provider, file, span: keySpan,
      middlewares: itemsOf(childOf(value, 'middlewares')).flatMap((m) => scalarOf(m) ?? []),
      entryPoints: itemsOf(childOf(value, 'entryPoints')).flatMap((e) => scalarOf(e)?.text ?? []),
    };
    const rule = scalarOf(childOf(value, 'rule'));
    if (rule) router.rule = rule;
    const service = scalarOf(childOf(value, 'service'));
    if (service) router.service = service;
    if (composeService) router.composeService = composeService;
    into.routers.push(router);
  }
  for (const { key, keySpan, value } of entriesOf(childOf(http, 'services'))) {
    const balancer = childOf(value, 'loadBalancer');
    const service: TraefikService = { name: key, provider, span: keySpan, servers: [] };
    for (const server of itemsOf(childOf(balancer, 'servers'))) {
      const url = scalarOf(childOf(server, 'url'));
      if (url) service.servers.push(serverOfUrl(url));
    }
    const transport = scalarOf(childOf(balancer, 'serversTransport'));
    if (transport) service.transport = transport;
    if (composeService) service.composeService = composeService;
    into.services.push(service);
  }
  for (const { key, keySpan, value } of entriesOf(childOf(http, 'serversTransports'))) into.transports.push(transportOf(key, provider, value, keySpan));
  for (const { key, keySpan, value } of entriesOf(childOf(http, 'middlewares'))) {
    const retry = childOf(value, 'retry');
    if (retry) into.retries.push(retryOf(key, provider, retry, keySpan));
  }
}

/** `http://api:3000/` → host `api`, port 3000 (80 or 443 by scheme when none is written). */
export function serverOfUrl(url: ConfigScalar): TraefikServer {
  const server: TraefikServer = { span: url.span, url, unresolved: url.unresolved };
  if (url.unresolved) return server;
  const match = /^(\w+):\/\/(\[[^\]]+\]|[^:/?#]+)(?::(\d+))?/.exec(url.text.trim());
  if (!match) return server;
  server.host = match[2]!.toLowerCase();
  server.port = match[3] !== undefined ? Number(match[3]) : match[1]!.toLowerCase() === 'https' ? 443 : 80;
  return server;
}

/**
 * The path prefix a router rule matches, when the rule is one `PathPrefix` or `Path` (with or
 * without a `Host`): `Host(\`a\`) && PathPrefix(\`/api\`)` → `/api`. Anything else (alternatives,
 * regular expressions, several prefixes) leaves the path unknown.
 */
export function pathPrefixOfRule(rule: string): { path: string; prefix: boolean } | undefined {
  if (/\|\||!/.test(rule)) return undefined;
  const matchers = [...rule.matchAll(/\b(PathPrefix|Path|PathRegexp)\s*\(\s*([^)]*)\)/g)];
  if (matchers.length !== 1) return undefined;
  const [, name, args] = matchers[0]!;
  const values = [...args!.matchAll(/[`"']([^`"']*)[`"']/g)].map((m) => m[1]!);
  if (name === 'PathRegexp' || values.length !== 1) return undefined;
  return { path: values[0]!, prefix: name === 'PathPrefix' };
}
