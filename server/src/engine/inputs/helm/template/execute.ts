// Executes parsed templates with Go text/template semantics, writing output with a source map and unresolved ranges.
import type { ArgNode, CommandNode, Node, PipeNode } from './ast.js';
import { printValue } from './format.js';
import { EvalError, findUnresolved, GoMethod, GoStruct, goTypeName, isTruthy, sortedKeys, Unresolved, valuesPathOf, type Value, type ValuesPath } from './values.js';

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
  exec: Executor;
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

type Signal = 'break' | 'continue' | undefined;

interface Variable {
  name: string;
  ev: Ev;
}

/** Thrown out of a render on a Go exec error or a bound: turned into an error result by render(). */
export class RenderFailure extends Error {
  constructor(readonly reason: string, readonly template: string, readonly offset: number, readonly kind: FailureKind = 'exec') {
    super(reason);
  }
}

/** Why a render failed: a syntax error, a Go exec error, `fail`, `required` on a missing value, or a bound. */
export type FailureKind = 'parse' | 'exec' | 'fail' | 'required' | 'limit';

export class Executor {
  steps = 0;
  templateDepth = 0;
  private vars: Variable[] = [];
  private sink: Sink;
  /** The template file and offset being evaluated (where an error is reported). */
  file: string;
  at = 0;
  /** Parsed `tpl` strings, by text. */
  readonly tplCache = new Map<string, unknown>();

  constructor(
    /** Swapped while a `tpl` string runs, so its own defines are visible to it. */
    public templates: TemplateLookup,
    readonly functions: FunctionTable,
    readonly limits: RenderLimits,
    file: string,
    sink: Sink,
    readonly unresolvedText: string,
  ) {
    this.file = file;
    this.sink = sink;
  }

  fail(reason: string, kind: FailureKind = 'exec'): never {
    throw new RenderFailure(reason, this.file, this.at, kind);
  }

  step(cost = 1): void {
    this.steps += cost;
    if (this.steps > this.limits.maxSteps) this.fail(`evaluation exceeded ${this.limits.maxSteps} steps`, 'limit');
  }

  /** Checks a string a function built against the output bound, and counts its cost. */
  checkString(text: string): string {
    if (text.length > this.limits.maxOutputChars) this.fail(`a string exceeded ${this.limits.maxOutputChars} characters`, 'limit');
    this.step(text.length >> 6);
    return text;
  }

  /** Runs a template body with `dot` as data and `$`, into the given sink (its own variable scope). */
  runBody(entry: TemplateEntry, dot: Ev, sink: Sink): void {
    if (this.templateDepth >= this.limits.maxTemplateDepth) this.fail(`templates nest deeper than ${this.limits.maxTemplateDepth} calls`, 'limit');
    const saved = { vars: this.vars, sink: this.sink, file: this.file, at: this.at };
    this.templateDepth++;
    this.vars = [{ name: '$', ev: dot }];
    this.sink = sink;
    this.file = entry.file;
    try {
      this.walkList(dot, entry.body);
    } finally {
      this.templateDepth--;
      this.vars = saved.vars;
      this.sink = saved.sink;
      this.file = saved.file;
      this.at = saved.at;
    }
  }

  /** Runs a body into a fresh buffer and returns its text; partly unresolved output comes back as an Unresolved with that text. */
  capture(entry: TemplateEntry, dot: Ev): Value {
    const sink = new Sink();
    this.runBody(entry, dot, sink);
    const text = sink.text();
    if (sink.unresolved.length > 0) return new Unresolved(summarise(sink.unresolved), text);
    return text;
  }

  // ---- output ----

  private write(text: string, segment: Omit<OutputSegment, 'outStart' | 'outEnd' | 'template'>, unresolvedReason?: string): void {
    const start = this.sink.length;
    if (start + text.length > this.limits.maxOutputChars) this.fail(`output exceeded ${this.limits.maxOutputChars} characters`, 'limit');
    this.step(text.length >> 6);
    this.sink.parts.push(text);
    this.sink.length += text.length;
    if (text.length > 0) this.sink.segments.push({ outStart: start, outEnd: this.sink.length, template: this.file, ...segment });
    if (unresolvedReason !== undefined) {
      this.sink.unresolved.push({ outStart: start, outEnd: this.sink.length, reason: unresolvedReason, template: this.file, srcStart: segment.srcStart, srcEnd: segment.srcEnd });
    }
  }

  private markUnresolved(reason: string, srcStart: number, srcEnd: number): void {
    this.write(this.unresolvedText, { srcStart, srcEnd, kind: 'action' }, reason);
  }

  // ---- statements ----

  private walkList(dot: Ev, nodes: Node[]): Signal {
    for (const node of nodes) {
      const signal = this.walk(dot, node);
      if (signal) return signal;
    }
    return undefined;
  }

  private walk(dot: Ev, node: Node): Signal {
    this.step();
    this.at = node.start;
    switch (node.type) {
      case 'text':
        this.write(node.text, { srcStart: node.start, srcEnd: node.end, kind: 'text' });
        return undefined;
      case 'action': {
        const ev = this.evalPipeline(dot, node.pipe);
        if (node.pipe.decl.length > 0) return undefined;
        this.print(ev, node.start, node.end);
        return undefined;
      }
      case 'if':
      case 'with': {
        const mark = this.vars.length;
        try {
          const ev = this.evalPipeline(dot, node.pipe);
          if (ev.v instanceof Unresolved) {
            this.markUnresolved(`the condition of {{${node.type}}} is unresolved: ${ev.v.reason}`, node.start, node.end);
            return undefined;
          }
          if (isTruthy(ev.v)) return this.walkList(node.type === 'with' ? ev : dot, node.list);
          if (node.elseList) return this.walkList(dot, node.elseList);
          return undefined;
        } finally {
          this.vars.length = mark;
        }
      }
      case 'range':
        return this.walkRange(dot, node);
      case 'template': {
        const entry = this.templates.get(node.name);
        if (!entry) {
          const unknown = this.templates.unknownReason?.(node.name);
          if (unknown === undefined) this.fail(`no template ${JSON.stringify(node.name)} defined`);
          this.markUnresolved(unknown, node.start, node.end);
          return undefined;
        }
        const arg = node.pipe ? this.evalPipeline(dot, node.pipe) : { v: null };
        this.runBody(entry, arg, this.sink);
        return undefined;
      }
      case 'break':
      case 'continue':
        return node.type;
    }
  }

  private print(ev: Ev, start: number, end: number): void {
    const value = ev.v;
    if (value instanceof Unresolved) {
      this.write(value.partialText ?? this.unresolvedText, { srcStart: start, srcEnd: end, kind: 'action' }, value.reason);
      return;
    }
    if (value instanceof GoMethod) this.fail(`can't print method ${value.name} without calling it`);
    const inner = findUnresolved(value);
    if (inner) {
      this.write(this.unresolvedText, { srcStart: start, srcEnd: end, kind: 'action' }, inner.reason);
      return;
    }
    const path = ev.path ?? valuesPathOf(value);
    this.write(printValue(value), { srcStart: start, srcEnd: end, kind: 'action', ...(path ? { valuesPath: path } : {}) });
  }

  private walkRange(dot: Ev, node: Extract<Node, { type: 'range' }>): Signal {
    const mark = this.vars.length;
    try {
      const ev = this.evalPipelineNoDecl(dot, node.pipe);
      const value = ev.v;
      if (value instanceof Unresolved) {
        this.markUnresolved(`the value {{range}} iterates over is unresolved: ${value.reason}`, node.start, node.end);
        return undefined;
      }
      const basePath = ev.path ?? valuesPathOf(value);
      const items: [Ev, Ev][] = [];
      if (Array.isArray(value)) {
        value.forEach((item, i) => items.push([{ v: BigInt(i) }, { v: item, path: basePath ? [...basePath, i] : undefined }]));
      } else if (value instanceof Map) {
        for (const key of sortedKeys(value)) items.push([{ v: key }, { v: value.get(key)!, path: basePath ? [...basePath, key] : undefined }]);
      } else if (typeof value === 'bigint') {
        if (node.pipe.decl.length > 1) this.fail(`can't use ${goTypeName(value)} to iterate over more than one variable`);
        if (value > BigInt(this.limits.maxSteps)) this.fail(`range over ${value} exceeds the step budget`, 'limit');
        for (let i = 0n; i < value; i++) items.push([{ v: i }, { v: i }]);
      } else if (value !== null) {
        this.fail(`range can't iterate over ${printValue(value)}`);
      }
      if (items.length === 0) return node.elseList ? this.walkList(dot, node.elseList) : undefined;
      for (const [key, item] of items) {
        this.step();
        const iterationMark = this.vars.length;
        if (node.pipe.decl.length === 1) this.bind(node.pipe.decl[0]!, typeof value === 'bigint' ? key : item, node.pipe.isAssign);
        if (node.pipe.decl.length === 2) {
          this.bind(node.pipe.decl[0]!, key, node.pipe.isAssign);
          this.bind(node.pipe.decl[1]!, item, node.pipe.isAssign);
        }
        const signal = this.walkList(item, node.list);
        this.vars.length = iterationMark;
        if (signal === 'break') break;
      }
      return undefined;
    } finally {
      this.vars.length = mark;
    }
  }

  // ---- pipelines ----

  evalPipeline(dot: Ev, pipe: PipeNode): Ev {
    const ev = this.evalPipelineNoDecl(dot, pipe);
    for (const name of pipe.decl) this.bind(name, ev, pipe.isAssign);
    return ev;
  }

  private evalPipelineNoDecl(dot: Ev, pipe: PipeNode): Ev {
    let value: Ev | undefined;
    for (const cmd of pipe.cmds) value = this.evalCommand(dot, cmd, value);
    return value!;
  }

  private bind(name: string, ev: Ev, assign: boolean): void {
    if (!assign) {
      this.vars.push({ name, ev });
      return;
    }
    for (let i = this.vars.length - 1; i >= 0; i--) {
      if (this.vars[i]!.name === name) {
        this.vars[i] = { name, ev };
        return;
      }
    }
    this.fail(`undefined variable: ${name}`);
  }

  private lookupVar(name: string): Ev {
    for (let i = this.vars.length - 1; i >= 0; i--) if (this.vars[i]!.name === name) return this.vars[i]!.ev;
    return this.fail(`undefined variable: ${name}`);
  }

  private evalCommand(dot: Ev, cmd: CommandNode, final: Ev | undefined): Ev {
    this.step();
    const first = cmd.args[0]!;
    this.at = first.start;
    switch (first.type) {
      case 'field':
        return this.evalFieldChain(dot, dot, first.names, cmd.args, final);
      case 'chain': {
        const base = this.evalArg(dot, first.node);
        return this.evalFieldChain(dot, base, first.names, cmd.args, final);
      }
      case 'variable': {
        const base = this.lookupVar(first.name);
        if (first.names.length === 0) {
          this.notAFunction(cmd, final);
          return base;
        }
        return this.evalFieldChain(dot, base, first.names, cmd.args, final);
      }
      case 'identifier':
        return this.callFunction(dot, first.name, cmd.args.slice(1), final);
      case 'pipe':
        this.notAFunction(cmd, final);
        return this.evalPipeline(dot, first.pipe);
      case 'nil':
        return this.fail('nil is not a command');
      default:
        this.notAFunction(cmd, final);
        return this.evalArg(dot, first);
    }
  }

  private notAFunction(cmd: CommandNode, final: Ev | undefined): void {
    if (cmd.args.length > 1 || final !== undefined) this.fail(`can't give argument to non-function ${describeArg(cmd.args[0]!)}`);
  }

  /** Evaluates an operand of a command. */
  evalArg(dot: Ev, node: ArgNode): Ev {
    this.at = node.start;
    switch (node.type) {
      case 'dot':
        return dot;
      case 'nil':
        return { v: null };
      case 'bool':
        return { v: node.value };
      case 'string':
        return { v: node.value };
      case 'number':
        return { v: node.isFloatText || node.int === undefined ? node.float! : node.int, literal: node };
      case 'field':
        return this.evalFieldChain(dot, dot, node.names, [node], undefined);
      case 'variable': {
        const base = this.lookupVar(node.name);
        return node.names.length === 0 ? base : this.evalFieldChain(dot, base, node.names, [node], undefined);
      }
      case 'chain': {
        const base = this.evalArg(dot, node.node);
        return this.evalFieldChain(dot, base, node.names, [node], undefined);
      }
      case 'pipe':
        return this.evalPipeline(dot, node.pipe);
      case 'identifier':
        return this.callFunction(dot, node.name, [], undefined);
    }
  }

  /** `.a.b.c` from a receiver; only the last field may take the command's arguments (a method call). */
  private evalFieldChain(dot: Ev, receiver: Ev, names: string[], cmdArgs: ArgNode[], final: Ev | undefined): Ev {
    let current = receiver;
    for (let i = 0; i < names.length; i++) {
      const last = i === names.length - 1;
      current = this.evalField(dot, current, names[i]!, last ? cmdArgs.slice(1) : [], last ? final : undefined);
    }
    return current;
  }

  private evalField(dot: Ev, receiver: Ev, name: string, args: ArgNode[], final: Ev | undefined): Ev {
    const value = receiver.v;
    const hasArgs = args.length > 0 || final !== undefined;
    if (value instanceof Unresolved) return receiver;
    let field: Value | undefined;
    if (value instanceof Map) {
      const method = mapMethods.get(value)?.get(name);
      if (method) field = method;
      else {
        if (hasArgs) this.fail(`${name} is not a method but has arguments`);
        const base = receiver.path ?? valuesPathOf(value);
        return { v: value.get(name) ?? null, path: base ? [...base, name] : undefined };
      }
    } else if (value instanceof GoStruct) {
      field = value.fields.get(name);
      if (field === undefined) this.fail(`can't evaluate field ${name} in type ${value.typeName}`);
    } else if (value === null) {
      this.fail(`nil pointer evaluating interface {}.${name}`);
    } else {
      this.fail(`can't evaluate field ${name} in type ${goTypeName(value)}`);
    }
    if (field instanceof GoMethod) {
      const evaluated = args.map((arg) => this.evalArg(dot, arg));
      if (final !== undefined) evaluated.push(final);
      const unresolved = evaluated.find((ev) => ev.v instanceof Unresolved);
      if (unresolved) return unresolved;
      return { v: field.call(evaluated.map((ev) => ev.v)) };
    }
    if (hasArgs) this.fail(`${name} has arguments but cannot be invoked as function`);
    return { v: field ?? null };
  }

  // ---- functions ----

  private callFunction(dot: Ev, name: string, argNodes: ArgNode[], final: Ev | undefined): Ev {
    const def = this.functions.get(name);
    if (!def) {
      // Helm fails the parse on an unknown function; here the value is unknown, never guessed.
      return { v: new Unresolved(`function "${name}" is not supported`) };
    }
    const ctx: CallContext = { exec: this, dot, name, piped: final !== undefined };
    const count = argNodes.length + (final !== undefined ? 1 : 0);
    if (def.variadic === undefined ? count !== def.params.length : count < def.params.length) {
      this.fail(`wrong number of args for ${name}: want ${def.variadic === undefined ? '' : 'at least '}${def.params.length} got ${count}`);
    }
    if (def.lazy) {
      const thunks = argNodes.map((node) => () => this.evalArg(dot, node));
      if (final !== undefined) thunks.push(() => final);
      return def.lazy(thunks, ctx);
    }
    // Errors of the call itself are reported at the function's name, as Go does.
    const callAt = this.at;
    const args = argNodes.map((node) => this.evalArg(dot, node));
    if (final !== undefined) args.push(final);
    this.at = callAt;
    args.forEach((arg, i) => {
      const kind = i < def.params.length ? def.params[i]! : def.variadic!;
      args[i] = this.convertArg(arg, kind, name, final !== undefined && i === args.length - 1);
    });
    if (def.deep) {
      const inner = args.map((arg) => (arg.v instanceof Unresolved ? undefined : findUnresolved(arg.v))).find((found) => found);
      if (inner) return { v: new Unresolved(inner.reason) };
    }
    if (!def.acceptsUnresolved) {
      const unresolvedIndex = args.findIndex((arg) => arg.v instanceof Unresolved);
      if (unresolvedIndex >= 0) {
        const unresolved = args[unresolvedIndex]!.v as Unresolved;
        const lastIndex = args.length - 1;
        // A text transform of a partly known text (nindent of an include) keeps the visible part.
        if (def.transformsText && unresolvedIndex === lastIndex && unresolved.partialText !== undefined && args.slice(0, lastIndex).every((arg) => !(arg.v instanceof Unresolved))) {
          const transformed = this.invoke(def, [...args.slice(0, lastIndex), { v: unresolved.partialText }], ctx);
          return { v: new Unresolved(unresolved.reason, typeof transformed.v === 'string' ? transformed.v : undefined) };
        }
        return { v: new Unresolved(unresolved.reason) };
      }
    }
    return this.invoke(def, args, ctx);
  }

  private invoke(def: FunctionDef, args: Ev[], ctx: CallContext): Ev {
    const result = def.call!(args, ctx);
    const ev: Ev = isEv(result) ? result : { v: result };
    if (typeof ev.v === 'string') this.checkString(ev.v);
    if (ev.path === undefined && def.pathFrom !== undefined) {
      const source = args[def.pathFrom === 'last' ? args.length - 1 : def.pathFrom];
      if (source) {
        const path = source.path ?? valuesPathOf(source.v);
        if (path) return { v: ev.v, path };
      }
    }
    return ev;
  }

  /** Go's conversion of an argument to the parameter's type, with Go's errors for a wrong type. */
  private convertArg(arg: Ev, kind: ParamKind, name: string, piped: boolean): Ev {
    const value = arg.v;
    if (kind === 'any' || value instanceof Unresolved) return arg;
    const goType = { string: 'string', int: 'int', float: 'float64', bool: 'bool', map: 'map[string]interface {}', list: '[]interface {}' }[kind];
    if (value === null) {
      if ((kind === 'map' || kind === 'list') && piped) return arg;
      this.fail(piped ? `error calling ${name}: invalid value; expected ${goType}` : `error calling ${name}: wrong type for value; expected ${goType}; got interface {}`);
    }
    if (arg.literal) {
      if (kind === 'int' && arg.literal.int !== undefined) return { v: arg.literal.int };
      if (kind === 'float' && arg.literal.float !== undefined) return { v: arg.literal.float };
      this.fail(`error calling ${name}: expected ${goType}; found ${arg.literal.text}`);
    }
    const ok =
      (kind === 'string' && typeof value === 'string') ||
      (kind === 'int' && typeof value === 'bigint') ||
      (kind === 'float' && typeof value === 'number') ||
      (kind === 'bool' && typeof value === 'boolean') ||
      (kind === 'map' && value instanceof Map) ||
      (kind === 'list' && Array.isArray(value));
    if (!ok) this.fail(`error calling ${name}: wrong type for value; expected ${goType}; got ${goTypeName(value)}`);
    return arg;
  }
}

/** Methods of Go map types (Helm's `.Files` is a map with Get, Glob…): field access finds them before keys. */
export const mapMethods = new WeakMap<Map<string, Value>, Map<string, GoMethod>>();

function isEv(result: Ev | Value): result is Ev {
  return typeof result === 'object' && result !== null && !Array.isArray(result) && !(result instanceof Map) && !(result instanceof GoStruct) && !(result instanceof GoMethod) && !(result instanceof Unresolved) && 'v' in result;
}

function describeArg(node: ArgNode): string {
  switch (node.type) {
    case 'string':
      return JSON.stringify(node.value);
    case 'number':
      return node.text;
    case 'bool':
      return String(node.value);
    case 'dot':
      return '.';
    case 'variable':
      return node.name;
    default:
      return node.type;
  }
}

/** One reason for several unresolved ranges (the first, and how many more). */
export function summarise(ranges: UnresolvedRange[]): string {
  const reasons = [...new Set(ranges.map((range) => range.reason))];
  return reasons.length === 1 ? reasons[0]! : `${reasons[0]} (and ${reasons.length - 1} more)`;
}

export { EvalError };
