// The public API of the Helm template engine: parse a chart's templates, render one template or all, with a source map and unresolved ranges. Pure: no I/O.
//
// Semantics follow `helm template` (Helm 3, Go text/template, Sprig v3), with these deliberate choices:
// - A missing map key prints as nothing. Helm executes with missingkey=zero and then deletes every
//   "<no value>" from the output; here nil prints empty (a literal "<no value>" in template text is kept).
// - Values files read as Helm reads them: go-yaml v2 scalars (yes/no/on/off/y/n are booleans, `1e6` is a
//   string, dates stay strings), then a JSON round trip, so every number is a float64: 1000000 prints
//   1e+06 and `eq .Values.n 1` is Go's "incompatible types" error. Template literals and Sprig math are int64.
// - Anything whose value cannot be known offline is an explicit Unresolved value, never a guess: lookup,
//   time, randomness, key generation, an unknown function (Helm refuses to parse those), a chart file the
//   reader cannot give. It propagates through functions and prints as an unresolved output range; a
//   condition or range over it renders neither branch and leaves a zero-width unresolved range.
// - Go map order is random, so Sprig's `keys` and `values` come back sorted here.
// - toYaml writes what go-yaml v2 writes, except that it never folds a long string over several lines.
// - trunc, substr and %.Ns count UTF-16 code units, not bytes (equal for ASCII).
// - Subchart values scoping is the caller's: it passes each chart's own values; `.Subcharts` is empty.
import { buildTopLevel, type RenderContextInput } from './context.js';
import { Executor } from './execute.js';
import { DEFAULT_LIMITS, RenderFailure, Sink, type FailureKind, type OutputSegment, type RenderLimits, type TemplateEntry, type TemplateLookup, type UnresolvedRange } from './render-types.js';
import { HELM_FUNCTIONS } from './functions.js';
import { parseTemplate } from './parser.js';
import { EvalError, fromPlain, Unresolved, type GoMap, type Value } from './values.js';

export type { ChartFileReader, CapabilitiesInfo, ReleaseInfo, RenderContextInput } from './context.js';
export { DEFAULT_API_VERSIONS, DEFAULT_KUBE_VERSION, DEFAULT_RELEASE } from './context.js';
export type { FailureKind, OutputSegment, RenderLimits, UnresolvedRange } from './render-types.js';
export { DEFAULT_LIMITS } from './render-types.js';
export { readValuesYaml, type ValueLocation, type ValuesFile } from './values-file.js';
export { combineValues, type CombinedValues, type NamedValuesFile } from './values-combine.js';
export { sourceAt, unresolvedIn, type SourceOfOutput } from './source-map.js';
export { fromPlain, type GoMap, type Value, type ValuesPath } from './values.js';

export interface TemplateFile {
  /** The template's name as Helm gives it: `<chart>/templates/<file>` (e.g. `app/templates/ingress.yaml`). */
  name: string;
  text: string;
}

export interface RenderError {
  kind: FailureKind;
  reason: string;
  /** The template (file) whose text holds the fault. */
  template: string;
  /** UTF-16 offset in that template's text. */
  offset: number;
}

export type RenderResult =
  | {
      ok: true;
      output: string;
      /** Output ranges with the template text that produced them, in output order. */
      segments: OutputSegment[];
      /** Output ranges the engine could not determine (never filled with a guess). */
      unresolved: UnresolvedRange[];
    }
  | { ok: false; error: RenderError };

/** A chart's parsed templates: every file's defines in one namespace, as Helm shares them across the chart. */
export interface ChartTemplates {
  readonly lookup: TemplateLookup;
  /** Templates that failed to parse, with the reason (Helm fails the chart; here the other templates still render). */
  readonly parseErrors: ReadonlyMap<string, RenderError>;
  /** Names of all templates, in Helm's order. */
  readonly names: readonly string[];
}

export interface RenderOptions {
  limits?: Partial<RenderLimits>;
  /** Printed where a value is unresolved (default: nothing); the range is reported either way. */
  unresolvedText?: string;
  /** Why a template the chart does not define is unknown rather than missing (defined in a dependency that is not in the workspace). */
  unknownDefine?: (name: string) => string | undefined;
}

/** Helm's order: deeper paths first, then reverse by name, so a parent chart's defines, parsed later, win. */
function helmOrder(names: string[]): string[] {
  const slashes = (name: string) => name.split('/').length - 1;
  return [...names].sort((a, b) => slashes(a) - slashes(b) || (a < b ? -1 : a > b ? 1 : 0)).reverse();
}

/** Parses a chart's templates (and partials). Never throws. */
export function parseChartTemplates(files: readonly TemplateFile[]): ChartTemplates {
  const byName = new Map(files.map((file) => [file.name, file]));
  const names = helmOrder([...byName.keys()]);
  const entries = new Map<string, TemplateEntry>();
  const parseErrors = new Map<string, RenderError>();
  for (const name of names) {
    const parsed = parseTemplate(name, byName.get(name)!.text);
    if (!parsed.ok) {
      parseErrors.set(name, { kind: 'parse', reason: parsed.reason, template: name, offset: parsed.offset });
      continue;
    }
    entries.set(name, { file: name, body: parsed.template.body });
    for (const [define, body] of parsed.template.defines) entries.set(define, { file: name, body });
  }
  const lookup: TemplateLookup = { get: (name) => entries.get(name) };
  return { lookup, parseErrors, names };
}

/** Whether Helm renders this template as output (partials, named `_*`, are only included). */
export function isRenderedTemplate(name: string): boolean {
  return !name.slice(name.lastIndexOf('/') + 1).startsWith('_');
}

/**
 * Renders one template of a parsed chart with the given context. Never throws: a parse error, `fail`,
 * `required` on a missing value, a Go exec error or a bound reached is an error result with its reason.
 */
export function renderTemplate(chart: ChartTemplates, name: string, context: RenderContextInput, options: RenderOptions = {}): RenderResult {
  const parseError = chart.parseErrors.get(name);
  if (parseError) return { ok: false, error: parseError };
  const entry = chart.lookup.get(name);
  if (!entry) return { ok: false, error: { kind: 'exec', reason: `no template ${JSON.stringify(name)}`, template: name, offset: 0 } };
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const slash = name.indexOf('/templates/');
  const basePath = slash >= 0 ? name.slice(0, slash + '/templates'.length) : name.slice(0, Math.max(0, name.lastIndexOf('/')));
  try {
    const data = buildTopLevel(context, { name, basePath }, { fileCharsLeft: limits.maxOutputChars });
    return execute(withUnknownDefines(withMissingDefines(chart), options.unknownDefine), entry, data, limits, options.unresolvedText ?? '');
  } catch (error) {
    return { ok: false, error: { kind: 'exec', reason: `internal error: ${String(error)}`, template: name, offset: 0 } };
  }
}

/** Renders every template Helm would output (not partials), each on its own: one failing never stops the others. */
export function renderChart(files: readonly TemplateFile[], context: RenderContextInput, options: RenderOptions = {}): Map<string, RenderResult> {
  const chart = parseChartTemplates(files);
  const results = new Map<string, RenderResult>();
  for (const name of [...chart.names].reverse()) if (isRenderedTemplate(name)) results.set(name, renderTemplate(chart, name, context, options));
  return results;
}

/**
 * Renders a standalone template text with the given data as dot (plain JS data or template values).
 * For tests and `tpl`-like uses; charts should use renderTemplate.
 */
export function renderString(text: string, data: unknown, options: RenderOptions & { name?: string; partials?: readonly TemplateFile[] } = {}): RenderResult {
  const name = options.name ?? 'template';
  const chart = parseChartTemplates([...(options.partials ?? []), { name, text }]);
  const parseError = chart.parseErrors.get(name);
  if (parseError) return { ok: false, error: parseError };
  const entry = chart.lookup.get(name)!;
  try {
    const value = data instanceof Map ? (data as GoMap) : fromPlain(data);
    return execute(withMissingDefines(chart), entry, value, { ...DEFAULT_LIMITS, ...options.limits }, options.unresolvedText ?? '');
  } catch (error) {
    return { ok: false, error: { kind: 'exec', reason: `internal error: ${String(error)}`, template: name, offset: 0 } };
  }
}

/** A lookup whose missing names may also be unknown for the caller's reason (the first reason given wins). */
function withUnknownDefines(lookup: TemplateLookup, unknownDefine: RenderOptions['unknownDefine']): TemplateLookup {
  if (!unknownDefine) return lookup;
  return { get: (name) => lookup.get(name), unknownReason: (name) => lookup.unknownReason?.(name) ?? unknownDefine(name) };
}

/** When a template failed to parse, a define it may have held is unknown rather than missing: its include is unresolved. */
function withMissingDefines(chart: ChartTemplates): TemplateLookup {
  if (chart.parseErrors.size === 0) return chart.lookup;
  const failed = [...chart.parseErrors.keys()].join(', ');
  return { get: (name) => chart.lookup.get(name), unknownReason: (name) => `template ${JSON.stringify(name)} is not defined; it may be defined in ${failed}, which failed to parse` };
}

function execute(lookup: TemplateLookup, entry: TemplateEntry, data: Value, limits: RenderLimits, unresolvedText: string): RenderResult {
  const sink = new Sink();
  const exec = new Executor(lookup, HELM_FUNCTIONS, limits, entry.file, sink, unresolvedText);
  try {
    exec.runBody(entry, { v: data }, sink);
    return { ok: true, output: sink.text(), segments: sink.segments, unresolved: sink.unresolved };
  } catch (error) {
    if (error instanceof RenderFailure) return { ok: false, error: { kind: error.kind, reason: error.reason, template: error.template, offset: error.offset } };
    if (error instanceof EvalError) return { ok: false, error: { kind: 'exec', reason: error.reason, template: exec.file, offset: exec.at } };
    if (error instanceof RangeError) {
      const reason = /string length/i.test(error.message) ? 'a string grew past the largest string the engine can hold' : `evaluation nests too deeply (${error.message})`;
      return { ok: false, error: { kind: 'limit', reason, template: exec.file, offset: exec.at } };
    }
    return { ok: false, error: { kind: 'exec', reason: `internal error: ${String(error)}`, template: exec.file, offset: exec.at } };
  }
}

export { Unresolved };
