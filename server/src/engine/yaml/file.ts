// Reads one YAML file into documents, and the Kubernetes-style objects (`apiVersion` + `kind`) in them, with exact spans; never throws, templates and broken YAML become problems.
// Shared by every input that reads YAML: Kubernetes manifests and custom resources, compose files, kustomizations.
import { isMap, isScalar, isSeq, parseAllDocuments, YAMLParseError, type Document, type Scalar, type YAMLError, type YAMLMap } from 'yaml';
import type { FileId, Problem, Span } from '../types.js';
import { readPlainBlockYaml } from './block-reader.js';
import { displayName, findTemplateExpression, findTemplateParsedAsStructure, mayHoldStructuralTemplate } from './templates.js';
import { MergeBudgetError, YamlView, type ScalarFact } from './view.js';

/** What a YAML document turned out to be. */
export type YamlDocumentStatus =
  /** A mapping with `apiVersion` and `kind`: one object. */
  | 'object'
  /** A `kind: List` (as `kubectl get -o yaml` prints): its items are the objects. */
  | 'list'
  /** Valid YAML that is not a Kubernetes object (values files, CI configs): ignored. */
  | 'other'
  /** Nothing but comments, or an empty `---` section. */
  | 'empty'
  /** Contains template expressions that are not valid YAML yet: not analysed. */
  | 'template'
  /** Invalid YAML: reported, not analysed. */
  | 'syntax';

export interface YamlDocument {
  index: number;
  /** From the end of the previous document (or the file start) to the start of the next one. */
  span: Span;
  status: YamlDocumentStatus;
  /** The parsed document with comments and source ranges, kept so fixes can edit single tokens. */
  document: Document.Parsed;
  view: YamlView;
}

/** One Kubernetes-style object: a mapping with `apiVersion` and `kind` (a list's items are objects too). */
export interface K8sObject {
  file: FileId;
  documentIndex: number;
  apiVersion: string;
  /** The API group: `''` for the core group (`v1`), else the part before `/`. */
  group: string;
  kind: string;
  name?: ScalarFact;
  /** `metadata.namespace`, or `'default'` when it is not written. */
  namespace: string;
  namespaceExplicit: boolean;
  /** The object's root mapping. */
  span: Span;
  node: YAMLMap;
  view: YamlView;
}

export interface YamlFile {
  file: FileId;
  documents: YamlDocument[];
  objects: K8sObject[];
  problems: Problem[];
}

// Kubernetes' own decoder (go-yaml) reads a document as YAML 1.1; the core schema differs only in
// scalar types, which ScalarFact.yamlType reports separately, so the default schema is kept.
// The yaml package checks key uniqueness with a scan of the map per key (quadratic: a flow map of
// 20,000 keys takes seconds); findDuplicateKey does the same check in linear time.
const PARSE_OPTIONS = { prettyErrors: false, keepSourceTokens: false, uniqueKeys: false } as const;

/**
 * Parses a YAML file: every document, every Kubernetes object in it, and the problems found.
 * Never throws: invalid YAML becomes a `syntax` problem at the error's position, and a document
 * with Helm/Jinja template expressions becomes a `not-analysed` problem.
 */
export function parseYamlFile(file: FileId, text: string): YamlFile {
  try {
    return parseDocuments(file, text);
  } catch (error) {
    if (error instanceof RangeError) {
      // The yaml package composes nested collections recursively: thousands of `[[[…` overflow it.
      const message = /call stack/i.test(error.message) ? 'not analysed: the YAML is nested too deeply to be read' : `not analysed: the YAML reader ran out of room (${error.message})`;
      return { file, documents: [], objects: [], problems: [{ kind: 'not-analysed', message, span: { file, start: 0, end: 0 } }] };
    }
    if (error instanceof MergeBudgetError) {
      return { file, documents: [], objects: [], problems: [{ kind: 'not-analysed', message: `not analysed: ${error.message}`, span: { file, start: 0, end: 0 } }] };
    }
    // The yaml package is not supposed to throw; this keeps a bug there from stopping the run.
    const message = error instanceof Error ? error.message : String(error);
    return { file, documents: [], objects: [], problems: [{ kind: 'syntax', message: `YAML could not be read: ${message}`, span: { file, start: 0, end: 0 } }] };
  }
}

function parseDocuments(file: FileId, text: string): YamlFile {
  const result: YamlFile = { file, documents: [], objects: [], problems: [] };
  // Plain block YAML (most manifests) is read by the fast reader; anything else, and every error, by the yaml package.
  const parsed = readPlainBlockYaml(text, PARSE_OPTIONS) ?? parseAllDocuments(text, PARSE_OPTIONS);
  const documents: Document.Parsed[] = Array.isArray(parsed) ? parsed : [];
  for (const document of documents) {
    if (document.errors.length > 0) continue;
    const duplicate = findDuplicateKey(document);
    if (duplicate) document.errors.push(new YAMLParseError([duplicate.range?.[0] ?? 0, duplicate.range?.[1] ?? 0], 'DUPLICATE_KEY', 'Map keys must be unique'));
  }
  for (let index = 0; index < documents.length; index++) {
    const document = documents[index]!;
    const start = index === 0 ? 0 : documents[index]!.range[0];
    const end = index + 1 < documents.length ? documents[index + 1]!.range[0] : text.length;
    const span: Span = { file, start, end: Math.max(start, end) };
    const view = new YamlView(file, text, document);
    const entry: YamlDocument = { index, span, status: 'other', document, view };
    result.documents.push(entry);
    entry.status = classify(result, entry, text);
    // A loop, not push(...): a List of 200,000 items would overflow the arguments of one call.
    if (entry.status === 'object' || entry.status === 'list') for (const object of objectsOf(entry)) result.objects.push(object);
  }
  return result;
}

function classify(result: YamlFile, entry: YamlDocument, text: string): YamlDocumentStatus {
  const { document, span } = entry;
  const extent = text.slice(span.start, span.end);
  if (document.errors.length > 0) {
    const template = mayHoldStructuralTemplate(extent) ? findTemplateExpression(text, span.start, span.end) : undefined;
    if (template) {
      result.problems.push(templateProblem(result.file, entry.index, template));
      return 'template';
    }
    const error = document.errors[0]!;
    if (error.code === 'RESOURCE_EXHAUSTION') {
      // The yaml package composes nested collections recursively and reports the overflow: the YAML may be valid.
      result.problems.push({ kind: 'not-analysed', message: 'not analysed: the YAML is nested too deeply to be read', span: { file: result.file, start: span.start, end: span.start } });
      return 'syntax';
    }
    result.problems.push(syntaxProblem(result.file, error, text.length));
    return 'syntax';
  }
  if (mayHoldStructuralTemplate(extent)) {
    const at = findTemplateParsedAsStructure(document, text);
    if (at !== undefined) {
      const template = findTemplateExpression(text, at, span.end) ?? { start: at, end: at };
      result.problems.push(templateProblem(result.file, entry.index, template));
      return 'template';
    }
  }
  const root = document.contents;
  if (root === null || root === undefined || (isScalar(root) && root.value === null)) return 'empty';
  if (!isMap(root)) return 'other';
  const apiVersion = entry.view.scalar(entry.view.get(root, 'apiVersion'));
  const kind = entry.view.scalar(entry.view.get(root, 'kind'));
  if (!apiVersion || !kind) return 'other';
  // A templated apiVersion or kind (`kind: "{{ .Values.kind }}"`) leaves the object's type unknown.
  if (apiVersion.unresolved || kind.unresolved) {
    const unresolved = apiVersion.unresolved ? apiVersion : kind;
    result.problems.push(templateProblem(result.file, entry.index, unresolved.span));
    return 'template';
  }
  return kind.text === 'List' && entry.view.asSeq(entry.view.get(root, 'items')) ? 'list' : 'object';
}

function objectsOf(entry: YamlDocument): K8sObject[] {
  const { view } = entry;
  const root = view.asMap(entry.document.contents);
  if (!root) return [];
  if (entry.status === 'object') {
    const object = objectOf(entry, root);
    return object ? [object] : [];
  }
  const out: K8sObject[] = [];
  for (const item of view.items(view.get(root, 'items'))) {
    const map = view.asMap(item);
    const object = map ? objectOf(entry, map) : undefined;
    if (object) out.push(object);
  }
  return out;
}

function objectOf(entry: YamlDocument, node: YAMLMap): K8sObject | undefined {
  const { view } = entry;
  const apiVersion = view.scalar(view.get(node, 'apiVersion'));
  const kind = view.scalar(view.get(node, 'kind'));
  if (!apiVersion || !kind || apiVersion.unresolved || kind.unresolved) return undefined;
  const metadata = view.get(node, 'metadata');
  const namespace = view.scalar(view.get(metadata, 'namespace'));
  const slash = apiVersion.text.indexOf('/');
  const object: K8sObject = {
    file: view.file,
    documentIndex: entry.index,
    apiVersion: apiVersion.text,
    group: slash < 0 ? '' : apiVersion.text.slice(0, slash),
    kind: kind.text,
    // A templated namespace (`{{ .Release.Namespace }}`) keeps its text: objects of one chart still match each other.
    namespace: namespace ? namespace.text : 'default',
    namespaceExplicit: namespace !== undefined,
    span: view.span(node),
    node,
    view,
  };
  const name = view.scalar(view.get(metadata, 'name'));
  // A name a Helm template left unknown is shown as such; it is unresolved either way and matches nothing.
  if (name) object.name = name.unresolved ? { ...name, text: displayName(name.text) } : name;
  return object;
}

function templateProblem(file: FileId, documentIndex: number, at: { start: number; end: number }): Problem {
  return {
    kind: 'not-analysed',
    message: `not analysed: template (document ${documentIndex + 1} holds template expressions and is not plain YAML; lint the rendered output, e.g. \`helm template\`)`,
    span: { file, start: at.start, end: at.end },
  };
}

/** The first key that repeats a key of its mapping (scalars compared by value, as the yaml package does), or undefined. */
function findDuplicateKey(document: Document.Parsed): Scalar | undefined {
  // An explicit stack: a document nested thousands deep must not overflow the call stack.
  const stack: unknown[] = [document.contents];
  while (stack.length > 0) {
    const node = stack.pop();
    if (isMap(node)) {
      const keys = new Set<unknown>();
      for (const pair of node.items) {
        if (isScalar(pair.key)) {
          if (keys.has(pair.key.value)) return pair.key;
          keys.add(pair.key.value);
        } else stack.push(pair.key);
        stack.push(pair.value);
      }
    } else if (isSeq(node)) {
      for (const item of node.items) stack.push(item);
    }
  }
  return undefined;
}

function syntaxProblem(file: FileId, error: YAMLError, textLength: number): Problem {
  const start = clamp(error.pos[0], textLength);
  const end = clamp(Math.max(error.pos[1], error.pos[0]), textLength);
  const firstLine = error.message.split('\n')[0] ?? error.message;
  return { kind: 'syntax', message: `invalid YAML: ${firstLine}`, span: { file, start, end } };
}

function clamp(offset: number, textLength: number): number {
  return Math.max(0, Math.min(Number.isFinite(offset) ? offset : 0, textLength));
}

/** The first document that holds data (not empty, a template or broken): a file with one root mapping, as compose and kustomize read it. */
export function firstDataDocument(file: YamlFile): YamlDocument | undefined {
  return file.documents.find((d) => d.status === 'object' || d.status === 'other');
}

/** Cheap pre-check for a `*.yaml`/`*.yml` file: does any line start an `apiVersion:` and a `kind:` key? */
export function looksLikeK8s(text: string): boolean {
  return /^[ \t]*(?:-[ \t]+)?apiVersion[ \t]*:/m.test(text) && /^[ \t]*(?:-[ \t]+)?kind[ \t]*:/m.test(text);
}
