// Reads Traefik configuration into the common tree (tree.ts): a YAML document through the run's shared parse, a TOML file through smol-toml with places from toml-spans.ts, and flat dotted keys (compose labels, command-line flags).
import { parse as parseToml, TomlError } from 'smol-toml';
import type { Node } from 'yaml';
import type { FileId, Problem, Span } from '../../types.js';
import { containsTemplateExpression } from '../../yaml/templates.js';
import type { YamlView } from '../../yaml/view.js';
import { tomlPathKey, tomlPlaces, type TomlPlace } from './toml-spans.js';
import { insertDotted, type ConfigMap, type ConfigNode, type ConfigScalar } from './tree.js';

const MAX_DEPTH = 32;

/** A YAML node as a tree; aliases and merge keys resolved by the view. */
export function treeOfYaml(view: YamlView, node: Node | undefined | null, depth = 0): ConfigNode | undefined {
  if (!node || depth > MAX_DEPTH) return undefined;
  const map = view.asMap(node);
  if (map) {
    const entries = view.fields(map).flatMap(({ key, value }) => {
      const child = treeOfYaml(view, value, depth + 1);
      return child ? [{ key: key.text, keySpan: key.span, value: child }] : [];
    });
    return { kind: 'map', span: view.span(map), entries };
  }
  const seq = view.asSeq(node);
  if (seq) return { kind: 'list', span: view.span(seq), items: view.items(seq).flatMap((item) => treeOfYaml(view, item, depth + 1) ?? []) };
  const scalar = view.scalar(node);
  if (!scalar) return undefined;
  // The span inside the quotes when the source spells the value as it is, so an edit keeps the quotes.
  return { kind: 'scalar', text: scalar.text, span: view.subSpan(scalar, 0, scalar.text.length), unresolved: scalar.unresolved };
}

/** A TOML file as a tree, or the parse problem (a TOML file that does not parse is not read at all). */
export function treeOfToml(file: FileId, text: string): { tree?: ConfigNode; problems: Problem[] } {
  let value: unknown;
  try {
    value = parseToml(text);
  } catch (error) {
    const where = error instanceof TomlError ? offsetOf(text, error.line, error.column) : 0;
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    return { problems: [{ kind: 'not-analysed', message: `not analysed: the file is not valid TOML (${reason})`, span: { file, start: where, end: where } }] };
  }
  const places = tomlPlaces(text);
  const whole: Span = { file, start: 0, end: text.length };
  return { tree: fromToml(file, text, value, [], places, whole, 0), problems: [] };
}

function fromToml(file: FileId, text: string, value: unknown, path: string[], places: Map<string, TomlPlace>, parent: Span, depth: number): ConfigNode | undefined {
  if (depth > MAX_DEPTH) return undefined;
  const place = places.get(tomlPathKey(path));
  const span: Span = place ? { file, start: place.start, end: place.end } : parent;
  if (Array.isArray(value)) {
    return { kind: 'list', span, items: value.flatMap((item, i) => fromToml(file, text, item, [...path, String(i)], places, span, depth + 1) ?? []) };
  }
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    const entries = Object.entries(value as Record<string, unknown>).flatMap(([key, child]) => {
      const node = fromToml(file, text, child, [...path, key], places, span, depth + 1);
      return node ? [{ key, keySpan: node.span, value: node }] : [];
    });
    return { kind: 'map', span, entries };
  }
  // A number keeps its spelling (`30`, `1_000`) when it is placed; the parsed value otherwise.
  const spelled = place && typeof value !== 'string' ? text.slice(place.start, place.end) : undefined;
  const shown = spelled ?? String(value);
  return { kind: 'scalar', text: typeof value === 'string' ? value : shown.replace(/_/g, ''), span, unresolved: typeof value === 'string' && containsTemplateExpression(value) };
}

function offsetOf(text: string, line: number, column: number): number {
  let offset = 0;
  for (let l = 1; l < line; l++) {
    const next = text.indexOf('\n', offset);
    if (next < 0) return text.length;
    offset = next + 1;
  }
  return Math.min(offset + Math.max(column - 1, 0), text.length);
}

/** One flat setting: `traefik.http.routers.api.rule=PathPrefix(...)` with the places of its key and value. */
export interface DottedSetting {
  key: string;
  keySpan: Span;
  value: string;
  valueSpan: Span;
  unresolved: boolean;
}

/**
 * Flat dotted settings under `prefix` (`traefik.` for labels, `--` for flags) as a tree. List
 * items are numbered keys (`servers[0].url` and `servers.0.url` alike).
 */
export function treeOfDotted(settings: readonly DottedSetting[], prefix: string, span: Span): ConfigMap {
  const root: ConfigMap = { kind: 'map', span, entries: [] };
  for (const setting of settings) {
    if (!setting.key.toLowerCase().startsWith(prefix)) continue;
    const rest = setting.key.slice(prefix.length).replace(/\[(\d+)\]/g, '.$1');
    let offset = setting.keySpan.start + prefix.length;
    const parts = rest.split('.').map((key) => {
      const part = { key, span: { file: span.file, start: offset, end: offset + key.length } };
      offset += key.length + 1;
      return part;
    });
    if (parts.some((p) => p.key === '')) continue;
    const value: ConfigScalar = { kind: 'scalar', text: setting.value, span: setting.valueSpan, unresolved: setting.unresolved };
    insertDotted(root, parts, value);
  }
  return root;
}
