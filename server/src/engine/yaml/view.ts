// Span-exact read access to one parsed YAML document: map lookups (aliases and merge keys included) and scalars as facts.
import { isAlias, isMap, isScalar, isSeq, visit, type Alias, type Document, type Node, type Scalar, type YAMLMap, type YAMLSeq } from 'yaml';
import type { FileId, Span } from '../types.js';
import { containsTemplateExpression } from './templates.js';

/** How a scalar was written; fixes keep the style. */
export type ScalarStyle = 'plain' | 'single' | 'double' | 'literal' | 'folded';

/**
 * The type Kubernetes' YAML decoder (sigs.k8s.io/yaml, built on go-yaml v2 and therefore YAML 1.1
 * booleans) gives a scalar. Quoted and block scalars are always strings; a plain `on` or `300` is
 * not, which is why an unquoted annotation value fails `kubectl apply`.
 */
export type YamlScalarType = 'string' | 'int' | 'float' | 'bool' | 'null';

/** A YAML scalar as a fact: its value, where it is, and how it was written. */
export interface ScalarFact {
  /**
   * The string value: escapes resolved for quoted scalars, the source text for plain ones (so a
   * plain `010` stays `010` and `300` is `"300"`).
   */
  text: string;
  /** The whole token as written, quotes and block header included. */
  span: Span;
  style: ScalarStyle;
  yamlType: YamlScalarType;
  /** True when the value holds a template expression (`{{ … }}`, `{% … %}`, `${VAR}`): its real value is unknown. */
  unresolved: boolean;
}

/** A `key: value` entry of a mapping whose key is a scalar. */
export interface YamlField {
  key: ScalarFact;
  /** The value node, aliases resolved; undefined when the value is missing or an alias cannot be resolved. */
  value: Node | undefined;
}

// Merge keys can chain (`<<: *a` where `a` itself merges `b`). Real manifests chain two or three;
// a longer chain is reported (MergeBudgetError) rather than cut short: a cut would guess a default.
// (A cycle cannot loop: a lookup visits each mapping once.)
const MAX_MERGE_DEPTH = 64;
/**
 * Mapping entries all lookups of one document may scan through merge keys. Each mapping is visited
 * once per lookup (merging a map twice brings nothing new), so one lookup costs at most the
 * document's size; this caps the total for a document built to be slow (thousands of maps merging
 * one huge map). Real manifests use a few hundred.
 */
export const MAX_MERGE_WORK = 2_000_000;

/** Thrown by a lookup once its document has used up MAX_MERGE_WORK: the document is reported not analysed. */
export class MergeBudgetError extends Error {
  constructor(tooDeep = false) {
    super(tooDeep
      ? `its merge keys (<<) chain more than ${MAX_MERGE_DEPTH} mappings deep; the document was not analysed`
      : `its merge keys (<<) take more than ${MAX_MERGE_WORK.toLocaleString('en-US')} steps to resolve; the document was not analysed`);
  }
}

/** Read helpers bound to one document; spans refer to `source`, the text the document was parsed from. */
export class YamlView {
  private anchorOrder: Node[] | undefined;
  /** Mapping entries scanned through merge keys so far (see MAX_MERGE_WORK). */
  private mergeWork = 0;

  constructor(
    readonly file: FileId,
    readonly source: string,
    readonly document: Document.Parsed,
  ) {}

  /** Follows an alias to its anchored node; other nodes are returned as they are. */
  resolve(node: unknown): Node | undefined {
    if (isAlias(node)) return this.resolveAlias(node);
    return node === null || node === undefined ? undefined : (node as Node);
  }

  asMap(node: unknown): YAMLMap | undefined {
    const resolved = this.resolve(node);
    return isMap(resolved) ? resolved : undefined;
  }

  asSeq(node: unknown): YAMLSeq | undefined {
    const resolved = this.resolve(node);
    return isSeq(resolved) ? resolved : undefined;
  }

  /** The entries of a mapping with scalar keys, own entries first, then those brought in by `<<` merge keys. */
  fields(node: unknown): YamlField[] {
    const out: YamlField[] = [];
    this.collectFields(this.asMap(node), out, new Set(), 0, new Set());
    return out;
  }

  /** The entry for `key`; an own entry wins over a merged one, as YAML merge keys specify. */
  field(node: unknown, key: string): YamlField | undefined {
    const pair = this.findPair(this.asMap(node), key, 0, undefined);
    return pair ? { key: this.scalarFact(pair.key), value: this.resolve(pair.value) } : undefined;
  }

  /** The value node at `key`, aliases resolved. */
  get(node: unknown, key: string): Node | undefined {
    const pair = this.findPair(this.asMap(node), key, 0, undefined);
    return pair ? this.resolve(pair.value) : undefined;
  }

  /** The value at a path of mapping keys. */
  getIn(node: unknown, path: readonly string[]): Node | undefined {
    let current: Node | undefined = this.resolve(node);
    for (const key of path) {
      current = this.get(current, key);
      if (!current) return undefined;
    }
    return current;
  }

  /** The items of a sequence (aliases resolved, missing items dropped); `[]` for anything else. */
  items(node: unknown): Node[] {
    const seq = this.asSeq(node);
    if (!seq) return [];
    const out: Node[] = [];
    for (const item of seq.items) {
      const resolved = this.resolve(item);
      if (resolved) out.push(resolved);
    }
    return out;
  }

  /** A scalar as a fact; undefined for collections, missing values and YAML nulls. */
  scalar(node: unknown): ScalarFact | undefined {
    const resolved = this.resolve(node);
    if (!isScalar(resolved)) return undefined;
    const fact = this.scalarFact(resolved);
    return fact.yamlType === 'null' ? undefined : fact;
  }

  /** The text of a scalar at `key` of a mapping. */
  text(node: unknown, key: string): string | undefined {
    return this.scalar(this.get(node, key))?.text;
  }

  /** Span of a node's value (comments after it excluded); a zero-length span at 0 when the node has no range. */
  span(node: unknown): Span {
    const resolved = this.resolve(node);
    const range = resolved?.range;
    if (!range) return { file: this.file, start: 0, end: 0 };
    return { file: this.file, start: range[0], end: range[1] };
  }

  /**
   * The span of `text.slice(from, to)` inside a scalar, when the scalar's source spells its value
   * character for character (one line, no escapes); otherwise the whole scalar's span.
   */
  subSpan(fact: ScalarFact, from: number, to: number): Span {
    const quoted = fact.style === 'single' || fact.style === 'double' ? 1 : 0;
    if (fact.style === 'literal' || fact.style === 'folded') return fact.span;
    const inner = this.source.slice(fact.span.start + quoted, fact.span.end - quoted);
    if (inner !== fact.text) return fact.span;
    return { file: this.file, start: fact.span.start + quoted + from, end: fact.span.start + quoted + to };
  }

  scalarFact(scalar: Scalar): ScalarFact {
    const style = styleOf(scalar);
    const text = style === 'plain' ? (scalar.source ?? stringOf(scalar.value)) : stringOf(scalar.value);
    const range = scalar.range;
    return {
      text,
      span: { file: this.file, start: range?.[0] ?? 0, end: range?.[1] ?? 0 },
      style,
      yamlType: scalarType(scalar, style, text),
      unresolved: containsTemplateExpression(text),
    };
  }

  private collectFields(map: YAMLMap | undefined, out: YamlField[], seen: Set<string>, depth: number, visited: Set<YAMLMap>): void {
    if (!map || !this.enter(map, visited, depth)) return;
    const merged: Node[] = [];
    for (const pair of map.items) {
      if (!isScalar(pair.key)) continue;
      const key = this.scalarFact(pair.key);
      if (key.text === '<<' && key.style === 'plain') {
        for (const source of this.mergeSources(pair.value)) merged.push(source);
        continue;
      }
      if (seen.has(key.text)) continue;
      seen.add(key.text);
      out.push({ key, value: this.resolve(pair.value) });
    }
    for (const source of merged) this.collectFields(this.asMap(source), out, seen, depth + 1, visited);
  }

  /**
   * False when this lookup already visited the map. Maps reached through a merge key count
   * against the document's budget; past it, the lookup throws MergeBudgetError.
   */
  private enter(map: YAMLMap, visited: Set<YAMLMap>, depth: number): boolean {
    if (visited.has(map)) return false;
    visited.add(map);
    if (depth === 0) return true;
    if (depth > MAX_MERGE_DEPTH) throw new MergeBudgetError(true);
    this.mergeWork += map.items.length + 1;
    if (this.mergeWork > MAX_MERGE_WORK) throw new MergeBudgetError();
    return true;
  }

  /**
   * `visited` is made only when the map has merge keys to follow: most lookups read one map without
   * any, and a Set per lookup was a large share of the YAML readers' time.
   */
  private findPair(map: YAMLMap | undefined, key: string, depth: number, visited: Set<YAMLMap> | undefined): { key: Scalar; value: unknown } | undefined {
    if (!map) return undefined;
    if (visited !== undefined && !this.enter(map, visited, depth)) return undefined;
    let merged: Node[] | undefined;
    for (const pair of map.items) {
      const keyNode = pair.key;
      if (!isScalar(keyNode)) continue;
      const plain = keyNode.type === 'PLAIN' || keyNode.type === undefined;
      const keyText = plain ? (keyNode.source ?? stringOf(keyNode.value)) : stringOf(keyNode.value);
      if (keyText === key) return { key: keyNode, value: pair.value };
      if (plain && keyText === '<<') for (const source of this.mergeSources(pair.value)) (merged ??= []).push(source);
    }
    if (merged === undefined) return undefined;
    // The top map counts as visited (depth 0 takes no merge budget), as if entered first.
    if (visited === undefined) {
      visited = new Set();
      this.enter(map, visited, depth);
    }
    for (const source of merged) {
      const found = this.findPair(this.asMap(source), key, depth + 1, visited);
      if (found) return found;
    }
    return undefined;
  }

  private mergeSources(value: unknown): Node[] {
    const resolved = this.resolve(value);
    if (isSeq(resolved)) return resolved.items.map((item) => this.resolve(item)).filter((n): n is Node => n !== undefined);
    return resolved ? [resolved] : [];
  }

  /** The last node anchored with the alias's name before the alias, as YAML (and `Alias.resolve`) defines it. */
  private resolveAlias(alias: Alias): Node | undefined {
    if (!this.anchorOrder) {
      const order: Node[] = [];
      visit(this.document, {
        Node: (_key, node) => {
          if (isAlias(node) || (node as { anchor?: string }).anchor) order.push(node);
        },
      });
      this.anchorOrder = order;
    }
    let found: Node | undefined;
    for (const node of this.anchorOrder) {
      if (node === alias) break;
      if (!isAlias(node) && (node as { anchor?: string }).anchor === alias.source) found = node;
    }
    // An alias never points at another alias, so one step is enough.
    return isAlias(found) ? undefined : found;
  }
}

function styleOf(scalar: Scalar): ScalarStyle {
  switch (scalar.type) {
    case 'QUOTE_SINGLE':
      return 'single';
    case 'QUOTE_DOUBLE':
      return 'double';
    case 'BLOCK_LITERAL':
      return 'literal';
    case 'BLOCK_FOLDED':
      return 'folded';
    default:
      return 'plain';
  }
}

function stringOf(value: unknown): string {
  if (value === null || value === undefined) return '';
  return typeof value === 'string' ? value : String(value);
}

// go-yaml v2 (resolve.go) words; YAML 1.1 reads these plain scalars as booleans and nulls.
const YAML11_BOOL = new Set(['y', 'Y', 'yes', 'Yes', 'YES', 'n', 'N', 'no', 'No', 'NO', 'true', 'True', 'TRUE', 'false', 'False', 'FALSE', 'on', 'On', 'ON', 'off', 'Off', 'OFF']);
const YAML_NULL = new Set(['', '~', 'null', 'Null', 'NULL']);
const YAML_INT = /^[-+]?(?:0b[01_]+|0o?[0-7_]+|0x[0-9a-fA-F_]+|[0-9][0-9_]*)$/;
const YAML_FLOAT = /^(?:[-+]?(?:\.[0-9]+|[0-9][0-9_]*(?:\.[0-9_]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;

// An explicit core tag (`!!str 300`, `!!int "5"`) decides the type, as it does for Kubernetes' decoder.
const CORE_TAG_TYPES: ReadonlyMap<string, YamlScalarType> = new Map([
  ['tag:yaml.org,2002:str', 'string'],
  ['tag:yaml.org,2002:int', 'int'],
  ['tag:yaml.org,2002:float', 'float'],
  ['tag:yaml.org,2002:bool', 'bool'],
  ['tag:yaml.org,2002:null', 'null'],
]);

function scalarType(scalar: Scalar, style: ScalarStyle, text: string): YamlScalarType {
  const tagged = scalar.tag === undefined ? undefined : CORE_TAG_TYPES.get(scalar.tag);
  if (tagged) return tagged;
  return style === 'plain' ? plainScalarType(text) : 'string';
}

/** The YAML 1.1 type of a plain scalar, as Kubernetes' decoder resolves it. */
export function plainScalarType(text: string): YamlScalarType {
  if (YAML_NULL.has(text)) return 'null';
  if (YAML11_BOOL.has(text)) return 'bool';
  if (YAML_INT.test(text)) return 'int';
  if (YAML_FLOAT.test(text)) return 'float';
  return 'string';
}
