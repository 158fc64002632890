// Kong declarative configuration (decK / `kong.yml` with `_format_version`): services with their timeouts and retries, their routes, and upstreams with targets, each value with its place.
import type { Node } from 'yaml';
import type { FileId, Problem, Span } from '../../types.js';
import { firstDataDocument, type YamlFile } from '../../yaml/file.js';
import type { ScalarFact, YamlView } from '../../yaml/view.js';

/** A Kong integer setting (a timeout in milliseconds, a retry count) as written. */
export interface KongNumber {
  text: string;
  /** Undefined when unknown (a `${{ env "DECK_…" }}` placeholder) or not a whole number. */
  value?: number;
  unresolved: boolean;
  invalid?: string;
  span: Span;
}

export interface KongRoute {
  name?: string;
  span: Span;
  paths: string[];
  methods: string[];
}

export interface KongService {
  name?: string;
  file: FileId;
  /** The service entry (its `name` value when written). */
  span: Span;
  protocol?: string;
  host?: ScalarFact;
  port?: number;
  path?: string;
  /** The `url` or `host` value, where the address is written. */
  addressSpan?: Span;
  /** True when the address holds a placeholder. */
  unresolved: boolean;
  connectTimeout?: KongNumber;
  readTimeout?: KongNumber;
  writeTimeout?: KongNumber;
  retries?: KongNumber;
  routes: KongRoute[];
}

export interface KongUpstream {
  name: string;
  span: Span;
  targets: Array<{ host: string; port?: number; span: Span; unresolved: boolean }>;
}

export interface KongFile {
  file: FileId;
  services: KongService[];
  upstreams: KongUpstream[];
  problems: Problem[];
}

/** `kong.yml`, `kong.yaml`, `deck.yaml`, `kong-*.yaml`: names decK and Kong's DB-less mode use. */
export function isKongName(file: FileId): boolean {
  return /^(kong|deck)([.-][\w.-]*)?\.ya?ml$/i.test(file.slice(file.lastIndexOf('/') + 1));
}

/** A cheap look: a decK file starts with (or holds) `_format_version`. */
export function looksLikeKong(text: string): boolean {
  return /^_format_version[ \t]*:/m.test(text);
}

/** Reads a declarative configuration from the run's shared YAML parse; never throws. */
export function readKongFile(yaml: YamlFile): KongFile {
  const out: KongFile = { file: yaml.file, services: [], upstreams: [], problems: [...yaml.problems] };
  const first = firstDataDocument(yaml);
  if (!first) {
    if (out.problems.length === 0) out.problems.push({ kind: 'not-analysed', message: 'not analysed: the Kong declarative configuration holds no YAML mapping', span: { file: yaml.file, start: 0, end: 0 } });
    return out;
  }
  const view = first.view;
  const root = first.document.contents as Node | null;
  const byName = new Map<string, KongService>();
  for (const node of view.items(view.get(root, 'services'))) {
    const service = serviceOf(view, yaml.file, node);
    if (!service) continue;
    out.services.push(service);
    if (service.name) byName.set(service.name, service);
  }
  // Top-level routes name their service (`service: chat` or `service: { name: chat }`).
  for (const node of view.items(view.get(root, 'routes'))) {
    const reference = view.scalar(view.get(node, 'service')) ?? view.scalar(view.get(view.get(node, 'service'), 'name'));
    const service = reference ? byName.get(reference.text) : undefined;
    if (service) service.routes.push(routeOf(view, node));
  }
  for (const node of view.items(view.get(root, 'upstreams'))) {
    const name = view.scalar(view.get(node, 'name'));
    if (!name) continue;
    const targets = view.items(view.get(node, 'targets')).flatMap((t) => {
      const target = view.scalar(view.get(t, 'target')) ?? view.scalar(t);
      if (!target) return [];
      const match = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(target.text.trim());
      return match ? [{ host: match[1]!.toLowerCase(), port: match[2] ? Number(match[2]) : 8000, span: target.span, unresolved: target.unresolved }] : [];
    });
    out.upstreams.push({ name: name.text.toLowerCase(), span: name.span, targets });
  }
  return out;
}

function serviceOf(view: YamlView, file: FileId, node: Node): KongService | undefined {
  if (!view.asMap(node)) return undefined;
  const name = view.scalar(view.get(node, 'name'));
  const service: KongService = { file, span: name?.span ?? view.span(node), unresolved: false, routes: view.items(view.get(node, 'routes')).map((r) => routeOf(view, r)) };
  if (name) service.name = name.text;
  const url = view.scalar(view.get(node, 'url'));
  if (url) {
    service.addressSpan = url.span;
    service.unresolved = url.unresolved || /\$[A-Za-z_]/.test(url.text);
    const match = /^(\w+):\/\/(\[[^\]]+\]|[^:/?#]+)(?::(\d+))?(\/[^?#]*)?/.exec(url.text.trim());
    if (match && !service.unresolved) {
      service.protocol = match[1]!.toLowerCase();
      service.host = { ...url, text: match[2]!.toLowerCase() };
      service.port = match[3] !== undefined ? Number(match[3]) : service.protocol === 'https' ? 443 : 80;
      if (match[4]) service.path = match[4];
    }
  } else {
    const host = view.scalar(view.get(node, 'host'));
    if (host) {
      service.host = { ...host, text: host.text.toLowerCase() };
      service.addressSpan = host.span;
      // `$IP` too: files written for envsubst before Kong reads them.
      service.unresolved = host.unresolved || /\$[A-Za-z_]/.test(host.text);
    }
    const protocol = view.text(node, 'protocol');
    if (protocol) service.protocol = protocol.toLowerCase();
    // Kong's Service schema: port defaults to 80, protocol to http (services.lua).
    const port = view.scalar(view.get(node, 'port'));
    if (port && /^\d+$/.test(port.text)) service.port = Number(port.text);
    else if (!port) service.port = service.protocol === 'https' ? 443 : 80;
    const path = view.text(node, 'path');
    if (path) service.path = path;
  }
  const number = (key: string) => numberOf(view, view.scalar(view.get(node, key)));
  const connect = number('connect_timeout');
  if (connect) service.connectTimeout = connect;
  const read = number('read_timeout');
  if (read) service.readTimeout = read;
  const write = number('write_timeout');
  if (write) service.writeTimeout = write;
  const retries = number('retries');
  if (retries) service.retries = retries;
  return service;
}

function routeOf(view: YamlView, node: Node): KongRoute {
  const name = view.scalar(view.get(node, 'name'));
  const route: KongRoute = {
    span: name?.span ?? view.span(node),
    paths: view.items(view.get(node, 'paths')).flatMap((p) => view.scalar(p)?.text ?? []),
    methods: view.items(view.get(node, 'methods')).flatMap((m) => view.scalar(m)?.text.toUpperCase() ?? []),
  };
  if (name) route.name = name.text;
  return route;
}

/** The span is inside the quotes of a quoted value, so an edit keeps them. */
function numberOf(view: YamlView, scalar: ScalarFact | undefined): KongNumber | undefined {
  if (!scalar) return undefined;
  const out: KongNumber = { text: scalar.text, unresolved: scalar.unresolved, span: view.subSpan(scalar, 0, scalar.text.length) };
  if (scalar.unresolved) return out;
  if (/^\d+$/.test(scalar.text.trim())) out.value = Number(scalar.text.trim());
  else out.invalid = `"${scalar.text}" is not a whole number`;
  return out;
}
