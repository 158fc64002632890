// Reads workloads (Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob, Pod, Argo Rollout): pod labels, containers and the grace period.
import type { Node } from 'yaml';
import type { K8sObject } from './file.js';
import type { ScalarFact, YamlView } from '../../yaml/view.js';
import type { Span } from '../../types.js';
import { readContainers, type ContainerFacts } from './containers.js';
import { effectiveDuration, readDuration, type EffectiveDuration } from './values.js';

export type WorkloadKind = 'Deployment' | 'StatefulSet' | 'DaemonSet' | 'ReplicaSet' | 'Job' | 'CronJob' | 'Pod' | 'Rollout';

export interface WorkloadFacts {
  object: K8sObject;
  kind: WorkloadKind;
  /** Labels of the pods it creates (the template's labels; a Pod's own labels). */
  podLabels: ReadonlyMap<string, ScalarFact>;
  /** The pod spec mapping, for findings about something missing in it. */
  podSpecSpan: Span;
  /** Main containers first, then init containers (`init: true`). */
  containers: ContainerFacts[];
  /** `terminationGracePeriodSeconds`, default 30 s; the preStop hook runs inside it (facts §10). */
  terminationGracePeriod: EffectiveDuration;
}

// Where the pod template sits in each kind; the group check keeps CRDs that reuse a kind name out.
const POD_SPEC_PATHS: ReadonlyMap<string, { groups: readonly string[]; template: readonly string[] }> = new Map([
  ['Deployment', { groups: ['apps', 'extensions'], template: ['spec', 'template'] }],
  ['StatefulSet', { groups: ['apps'], template: ['spec', 'template'] }],
  ['DaemonSet', { groups: ['apps', 'extensions'], template: ['spec', 'template'] }],
  ['ReplicaSet', { groups: ['apps', 'extensions'], template: ['spec', 'template'] }],
  ['Job', { groups: ['batch'], template: ['spec', 'template'] }],
  ['CronJob', { groups: ['batch'], template: ['spec', 'jobTemplate', 'spec', 'template'] }],
  ['Pod', { groups: [''], template: [] }],
  ['Rollout', { groups: ['argoproj.io'], template: ['spec', 'template'] }],
]);

/** True when the object is one of the workload kinds this model reads. */
export function isWorkload(object: K8sObject): boolean {
  return POD_SPEC_PATHS.get(object.kind)?.groups.includes(object.group) ?? false;
}

export function readWorkload(object: K8sObject): WorkloadFacts | undefined {
  const path = POD_SPEC_PATHS.get(object.kind);
  if (!path || !path.groups.includes(object.group)) return undefined;
  const { view } = object;
  const template = path.template.length === 0 ? object.node : view.getIn(object.node, path.template);
  if (!view.asMap(template)) return undefined;
  const podSpec = view.get(template, 'spec');
  return {
    object,
    kind: object.kind as WorkloadKind,
    podLabels: readLabels(view, view.get(view.get(template, 'metadata'), 'labels')),
    podSpecSpan: view.span(podSpec ?? template),
    containers: readContainers(view, podSpec),
    terminationGracePeriod: readGracePeriod(view, podSpec),
  };
}

/** `terminationGracePeriodSeconds` of a pod spec with its default (facts §10). */
export function readGracePeriod(view: YamlView, podSpec: Node | undefined): EffectiveDuration {
  return effectiveDuration(readDuration(view, view.get(podSpec, 'terminationGracePeriodSeconds'), 'k8s-int-seconds'), { ms: 30_000 }, '§10');
}

/** A `key: value` string map such as labels or a selector. */
export function readLabels(view: YamlView, node: Node | undefined): ReadonlyMap<string, ScalarFact> {
  const labels = new Map<string, ScalarFact>();
  for (const { key, value } of view.fields(node)) {
    const scalar = view.scalar(value);
    if (scalar) labels.set(key.text, scalar);
  }
  return labels;
}
