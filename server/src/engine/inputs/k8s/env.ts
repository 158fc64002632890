// The environment a container actually gets: envFrom ConfigMaps first, then env entries, with where each value comes from.
import type { ScalarFact } from '../../yaml/view.js';
import type { Span } from '../../types.js';
import type { ContainerFacts } from './containers.js';

export interface EffectiveEnvVar {
  name: string;
  /** The value, when it is in the manifests; its span may be in a ConfigMap in another file. */
  value?: ScalarFact;
  source: 'env' | 'configMapKeyRef' | 'envFrom' | 'secret' | 'field' | 'missing-configmap';
  /** Where the variable is declared in the container (the env entry or the envFrom entry). */
  declaredAt: Span;
  /** True when the value is unknown: a template expression, a Secret, a field reference, or a ConfigMap not in the manifests. */
  unknown: boolean;
}

/**
 * The variables of one container by name. Kubernetes applies `envFrom` sources in order (a later
 * one wins), then `env`, whose entries override `envFrom` and, among themselves, the last one wins.
 */
export function containerEnvironment(container: ContainerFacts): ReadonlyMap<string, EffectiveEnvVar> {
  const env = new Map<string, EffectiveEnvVar>();
  for (const from of container.envFrom) {
    if (!from.configMap) continue;
    const prefix = from.prefix?.text ?? '';
    for (const entry of from.configMap.data.values()) {
      const name = prefix + entry.key;
      const variable: EffectiveEnvVar = { name, source: 'envFrom', declaredAt: from.span, unknown: !entry.value || entry.value.unresolved };
      if (entry.value) variable.value = entry.value;
      env.set(name, variable);
    }
  }
  for (const entry of container.env) {
    const name = entry.name.text;
    const declaredAt = entry.span;
    if (entry.value) {
      env.set(name, { name, value: entry.value, source: 'env', declaredAt, unknown: entry.value.unresolved });
    } else if (entry.configMapKeyRef) {
      const key = entry.configMapKeyRef.key?.text;
      const value = key === undefined ? undefined : entry.configMap?.data.get(key)?.value;
      const source = entry.configMap ? 'configMapKeyRef' : 'missing-configmap';
      env.set(name, value ? { name, value, source, declaredAt, unknown: value.unresolved } : { name, source, declaredAt, unknown: true });
    } else if (entry.otherSource) {
      env.set(name, { name, source: entry.otherSource === 'secretKeyRef' ? 'secret' : 'field', declaredAt, unknown: true });
    } else {
      // `- name: X` with neither value nor valueFrom sets X to the empty string.
      env.set(name, { name, source: 'env', declaredAt, unknown: false });
    }
  }
  return env;
}
