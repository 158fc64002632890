// Executes parsed templates with Go text/template semantics, writing output with a source map and unresolved ranges.
import type { ArgNode, CommandNode, Node, PipeNode } from './ast.js';
import { callFunction } from './call.js';
import { printValue } from './format.js';
import { mapMethods, RenderFailure, Sink, summarise, type Ev, type FailureKind, type FunctionTable, type OutputSegment, type RenderLimits, type TemplateEntry, type TemplateLookup } from './render-types.js';
import { findUnresolved, GoMethod, GoStruct, goTypeName, isTruthy, sortedKeys, Unresolved, valuesPathOf, type Value } from './values.js';

type Signal = 'break' | 'continue' | undefined;

interface Variable {
  name: string;
  ev: Ev;
}


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
        return callFunction(this, dot, first.name, cmd.args.slice(1), final);
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
        return callFunction(this, dot, node.name, [], undefined);
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
