// Postgres servers declared in compose files and Helm values, with the settings their command line or configuration sets.
import type { Node } from 'yaml';
import { parseCommandLineSettings, parsePostgresConf, type DatabaseServer, type DatabaseSetting, type ParsedSetting } from '../../database-settings.js';
import type { FileId } from '../../types.js';
import { firstDataDocument, type YamlFile } from '../../yaml/file.js';
import type { YamlView } from '../../yaml/view.js';

/** An image a Postgres server runs: `postgres:16`, `bitnami/postgresql`, `postgis/postgis`, `timescale/timescaledb`, `pgvector/pgvector`. */
export function isPostgresImage(image: string): boolean {
  const name = image.split('@')[0]!.replace(/:[^/]*$/, '');
  return /(?:^|\/)(?:postgres|postgresql|postgis|timescaledb(?:-ha)?|pgvector|supabase\/postgres)$/.test(name) || /(?:^|\/)postgres(?:ql)?-/.test(name);
}

/** Servers and settings of one compose file: services on a Postgres image, and the `-c name=value` words of their command. */
export function composeServers(yaml: YamlFile): { servers: DatabaseServer[]; settings: DatabaseSetting[] } {
  const first = firstDataDocument(yaml);
  const out = { servers: [] as DatabaseServer[], settings: [] as DatabaseSetting[] };
  if (!first) return out;
  const view = first.view;
  for (const { key, value } of view.fields(view.get(first.document.contents, 'services'))) {
    const image = view.scalar(view.get(value, 'image'));
    if (!image || image.unresolved || !isPostgresImage(image.text)) continue;
    const names = [key.text];
    const hostname = view.scalar(view.get(value, 'hostname'))?.text;
    const container = view.scalar(view.get(value, 'container_name'))?.text;
    for (const extra of [hostname, container]) if (extra && !names.includes(extra)) names.push(extra);
    for (const network of view.fields(view.get(value, 'networks'))) for (const alias of view.items(view.get(network.value, 'aliases'))) {
      const text = view.scalar(alias)?.text;
      if (text && !names.includes(text)) names.push(text);
    }
    const server: DatabaseServer = { engine: 'postgres', names, owner: `compose service ${key.text}`, span: key.span };
    out.servers.push(server);
    for (const parsed of parseCommandLineSettings(commandWords(view, view.get(value, 'command')), `compose service ${key.text} command`)) out.settings.push(placed(yaml.file, parsed, server));
  }
  return out;
}

/** Workloads whose pod runs Postgres: the `-c name=value` words of the container's `command` and `args` set its defaults. */
const POD_WORKLOADS = new Set(['StatefulSet', 'Deployment', 'DaemonSet', 'ReplicaSet', 'Pod', 'Job', 'CronJob']);

/**
 * Servers and settings of Kubernetes manifests: a workload with a container on a Postgres image
 * (`args: ["-c", "statement_timeout=30s"]`), named by the workload, its StatefulSet `serviceName`
 * and the Services of the same file whose selector picks its pods.
 */
export function k8sServers(yaml: YamlFile): { servers: DatabaseServer[]; settings: DatabaseSetting[] } {
  const out = { servers: [] as DatabaseServer[], settings: [] as DatabaseSetting[] };
  const services = yaml.objects.filter((o) => o.kind === 'Service' && o.group === '');
  for (const object of yaml.objects) {
    if (!POD_WORKLOADS.has(object.kind) || !object.name) continue;
    const view = object.view;
    const spec = view.get(object.node, 'spec');
    // A CronJob's pod is under jobTemplate; a Pod's spec is the pod spec itself.
    const template = object.kind === 'Pod' ? undefined : object.kind === 'CronJob' ? view.get(view.get(view.get(spec, 'jobTemplate'), 'spec'), 'template') : view.get(spec, 'template');
    const podSpec = object.kind === 'Pod' ? spec : view.get(template, 'spec');
    const labels = new Map(view.fields(view.get(view.get(template, 'metadata'), 'labels')).map(({ key, value }) => [key.text, view.scalar(value)?.text]));
    for (const container of view.items(view.get(podSpec, 'containers'))) {
      const image = view.scalar(view.get(container, 'image'));
      if (!image || image.unresolved || !isPostgresImage(image.text)) continue;
      const containerName = view.scalar(view.get(container, 'name'))?.text;
      const names = [object.name.text];
      const serviceName = view.scalar(view.get(spec, 'serviceName'))?.text;
      if (serviceName && !names.includes(serviceName)) names.push(serviceName);
      for (const service of services) {
        const selector = view.fields(service.view.get(service.view.get(service.node, 'spec'), 'selector'));
        const selects = selector.length > 0 && selector.every(({ key, value }) => labels.get(key.text) === service.view.scalar(value)?.text);
        if (selects && service.name && !names.includes(service.name.text)) names.push(service.name.text);
      }
      const owner = `${object.kind} ${object.name.text}${containerName ? ` container ${containerName}` : ''}`;
      const server: DatabaseServer = { engine: 'postgres', names, owner, span: object.name.span };
      out.servers.push(server);
      const words = [...commandWords(view, view.get(container, 'command')), ...commandWords(view, view.get(container, 'args'))];
      for (const parsed of parseCommandLineSettings(words, `${owner} args`)) out.settings.push(placed(yaml.file, parsed, server));
    }
  }
  return out;
}

/** The words of a compose `command` (a list, or a string split on spaces) with their offsets in the file. */
function commandWords(view: YamlView, node: Node | undefined): Array<{ text: string; start: number }> {
  const single = view.scalar(node);
  if (single) {
    if (single.unresolved) return [];
    // A plain or quoted string: offsets of its words inside the token (a quoted one starts one later).
    const tokenStart = single.span.start + (single.style === 'single' || single.style === 'double' ? 1 : 0);
    return [...single.text.matchAll(/\S+/g)].map((m) => ({ text: m[0], start: tokenStart + m.index! }));
  }
  return view.items(node).flatMap((item) => {
    const scalar = view.scalar(item);
    if (!scalar || scalar.unresolved) return [];
    return [{ text: scalar.text, start: scalar.span.start + (scalar.style === 'single' || scalar.style === 'double' ? 1 : 0) }];
  });
}

/**
 * A bundled Postgres in a chart's values: the bitnami chart as a dependency (`postgresql:`) or the
 * chart itself (`primary:` at the root). Settings from `primary.extendedConfiguration`,
 * `primary.configuration` (postgresql.conf text) and `postgresqlExtendedConf` (a map).
 */
export function helmServers(yaml: YamlFile, chartName: string | undefined): { servers: DatabaseServer[]; settings: DatabaseSetting[] } {
  const first = firstDataDocument(yaml);
  const out = { servers: [] as DatabaseServer[], settings: [] as DatabaseSetting[] };
  if (!first) return out;
  const view = first.view;
  const root = first.document.contents;
  const sub = view.field(root, 'postgresql');
  const own = chartName === 'postgresql';
  const values = sub?.value && view.asMap(sub.value) ? sub.value : own ? root : undefined;
  if (!values) return out;
  const enabled = view.scalar(view.get(values, 'enabled'));
  if (enabled && enabled.text === 'false') return out;
  const fullname = view.scalar(view.get(values, 'fullnameOverride'))?.text;
  // The bitnami chart names its Service `<release>-postgresql` (or fullnameOverride); the release is not known here.
  const names = ['*-postgresql', 'postgresql', ...(fullname ? [fullname] : [])];
  const prefix = own ? '' : 'postgresql.';
  const server: DatabaseServer = { engine: 'postgres', names, owner: `Helm values ${yaml.file} (${own ? 'postgresql chart' : 'bundled postgresql chart'})`, span: sub?.key.span ?? view.span(root as Node) };
  out.servers.push(server);
  for (const path of [['primary', 'extendedConfiguration'], ['primary', 'configuration'], ['postgresqlExtendedConf'], ['extendedConfiguration'], ['postgresqlConfiguration']]) {
    const node = view.getIn(values, path);
    const origin = `Helm values ${prefix}${path.join('.')}`;
    const scalar = view.scalar(node);
    if (scalar && !scalar.unresolved) {
      // Block scalars are read from their source lines: a conf line's offsets are then the file's.
      const source = view.source.slice(scalar.span.start, scalar.span.end);
      const body = scalar.style === 'literal' || scalar.style === 'folded' ? source.indexOf('\n') + 1 : 0;
      for (const parsed of parsePostgresConf(body > 0 ? source.slice(body) : scalar.text, scalar.span.start + body, origin, 'conf')) {
        out.settings.push(placed(yaml.file, body > 0 ? parsed : { ...parsed, start: scalar.span.start, end: scalar.span.end }, server));
      }
      continue;
    }
    // `postgresqlExtendedConf: { statementTimeout: 30s }`: camelCase keys become snake_case settings.
    for (const { key, value } of view.fields(node)) {
      const name = key.text.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
      const valueScalar = view.scalar(value);
      if (!valueScalar || valueScalar.unresolved) continue;
      for (const parsed of parsePostgresConf(`${name} = ${valueScalar.text}`, 0, origin, 'conf')) out.settings.push(placed(yaml.file, { ...parsed, start: valueScalar.span.start, end: valueScalar.span.end }, server));
    }
  }
  return out;
}

export function placed(file: FileId, parsed: ParsedSetting, server?: DatabaseServer): DatabaseSetting {
  const { start, end, ...rest } = parsed;
  return { ...rest, span: { file, start, end }, ...(server ? { server } : {}) };
}
