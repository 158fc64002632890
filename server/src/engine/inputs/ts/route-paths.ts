// Route paths finished across files: templates and `path.join`s of imported constants (`${API}/chat`), and helpers another module exports (`apiPath('chat')`).
import { resolveImportedFunction, resolveImportedValue } from './resolve.js';
import { joinPath } from './routes.js';
import { paramMarker } from './values.js';
import type { TsLookup } from './chain-values.js';
import type { TsRoute, TsValue } from './types.js';
import type { FileId } from '../../types.js';

// Imported constants made of other imported constants are followed this deep (a cycle of imports ends here too).
const MAX_DEPTH = 8;
const MAX_ARGS = 8;

/**
 * The route with its path when the parts another module holds are all static: the path, without its "unknown"
 * reason, and evidence naming where it was finished. Anything not static (an environment variable, a helper
 * with branches) leaves the route as it was.
 */
export function resolveRoutePath(route: TsRoute, file: FileId, lookup: TsLookup): TsRoute {
  if (route.path !== undefined || (!route.pathValue && !route.pathCall)) return route;
  let text: string | undefined;
  let how: string;
  if (route.pathValue) {
    text = staticString(route.pathValue, file, lookup, 0);
    how = `imported ${describeImports(route.pathValue).join(', ')}`;
  } else {
    const call = route.pathCall!;
    const found = resolveImportedFunction(lookup, file, call.callee);
    const returns = found?.fn.returns;
    const args = call.args.length <= MAX_ARGS ? call.args.map((a) => staticString(a, file, lookup, 0)) : [];
    if (found && returns && args.every((a): a is string => a !== undefined)) text = staticString(substitute(returns, args), found.file, lookup, 0);
    how = `${call.callee.name}() of ${found?.file ?? call.callee.module}`;
  }
  if (text === undefined || text.includes('\u0000') || !text.startsWith('/')) return route;
  const clean = text.replace(/\/{2,}/g, '/');
  const { pathUnknown: _unknown, pathValue: _value, pathCall: _call, pathPrefix, ...rest } = route;
  const path = pathPrefix ? joinPath(pathPrefix, clean) : clean;
  return { ...rest, path, evidence: [...(route.evidence ?? []), { text: `path ${clean} from ${how}`, span: route.span }] };
}

/** A path a value stands for across files (`/api/v1`), or undefined when it is not static or not a path. */
export function pathValueOf(value: TsValue, file: FileId, lookup: TsLookup): string | undefined {
  const text = staticString(value, file, lookup, 0);
  return text !== undefined && text.startsWith('/') && !text.includes('\u0000') ? text.replace(/\/{2,}/g, '/') : undefined;
}

/** The string a value stands for when every part is static, following imported constants into the modules that define them. */
function staticString(value: TsValue, file: FileId, lookup: TsLookup, depth: number): string | undefined {
  if (depth > MAX_DEPTH) return undefined;
  switch (value.kind) {
    case 'string':
      return value.value;
    case 'number':
      return String(value.value);
    case 'template': {
      let out = '';
      for (const part of value.parts) {
        const piece = typeof part === 'string' ? part : staticString(part, file, lookup, depth + 1);
        if (piece === undefined) return undefined;
        out += piece;
      }
      return out;
    }
    case 'import': {
      const resolved = resolveImportedValue(lookup, value.span.file || file, value);
      return resolved.kind === 'unknown' ? undefined : staticString(resolved, resolved.span.file || file, lookup, depth + 1);
    }
    default:
      return undefined;
  }
}

/** The helper's return value with its parameters replaced by the caller's arguments. */
function substitute(value: TsValue, args: readonly string[]): TsValue {
  const put = (text: string) => args.reduce((t, arg, i) => t.split(paramMarker(i)).join(arg), text);
  if (value.kind === 'string') return { ...value, value: put(value.value) };
  if (value.kind === 'template') return { ...value, parts: value.parts.map((p) => (typeof p === 'string' ? put(p) : substitute(p, args))) };
  return value;
}

/** The imported names a value is made of, for evidence: `API (./constants)`. */
export function describeImports(value: TsValue): string[] {
  if (value.kind === 'import') return [`${[value.name, ...(value.path ?? [])].join('.')} (${value.module})`];
  if (value.kind === 'template') return value.parts.flatMap((p) => (typeof p === 'string' ? [] : describeImports(p)));
  return [];
}
