// Reads values files (and fromYaml strings) as Helm does: go-yaml v2 scalars, then a JSON round trip that makes every number a float64; remembers where each value was written.
import { isAlias, isMap, isScalar, isSeq, parseDocument, type Document, type Node as YamlNode } from 'yaml';
import { resolvePlain } from './resolve.js';
import { setValuesPath, type GoMap, type Value, type ValuesPath } from './values.js';

/** Where a value was written in its values file (UTF-16 offsets). */
export interface ValueLocation {
  /** The mapping key's span, when the value is a mapping entry. */
  keyStart?: number;
  keyEnd?: number;
  valueStart: number;
  valueEnd: number;
}

export interface ValuesFile {
  /** The values, with every map and list tagged with its path (so template lookups know where they read). */
  values: GoMap;
  /** Where the value at a path was written, if it was written in this file. */
  locate(path: ValuesPath): ValueLocation | undefined;
  /** Syntax errors and limits hit: Helm refuses such a file. */
  problems: { message: string; offset: number }[];
}

/** Nodes visited (aliases expanded) per document: a "billion laughs" file stops here. */
const MAX_NODES = 200_000;
const MAX_DEPTH = 100;

export function pathKey(path: ValuesPath): string {
  return JSON.stringify(path);
}

/** Reads a values file. Never throws: problems are reported and what could be read is returned. */
export function readValuesYaml(text: string): ValuesFile {
  const locations = new Map<string, ValueLocation>();
  const problems: ValuesFile['problems'] = [];
  let values: GoMap = new Map();
  try {
    const doc = parseDocument(text, { schema: 'failsafe', uniqueKeys: false, merge: false, prettyErrors: false });
    for (const error of doc.errors) problems.push({ message: error.message, offset: error.pos[0] });
    const state = newState(doc, locations, true);
    const root = doc.contents ? convert(doc.contents as YamlNode, [], state, 0) : null;
    if (root instanceof Map) values = root;
    else if (root !== null) problems.push({ message: 'the values file is not a mapping', offset: 0 });
  } catch (error) {
    problems.push({ message: error instanceof ConvertLimit ? error.message : `unreadable values: ${String(error)}`, offset: 0 });
  }
  setValuesPath(values, []);
  return { values, locate: (path) => locations.get(pathKey(path)), problems };
}

/** Helm's fromYaml/fromYamlArray/fromJson reading: the value, or the error message Helm puts under "Error". */
export function parseYamlValue(text: string): { ok: true; value: Value } | { ok: false; error: string } {
  try {
    const doc = parseDocument(text, { schema: 'failsafe', uniqueKeys: false, merge: false, prettyErrors: false });
    if (doc.errors.length > 0) return { ok: false, error: `error converting YAML to JSON: ${doc.errors[0]!.message.split('\n')[0]}` };
    return { ok: true, value: doc.contents ? convert(doc.contents as YamlNode, [], newState(doc, new Map(), false), 0) : null };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

class ConvertLimit extends Error {}

interface ConvertState {
  doc: Document;
  /** Shared by every copy of the state, so the node bound counts aliased content too. */
  budget: { nodes: number; aliases: Map<YamlNode, YamlNode | undefined> };
  locations: Map<string, ValueLocation>;
  tagPaths: boolean;
}

function newState(doc: Document, locations: Map<string, ValueLocation>, tagPaths: boolean): ConvertState {
  return { doc, budget: { nodes: 0, aliases: new Map() }, locations, tagPaths };
}

function convert(node: YamlNode, path: ValuesPath, state: ConvertState, depth: number): Value {
  if (++state.budget.nodes > MAX_NODES) throw new ConvertLimit(`values expand to more than ${MAX_NODES} nodes`);
  if (depth > MAX_DEPTH) throw new ConvertLimit(`values nest deeper than ${MAX_DEPTH} levels`);
  if (isAlias(node)) {
    // Resolving an alias searches the document: once per alias node.
    if (!state.budget.aliases.has(node)) state.budget.aliases.set(node, node.resolve(state.doc) as YamlNode | undefined);
    const target = state.budget.aliases.get(node);
    return target ? convert(target as YamlNode, path, { ...state, locations: new Map() }, depth + 1) : null;
  }
  if (isMap(node)) {
    const map: GoMap = new Map();
    const merged: GoMap[] = [];
    for (const pair of node.items) {
      const keyNode = pair.key as YamlNode | null;
      const key = keyText(keyNode);
      if (key === '<<' && isScalar(keyNode) && keyNode.type === 'PLAIN') {
        // YAML 1.1 merge keys, as go-yaml v2 applies them: explicit keys win over merged ones.
        const sources = isSeq(pair.value) ? pair.value.items : [pair.value];
        for (const source of sources) {
          const value = source ? convert(source as YamlNode, path, { ...state, locations: new Map() }, depth + 1) : null;
          if (value instanceof Map) merged.push(value);
        }
        continue;
      }
      const childPath = [...path, key];
      const valueNode = pair.value as YamlNode | null;
      map.set(key, valueNode ? convert(valueNode, childPath, state, depth + 1) : null);
      const keyRange = keyNode?.range;
      const valueRange = valueNode?.range ?? (keyRange ? [keyRange[1], keyRange[1]] : undefined);
      if (valueRange) state.locations.set(pathKey(childPath), { ...(keyRange ? { keyStart: keyRange[0], keyEnd: keyRange[1] } : {}), valueStart: valueRange[0], valueEnd: valueRange[1] });
    }
    for (const source of merged) for (const [key, value] of source) if (!map.has(key)) map.set(key, value);
    if (state.tagPaths) setValuesPath(map, path);
    return map;
  }
  if (isSeq(node)) {
    const list = node.items.map((item, i) => {
      const childPath = [...path, i];
      const itemNode = item as YamlNode | null;
      if (itemNode?.range) state.locations.set(pathKey(childPath), { valueStart: itemNode.range[0], valueEnd: itemNode.range[1] });
      return itemNode ? convert(itemNode, childPath, state, depth + 1) : null;
    });
    if (state.tagPaths) setValuesPath(list, path);
    return list;
  }
  if (isScalar(node)) return scalarValue(node.value, node.type, node.tag);
  return null;
}

/** A scalar as Helm sees it: plain scalars resolved by go-yaml v2's rules, numbers made float64 by the JSON round trip. */
function scalarValue(raw: unknown, type: string | undefined, tag: string | undefined): Value {
  const text = raw === null || raw === undefined ? '' : String(raw);
  if (tag === 'tag:yaml.org,2002:str' || tag === '!!str') return text;
  if (type !== 'PLAIN' && tag === undefined) return text;
  const resolved = resolvePlain(text);
  switch (resolved.tag) {
    case 'null':
      return null;
    case 'bool':
      return resolved.value;
    case 'int':
      return Number(resolved.value);
    case 'float':
      return resolved.value;
    default:
      return text;
  }
}

function keyText(node: YamlNode | null): string {
  if (node === null) return 'null';
  if (isScalar(node)) {
    const value = scalarValue(node.value, node.type, node.tag);
    if (value === null) return 'null';
    return typeof value === 'number' ? String(value) : String(value);
  }
  return String(node);
}
