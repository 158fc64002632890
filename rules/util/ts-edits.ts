// Edits to TypeScript/JavaScript calls: re-reads one call's source to find its arguments, and adds an option to an options object keeping the file's style.
import { parseExpression } from '@babel/parser';
import { indentationAt, type Span, type TextEdit, type WorkspaceModel } from '../../server/src/engine/rule-api.js';
import { resolveImportedValue, type TsServer, type TsValue } from '../../server/src/engine/inputs/ts/api.js';

/** One argument of a call, in file offsets. */
export interface CallArgument {
  type: string;
  start: number;
  end: number;
  /** For an object literal: its properties (file offsets), and the offset just after `{`. */
  properties?: ObjectProperty[];
}

/** One property of an object literal, in file offsets. */
export interface ObjectProperty {
  start: number;
  end: number;
  spread: boolean;
  /** The key when it is an identifier or a string (absent for spreads and computed keys). */
  key?: string;
  /** The value expression (absent for spreads and methods). */
  value?: { type: string; start: number; end: number };
}

export interface CallShape {
  /** The callee as written (`axios.get`, `fetch`). */
  callee: string;
  /** The last member name of the callee (`get` in `api.get`), or the identifier. */
  calleeName?: string;
  args: CallArgument[];
  /** Offset of the closing `)`. */
  closeParen: number;
}

interface BabelNode {
  type: string;
  start: number;
  end: number;
  [key: string]: unknown;
}

/** Re-parses the source of one call expression; undefined when it is not a plain call (or does not parse). */
export function callShape(model: WorkspaceModel, span: Span): CallShape | undefined {
  const text = model.sources.get(span.file)?.text;
  if (text === undefined) return undefined;
  const source = text.slice(span.start, span.end);
  // TypeScript first (`<T>x` casts), then with JSX for calls in .tsx/.jsx files that pass elements.
  let node: BabelNode | undefined;
  for (const plugins of [['typescript'], ['jsx', 'typescript']] as const) {
    try {
      node = parseExpression(source, { plugins: [...plugins], errorRecovery: false }) as unknown as BabelNode;
      break;
    } catch {
      node = undefined;
    }
  }
  if (!node) return undefined;
  if (node.type !== 'CallExpression' && node.type !== 'NewExpression') return undefined;
  const callee = node.callee as BabelNode;
  const args = (node.arguments as BabelNode[]).map((arg) => argumentOf(arg, span.start));
  if (!source.endsWith(')')) return undefined;
  const property = callee.type === 'MemberExpression' && !callee.computed ? (callee.property as BabelNode & { name?: string }).name : undefined;
  const calleeName = property ?? (callee.type === 'Identifier' ? (callee as BabelNode & { name: string }).name : undefined);
  return { callee: source.slice(callee.start, callee.end), ...(calleeName ? { calleeName } : {}), args, closeParen: span.end - 1 };
}

/** Re-parses the object literal at `start`–`end` of `file` (a nested options object); undefined when it is not one. */
export function objectAt(model: WorkspaceModel, file: string, start: number, end: number): CallArgument | undefined {
  const text = model.sources.get(file)?.text;
  if (text === undefined) return undefined;
  try {
    // Parenthesised so that `{ … }` reads as an object, not a block.
    const node = parseExpression(`(${text.slice(start, end)})`, { plugins: ['typescript'], errorRecovery: false }) as unknown as BabelNode;
    const inner = node.type === 'ObjectExpression' ? node : undefined;
    return inner ? argumentOf(inner, start - 1) : undefined;
  } catch {
    return undefined;
  }
}

function argumentOf(arg: BabelNode, offset: number): CallArgument {
  const out: CallArgument = { type: arg.type, start: offset + arg.start, end: offset + arg.end };
  if (arg.type === 'ObjectExpression') {
    out.properties = (arg.properties as BabelNode[]).map((p): ObjectProperty => {
      const property: ObjectProperty = { start: offset + p.start, end: offset + p.end, spread: p.type === 'SpreadElement' };
      const key = p.key as (BabelNode & { name?: string; value?: unknown }) | undefined;
      if (key && !p.computed) {
        if (key.type === 'Identifier' && key.name) property.key = key.name;
        else if (key.type === 'StringLiteral' && typeof key.value === 'string') property.key = key.value;
      }
      const value = p.type === 'ObjectProperty' ? (p.value as BabelNode) : undefined;
      if (value) property.value = { type: value.type, start: offset + value.start, end: offset + value.end };
      return property;
    });
  }
  return out;
}

/**
 * Adds `property` (`signal: AbortSignal.timeout(30_000)`) to the object literal `object`: `{}` becomes
 * `{ property }`, a one-line object gets `, property` after its last property, a multi-line one gets
 * a new line with the indentation of its last property. A trailing comma stays where it was.
 */
export function addPropertyEdit(model: WorkspaceModel, file: string, object: CallArgument, property: string): TextEdit | undefined {
  const source = model.sources.get(file);
  if (!source || !object.properties) return undefined;
  const text = source.text;
  const last = object.properties.at(-1);
  if (!last) {
    const inner = text.slice(object.start + 1, object.end - 1);
    if (inner.trim() !== '') return undefined; // comments only: leave it to the author
    return { file, start: object.start, end: object.end, newText: `{ ${property} }` };
  }
  const multiLine = text.slice(object.start, object.end).includes('\n');
  if (!multiLine) return { file, start: last.end, end: last.end, newText: `, ${property}` };
  const lineStart = text.lastIndexOf('\n', last.start - 1) + 1;
  const indent = /^[ \t]*/.exec(text.slice(lineStart, last.start))![0];
  return { file, start: last.end, end: last.end, newText: `,${source.eol}${indent}${property}` };
}

/**
 * Sets a server's keep-alive timeout to `ms`. When the code already writes `keepAliveTimeout` (an
 * assignment `server.keepAliveTimeout = …`, a `createServer` option or a Fastify option) only that
 * value is replaced. Otherwise a Fastify app gets the factory option, and a server held in a variable
 * gets `<variable>.keepAliveTimeout = N;` on its own line after the statement that creates it (or
 * calls `listen`), with that statement's indentation and the file's line ending. Undefined when
 * there is nowhere to write it: `app.listen(…)` whose result is not kept, an options variable.
 */
export function serverKeepAliveEdit(model: WorkspaceModel, file: string, server: TsServer, ms: number): TextEdit | undefined {
  const source = model.sources.get(file);
  if (!source || server.span.file !== file) return undefined;
  const text = source.text;
  const newValue = formatMs(ms);
  const written = server.timeouts.find((t) => t.option === 'keepAliveTimeout' && t.source === 'set' && t.span?.file === file);
  if (written?.span) return replaceWrittenValue(text, file, written.span, newValue);
  if (server.kind === 'fastify') {
    const shape = callShape(model, server.span);
    const options = shape?.args[0];
    if (!shape) return undefined;
    if (!options) return { file, start: shape.closeParen, end: shape.closeParen, newText: `{ keepAliveTimeout: ${newValue} }` };
    return options.type === 'ObjectExpression' ? addPropertyEdit(model, file, options, `keepAliveTimeout: ${newValue}`) : undefined;
  }
  const variable = server.variable;
  if (!variable || !/^[A-Za-z_$][\w$]*$/.test(variable)) return undefined;
  // The statement must end on the line where the call ends: `…);` optionally followed by a line comment.
  let end = server.span.end;
  while (text[end] === ' ' || text[end] === '\t') end++;
  const semicolon = text[end] === ';';
  if (semicolon) end++;
  let lineEnd = end;
  while (lineEnd < text.length && text[lineEnd] !== '\n' && text[lineEnd] !== '\r') lineEnd++;
  if (!/^\s*(\/\/.*)?$/.test(text.slice(end, lineEnd))) return undefined;
  const declaration = lastMatchBefore(text, new RegExp(`\\b(?:const|let|var)\\s+${variable.replace(/\$/g, '\\$')}\\b`, 'g'), server.span.start);
  const statementStart = declaration !== undefined && !text.slice(declaration, server.span.start).includes(';') ? declaration : server.span.start;
  const indent = indentationAt(text, statementStart);
  return { file, start: lineEnd, end: lineEnd, newText: `${source.eol}${indent}${variable}.keepAliveTimeout = ${newValue}${semicolon ? ';' : ''}` };
}

/** Replaces the value part of `key: value`, `x.key = value` or a shorthand `{ key }` written at `span`. */
function replaceWrittenValue(text: string, file: string, span: Span, newValue: string): TextEdit | undefined {
  const written = text.slice(span.start, span.end);
  const match = /^([^:=]*?(?:=(?!=)|:)\s*)([\s\S]*?)\s*$/.exec(written);
  if (!match) {
    const key = written.trim();
    return /^[A-Za-z_$][\w$]*$/.test(key) ? { file, start: span.start, end: span.end, newText: `${key}: ${newValue}` } : undefined;
  }
  const start = span.start + match[1]!.length;
  return { file, start, end: start + match[2]!.length, newText: newValue };
}

function lastMatchBefore(text: string, pattern: RegExp, before: number): number | undefined {
  let found: number | undefined;
  for (const match of text.slice(0, before).matchAll(pattern)) found = match.index;
  return found;
}

/** Appends `argumentText` as a new last argument (`fetch(url)` → `fetch(url, { … })`). */
export function appendArgumentEdit(file: string, shape: CallShape, argumentText: string): TextEdit | undefined {
  const last = shape.args.at(-1);
  if (!last) return undefined;
  return { file, start: last.end, end: last.end, newText: `, ${argumentText}` };
}

/** `30000` → `30_000`: milliseconds written with a numeric separator from five digits on. */
export function formatMs(ms: number): string {
  const digits = String(ms);
  return ms >= 10_000 && Number.isInteger(ms) ? digits.replace(/\B(?=(\d{3})+(?!\d))/g, '_') : digits;
}

/** A duration for messages: `300 s`, `30 ms`, `1.5 s`. */
export function showMs(ms: number): string {
  return ms >= 1000 ? `${ms / 1000} s` : `${ms} ms`;
}

/** Milliseconds of a value when they are known in code: a number, or a constant imported from a workspace file. Env values and unknowns give undefined. */
export function knownNumber(model: WorkspaceModel, file: string, value: TsValue | undefined): number | undefined {
  if (!value) return undefined;
  if (value.kind === 'number') return value.value;
  if (value.kind === 'import') {
    const resolved = resolveImportedValue(model.ts.files, file, value);
    return resolved.kind === 'number' ? resolved.value : undefined;
  }
  return undefined;
}

/** The value as written in the source (`60_000`, `HEADERS_TIMEOUT`). */
export function writtenText(model: WorkspaceModel, value: TsValue): string {
  if (value.kind === 'number') return value.text;
  const text = model.sources.get(value.span.file)?.text;
  return text ? text.slice(value.span.start, value.span.end) : '?';
}

/** True when `inner` lies inside `outer` (same file). */
export function within(inner: Span, outer: Span): boolean {
  return inner.file === outer.file && inner.start >= outer.start && inner.end <= outer.end;
}

/** The value of a `key: value` property as written there (`USERS_TIMEOUT_MS`, `5_000`); a shorthand `{ timeout }` gives the key. */
export function propertyValueText(model: WorkspaceModel, property: Span): string | undefined {
  const text = model.sources.get(property.file)?.text.slice(property.start, property.end);
  if (text === undefined) return undefined;
  const match = /^\s*(?:[A-Za-z_$][\w$]*|'[^']*'|"[^"]*")\s*:\s*([\s\S]+?)\s*$/.exec(text);
  if (match) return match[1];
  return /^[A-Za-z_$][\w$]*$/.test(text.trim()) ? text.trim() : undefined;
}
