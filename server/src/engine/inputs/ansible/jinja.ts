// A small, offline Jinja renderer for Ansible templates: the subset real roles use to print settings
// (`{{ var }}`, filters such as `default` and `int`, `if`/`for`/`set`), with a map from every output
// range back to the template. Anything it cannot know prints as an unknown marker, never a guess.
import { RENDERED_UNKNOWN } from '../../yaml/templates.js';

/** A value of the template's world: YAML scalars, lists and maps, or unknown. */
export type JinjaValue = string | number | boolean | null | JinjaValue[] | JinjaMap | typeof UNKNOWN | typeof UNDEFINED;
export interface JinjaMap {
  readonly kind: 'map';
  readonly entries: ReadonlyMap<string, JinjaValue>;
}

export const UNKNOWN: unique symbol = Symbol('unknown');
export const UNDEFINED: unique symbol = Symbol('undefined');

/** Where a variable's value was set (a vars file line), for placement and related locations. */
export interface VariableOrigin {
  file: string;
  /** The scalar as written (quotes included), and its content without quotes when that is a verbatim copy. */
  start: number;
  end: number;
  text: string;
}

/** The variables a template sees: values, and where each top-level one came from. */
export interface JinjaScope {
  lookup(name: string): { value: JinjaValue; origin?: VariableOrigin } | undefined;
}

/** One stretch of output: copied template text, or what an expression printed. */
export type OutputSegment =
  | { kind: 'text'; outStart: number; outEnd: number; srcStart: number }
  | { kind: 'expr'; outStart: number; outEnd: number; srcStart: number; srcEnd: number; origin?: VariableOrigin; variable?: string; unknown?: boolean };

export interface RenderResult {
  output: string;
  segments: OutputSegment[];
  /** Why the output is only partly known (a loop over an unknown list read once), with the template offset. */
  partial: Array<{ reason: string; offset: number }>;
  /** Set when the template cannot be rendered at all (an unknown condition, an unsupported tag), with the offset. */
  failed?: { reason: string; offset: number };
}

// ---------------------------------------------------------------------------------------------
// Lexing: text, `{{ … }}`, `{% … %}`, `{# … #}` with whitespace control and Ansible's trim_blocks.

interface TagPiece {
  start: number;
  end: number;
  body: string;
  bodyStart: number;
}
type Piece = { kind: 'text'; start: number; end: number } | (TagPiece & { kind: 'expr' }) | (TagPiece & { kind: 'stmt' });

class TemplateError extends Error {
  constructor(message: string, readonly offset: number) {
    super(message);
  }
}

function lex(src: string): Piece[] {
  const pieces: Piece[] = [];
  let pos = 0;
  let textStart = 0;
  // Ansible's template module renders with trim_blocks on: the newline right after a block tag goes.
  let trimNextNewline = false;
  let stripNextWhitespace = false;
  const pushText = (start: number, end: number) => {
    if (stripNextWhitespace) {
      while (start < end && /\s/.test(src[start]!)) start++;
      stripNextWhitespace = false;
    } else if (trimNextNewline) {
      if (src[start] === '\n') start++;
      else if (src[start] === '\r' && src[start + 1] === '\n') start += 2;
    }
    trimNextNewline = false;
    if (end > start) pieces.push({ kind: 'text', start, end });
  };
  while (pos < src.length) {
    const open = src.indexOf('{', pos);
    if (open < 0) break;
    const next = src[open + 1];
    if (next !== '{' && next !== '%' && next !== '#') {
      pos = open + 1;
      continue;
    }
    const close = next === '{' ? '}}' : next === '%' ? '%}' : '#}';
    let end = src.indexOf(close, open + 2);
    if (end < 0) throw new TemplateError(`a ${next === '{' ? '{{' : next === '%' ? '{%' : '{#'} is never closed`, open);
    if (next === '{') {
      // A `}}` inside a string literal would end the expression early; Ansible expressions rarely hold one.
      end = closeOutsideStrings(src, open + 2, close) ?? end;
    }
    let textEnd = open;
    const leftStrip = src[open + 2] === '-';
    if (leftStrip) while (textEnd > textStart && /\s/.test(src[textEnd - 1]!)) textEnd--;
    pushText(textStart, textEnd);
    const rightStrip = src[end - 1] === '-';
    const bodyStart = open + 2 + (leftStrip || src[open + 2] === '+' ? 1 : 0);
    const bodyEnd = end - (rightStrip || src[end - 1] === '+' ? 1 : 0);
    const tag: TagPiece = { start: open, end: end + 2, body: src.slice(bodyStart, bodyEnd), bodyStart };
    if (next === '{') pieces.push({ kind: 'expr', ...tag });
    else if (next === '%') pieces.push({ kind: 'stmt', ...tag });
    pos = textStart = end + 2;
    stripNextWhitespace = rightStrip;
    trimNextNewline = !rightStrip && next !== '{';
  }
  pushText(textStart, src.length);
  return pieces;
}

function closeOutsideStrings(src: string, from: number, close: string): number | undefined {
  let quote: string | undefined;
  for (let i = from; i < src.length - 1; i++) {
    const c = src[i]!;
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === close[0] && src[i + 1] === close[1]) return i;
    else if (c === '\n' && close === '}}') return undefined;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Expressions: a recursive-descent parser for the subset, evaluated directly.

type Token = { type: 'name' | 'number' | 'string' | 'op'; text: string; value?: string | number };

function tokenize(body: string, offset: number): Token[] {
  const tokens: Token[] = [];
  const re = /\s*(?:([A-Za-z_][A-Za-z0-9_]*)|(\d+(?:\.\d+)?)|'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"|(==|!=|<=|>=|\/\/|\*\*|[()[\]{}.,|~+\-*/%<>:=]))/y;
  let pos = 0;
  while (pos < body.length) {
    if (/^\s*$/.test(body.slice(pos))) break;
    re.lastIndex = pos;
    const m = re.exec(body);
    if (!m) throw new TemplateError(`the expression \`${body.trim()}\` cannot be read`, offset + pos);
    pos = re.lastIndex;
    if (m[1] !== undefined) tokens.push({ type: 'name', text: m[1] });
    else if (m[2] !== undefined) tokens.push({ type: 'number', text: m[2], value: Number(m[2]) });
    else if (m[3] !== undefined || m[4] !== undefined) tokens.push({ type: 'string', text: m[0].trim(), value: unescape(m[3] ?? m[4]!) });
    else tokens.push({ type: 'op', text: m[5]! });
  }
  return tokens;
}

function unescape(text: string): string {
  return text.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c === 't' ? '\t' : c));
}

/** What an expression evaluated to, and the variable it printed as is (for placement). */
interface Evaluated {
  value: JinjaValue;
  /** The top-level variable whose value this is, unchanged (`{{ x }}`, `{{ x | string }}`). */
  variable?: string;
  /** Names of unknown variables met, for messages. */
  unknownNames: string[];
}

const KNOWN_FILTERS = new Set(['default', 'd', 'int', 'float', 'string', 'lower', 'upper', 'trim', 'bool', 'length', 'count', 'first', 'last', 'join', 'replace', 'mandatory', 'abs', 'round']);

class ExpressionReader {
  private i = 0;
  readonly unknownNames: string[] = [];
  /** The top-level variable the result is a copy of, while no operation changed it. */
  private plainVariable: string | undefined;

  constructor(private readonly tokens: Token[], private readonly scope: Locals, private readonly offset: number) {}

  read(): Evaluated {
    const value = this.conditional();
    if (this.i < this.tokens.length) throw new TemplateError(`an expression has an unexpected \`${this.tokens[this.i]!.text}\``, this.offset);
    return { value, ...(this.plainVariable ? { variable: this.plainVariable } : {}), unknownNames: this.unknownNames };
  }

  private peek(text?: string): Token | undefined {
    const t = this.tokens[this.i];
    return t && (text === undefined || t.text === text) ? t : undefined;
  }
  private take(text: string): boolean {
    if (this.peek(text)) {
      this.i++;
      return true;
    }
    return false;
  }
  private expect(text: string): void {
    if (!this.take(text)) throw new TemplateError(`an expression lacks a \`${text}\``, this.offset);
  }
  private changed(): void {
    this.plainVariable = undefined;
  }

  private conditional(): JinjaValue {
    const value = this.or();
    if (this.peek('if')) {
      this.i++;
      this.changed();
      const test = this.or();
      const otherwise = this.take('else') ? this.conditional() : UNDEFINED;
      const truth = truthy(test);
      return truth === undefined ? UNKNOWN : truth ? value : otherwise;
    }
    return value;
  }

  private or(): JinjaValue {
    let left = this.and();
    while (this.take('or')) {
      this.changed();
      const right = this.and();
      const l = truthy(left);
      left = l === true ? left : l === false ? right : truthy(right) === true ? UNKNOWN : UNKNOWN;
    }
    return left;
  }

  private and(): JinjaValue {
    let left = this.not();
    while (this.take('and')) {
      this.changed();
      const right = this.not();
      const l = truthy(left);
      left = l === false ? left : l === true ? right : truthy(right) === false ? false : UNKNOWN;
    }
    return left;
  }

  private not(): JinjaValue {
    if (this.take('not')) {
      this.changed();
      const t = truthy(this.not());
      return t === undefined ? UNKNOWN : !t;
    }
    return this.comparison();
  }

  private comparison(): JinjaValue {
    let left = this.concat();
    for (;;) {
      const op = this.peek()?.text;
      if (op === 'is') {
        this.i++;
        this.changed();
        const negate = this.take('not');
        const test = this.tokens[this.i++]?.text;
        const result = this.test(left, test);
        left = result === UNKNOWN ? UNKNOWN : negate ? !result : result;
        continue;
      }
      const notIn = op === 'not' && this.tokens[this.i + 1]?.text === 'in';
      if (op === '==' || op === '!=' || op === '<' || op === '>' || op === '<=' || op === '>=' || op === 'in' || notIn) {
        this.i += notIn ? 2 : 1;
        this.changed();
        const right = this.concat();
        left = compare(notIn ? 'not in' : op, left, right);
        continue;
      }
      return left;
    }
  }

  private test(value: JinjaValue, test: string | undefined): boolean | typeof UNKNOWN {
    // A variable no vars file sets may still come from the inventory or `-e`: whether it is defined is not known.
    if (test === 'defined') return value === UNKNOWN || value === UNDEFINED ? UNKNOWN : true;
    if (test === 'undefined') return value === UNKNOWN || value === UNDEFINED ? UNKNOWN : false;
    if (value === UNKNOWN || value === UNDEFINED) return UNKNOWN;
    if (test === 'none') return value === null;
    if (test === 'string') return typeof value === 'string';
    if (test === 'number') return typeof value === 'number';
    if (test === 'sameas' || test === 'true' || test === 'false') return UNKNOWN;
    return UNKNOWN;
  }

  private concat(): JinjaValue {
    let left = this.additive();
    while (this.take('~')) {
      this.changed();
      const right = this.additive();
      left = left === UNKNOWN || right === UNKNOWN || left === UNDEFINED || right === UNDEFINED ? UNKNOWN : printValue(left) + printValue(right);
    }
    return left;
  }

  private additive(): JinjaValue {
    let left = this.multiplicative();
    for (;;) {
      const op = this.peek()?.text;
      if (op !== '+' && op !== '-') return left;
      this.i++;
      this.changed();
      const right = this.multiplicative();
      if (typeof left === 'number' && typeof right === 'number') left = op === '+' ? left + right : left - right;
      else if (op === '+' && typeof left === 'string' && typeof right === 'string') left = left + right;
      else left = UNKNOWN;
    }
  }

  private multiplicative(): JinjaValue {
    let left = this.filtered();
    for (;;) {
      const op = this.peek()?.text;
      if (op !== '*' && op !== '/' && op !== '//' && op !== '%') return left;
      this.i++;
      this.changed();
      const right = this.filtered();
      if (typeof left !== 'number' || typeof right !== 'number' || (op !== '*' && right === 0)) left = UNKNOWN;
      else left = op === '*' ? left * right : op === '/' ? left / right : op === '//' ? Math.floor(left / right) : left % right;
    }
  }

  private filtered(): JinjaValue {
    let value = this.unary();
    while (this.take('|')) {
      const name = this.tokens[this.i++]?.text;
      const args: JinjaValue[] = [];
      if (this.take('(')) {
        while (!this.take(')')) {
          // Keyword arguments (`default(x, boolean=true)`) keep their value in position.
          if (this.peek()?.type === 'name' && this.tokens[this.i + 1]?.text === '=') this.i += 2;
          args.push(this.conditional());
          if (!this.take(',')) {
            this.expect(')');
            break;
          }
        }
      }
      // `| string` and `| mandatory` hand the value on as it is: a copy of the variable still.
      if (name !== 'string' && name !== 'mandatory') this.changed();
      value = applyFilter(name ?? '', value, args);
    }
    return value;
  }

  private unary(): JinjaValue {
    if (this.take('-')) {
      this.changed();
      const v = this.unary();
      return typeof v === 'number' ? -v : UNKNOWN;
    }
    return this.postfix();
  }

  private postfix(): JinjaValue {
    let value = this.primary();
    for (;;) {
      if (this.take('.')) {
        const name = this.tokens[this.i++]?.text ?? '';
        this.changed();
        value = member(value, name);
      } else if (this.take('[')) {
        const key = this.conditional();
        this.expect(']');
        this.changed();
        value = typeof key === 'string' || typeof key === 'number' ? member(value, key) : UNKNOWN;
      } else if (this.peek('(')) {
        // A method or function call (`lookup(…)`, `x.split(…)`): not evaluated offline.
        this.i++;
        let depth = 1;
        while (depth > 0 && this.i < this.tokens.length) {
          const t = this.tokens[this.i++]!.text;
          if (t === '(') depth++;
          else if (t === ')') depth--;
        }
        this.changed();
        value = UNKNOWN;
      } else return value;
    }
  }

  private primary(): JinjaValue {
    const token = this.tokens[this.i++];
    if (!token) throw new TemplateError('an expression ends too early', this.offset);
    if (token.type === 'number') return token.value as number;
    if (token.type === 'string') return token.value as string;
    if (token.type === 'op') {
      if (token.text === '(') {
        const v = this.conditional();
        this.expect(')');
        this.changed();
        return v;
      }
      if (token.text === '[') {
        const items: JinjaValue[] = [];
        while (!this.take(']')) {
          items.push(this.conditional());
          if (!this.take(',')) {
            this.expect(']');
            break;
          }
        }
        return items;
      }
      if (token.text === '{') {
        // A dict literal: not needed to print settings; skipped as unknown.
        let depth = 1;
        while (depth > 0 && this.i < this.tokens.length) {
          const t = this.tokens[this.i++]!.text;
          if (t === '{') depth++;
          else if (t === '}') depth--;
        }
        return UNKNOWN;
      }
      throw new TemplateError(`an expression has an unexpected \`${token.text}\``, this.offset);
    }
    const name = token.text;
    if (name === 'true' || name === 'True') return true;
    if (name === 'false' || name === 'False') return false;
    if (name === 'none' || name === 'None') return null;
    const found = this.scope.lookup(name);
    if (!found || found.value === UNKNOWN) {
      this.unknownNames.push(name);
      if (this.i === 1) this.plainVariable = name;
      return found ? UNKNOWN : UNDEFINED;
    }
    if (this.i === 1) this.plainVariable = name;
    return found.value;
  }
}

function member(value: JinjaValue, key: string | number): JinjaValue {
  if (value === UNKNOWN || value === UNDEFINED) return value === UNKNOWN ? UNKNOWN : UNDEFINED;
  if (Array.isArray(value)) return typeof key === 'number' && key >= 0 && key < value.length ? value[key]! : UNDEFINED;
  if (isMap(value)) return value.entries.has(String(key)) ? value.entries.get(String(key))! : UNDEFINED;
  return UNKNOWN;
}

function isMap(value: JinjaValue): value is JinjaMap {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && (value as JinjaMap).kind === 'map';
}

/** Python truthiness; undefined when not known. */
export function truthy(value: JinjaValue): boolean | undefined {
  if (value === UNKNOWN || value === UNDEFINED) return undefined;
  if (value === null) return false;
  if (typeof value === 'string') return value.length > 0;
  if (typeof value === 'number') return value !== 0;
  if (typeof value === 'boolean') return value;
  if (Array.isArray(value)) return value.length > 0;
  return value.entries.size > 0;
}

function compare(op: string, left: JinjaValue, right: JinjaValue): JinjaValue {
  if (left === UNKNOWN || right === UNKNOWN || left === UNDEFINED || right === UNDEFINED) return UNKNOWN;
  if (op === 'in' || op === 'not in') {
    let found: boolean | undefined;
    if (Array.isArray(right)) found = right.some((item) => item === left);
    else if (typeof right === 'string' && typeof left === 'string') found = right.includes(left);
    else if (isMap(right) && typeof left === 'string') found = right.entries.has(left);
    if (found === undefined) return UNKNOWN;
    return op === 'in' ? found : !found;
  }
  if (typeof left === 'object' || typeof right === 'object') return op === '!=' ? left !== right : op === '==' ? left === right : UNKNOWN;
  if (op === '==') return left === right;
  if (op === '!=') return left !== right;
  if (typeof left !== typeof right) return UNKNOWN;
  const l = left as number | string;
  const r = right as number | string;
  return op === '<' ? l < r : op === '>' ? l > r : op === '<=' ? l <= r : l >= r;
}

function applyFilter(name: string, value: JinjaValue, args: JinjaValue[]): JinjaValue {
  if (!KNOWN_FILTERS.has(name)) return UNKNOWN;
  if (name === 'default' || name === 'd') {
    const fallback = args[0] ?? '';
    if (value === UNDEFINED) return fallback;
    // `default(x, true)` also replaces empty and false values.
    if (args[1] === true) {
      const t = truthy(value);
      return t === undefined ? UNKNOWN : t ? value : fallback;
    }
    return value;
  }
  if (value === UNKNOWN || value === UNDEFINED) return UNKNOWN;
  switch (name) {
    case 'mandatory':
      return value;
    case 'int': {
      if (typeof value === 'number') return Math.trunc(value);
      if (typeof value === 'boolean') return value ? 1 : 0;
      if (typeof value === 'string' && /^\s*[+-]?\d+\s*$/.test(value)) return Number(value.trim());
      // Jinja's int filter turns what it cannot read into its default, 0.
      if (typeof value === 'string' && /^\s*[+-]?\d*\.\d+\s*$/.test(value)) return Math.trunc(Number(value));
      return typeof value === 'string' ? (args[0] ?? 0) : UNKNOWN;
    }
    case 'float':
      if (typeof value === 'number') return value;
      if (typeof value === 'string' && /^\s*[+-]?(\d+\.?\d*|\.\d+)\s*$/.test(value)) return Number(value.trim());
      return UNKNOWN;
    case 'string':
      return typeof value === 'object' && value !== null ? UNKNOWN : printValue(value);
    case 'lower':
    case 'upper':
    case 'trim': {
      if (typeof value !== 'string') return UNKNOWN;
      return name === 'lower' ? value.toLowerCase() : name === 'upper' ? value.toUpperCase() : value.trim();
    }
    case 'bool':
      if (typeof value === 'boolean') return value;
      if (typeof value === 'string') return ['yes', 'on', '1', 'true'].includes(value.toLowerCase());
      if (typeof value === 'number') return value === 1;
      return UNKNOWN;
    case 'length':
    case 'count':
      if (typeof value === 'string' || Array.isArray(value)) return value.length;
      return isMap(value) ? value.entries.size : UNKNOWN;
    case 'first':
    case 'last':
      if (!Array.isArray(value) || value.length === 0) return UNKNOWN;
      return name === 'first' ? value[0]! : value[value.length - 1]!;
    case 'join': {
      if (!Array.isArray(value) || value.some((v) => v === UNKNOWN || v === UNDEFINED)) return UNKNOWN;
      const sep = typeof args[0] === 'string' ? args[0] : '';
      return value.map(printValue).join(sep);
    }
    case 'replace':
      if (typeof value !== 'string' || typeof args[0] !== 'string' || typeof args[1] !== 'string') return UNKNOWN;
      return value.split(args[0]).join(args[1]);
    case 'abs':
      return typeof value === 'number' ? Math.abs(value) : UNKNOWN;
    case 'round':
      return typeof value === 'number' && args.length === 0 ? Math.round(value) : UNKNOWN;
    default:
      return UNKNOWN;
  }
}

/** How Jinja (Python's str) prints a known value. */
export function printValue(value: JinjaValue): string {
  if (value === null) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : String(value);
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return `[${value.map((v) => (typeof v === 'string' ? `'${v}'` : printValue(v))).join(', ')}]`;
  if (value === UNKNOWN || value === UNDEFINED) return RENDERED_UNKNOWN;
  return `{${[...value.entries].map(([k, v]) => `'${k}': ${typeof v === 'string' ? `'${v}'` : printValue(v)}`).join(', ')}}`;
}

/** True when a value is known all the way down (a list or map without unknown parts). */
function fullyKnown(value: JinjaValue): boolean {
  if (value === UNKNOWN || value === UNDEFINED) return false;
  if (Array.isArray(value)) return value.every(fullyKnown);
  if (isMap(value)) return [...value.entries.values()].every(fullyKnown);
  return true;
}

// ---------------------------------------------------------------------------------------------
// Statements and rendering.

class Locals implements JinjaScope {
  private readonly own = new Map<string, JinjaValue>();
  constructor(private readonly parent: JinjaScope) {}
  lookup(name: string): { value: JinjaValue; origin?: VariableOrigin } | undefined {
    if (this.own.has(name)) return { value: this.own.get(name)! };
    return this.parent.lookup(name);
  }
  set(name: string, value: JinjaValue): void {
    this.own.set(name, value);
  }
  child(): Locals {
    return new Locals(this);
  }
}

interface Block {
  tag: string;
  body: string;
  start: number;
  end: number;
  bodyStart: number;
}

/** Nodes of the parsed template: text, expressions, and the block statements with their branches. */
type Node =
  | { kind: 'text'; start: number; end: number }
  | { kind: 'expr'; piece: Piece & { kind: 'expr' } }
  | { kind: 'set'; name: string; expr: string; offset: number }
  | { kind: 'if'; branches: Array<{ test?: string; offset: number; body: Node[] }> }
  | { kind: 'for'; target: string[]; iterable: string; offset: number; body: Node[]; otherwise: Node[] }
  | { kind: 'raw'; start: number; end: number };

function parseNodes(pieces: Piece[], src: string): Node[] {
  let i = 0;
  const statement = (piece: Piece & { kind: 'stmt' }): Block => {
    const body = piece.body.trim();
    const tag = /^[A-Za-z_]+/.exec(body)?.[0] ?? '';
    return { tag, body: body.slice(tag.length).trim(), start: piece.start, end: piece.end, bodyStart: piece.bodyStart };
  };
  const until = (ends: string[]): { nodes: Node[]; end?: Block } => {
    const nodes: Node[] = [];
    while (i < pieces.length) {
      const piece = pieces[i++]!;
      if (piece.kind === 'text') {
        nodes.push({ kind: 'text', start: piece.start, end: piece.end });
        continue;
      }
      if (piece.kind === 'expr') {
        nodes.push({ kind: 'expr', piece });
        continue;
      }
      const block = statement(piece);
      if (ends.includes(block.tag)) return { nodes, end: block };
      switch (block.tag) {
        case 'if': {
          const branches: Array<{ test?: string; offset: number; body: Node[] }> = [];
          let test: string | undefined = block.body;
          let offset = block.start;
          for (;;) {
            const { nodes: body, end } = until(['elif', 'else', 'endif']);
            branches.push({ ...(test !== undefined ? { test } : {}), offset, body });
            if (!end) throw new TemplateError('an `if` has no `endif`', block.start);
            if (end.tag === 'endif') break;
            test = end.tag === 'elif' ? end.body : undefined;
            offset = end.start;
          }
          nodes.push({ kind: 'if', branches });
          break;
        }
        case 'for': {
          const m = /^([A-Za-z_][A-Za-z0-9_]*(?:\s*,\s*[A-Za-z_][A-Za-z0-9_]*)*)\s+in\s+([\s\S]+?)(\s+recursive)?$/.exec(block.body);
          if (!m || m[3]) throw new TemplateError(`the loop \`for ${block.body}\` has a form this reader does not follow`, block.start);
          const first = until(['else', 'endfor']);
          if (!first.end) throw new TemplateError('a `for` has no `endfor`', block.start);
          const otherwise = first.end.tag === 'else' ? until(['endfor']).nodes : [];
          nodes.push({ kind: 'for', target: m[1]!.split(',').map((s) => s.trim()), iterable: m[2]!, offset: block.start, body: first.nodes, otherwise });
          break;
        }
        case 'set': {
          const m = /^([A-Za-z_][A-Za-z0-9_]*)\s*=\s*([\s\S]+)$/.exec(block.body);
          if (!m) throw new TemplateError(`the statement \`set ${block.body}\` has a form this reader does not follow`, block.start);
          nodes.push({ kind: 'set', name: m[1]!, expr: m[2]!, offset: block.bodyStart });
          break;
        }
        case 'raw': {
          // Everything up to `{% endraw %}` is text, tags included.
          const close = /\{%-?\s*endraw\s*-?%\}/g;
          close.lastIndex = block.end;
          const m = close.exec(src);
          if (!m) throw new TemplateError('a `raw` has no `endraw`', block.start);
          nodes.push({ kind: 'raw', start: block.end, end: m.index });
          while (i < pieces.length && pieces[i]!.start < m.index + m[0].length) i++;
          break;
        }
        default:
          throw new TemplateError(`it uses \`{% ${block.tag} %}\`, and includes, macros and template inheritance are not followed`, block.start);
      }
    }
    return { nodes };
  };
  const { nodes, end } = until([]);
  if (end) throw new TemplateError(`an \`${end.tag}\` closes nothing`, end.start);
  return nodes;
}

const MAX_OUTPUT = 4 * 1024 * 1024;
const MAX_LOOP_ITERATIONS = 10_000;

/** Renders a template with the variables in `scope`; never throws. */
export function renderJinja(src: string, scope: JinjaScope): RenderResult {
  const segments: OutputSegment[] = [];
  const partial: RenderResult['partial'] = [];
  let output = '';
  const emitText = (start: number, end: number) => {
    if (end <= start) return;
    segments.push({ kind: 'text', outStart: output.length, outEnd: output.length + (end - start), srcStart: start });
    output += src.slice(start, end);
  };
  const evaluate = (body: string, offset: number, locals: Locals): Evaluated => new ExpressionReader(tokenize(body, offset), locals, offset).read();
  let iterations = 0;
  const run = (nodes: Node[], locals: Locals): void => {
    for (const node of nodes) {
      if (output.length > MAX_OUTPUT) throw new TemplateError('the output grows past 4 MiB', 0);
      switch (node.kind) {
        case 'text':
        case 'raw':
          emitText(node.start, node.end);
          break;
        case 'expr': {
          const { piece } = node;
          const result = evaluate(piece.body, piece.bodyStart, locals);
          const known = fullyKnown(result.value);
          const text = known ? printValue(result.value) : RENDERED_UNKNOWN;
          const origin = result.variable && known ? locals.lookup(result.variable)?.origin : undefined;
          segments.push({
            kind: 'expr',
            outStart: output.length,
            outEnd: output.length + text.length,
            srcStart: piece.start,
            srcEnd: piece.end,
            ...(origin ? { origin } : {}),
            ...(result.variable ? { variable: result.variable } : {}),
            ...(known ? {} : { unknown: true }),
          });
          output += text;
          break;
        }
        case 'set': {
          const result = evaluate(node.expr, node.offset, locals);
          locals.set(node.name, result.value === UNDEFINED ? UNKNOWN : result.value);
          break;
        }
        case 'if': {
          let chosen: Node[] | undefined;
          for (const branch of node.branches) {
            if (branch.test === undefined) {
              chosen = branch.body;
              break;
            }
            const result = evaluate(branch.test, branch.offset, locals);
            const truth = truthy(result.value === UNDEFINED && result.unknownNames.length > 0 ? UNKNOWN : result.value);
            if (truth === undefined) {
              const names = [...new Set(result.unknownNames)];
              throw new TemplateError(`the condition \`${branch.test.trim()}\` depends on ${names.length > 0 ? names.map((n) => `\`${n}\``).join(', ') : 'a value'}, which no vars file of the role or playbook sets`, branch.offset);
            }
            if (truth) {
              chosen = branch.body;
              break;
            }
          }
          if (chosen) run(chosen, locals.child());
          break;
        }
        case 'for': {
          const result = evaluate(node.iterable, node.offset, locals);
          let items: JinjaValue[] | undefined;
          if (Array.isArray(result.value)) items = result.value;
          else if (isMap(result.value)) items = [...result.value.entries.keys()];
          else if (typeof result.value === 'string') items = [...result.value];
          if (!items) {
            // How many times it runs is not known (an inventory group, a fact): its body is read once, with its variables unknown.
            partial.push({ reason: `the loop over \`${node.iterable.trim()}\` is read once. How often it runs depends on ${describeUnknown(result.unknownNames)}, so its body is read with \`${node.target.join(', ')}\` unknown.`, offset: node.offset });
            const inner = locals.child();
            for (const name of node.target) inner.set(name, UNKNOWN);
            inner.set('loop', UNKNOWN);
            run(node.body, inner);
            break;
          }
          if (items.length === 0) run(node.otherwise, locals.child());
          items.forEach((item, index) => {
            if (++iterations > MAX_LOOP_ITERATIONS) throw new TemplateError('loops run more than 10,000 times', node.offset);
            const inner = locals.child();
            if (node.target.length === 1) inner.set(node.target[0]!, item);
            else node.target.forEach((name, k) => inner.set(name, Array.isArray(item) ? (item[k] ?? UNKNOWN) : UNKNOWN));
            inner.set('loop', { kind: 'map', entries: new Map<string, JinjaValue>([['index', index + 1], ['index0', index], ['first', index === 0], ['last', index === items!.length - 1], ['length', items!.length]]) });
            run(node.body, inner);
          });
          break;
        }
      }
    }
  };
  try {
    const nodes = parseNodes(lex(src), src);
    run(nodes, new Locals(scope));
    return { output, segments, partial };
  } catch (error) {
    if (!(error instanceof TemplateError)) throw error;
    return { output, segments, partial, failed: { reason: error.message, offset: error.offset } };
  }
}

function describeUnknown(names: string[]): string {
  const unique = [...new Set(names)];
  return unique.length > 0 ? `${unique.map((n) => `\`${n}\``).join(', ')}, which no vars file of the role or playbook sets` : 'values only known when the play runs';
}
