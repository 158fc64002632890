// Combines a chart's values.yaml with the values files a release adds (`-f values-prod.yaml`), as Helm coalesces them, remembering which file set each value.
import type { ValueLocation, ValuesFile } from './values-file.js';
import { setValuesPath, type GoMap, type Value, type ValuesPath } from './values.js';

export interface NamedValuesFile {
  /** The file's name (workspace path), reported with each location. */
  name: string;
  file: ValuesFile;
}

export interface CombinedValues {
  values: GoMap;
  /** The file and place that set the value at a path (the last file that wrote it), if any did. */
  locate(path: ValuesPath): { name: string; location: ValueLocation } | undefined;
}

/**
 * Helm's coalescing of values files, first the chart's defaults then each later file: maps merge key
 * by key, anything else (lists included) is replaced by the later file, and a later `null` deletes the
 * key. The files' own values are not modified.
 */
export function combineValues(files: readonly NamedValuesFile[]): CombinedValues {
  let values: GoMap = new Map();
  for (const { file } of files) values = coalesce(values, file.values, 0);
  tagPaths(values, [], 0);
  return {
    values,
    locate: (path) => {
      // The last file that wrote the path set it, unless an even later file replaced a map above it.
      for (let i = files.length - 1; i >= 0; i--) {
        const location = files[i]!.file.locate(path);
        if (location) return prefixStillFromFile(files, i, path) ? { name: files[i]!.name, location } : undefined;
      }
      return undefined;
    },
  };
}

/** Whether no later file replaced a shorter prefix of the path with a non-map (which would own it). */
function prefixStillFromFile(files: readonly NamedValuesFile[], index: number, path: ValuesPath): boolean {
  for (let later = index + 1; later < files.length; later++) {
    for (let length = 1; length < path.length; length++) {
      const prefix = path.slice(0, length);
      const location = files[later]!.file.locate(prefix);
      if (location && !(valueAt(files[later]!.file.values, prefix) instanceof Map)) return false;
    }
  }
  return true;
}

function valueAt(root: Value, path: ValuesPath): Value | undefined {
  let current: Value | undefined = root;
  for (const step of path) {
    if (current instanceof Map && typeof step === 'string') current = current.get(step);
    else if (Array.isArray(current) && typeof step === 'number') current = current[step];
    else return undefined;
  }
  return current;
}

function coalesce(base: GoMap, override: GoMap, depth: number): GoMap {
  const out: GoMap = new Map([...base].map(([key, value]) => [key, copy(value, depth + 1)]));
  if (depth > 100) return out;
  for (const [key, value] of override) {
    const existing = out.get(key);
    if (value === null) out.delete(key);
    else if (existing instanceof Map && value instanceof Map) out.set(key, coalesce(existing, value, depth + 1));
    else out.set(key, copy(value, depth + 1));
  }
  return out;
}

function copy(value: Value, depth: number): Value {
  if (depth > 100) return value;
  if (Array.isArray(value)) return value.map((item) => copy(item, depth + 1));
  if (value instanceof Map) return new Map([...value].map(([key, item]) => [key, copy(item, depth + 1)]));
  return value;
}

function tagPaths(value: Value, path: ValuesPath, depth: number): void {
  if (depth > 100) return;
  if (value instanceof Map) {
    setValuesPath(value, path);
    for (const [key, item] of value) tagPaths(item, [...path, key], depth + 1);
  } else if (Array.isArray(value)) {
    setValuesPath(value, path);
    value.forEach((item, i) => tagPaths(item, [...path, i], depth + 1));
  }
}

