// Reads ConfigMaps: their `data` entries with spans (controller settings, environment for containers, mounted files).
import type { K8sObject } from './file.js';
import type { ScalarFact } from '../../yaml/view.js';
import type { Span } from '../../types.js';

export interface ConfigMapEntry {
  key: string;
  keySpan: Span;
  /** Absent when the value is missing or not a scalar. */
  value?: ScalarFact;
  valueSpan: Span;
}

export interface ConfigMapFacts {
  object: K8sObject;
  /** `data` entries by key. */
  data: ReadonlyMap<string, ConfigMapEntry>;
}

export function readConfigMap(object: K8sObject): ConfigMapFacts {
  const { view, node } = object;
  const data = new Map<string, ConfigMapEntry>();
  for (const { key, value } of view.fields(view.get(node, 'data'))) {
    const entry: ConfigMapEntry = { key: key.text, keySpan: key.span, valueSpan: value ? view.span(value) : key.span };
    const scalar = view.scalar(value);
    if (scalar) entry.value = scalar;
    data.set(key.text, entry);
  }
  return { object, data };
}

