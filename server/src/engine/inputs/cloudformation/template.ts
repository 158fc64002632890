// CloudFormation templates (YAML or JSON): resources and parameters with exact spans. Intrinsic functions stay unresolved, except a `Ref` to a parameter with a `Default`.
import type { Node } from 'yaml';
import { firstDataDocument, parseYamlFile } from '../../yaml/file.js';
import type { ScalarFact, YamlView } from '../../yaml/view.js';
import type { FileId, Problem, Span } from '../../types.js';

export interface CfnResource {
  /** The logical id. */
  id: string;
  idSpan: Span;
  type: string;
  properties: Node | undefined;
}

export interface CfnTemplate {
  file: FileId;
  resources: CfnResource[];
  /** Parameters with a scalar `Default`. */
  parameterDefaults: Map<string, ScalarFact>;
  view: YamlView | undefined;
  problems: Problem[];
}

/** A value a template gives, and where it is written (a parameter's default for a `Ref`). */
export interface CfnValue {
  text: string;
  span: Span;
  via?: string;
}

const MARKERS = /AWSTemplateFormatVersion|AWS::ElasticLoadBalancing/;

export function looksLikeCloudFormation(text: string): boolean {
  return MARKERS.test(text) && /\bResources\b/.test(text);
}

export function parseTemplate(file: FileId, text: string): CfnTemplate {
  const yaml = parseYamlFile(file, text);
  const out: CfnTemplate = { file, resources: [], parameterDefaults: new Map(), view: undefined, problems: [...yaml.problems] };
  const document = firstDataDocument(yaml);
  if (!document) return out;
  const view = document.view;
  out.view = view;
  const root = document.document.contents;
  for (const field of view.fields(view.get(root, 'Resources'))) {
    const type = view.scalar(view.get(field.value, 'Type'));
    if (type) out.resources.push({ id: field.key.text, idSpan: field.key.span, type: type.text, properties: view.get(field.value, 'Properties') });
  }
  for (const field of view.fields(view.get(root, 'Parameters'))) {
    const fallback = plainScalar(view, view.get(field.value, 'Default'));
    if (fallback) out.parameterDefaults.set(field.key.text, fallback);
  }
  return out;
}

/** A scalar without a tag of its own (`!Ref x`, `!Sub …` are intrinsic functions, not values). */
export function plainScalar(view: YamlView, node: Node | undefined): ScalarFact | undefined {
  const fact = view.scalar(node);
  const tag = (node as { tag?: string } | undefined)?.tag;
  if (!fact || fact.unresolved || (tag !== undefined && tag.startsWith('!') && !tag.startsWith('!!'))) return undefined;
  return fact;
}

/** The logical id a `!Ref X`, `{ Ref: X }`, `!GetAtt X.Arn` or `{ "Fn::GetAtt": [X, …] }` names. */
export function referencedId(view: YamlView, node: Node | undefined): string | undefined {
  if (!node) return undefined;
  const tag = (node as { tag?: string }).tag;
  const scalar = view.scalar(node);
  if (scalar && (tag === '!Ref' || tag === '!GetAtt')) return scalar.text.split('.')[0];
  const ref = view.scalar(view.get(node, 'Ref'));
  if (ref) return ref.text;
  const getAtt = view.get(node, 'Fn::GetAtt');
  const first = view.scalar(view.items(getAtt)[0]) ?? view.scalar(getAtt);
  return first?.text.split('.')[0];
}

/** A literal, or a `Ref` to a parameter whose `Default` is one; anything else (other intrinsics) is unknown. */
export function valueOf(template: CfnTemplate, node: Node | undefined): CfnValue | undefined {
  const view = template.view;
  if (!view || !node) return undefined;
  const plain = plainScalar(view, node);
  if (plain) return { text: plain.text, span: plain.span };
  const tag = (node as { tag?: string }).tag;
  const ref = tag === '!Ref' ? view.scalar(node)?.text : view.scalar(view.get(node, 'Ref'))?.text;
  const fallback = ref !== undefined ? template.parameterDefaults.get(ref) : undefined;
  return fallback ? { text: fallback.text, span: fallback.span, via: `parameter ${ref} Default` } : undefined;
}

/** Where a value is written, for an unresolved one too. */
export function spanOf(template: CfnTemplate, node: Node | undefined): Span | undefined {
  const range = (node as { range?: [number, number, number] } | undefined)?.range;
  return range ? { file: template.file, start: range[0], end: range[1] } : undefined;
}
