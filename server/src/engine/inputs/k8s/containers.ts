// Reads containers: image, ports, env and envFrom references, probes with their defaults, and preStop sleeps.
import type { Node } from 'yaml';
import { containsTemplateExpression } from '../../yaml/templates.js';
import type { ScalarFact, YamlView } from '../../yaml/view.js';
import type { Span } from '../../types.js';
import type { ConfigMapFacts } from './configmaps.js';
import {
  durationFromScalar, effectiveCount, effectiveDuration, readDuration, readInteger,
  type EffectiveCount, type EffectiveDuration, type K8sDuration, type K8sInteger,
} from './values.js';

/** A port given as a number or as a container port name (Kubernetes IntOrString). */
export interface PortRef {
  text: string;
  number?: number;
  name?: string;
  unresolved?: boolean;
  span: Span;
}

export interface ContainerPortFacts {
  name?: ScalarFact;
  containerPort?: K8sInteger;
  protocol?: ScalarFact;
  span: Span;
}

export interface EnvVarFacts {
  name: ScalarFact;
  /** The whole `- name: …` entry. */
  span: Span;
  /** `value:` as written. */
  value?: ScalarFact;
  configMapKeyRef?: { name?: ScalarFact; key?: ScalarFact; optional: boolean; span: Span };
  /** `secretKeyRef`, `fieldRef` or `resourceFieldRef`: the value is not in the manifests. */
  otherSource?: 'secretKeyRef' | 'fieldRef' | 'resourceFieldRef';
  /** The ConfigMap `configMapKeyRef` names, when it is among the manifests (same namespace; filled by the model). */
  configMap?: ConfigMapFacts;
}

export interface EnvFromFacts {
  span: Span;
  prefix?: ScalarFact;
  configMapName?: ScalarFact;
  secretName?: ScalarFact;
  optional: boolean;
  /** The ConfigMap `configMapRef` names, when it is among the manifests (same namespace; filled by the model). */
  configMap?: ConfigMapFacts;
}

export type ProbeName = 'liveness' | 'readiness' | 'startup';

/**
 * A probe. Its `timeout` bounds one probe request: it is a probe fact, not a request timeout of
 * the service, so it never appears among the model's timeout facts.
 */
export interface ProbeFacts {
  probe: ProbeName;
  keySpan: Span;
  span: Span;
  handler: 'httpGet' | 'tcpSocket' | 'grpc' | 'exec' | 'none';
  httpPath?: ScalarFact;
  port?: PortRef;
  /** `timeoutSeconds`, default 1 s (facts §10). */
  timeout: EffectiveDuration;
  /** `periodSeconds`, default 10 s (facts §10). */
  period: EffectiveDuration;
  /** `initialDelaySeconds`, default 0 (facts §10). */
  initialDelay: EffectiveDuration;
  /** `failureThreshold`, default 3 (facts §10). */
  failureThreshold: EffectiveCount;
  /** Probe-level `terminationGracePeriodSeconds`; the pod's value applies when absent (facts §10). */
  terminationGracePeriod?: K8sDuration;
}

export interface PreStopFacts {
  span: Span;
  handler: 'exec' | 'httpGet' | 'tcpSocket' | 'sleep' | 'unknown';
  /** From `exec: { command: [sleep, N] }` (also inside `sh -c "…"`) or the `sleep: { seconds: N }` action. */
  sleep?: K8sDuration;
  command: ScalarFact[];
}

export interface ContainerFacts {
  name?: ScalarFact;
  image?: ScalarFact;
  span: Span;
  /** True for `initContainers` entries. */
  init: boolean;
  command: ScalarFact[];
  args: ScalarFact[];
  ports: ContainerPortFacts[];
  env: EnvVarFacts[];
  envFrom: EnvFromFacts[];
  probes: ProbeFacts[];
  preStop?: PreStopFacts;
}

/** Reads `containers` (and `initContainers`) of a pod spec. */
export function readContainers(view: YamlView, podSpec: Node | undefined): ContainerFacts[] {
  const main = view.items(view.get(podSpec, 'containers')).map((c) => readContainer(view, c, false));
  const init = view.items(view.get(podSpec, 'initContainers')).map((c) => readContainer(view, c, true));
  return [...main, ...init];
}

/** Reads a port reference that may be a number or a name (`targetPort`, probe `port`). */
export function readPortRef(view: YamlView, node: Node | undefined): PortRef | undefined {
  const scalar = view.scalar(node);
  if (!scalar) return undefined;
  const ref: PortRef = { text: scalar.text, span: scalar.span };
  if (scalar.unresolved) ref.unresolved = true;
  // IntOrString decodes a YAML int as a number and anything quoted as a name.
  else if (scalar.yamlType === 'int' && /^\d+$/.test(scalar.text)) ref.number = Number(scalar.text);
  else ref.name = scalar.text;
  return ref;
}

function readContainer(view: YamlView, node: Node, init: boolean): ContainerFacts {
  const scalars = (key: string): ScalarFact[] => view.items(view.get(node, key)).map((n) => view.scalar(n)).filter((s): s is ScalarFact => s !== undefined);
  const container: ContainerFacts = {
    span: view.span(node), init,
    command: scalars('command'), args: scalars('args'),
    ports: view.items(view.get(node, 'ports')).map((p) => readContainerPort(view, p)),
    env: view.items(view.get(node, 'env')).flatMap((e) => readEnvVar(view, e)),
    envFrom: view.items(view.get(node, 'envFrom')).map((e) => readEnvFrom(view, e)),
    probes: [],
  };
  const name = view.scalar(view.get(node, 'name'));
  if (name) container.name = name;
  const image = view.scalar(view.get(node, 'image'));
  if (image) container.image = image;
  for (const probe of ['liveness', 'readiness', 'startup'] as const) {
    const field = view.field(node, `${probe}Probe`);
    if (field?.value && view.asMap(field.value)) container.probes.push(readProbe(view, probe, field.key.span, field.value));
  }
  const preStop = view.getIn(node, ['lifecycle', 'preStop']);
  if (preStop) container.preStop = readPreStop(view, preStop);
  return container;
}

function readContainerPort(view: YamlView, node: Node): ContainerPortFacts {
  const port: ContainerPortFacts = { span: view.span(node) };
  const name = view.scalar(view.get(node, 'name'));
  if (name) port.name = name;
  const containerPort = readInteger(view, view.get(node, 'containerPort'), 'yaml-int');
  if (containerPort) port.containerPort = containerPort;
  const protocol = view.scalar(view.get(node, 'protocol'));
  if (protocol) port.protocol = protocol;
  return port;
}

function readEnvVar(view: YamlView, node: Node): EnvVarFacts[] {
  const name = view.scalar(view.get(node, 'name'));
  if (!name) return [];
  const entry: EnvVarFacts = { name, span: view.span(node) };
  const value = view.scalar(view.get(node, 'value'));
  if (value) entry.value = value;
  const valueFrom = view.get(node, 'valueFrom');
  const ref = view.get(valueFrom, 'configMapKeyRef');
  if (view.asMap(ref)) {
    const configMapKeyRef: NonNullable<EnvVarFacts['configMapKeyRef']> = { optional: view.text(ref, 'optional') === 'true', span: view.span(ref) };
    const refName = view.scalar(view.get(ref, 'name'));
    if (refName) configMapKeyRef.name = refName;
    const key = view.scalar(view.get(ref, 'key'));
    if (key) configMapKeyRef.key = key;
    entry.configMapKeyRef = configMapKeyRef;
  } else {
    for (const other of ['secretKeyRef', 'fieldRef', 'resourceFieldRef'] as const) {
      if (view.get(valueFrom, other)) entry.otherSource = other;
    }
  }
  return [entry];
}

function readEnvFrom(view: YamlView, node: Node): EnvFromFacts {
  const configMapRef = view.get(node, 'configMapRef');
  const secretRef = view.get(node, 'secretRef');
  const entry: EnvFromFacts = { span: view.span(node), optional: view.text(configMapRef ?? secretRef, 'optional') === 'true' };
  const prefix = view.scalar(view.get(node, 'prefix'));
  if (prefix) entry.prefix = prefix;
  const configMapName = view.scalar(view.get(configMapRef, 'name'));
  if (configMapName) entry.configMapName = configMapName;
  const secretName = view.scalar(view.get(secretRef, 'name'));
  if (secretName) entry.secretName = secretName;
  return entry;
}

function readProbe(view: YamlView, probe: ProbeName, keySpan: Span, node: Node): ProbeFacts {
  const seconds = (key: string): K8sDuration | undefined => readDuration(view, view.get(node, key), 'k8s-int-seconds');
  const handler = (['httpGet', 'tcpSocket', 'grpc', 'exec'] as const).find((h) => view.get(node, h)) ?? 'none';
  const facts: ProbeFacts = {
    probe, keySpan, span: view.span(node), handler,
    timeout: effectiveDuration(seconds('timeoutSeconds'), { ms: 1000 }, '§10'),
    period: effectiveDuration(seconds('periodSeconds'), { ms: 10_000 }, '§10'),
    initialDelay: effectiveDuration(seconds('initialDelaySeconds'), { ms: 0 }, '§10'),
    failureThreshold: effectiveCount(readInteger(view, view.get(node, 'failureThreshold'), 'yaml-int'), 3, '§10'),
  };
  const target = handler === 'none' || handler === 'exec' ? undefined : view.get(node, handler);
  const path = view.scalar(view.get(target, 'path'));
  if (path) facts.httpPath = path;
  const port = readPortRef(view, view.get(target, 'port'));
  if (port) facts.port = port;
  const grace = seconds('terminationGracePeriodSeconds');
  if (grace) facts.terminationGracePeriod = grace;
  return facts;
}

function readPreStop(view: YamlView, node: Node): PreStopFacts {
  const span = view.span(node);
  const sleepAction = view.get(node, 'sleep');
  if (sleepAction) {
    const facts: PreStopFacts = { span, handler: 'sleep', command: [] };
    const seconds = readDuration(view, view.get(sleepAction, 'seconds'), 'k8s-int-seconds');
    if (seconds) facts.sleep = seconds;
    return facts;
  }
  const exec = view.get(node, 'exec');
  if (!exec) {
    const handler = view.get(node, 'httpGet') ? 'httpGet' : view.get(node, 'tcpSocket') ? 'tcpSocket' : 'unknown';
    return { span, handler, command: [] };
  }
  const command = view.items(view.get(exec, 'command')).map((n) => view.scalar(n)).filter((s): s is ScalarFact => s !== undefined);
  const facts: PreStopFacts = { span, handler: 'exec', command };
  const sleep = sleepIn(view, command);
  if (sleep) facts.sleep = sleep;
  return facts;
}

/** `["sleep", "5"]`, or the first `sleep N` inside a `sh -c "…"` script. */
function sleepIn(view: YamlView, command: ScalarFact[]): K8sDuration | undefined {
  const [program, ...rest] = command;
  if (!program) return undefined;
  if (/(^|\/)sleep$/.test(program.text)) {
    const argument = rest[0];
    return argument ? durationFromScalar(sleepArgument(argument, argument.text), 'shell-sleep') : undefined;
  }
  for (const part of rest) {
    const match = /(^|[\s;&|(])sleep\s+([^\s;&|)]+)/.exec(part.text);
    if (!match) continue;
    const from = match.index + match[0].length - match[2]!.length;
    const span = view.subSpan(part, from, from + match[2]!.length);
    return durationFromScalar(sleepArgument(part, match[2]!), 'shell-sleep', span);
  }
  return undefined;
}

// A shell variable (`sleep $DELAY`) is as unknown as a template expression.
function sleepArgument(scalar: ScalarFact, text: string): ScalarFact {
  return { ...scalar, text, yamlType: 'string', unresolved: containsTemplateExpression(text) || text.startsWith('$') };
}
