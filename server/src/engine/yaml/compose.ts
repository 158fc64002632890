// Reads a docker-compose file's services (name, image, build context, ports, environment) with spans, for linking service names to code.
import type { Node } from 'yaml';
import type { FileId, Problem, Span } from '../types.js';
import { firstDataDocument, parseYamlFile, type YamlFile } from './file.js';
import { containsTemplateExpression } from './templates.js';
import type { ScalarFact, YamlView } from './view.js';

export interface ComposeFile {
  services: ComposeService[];
}

export interface ComposeService {
  name: string;
  nameSpan: Span;
  /** The service's mapping. */
  span: Span;
  image?: ScalarFact;
  /** `build: ./dir` or `build: { context: ./dir }`; `context` is absent when the long form omits it. */
  build?: { context?: ScalarFact; span: Span };
  ports: ComposePort[];
  environment: ComposeEnvVar[];
  /** `labels` and `deploy.labels` (list or map form), for inputs configured through labels (Traefik). */
  labels: ComposeLabel[];
  /** The words of `command` (list form, or the string split at whitespace), each with its place. */
  command: Array<{ text: string; span: Span }>;
  /** The words of `entrypoint`, the same way: it replaces the image's ENTRYPOINT (and drops its CMD). */
  entrypoint: Array<{ text: string; span: Span }>;
  /**
   * Other names Docker's DNS answers with this service's containers on its networks: `container_name`
   * and the `aliases` of its networks (placeholders left out: their value is unknown).
   */
  dnsNames: Array<{ name: string; span: Span; how: 'container_name' | 'network alias' }>;
  /** `links: ["api:backend"]`: in this service's containers, `backend` is service `api` (entries without an alias add no name). */
  linkAliases: Array<{ service: string; alias: string; span: Span }>;
}

/** One label: `traefik.http.routers.api.rule=PathPrefix(`/api`)` or `key: value`. */
export interface ComposeLabel {
  key: string;
  keySpan: Span;
  value: string;
  valueSpan: Span;
  unresolved: boolean;
}

export interface ComposePort {
  /** The entry as written (`"8080:80/tcp"`), or the long form's `target` for the long syntax. */
  text: string;
  span: Span;
  /** The container port (or range), e.g. `80`. */
  target?: string;
  /** The host port (or range), e.g. `8080`; absent when compose picks one. */
  published?: string;
  hostIp?: string;
  protocol?: string;
}

export interface ComposeEnvVar {
  name: string;
  nameSpan: Span;
  /** Absent for `- NAME` (taken from the shell) and `NAME:` with no value. */
  value?: ScalarFact;
  span: Span;
}

/** Reads the `services:` mapping of a compose file; entries of the wrong shape are skipped. */
export function parseCompose(view: YamlView, root: Node | null): ComposeFile {
  const services: ComposeService[] = [];
  for (const { key, value } of view.fields(view.get(root, 'services'))) {
    if (!view.asMap(value)) continue;
    const service: ComposeService = {
      name: key.text,
      nameSpan: key.span,
      span: view.span(value),
      ports: view.items(view.get(value, 'ports')).flatMap((port) => portOf(view, port)),
      environment: environmentOf(view, view.get(value, 'environment')),
      labels: [...labelsOf(view, view.get(value, 'labels')), ...labelsOf(view, view.getIn(value, ['deploy', 'labels']))],
      command: commandOf(view, view.get(value, 'command')),
      entrypoint: commandOf(view, view.get(value, 'entrypoint')),
      dnsNames: dnsNamesOf(view, value),
      linkAliases: linkAliasesOf(view, value),
    };
    const image = view.scalar(view.get(value, 'image'));
    if (image) service.image = image;
    const build = view.get(value, 'build');
    if (build) {
      const context = view.scalar(build) ?? view.scalar(view.get(build, 'context'));
      service.build = context ? { context, span: view.span(build) } : { span: view.span(build) };
    }
    services.push(service);
  }
  return { services };
}

function dnsNamesOf(view: YamlView, service: Node | undefined): ComposeService['dnsNames'] {
  const out: ComposeService['dnsNames'] = [];
  const containerName = view.scalar(view.get(service, 'container_name'));
  if (containerName && !containerName.unresolved) out.push({ name: containerName.text, span: containerName.span, how: 'container_name' });
  // `networks:` is a list of names (no aliases) or a map of network name to its settings.
  for (const { value } of view.asMap(view.get(service, 'networks')) ? view.fields(view.get(service, 'networks')) : []) {
    for (const item of view.items(view.get(value, 'aliases'))) {
      const alias = view.scalar(item);
      if (alias && !alias.unresolved) out.push({ name: alias.text, span: alias.span, how: 'network alias' });
    }
  }
  return out;
}

function linkAliasesOf(view: YamlView, service: Node | undefined): ComposeService['linkAliases'] {
  return view.items(view.get(service, 'links')).flatMap((item) => {
    const link = view.scalar(item);
    const colon = link ? link.text.indexOf(':') : -1;
    if (!link || link.unresolved || colon <= 0 || colon === link.text.length - 1) return [];
    return [{ service: link.text.slice(0, colon), alias: link.text.slice(colon + 1), span: link.span }];
  });
}

function labelsOf(view: YamlView, node: Node | undefined): ComposeLabel[] {
  if (view.asMap(node)) {
    return view.fields(node).flatMap(({ key, value }) => {
      const scalar = view.scalar(value);
      if (!scalar) return [];
      return [{ key: key.text, keySpan: key.span, value: scalar.text, valueSpan: view.subSpan(scalar, 0, scalar.text.length), unresolved: scalar.unresolved }];
    });
  }
  return view.items(node).flatMap((item) => {
    const scalar = view.scalar(item);
    const equals = scalar ? scalar.text.indexOf('=') : -1;
    if (!scalar || equals < 0) return [];
    const value = scalar.text.slice(equals + 1);
    return [{
      key: scalar.text.slice(0, equals), keySpan: view.subSpan(scalar, 0, equals),
      value, valueSpan: view.subSpan(scalar, equals + 1, scalar.text.length), unresolved: containsTemplateExpression(value),
    }];
  });
}

function commandOf(view: YamlView, node: Node | undefined): Array<{ text: string; span: Span }> {
  const single = view.scalar(node);
  if (single) {
    return [...single.text.matchAll(/\S+/g)].map((m) => ({ text: m[0], span: view.subSpan(single, m.index, m.index + m[0].length) }));
  }
  return view.items(node).flatMap((item) => {
    const scalar = view.scalar(item);
    return scalar ? [{ text: scalar.text, span: view.subSpan(scalar, 0, scalar.text.length) }] : [];
  });
}

function portOf(view: YamlView, node: Node): ComposePort[] {
  const short = view.scalar(node);
  if (short) return [{ text: short.text, span: short.span, ...splitShortPort(short.text) }];
  if (!view.asMap(node)) return [];
  const target = view.text(node, 'target');
  const port: ComposePort = { text: target ?? '', span: view.span(node) };
  if (target !== undefined) port.target = target;
  const published = view.text(node, 'published');
  if (published !== undefined) port.published = published;
  const hostIp = view.text(node, 'host_ip');
  if (hostIp !== undefined) port.hostIp = hostIp;
  const protocol = view.text(node, 'protocol');
  if (protocol !== undefined) port.protocol = protocol;
  return [port];
}

/** `[[HOST_IP:]PUBLISHED:]TARGET[/PROTOCOL]` (compose specification, short port syntax). */
function splitShortPort(text: string): Omit<ComposePort, 'text' | 'span'> {
  const [address = '', protocol] = text.split('/', 2);
  const parts = address.split(':');
  const out: Omit<ComposePort, 'text' | 'span'> = { target: parts[parts.length - 1] ?? '' };
  if (parts.length >= 2) out.published = parts[parts.length - 2]!;
  if (parts.length >= 3) out.hostIp = parts.slice(0, parts.length - 2).join(':');
  if (protocol !== undefined) out.protocol = protocol;
  return out;
}

function environmentOf(view: YamlView, node: Node | undefined): ComposeEnvVar[] {
  if (view.asMap(node)) {
    return view.fields(node).map(({ key, value }) => {
      const entry: ComposeEnvVar = { name: key.text, nameSpan: key.span, span: { ...key.span, end: value ? view.span(value).end : key.span.end } };
      const scalar = view.scalar(value);
      if (scalar) entry.value = scalar;
      return entry;
    });
  }
  const out: ComposeEnvVar[] = [];
  for (const item of view.items(node)) {
    const scalar = view.scalar(item);
    if (!scalar) continue;
    const equals = scalar.text.indexOf('=');
    const name = equals < 0 ? scalar.text : scalar.text.slice(0, equals);
    const entry: ComposeEnvVar = { name, nameSpan: view.subSpan(scalar, 0, name.length), span: scalar.span };
    if (equals >= 0) {
      const text = scalar.text.slice(equals + 1);
      entry.value = { ...scalar, text, span: view.subSpan(scalar, equals + 1, scalar.text.length), yamlType: 'string', unresolved: containsTemplateExpression(text) };
    }
    out.push(entry);
  }
  return out;
}

/** Every compose file of the workspace with its services. */
export interface ComposeModel {
  files: Array<{ file: FileId; compose: ComposeFile }>;
  problems: Problem[];
}

/** A compose file as read: its services, and the problems of its YAML. */
export interface ComposeFileFacts {
  file: FileId;
  compose?: ComposeFile;
  problems: Problem[];
}

/** Reads a compose file. Never throws (see {@link parseYamlFile}). */
export function parseComposeText(file: FileId, text: string): ComposeFileFacts {
  return composeFileOf(parseYamlFile(file, text));
}

/** A parsed YAML file read as a compose file. */
export function composeFileOf(yaml: YamlFile): ComposeFileFacts {
  const file = yaml.file;
  const first = firstDataDocument(yaml);
  return { file, problems: yaml.problems, ...(first ? { compose: parseCompose(first.view, first.document.contents) } : {}) };
}

/** `compose.yaml`, `docker-compose.yml`, `docker-compose.prod.yaml`, `compose-dev.yml`. */
export function isComposeFileName(file: FileId): boolean {
  return /^(docker-)?compose([.-][\w.-]*)?\.ya?ml$/.test(file.slice(file.lastIndexOf('/') + 1));
}
