// Static evaluation of TypeScript expressions into values with spans: literals, const references, arithmetic, env reads, ms() helpers, object spreads.
import { isFunctionNode, keyName, memberPath, spanOf, unwrap, type AstNode } from './ast.js';
import type { FileId, Span } from '../../types.js';
import { Scope, type Binding } from './scope.js';
import { readConfigServiceGet, readEnvalidCleanEnv } from './config-reads.js';
import type { TsProperty, TsValue } from './types.js';

// Packages whose default export turns `'30s'` into milliseconds with the `ms` package's grammar.
const MS_HELPER_MODULES = new Set(['ms', '@vercel/ms']);
const NUMERIC_CONVERSIONS = new Set(['Number', 'parseInt', 'parseFloat']);
const MAX_DEPTH = 40;

/** Evaluates expressions of one file, remembering const values. */
export class ValueReader {
  private readonly memo = new Map<Binding, TsValue>();
  // The expression each object property was read from, for readers that need the syntax (signals, dispatchers).
  private readonly propertyNodes = new WeakMap<TsProperty, AstNode>();
  private readonly inProgress = new Set<Binding>();
  // Functions being evaluated inline (inlineCall): a function that calls itself is not evaluated.
  private readonly inlining = new Set<AstNode>();
  private depth = 0;

  constructor(readonly file: FileId, readonly text: string) {}

  /** The value of `node` read in `scope`; `{kind: 'unknown'}` whenever it cannot be known for sure. */
  evaluate(node: AstNode | undefined | null, scope: Scope): TsValue {
    const expression = unwrap(node);
    if (!expression) return { kind: 'unknown', span: { file: this.file, start: node?.start ?? 0, end: node?.end ?? 0 }, reason: 'absent' };
    if (this.depth > MAX_DEPTH) return this.unknown(expression, 'too-deep');
    this.depth++;
    try {
      return this.evaluateNode(expression, scope);
    } finally {
      this.depth--;
    }
  }

  /** The expression a property of an evaluated object literal came from. */
  nodeOf(property: TsProperty): AstNode | undefined {
    return this.propertyNodes.get(property);
  }

  /** The value a binding holds where it is read (`const` initialisers, imports, rest objects). */
  bindingValue(binding: Binding, at: AstNode): TsValue {
    const span = spanOf(this.file, at);
    if (binding.kind === 'import') return { kind: 'import', span, ...binding.import! };
    if ((binding.kind !== 'const' && binding.kind !== 'rest') || !binding.init) return { kind: 'unknown', span, reason: `${binding.kind}-binding` };
    const memoised = this.memo.get(binding);
    if (memoised) return memoised;
    if (this.inProgress.has(binding)) return { kind: 'unknown', span, reason: 'cycle' };
    this.inProgress.add(binding);
    let value = this.evaluate(binding.init, binding.scope);
    if (binding.kind === 'rest') value = value.kind === 'object' ? { ...value, properties: value.properties.filter((p) => !binding.omitKeys?.includes(p.name)) } : { kind: 'unknown', span: value.span, reason: 'rest-of-unknown' };
    this.inProgress.delete(binding);
    this.memo.set(binding, value);
    return value;
  }

  private evaluateNode(node: AstNode, scope: Scope): TsValue {
    const span = spanOf(this.file, node);
    switch (node.type) {
      case 'NumericLiteral':
        return { kind: 'number', value: node.value, text: this.source(node), span };
      case 'StringLiteral':
        return { kind: 'string', value: node.value, span };
      case 'BooleanLiteral':
        return { kind: 'boolean', value: node.value, span };
      case 'TemplateLiteral':
        return this.template(node, scope);
      case 'Identifier': {
        if (node.name === 'undefined' || node.name === 'Infinity') return node.name === 'Infinity' ? { kind: 'number', value: Infinity, text: 'Infinity', span } : this.unknown(node, 'undefined');
        const binding = scope.lookup(node.name);
        return binding ? this.bindingValue(binding, node) : this.unknown(node, 'unbound');
      }
      case 'MemberExpression':
      case 'OptionalMemberExpression':
        return this.member(node, scope);
      case 'UnaryExpression':
        return this.unary(node, scope);
      case 'BinaryExpression':
        return this.binary(node, scope);
      case 'LogicalExpression':
        return this.logical(node, scope);
      case 'CallExpression':
        return this.call(node, scope);
      case 'ObjectExpression':
        return this.object(node, scope);
      case 'ConditionalExpression': {
        // `process.env.X === 'literal' ? a : b`: picked where the code runs, from its environment.
        const choice = this.envChoice(node, scope);
        if (choice) return choice;
        // Otherwise only a test known statically picks a branch.
        const test = this.evaluate(node.test, scope);
        return test.kind === 'boolean' ? this.evaluate(test.value ? node.consequent : node.alternate, scope) : this.unknown(node, 'conditional');
      }
      case 'TSEnumDeclaration':
        return this.enumObject(node, scope);
    }
    return this.unknown(node, node.type);
  }

  private envChoice(node: AstNode, scope: Scope): TsValue | undefined {
    const test = unwrap(node.test);
    if (test?.type !== 'BinaryExpression' || !['===', '!==', '==', '!='].includes(test.operator)) return undefined;
    const left = this.evaluate(test.left, scope);
    const right = this.evaluate(test.right, scope);
    const [env, literal] = left.kind === 'env' ? [left, right] : [right, left];
    if (env.kind !== 'env' || env.default !== undefined || env.numeric || literal.kind !== 'string') return undefined;
    const then = this.evaluate(node.consequent, scope);
    const otherwise = this.evaluate(node.alternate, scope);
    // Scalars only: options objects chosen by environment stay unknown (their readers look inside objects).
    const scalar = (v: TsValue) => v.kind === 'number' || v.kind === 'string' || v.kind === 'boolean' || v.kind === 'import' || v.kind === 'env' || v.kind === 'env-choice';
    if (!scalar(then) || !scalar(otherwise)) return undefined;
    return { kind: 'env-choice', name: env.name, equals: literal.value, negated: test.operator.startsWith('!'), then, else: otherwise, span: spanOf(this.file, node), test: this.source(test) };
  }

  private member(node: AstNode, scope: Scope): TsValue {
    const span = spanOf(this.file, node);
    const path = memberPath(node);
    if (path && path.length === 3 && ((path[0] === 'process' && !scope.lookup('process') && path[1] === 'env') || (path[0] === 'import.meta' && path[1] === 'env'))) {
      return { kind: 'env', name: path[2]!, numeric: false, span };
    }
    const name = keyName(node.property, node.computed);
    if (name === undefined) return this.unknown(node, 'computed-member');
    const object = this.evaluate(node.object, scope);
    if (object.kind === 'import') return { ...object, span, ...(object.name === '*' ? { name } : { path: [...(object.path ?? []), name] }) };
    if (object.kind === 'object') {
      const property = findProperty(object, name);
      if (property) return property.value;
      return this.unknown(node, object.openSpread ? 'open-spread' : 'missing-property');
    }
    if (object.kind === 'string' && name === 'length') return { kind: 'number', value: object.value.length, text: this.source(node), span };
    return this.unknown(node, 'member-of-unknown');
  }

  private unary(node: AstNode, scope: Scope): TsValue {
    const argument = this.evaluate(node.argument, scope);
    const span = spanOf(this.file, node);
    if (node.operator === '+' && argument.kind === 'env') return { ...argument, numeric: true, span };
    if (node.operator === '!' && (argument.kind === 'string' || argument.kind === 'number' || argument.kind === 'boolean')) return { kind: 'boolean', value: !argument.value, span };
    const value = asNumber(argument);
    if (value === undefined) return this.unknown(node, 'unary');
    if (node.operator === '-') return { kind: 'number', value: -value, text: this.source(node), span };
    if (node.operator === '+') return { kind: 'number', value, text: this.source(node), span };
    return this.unknown(node, 'unary');
  }

  private binary(node: AstNode, scope: Scope): TsValue {
    const left = this.evaluate(node.left, scope);
    const right = this.evaluate(node.right, scope);
    const span = spanOf(this.file, node);
    if (node.operator === '+' && (left.kind === 'string' || right.kind === 'string' || left.kind === 'template' || right.kind === 'template')) return concat([left, right], span);
    const a = asNumber(left);
    const b = asNumber(right);
    if (a !== undefined && b !== undefined) {
      const value = arithmetic(node.operator, a, b);
      return value === undefined ? this.unknown(node, 'operator') : { kind: 'number', value, text: this.source(node), span };
    }
    // `Number(process.env.TIMEOUT_S ?? 30) * 1000`: keep the env reference, scaled.
    if (left.kind === 'env' && b !== undefined && (node.operator === '*' || node.operator === '/')) return { ...left, numeric: true, multiplier: (left.multiplier ?? 1) * (node.operator === '*' ? b : 1 / b), span };
    if (right.kind === 'env' && a !== undefined && node.operator === '*') return { ...right, numeric: true, multiplier: (right.multiplier ?? 1) * a, span };
    return this.unknown(node, 'binary');
  }

  private logical(node: AstNode, scope: Scope): TsValue {
    const left = this.evaluate(node.left, scope);
    if (node.operator === '&&') return this.unknown(node, 'logical-and');
    if (left.kind === 'env' && left.default === undefined) return { ...left, default: this.evaluate(node.right, scope), span: spanOf(this.file, node) };
    // A known left side decides: `??` keeps anything but null/undefined, `||` keeps truthy values.
    if (left.kind === 'number' || left.kind === 'string' || left.kind === 'boolean') {
      if (node.operator === '??' || left.value) return left;
      return this.evaluate(node.right, scope);
    }
    if (left.kind === 'object' || (left.kind === 'template' && node.operator === '??')) return left;
    return this.unknown(node, 'logical');
  }

  private call(node: AstNode, scope: Scope): TsValue {
    const span = spanOf(this.file, node);
    const callee = unwrap(node.callee);
    const argument = node.arguments[0] as AstNode | undefined;
    const calleeName = callee?.type === 'Identifier' && !scope.lookup(callee.name) ? callee.name : callee?.type === 'MemberExpression' ? memberPath(callee)?.join('.') : undefined;
    if (calleeName && (NUMERIC_CONVERSIONS.has(calleeName) || calleeName === 'Number.parseInt' || calleeName === 'Number.parseFloat')) {
      const value = this.evaluate(argument, scope);
      if (value.kind === 'env') return { ...value, numeric: true, span };
      if (value.kind === 'number') return value;
      if (value.kind === 'string') {
        const parsed = calleeName.endsWith('parseInt') ? parseInt(value.value, 10) : calleeName.endsWith('parseFloat') ? parseFloat(value.value) : Number(value.value);
        return Number.isNaN(parsed) ? this.unknown(node, 'nan') : { kind: 'number', value: parsed, text: this.source(node), span };
      }
      return this.unknown(node, 'conversion-of-unknown');
    }
    if (calleeName === 'Math.min' || calleeName === 'Math.max') {
      const values = (node.arguments as AstNode[]).map((a) => asNumber(this.evaluate(a, scope)));
      if (values.length === 0 || values.some((v) => v === undefined)) return this.unknown(node, 'math');
      return { kind: 'number', value: (calleeName === 'Math.min' ? Math.min : Math.max)(...(values as number[])), text: this.source(node), span };
    }
    // `Object.freeze(x)` returns x itself.
    if (calleeName === 'Object.freeze' && node.arguments.length === 1) return this.evaluate(argument, scope);
    const binding = callee?.type === 'Identifier' ? scope.lookup(callee.name) : undefined;
    if (binding?.kind === 'import' && binding.import!.module === 'parse-duration' && binding.import!.name === 'default') {
      const value = this.evaluate(argument, scope);
      const format = node.arguments[1] ? this.evaluate(node.arguments[1], scope) : undefined;
      const ms = value.kind === 'string' ? parseDurationPackage(value.value, format === undefined ? 'ms' : format.kind === 'string' ? format.value : undefined) : undefined;
      return ms === undefined ? this.unknown(node, 'parse-duration') : { kind: 'number', value: ms, text: value.kind === 'string' ? value.value : this.source(node), span: value.kind === 'string' ? value.span : span };
    }
    if (binding?.kind === 'import' && MS_HELPER_MODULES.has(binding.import!.module)) {
      const value = this.evaluate(argument, scope);
      const ms = value.kind === 'string' ? parseMsPackage(value.value) : undefined;
      return ms === undefined ? this.unknown(node, 'ms-helper') : { kind: 'number', value: ms, text: value.kind === 'string' ? value.value : this.source(node), span: value.span };
    }
    const joined = this.pathJoin(node, callee, scope);
    if (joined) return joined;
    const inlined = this.inlineCall(node, callee, scope);
    if (inlined) return inlined;
    const stringTest = this.stringMethod(node, callee, scope);
    if (stringTest) return stringTest;
    const evaluate = (n: AstNode | undefined, s: Scope) => this.evaluate(n, s);
    const configured = readConfigServiceGet(this.file, this.text, node, scope, evaluate) ?? readEnvalidCleanEnv(this.file, node, scope, evaluate);
    if (configured) return configured;
    return this.unknown(node, 'call');
  }

  /**
   * A call to a same-file function whose body is one expression (or `const`s and a `return`), evaluated with the
   * call's arguments: `apiPath('/chat')` for `const apiPath = (p) => \`${BASE}${p}\``. Anything else (branches,
   * loops, side effects, recursion) is not evaluated; the result is used only when it is fully known.
   */
  private inlineCall(node: AstNode, callee: AstNode | undefined, scope: Scope): TsValue | undefined {
    const binding = callee?.type === 'Identifier' ? scope.lookup(callee.name) : undefined;
    const fn = binding?.kind === 'function' ? binding.declaration : binding?.kind === 'const' ? unwrap(binding.init) : undefined;
    if (!binding || !fn || !isFunctionNode(fn) || fn.async || fn.generator || this.inlining.has(fn)) return undefined;
    const args = node.arguments as AstNode[];
    if (args.some((a) => a?.type === 'SpreadElement')) return undefined;
    const local = new Scope(binding.scope);
    for (const [i, param] of ((fn.params ?? []) as AstNode[]).entries()) {
      const id = param.type === 'AssignmentPattern' ? param.left : param;
      if (id?.type !== 'Identifier') return undefined;
      // An argument is read where it is written; a default where the function declares it.
      if (args[i]) local.declare(id.name, 'const', id, { init: args[i], scope });
      else if (param.type === 'AssignmentPattern') local.declare(id.name, 'const', id, { init: param.right });
      else local.declare(id.name, 'const', id, { init: { type: 'Identifier', name: 'undefined' } });
    }
    let expression: AstNode | undefined = fn.body;
    if (fn.body?.type === 'BlockStatement') {
      const statements = fn.body.body as AstNode[];
      const last = statements.at(-1);
      if (last?.type !== 'ReturnStatement' || !last.argument) return undefined;
      for (const statement of statements.slice(0, -1)) {
        if (statement.type !== 'VariableDeclaration' || statement.kind !== 'const') return undefined;
        for (const declarator of statement.declarations as AstNode[]) {
          if (declarator.id?.type !== 'Identifier' || !declarator.init) return undefined;
          local.declare(declarator.id.name, 'const', declarator.id, { init: declarator.init });
        }
      }
      expression = last.argument;
    }
    this.inlining.add(fn);
    try {
      const value = this.evaluate(expression, local);
      return value.kind === 'string' || value.kind === 'number' || value.kind === 'boolean' ? { ...value, span: spanOf(this.file, node) } : undefined;
    } finally {
      this.inlining.delete(fn);
    }
  }

  /**
   * `path.join(a, b)` / `path.posix.join` / `posix.join` (from `path` or `node:path`): known strings join as POSIX paths;
   * parts that are imported constants or templates keep a template (`${API}/chat`), resolved across files later.
   */
  private pathJoin(node: AstNode, callee: AstNode | undefined, scope: Scope): TsValue | undefined {
    const path = memberPath(callee);
    if (!path || path.at(-1) !== 'join' || node.arguments.length === 0) return undefined;
    const root = scope.lookup(path[0]!);
    const module = root?.kind === 'import' ? root.import!.module : undefined;
    if (module !== 'path' && module !== 'node:path') return undefined;
    const via = [root!.import!.name === 'default' || root!.import!.name === '*' ? '' : root!.import!.name, ...path.slice(1, -1)].filter(Boolean).join('.');
    if (via !== '' && via !== 'posix' && via !== 'join') return undefined;
    const parts: Array<string | TsValue> = [];
    for (const [i, argument] of (node.arguments as AstNode[]).entries()) {
      if (argument.type === 'SpreadElement') return undefined;
      const value = this.evaluate(argument, scope);
      if (value.kind !== 'string' && value.kind !== 'template' && value.kind !== 'import') return this.unknown(node, 'path-join');
      if (i > 0) parts.push('/');
      parts.push(value);
    }
    const joined = concat(parts, spanOf(this.file, node));
    return joined.kind === 'string' ? { ...joined, value: normalisePosix(joined.value) } : joined;
  }

  /**
   * What a function returns in terms of its parameters, for callers in other files (`apiPath('chat')` with
   * `export const apiPath = (p) => \`${API}/${p}\``): a string or template in which each parameter is {@link paramMarker}.
   * Only a body that is one expression (or `const`s and a `return`) is read, as for same-file inlining.
   */
  returnTemplate(fn: AstNode, scope: Scope): TsValue | undefined {
    if (fn.async || fn.generator || this.inlining.has(fn)) return undefined;
    const local = new Scope(scope);
    for (const [i, param] of ((fn.params ?? []) as AstNode[]).entries()) {
      const id = param.type === 'AssignmentPattern' ? param.left : param;
      if (id?.type !== 'Identifier') return undefined;
      local.declare(id.name, 'const', id, { init: { type: 'StringLiteral', value: paramMarker(i), start: id.start, end: id.end } });
    }
    let expression: AstNode | undefined = fn.body;
    if (fn.body?.type === 'BlockStatement') {
      const statements = fn.body.body as AstNode[];
      const last = statements.at(-1);
      if (last?.type !== 'ReturnStatement' || !last.argument) return undefined;
      for (const statement of statements.slice(0, -1)) {
        if (statement.type !== 'VariableDeclaration' || statement.kind !== 'const') return undefined;
        for (const declarator of statement.declarations as AstNode[]) {
          if (declarator.id?.type !== 'Identifier' || !declarator.init) return undefined;
          local.declare(declarator.id.name, 'const', declarator.id, { init: declarator.init });
        }
      }
      expression = last.argument;
    }
    this.inlining.add(fn);
    try {
      const value = this.evaluate(expression, local);
      return value.kind === 'string' || value.kind === 'template' ? value : undefined;
    } finally {
      this.inlining.delete(fn);
    }
  }

  /** `s.startsWith('/')`, `endsWith`, `includes` on a known string: a known boolean. */
  private stringMethod(node: AstNode, callee: AstNode | undefined, scope: Scope): TsValue | undefined {
    if (callee?.type !== 'MemberExpression' && callee?.type !== 'OptionalMemberExpression') return undefined;
    const method = keyName(callee.property, callee.computed);
    if (method !== 'startsWith' && method !== 'endsWith' && method !== 'includes') return undefined;
    const target = this.evaluate(callee.object, scope);
    const argument = node.arguments[0] ? this.evaluate(node.arguments[0], scope) : undefined;
    if (target.kind !== 'string' || argument?.kind !== 'string' || node.arguments.length !== 1) return undefined;
    return { kind: 'boolean', value: target.value[method](argument.value), span: spanOf(this.file, node) };
  }

  private object(node: AstNode, scope: Scope): TsValue {
    const properties: TsProperty[] = [];
    let openSpread = false;
    const set = (property: TsProperty) => {
      const index = properties.findIndex((p) => p.name === property.name);
      if (index >= 0) properties.splice(index, 1);
      properties.push(property);
    };
    for (const property of node.properties as AstNode[]) {
      const span = spanOf(this.file, property);
      if (property.type === 'SpreadElement') {
        const spread = this.evaluate(property.argument, scope);
        if (spread.kind === 'object') {
          for (const inner of spread.properties) set(inner);
          openSpread ||= spread.openSpread;
        } else openSpread = true;
        continue;
      }
      const name = keyName(property.key, property.computed);
      if (name === undefined) {
        openSpread = true;
        continue;
      }
      const value = property.type === 'ObjectProperty' ? this.evaluate(property.value, scope) : { kind: 'unknown' as const, span, reason: 'method' };
      const written = unwrap(property.value);
      // `{ ...cfg, timeout: undefined }` drops the key as far as the libraries are concerned.
      if (written?.type === 'Identifier' && written.name === 'undefined') {
        const index = properties.findIndex((p) => p.name === name);
        if (index >= 0) properties.splice(index, 1);
        continue;
      }
      const entry: TsProperty = { name, value, span };
      if (written) this.propertyNodes.set(entry, written);
      set(entry);
    }
    return { kind: 'object', properties, openSpread, span: spanOf(this.file, node) };
  }

  /** `enum Port { Http = 8080, Next }`: members in order, a member without initialiser one more than the previous number. */
  private enumObject(node: AstNode, scope: Scope): TsValue {
    const properties: TsProperty[] = [];
    let next: number | undefined = 0;
    const members = (node.body?.members ?? node.members ?? []) as AstNode[];
    for (const member of members) {
      const name = keyName(member.id, false);
      if (name === undefined) return this.unknown(node, 'enum-member');
      const span = spanOf(this.file, member);
      let value: TsValue;
      if (member.initializer) value = this.evaluate(member.initializer, scope);
      else value = next === undefined ? this.unknown(member, 'enum-auto') : { kind: 'number', value: next, text: String(next), span };
      next = value.kind === 'number' ? value.value + 1 : undefined;
      properties.push({ name, value, span });
    }
    return { kind: 'object', properties, openSpread: false, span: spanOf(this.file, node) };
  }

  private template(node: AstNode, scope: Scope): TsValue {
    const parts: Array<string | TsValue> = [];
    (node.quasis as AstNode[]).forEach((quasi, index) => {
      parts.push(quasi.value.cooked ?? quasi.value.raw);
      const expression = node.expressions[index] as AstNode | undefined;
      if (expression) parts.push(this.evaluate(expression, scope));
    });
    return concat(parts, spanOf(this.file, node));
  }

  private source(node: AstNode): string {
    return this.text.slice(node.start ?? 0, node.end ?? 0);
  }

  private unknown(node: AstNode, reason: string): TsValue {
    return { kind: 'unknown', span: spanOf(this.file, node), reason };
  }
}

/** Stands for parameter `index` in a {@link ValueReader.returnTemplate}: a string no source text holds. */
export function paramMarker(index: number): string {
  return `\u0000param${index}\u0000`;
}

/** `path.posix.normalize` of a joined path without `..` games: repeated slashes and `.` segments go, `..` pops a segment. */
function normalisePosix(path: string): string {
  const absolute = path.startsWith('/');
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..' && out.length > 0 && out.at(-1) !== '..') out.pop();
    else if (part !== '..' || !absolute) out.push(part);
  }
  const joined = (absolute ? '/' : '') + out.join('/');
  return joined === '' ? '.' : path.endsWith('/') && joined !== '/' ? `${joined}/` : joined;
}

/** The last property named `name` (later ones override earlier ones). */
export function findProperty(value: TsValue | undefined, name: string): TsProperty | undefined {
  if (value?.kind !== 'object') return undefined;
  for (let i = value.properties.length - 1; i >= 0; i--) if (value.properties[i]!.name === name) return value.properties[i];
  return undefined;
}

export function asNumber(value: TsValue): number | undefined {
  return value.kind === 'number' ? value.value : undefined;
}

/**
 * The `ms` package's grammar (vercel/ms `src/index.ts`): a number, optional spaces, an optional
 * unit (`ms` when absent); `y` is 365.25 days; input over 100 characters is rejected.
 */
export function parseMsPackage(text: string): number | undefined {
  if (text.length > 100) return undefined;
  const match = /^(-?(?:\d+)?\.?\d+) *(milliseconds?|msecs?|ms|seconds?|secs?|s|minutes?|mins?|m|hours?|hrs?|h|days?|d|weeks?|w|years?|yrs?|y)?$/i.exec(text);
  if (!match) return undefined;
  const value = parseFloat(match[1]!);
  const unit = (match[2] ?? 'ms').toLowerCase();
  const second = 1000;
  const scale = /^(y|yrs?|years?)$/.test(unit) ? 365.25 * 86_400_000 : /^(w|weeks?)$/.test(unit) ? 604_800_000 : /^(d|days?)$/.test(unit) ? 86_400_000
    : /^(h|hrs?|hours?)$/.test(unit) ? 3_600_000 : /^(m|mins?|minutes?)$/.test(unit) ? 60_000 : /^(s|secs?|seconds?)$/.test(unit) ? second : 1;
  return value * scale;
}

const PARSE_DURATION_UNITS: ReadonlyArray<[RegExp, number]> = [
  [/^(?:ns|nanoseconds?)$/, 1e-6], [/^(?:µs|us|microseconds?)$/, 1e-3], [/^(?:ms|milliseconds?)$/, 1], [/^(?:s|secs?|seconds?)$/, 1000],
  [/^(?:m|mins?|minutes?)$/, 60_000], [/^(?:h|hrs?|hours?)$/, 3_600_000], [/^(?:d|days?)$/, 86_400_000], [/^(?:w|wks?|weeks?)$/, 604_800_000],
];

/**
 * The `parse-duration` package's reading of a duration (a sum of number-unit pairs: `1h 30m`, `90s`,
 * a bare number is milliseconds), converted to `format`. Units this reader does not know (months,
 * years, whose lengths the package defines its own way) give undefined, never a guess.
 */
export function parseDurationPackage(text: string, format: string | undefined): number | undefined {
  const divisor = format === undefined ? undefined : PARSE_DURATION_UNITS.find(([unit]) => unit.test(format.toLowerCase()))?.[1];
  if (divisor === undefined || text.length > 100) return undefined;
  const tokens = [...text.matchAll(/(-?\d*\.?\d+(?:e[-+]?\d+)?)\s*([a-zµ]*)/gi)];
  if (tokens.length === 0 || text.replace(/(-?\d*\.?\d+(?:e[-+]?\d+)?)\s*([a-zµ]*)/gi, '').replace(/[\s,]/g, '') !== '') return undefined;
  let total = 0;
  for (const [, number, unit] of tokens) {
    const scale = unit === '' ? 1 : PARSE_DURATION_UNITS.find(([pattern]) => pattern.test(unit!.toLowerCase()))?.[1];
    if (scale === undefined) return undefined;
    total += parseFloat(number!) * scale;
  }
  return total / divisor;
}

function arithmetic(operator: string, a: number, b: number): number | undefined {
  switch (operator) {
    case '+': return a + b;
    case '-': return a - b;
    case '*': return a * b;
    case '/': return a / b;
    case '%': return a % b;
    case '**': return a ** b;
  }
  return undefined;
}

/** Joins static parts into a string; keeps a template when some part is not static. */
function concat(parts: Array<string | TsValue>, span: Span): TsValue {
  const flat: Array<string | TsValue> = [];
  for (const part of parts) {
    const piece = typeof part === 'string' ? part : part.kind === 'string' ? part.value : part.kind === 'number' ? String(part.value) : part;
    for (const item of typeof piece !== 'string' && piece.kind === 'template' ? piece.parts : [piece]) {
      // Adjacent static parts merge and empty ones vanish, so `${a}/x` is [a, '/x'].
      if (typeof item === 'string' && typeof flat.at(-1) === 'string') flat[flat.length - 1] += item;
      else if (item !== '') flat.push(item);
    }
  }
  if (flat.every((part) => typeof part === 'string')) return { kind: 'string', value: flat.join(''), span };
  return { kind: 'template', parts: flat, span };
}
