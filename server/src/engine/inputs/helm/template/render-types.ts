// The shared vocabulary of a render: limits, the source map and unresolved ranges, evaluated values, template lookup, the function contract and where output goes.
import type { ArgNode, Node } from './ast.js';
import type { GoMethod, Value, ValuesPath } from './values.js';

/** Bounds of one render. Reaching one fails the render with a reason; nothing hangs or overflows the stack. */
export interface RenderLimits {
  /** Nested `include`/`template`/`tpl` calls. */
  maxTemplateDepth: number;
  /** Characters of output of one template (and of any string a function builds). */
  maxOutputChars: number;
  /** Evaluation steps (commands, nodes, iterations, and one per 64 characters of strings built or written). */
  maxSteps: number;
}

export const DEFAULT_LIMITS: RenderLimits = { maxTemplateDepth: 100, maxOutputChars: 8 * 1024 * 1024, maxSteps: 5_000_000 };

/** A stretch of output and the template text that produced it. */
export interface OutputSegment {
  outStart: number;
  outEnd: number;
  /** The template (file) name whose text produced this output. */
  template: string;
  srcStart: number;
  srcEnd: number;
  /** `text` maps 1:1 to the source; `action` maps to the whole `{{ … }}`. */
  kind: 'text' | 'action';
  /** When the printed value came straight from `.Values` (through quote, default, toYaml, nindent…): its path. */
  valuesPath?: ValuesPath;
}

/** Output the engine could not determine, and why. `outStart === outEnd` when nothing was printed there (an unknown condition). */
export interface UnresolvedRange {
  outStart: number;
  outEnd: number;
  reason: string;
  template: string;
  srcStart: number;
  srcEnd: number;
}

/** A value under evaluation, with the values path it was read from (when it was). */
export interface Ev {
  v: Value;
  path?: ValuesPath | undefined;
  /** The number literal it was written as (Go converts constants to the parameter's type). */
  literal?: Extract<ArgNode, { type: 'number' }>;
}

/** A template body by name, with the file its offsets refer to. */
export interface TemplateEntry {
  file: string;
  body: Node[];
}

/** Where templates are looked up: the chart's defines and files, possibly overlaid by a `tpl` string's own defines. */
export interface TemplateLookup {
  get(name: string): TemplateEntry | undefined;
  /** Why a template that is not found is unknown rather than missing (a file that held defines failed to parse). */
  unknownReason?(name: string): string | undefined;
}

export interface CallContext {
  exec: ExecutorApi;
  dot: Ev;
  /** The name of the called function, for messages. */
  name: string;
  /** Whether the last argument came from the previous pipeline stage. */
  piped: boolean;
}

export type ParamKind = 'any' | 'string' | 'int' | 'float' | 'bool' | 'map' | 'list';

export interface FunctionDef {
  params: ParamKind[];
  /** The kind of extra arguments; absent: exactly `params.length` arguments. */
  variadic?: ParamKind;
  /** Arguments are passed unevaluated (and, or): the function evaluates them as it needs. */
  lazy?: (args: (() => Ev)[], ctx: CallContext) => Ev;
  call?: (args: Ev[], ctx: CallContext) => Ev | Value;
  /** The result carries the values path of this argument (its index, or 'last'). */
  pathFrom?: number | 'last';
  /** The function reads its arguments whole (toYaml, printf): an unresolved value inside a map or list makes the result unresolved. */
  deep?: boolean;
  /** Unresolved arguments are passed in instead of making the result unresolved. */
  acceptsUnresolved?: boolean;
  /**
   * A text transform of its last argument (indent, trim…): applied to the visible part of a partly
   * unresolved text, which stays unresolved.
   */
  transformsText?: boolean;
}

export type FunctionTable = ReadonlyMap<string, FunctionDef>;

/** Where output goes: the template's output, or a buffer for `include`/`tpl`. */
export class Sink {
  parts: string[] = [];
  length = 0;
  segments: OutputSegment[] = [];
  unresolved: UnresolvedRange[] = [];
  text(): string {
    const joined = this.parts.join('');
    this.parts = [joined];
    return joined;
  }
}

/** Thrown out of a render on a Go exec error or a bound: turned into an error result by render(). */
export class RenderFailure extends Error {
  constructor(readonly reason: string, readonly template: string, readonly offset: number, readonly kind: FailureKind = 'exec') {
    super(reason);
  }
}

/** Why a render failed: a syntax error, a Go exec error, `fail`, `required` on a missing value, or a bound. */
export type FailureKind = 'parse' | 'exec' | 'fail' | 'required' | 'limit';

/** Methods of Go map types (Helm's `.Files` is a map with Get, Glob…): field access finds them before keys. */
export const mapMethods = new WeakMap<Map<string, Value>, Map<string, GoMethod>>();

/** One reason for several unresolved ranges (the first, and how many more). */
export function summarise(ranges: UnresolvedRange[]): string {
  const reasons = [...new Set(ranges.map((range) => range.reason))];
  return reasons.length === 1 ? reasons[0]! : `${reasons[0]} (and ${reasons.length - 1} more)`;
}

/**
 * What functions and calls may use of the executor (execute.ts implements it): declared here so that
 * the executor, the function calls and the function tables do not import each other in a circle.
 */
export interface ExecutorApi {
  /** The template file and offset being evaluated (where an error is reported). */
  file: string;
  at: number;
  /** Swapped while a `tpl` string runs, so its own defines are visible to it. */
  templates: TemplateLookup;
  readonly functions: FunctionTable;
  readonly limits: RenderLimits;
  /** Parsed `tpl` strings, by text. */
  readonly tplCache: Map<string, unknown>;
  /** What an unresolved value prints as. */
  readonly unresolvedText: string;
  fail(reason: string, kind?: FailureKind): never;
  checkString(text: string): string;
  runBody(entry: TemplateEntry, dot: Ev, sink: Sink): void;
  capture(entry: TemplateEntry, dot: Ev): Value;
  evalArg(dot: Ev, node: ArgNode): Ev;
}

