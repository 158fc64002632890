// Calls a template function as Go does: argument count and type checks with Go's errors, unresolved arguments propagated, values paths carried to the result.
import type { ArgNode } from './ast.js';
import type { Executor } from './execute.js';
import type { CallContext, Ev, FunctionDef, ParamKind } from './render-types.js';
import { GoMethod, GoStruct, findUnresolved, goTypeName, Unresolved, valuesPathOf, type Value } from './values.js';

/** Calls `name` with the command's operands (and the previous stage's value last); an unknown function's value is unresolved. */
export function callFunction(exec: Executor, dot: Ev, name: string, argNodes: ArgNode[], final: Ev | undefined): Ev {
  const def = exec.functions.get(name);
  if (!def) {
    // Helm fails the parse on an unknown function; here the value is unknown, never guessed.
    return { v: new Unresolved(`function "${name}" is not supported`) };
  }
  const ctx: CallContext = { exec, dot, name, piped: final !== undefined };
  const count = argNodes.length + (final !== undefined ? 1 : 0);
  if (def.variadic === undefined ? count !== def.params.length : count < def.params.length) {
    exec.fail(`wrong number of args for ${name}: want ${def.variadic === undefined ? '' : 'at least '}${def.params.length} got ${count}`);
  }
  if (def.lazy) {
    const thunks = argNodes.map((node) => () => exec.evalArg(dot, node));
    if (final !== undefined) thunks.push(() => final);
    return def.lazy(thunks, ctx);
  }
  // Errors of the call itself are reported at the function's name, as Go does.
  const callAt = exec.at;
  const args = argNodes.map((node) => exec.evalArg(dot, node));
  if (final !== undefined) args.push(final);
  exec.at = callAt;
  args.forEach((arg, i) => {
    const kind = i < def.params.length ? def.params[i]! : def.variadic!;
    args[i] = convertArg(exec, arg, kind, name, final !== undefined && i === args.length - 1);
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
        const transformed = invoke(exec, def, [...args.slice(0, lastIndex), { v: unresolved.partialText }], ctx);
        return { v: new Unresolved(unresolved.reason, typeof transformed.v === 'string' ? transformed.v : undefined) };
      }
      return { v: new Unresolved(unresolved.reason) };
    }
  }
  return invoke(exec, def, args, ctx);
}

function invoke(exec: Executor, def: FunctionDef, args: Ev[], ctx: CallContext): Ev {
  const result = def.call!(args, ctx);
  const ev: Ev = isEv(result) ? result : { v: result };
  if (typeof ev.v === 'string') exec.checkString(ev.v);
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
function convertArg(exec: Executor, arg: Ev, kind: ParamKind, name: string, piped: boolean): Ev {
  const value = arg.v;
  if (kind === 'any' || value instanceof Unresolved) return arg;
  const goType = { string: 'string', int: 'int', float: 'float64', bool: 'bool', map: 'map[string]interface {}', list: '[]interface {}' }[kind];
  if (value === null) {
    if ((kind === 'map' || kind === 'list') && piped) return arg;
    exec.fail(piped ? `error calling ${name}: invalid value; expected ${goType}` : `error calling ${name}: wrong type for value; expected ${goType}; got interface {}`);
  }
  if (arg.literal) {
    if (kind === 'int' && arg.literal.int !== undefined) return { v: arg.literal.int };
    if (kind === 'float' && arg.literal.float !== undefined) return { v: arg.literal.float };
    exec.fail(`error calling ${name}: expected ${goType}; found ${arg.literal.text}`);
  }
  const ok =
    (kind === 'string' && typeof value === 'string') ||
    (kind === 'int' && typeof value === 'bigint') ||
    (kind === 'float' && typeof value === 'number') ||
    (kind === 'bool' && typeof value === 'boolean') ||
    (kind === 'map' && value instanceof Map) ||
    (kind === 'list' && Array.isArray(value));
  if (!ok) exec.fail(`error calling ${name}: wrong type for value; expected ${goType}; got ${goTypeName(value)}`);
  return arg;
}

function isEv(result: Ev | Value): result is Ev {
  return typeof result === 'object' && result !== null && !Array.isArray(result) && !(result instanceof Map) && !(result instanceof GoStruct) && !(result instanceof GoMethod) && !(result instanceof Unresolved) && 'v' in result;
}
