// One shape for Traefik configuration however it is written (YAML, TOML, compose labels, command-line flags): maps, lists and scalars with spans, keys looked up case-insensitively as Traefik does.
import type { Span } from '../../types.js';

export type ConfigNode = ConfigMap | ConfigList | ConfigScalar;

export interface ConfigScalar {
  kind: 'scalar';
  /** The value as Traefik reads it (quotes removed). */
  text: string;
  /** The value token (for a quoted TOML or label value, the text inside the quotes). */
  span: Span;
  /** True when the value holds a placeholder (`${VAR}`, `{{ env "X" }}`): its real value is unknown. */
  unresolved: boolean;
}

export interface ConfigEntry {
  key: string;
  keySpan: Span;
  value: ConfigNode;
}

export interface ConfigMap {
  kind: 'map';
  span: Span;
  entries: ConfigEntry[];
}

export interface ConfigList {
  kind: 'list';
  span: Span;
  items: ConfigNode[];
}

/**
 * The entry for `key`. Traefik's configuration loaders (paerser) match field names without regard
 * to case: `loadBalancer`, `loadbalancer` and `LoadBalancer` are the same field.
 */
export function entryOf(node: ConfigNode | undefined, key: string): ConfigEntry | undefined {
  if (node?.kind !== 'map') return undefined;
  const lower = key.toLowerCase();
  return node.entries.find((e) => e.key.toLowerCase() === lower);
}

export function childOf(node: ConfigNode | undefined, key: string): ConfigNode | undefined {
  return entryOf(node, key)?.value;
}

export function pathOf(node: ConfigNode | undefined, path: readonly string[]): ConfigNode | undefined {
  let current = node;
  for (const key of path) current = childOf(current, key);
  return current;
}

export function scalarOf(node: ConfigNode | undefined): ConfigScalar | undefined {
  return node?.kind === 'scalar' ? node : undefined;
}

export function entriesOf(node: ConfigNode | undefined): ConfigEntry[] {
  return node?.kind === 'map' ? node.entries : [];
}

/** A list's items; a comma-separated scalar (`middlewares=a,b` in labels) as one scalar per part. */
export function itemsOf(node: ConfigNode | undefined): ConfigNode[] {
  if (node?.kind === 'list') return node.items;
  if (node?.kind === 'scalar') return splitScalar(node);
  // Labels and flags write list items as numbered keys (`servers[0]` → `servers.0`).
  if (node?.kind === 'map' && node.entries.every((e) => /^\d+$/.test(e.key))) return node.entries.map((e) => e.value);
  return [];
}

function splitScalar(scalar: ConfigScalar): ConfigScalar[] {
  const out: ConfigScalar[] = [];
  let offset = 0;
  for (const part of scalar.text.split(',')) {
    const trimmed = part.trim();
    const lead = part.length - part.trimStart().length;
    const inSource = scalar.span.end - scalar.span.start === scalar.text.length;
    if (trimmed) {
      out.push({
        kind: 'scalar', text: trimmed, unresolved: scalar.unresolved,
        span: inSource ? { file: scalar.span.file, start: scalar.span.start + offset + lead, end: scalar.span.start + offset + lead + trimmed.length } : scalar.span,
      });
    }
    offset += part.length + 1;
  }
  return out;
}

/** A mutable map builder for flat dotted keys (labels, flags): `a.b.c=v` becomes a → b → c: v. */
export function insertDotted(root: ConfigMap, path: readonly { key: string; span: Span }[], value: ConfigScalar): void {
  let current = root;
  path.forEach((part, index) => {
    const last = index === path.length - 1;
    let entry = current.entries.find((e) => e.key.toLowerCase() === part.key.toLowerCase());
    if (last) {
      // The last label with a key wins, as a map of labels keeps one value per key.
      if (entry) entry.value = value;
      else current.entries.push({ key: part.key, keySpan: part.span, value });
      return;
    }
    if (!entry || entry.value.kind !== 'map') {
      entry = { key: part.key, keySpan: part.span, value: { kind: 'map', span: part.span, entries: [] } };
      current.entries = current.entries.filter((e) => e.key.toLowerCase() !== part.key.toLowerCase());
      current.entries.push(entry);
    }
    current = entry.value as ConfigMap;
  });
}
