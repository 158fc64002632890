// A loose view of @babel/parser's AST (only the fields the TypeScript reader uses) with walking and span helpers.
import type { FileId, Span } from '../../types.js';

/**
 * A Babel AST node. The reader checks `type` before touching other fields; it is typed loosely so
 * the engine needs no `@babel/types` dependency (the parser's own typings import it).
 */
export interface AstNode {
  type: string;
  start?: number | null;
  end?: number | null;
  [field: string]: any;
}

// Fields that never hold child nodes worth visiting; skipping them keeps walks cheap.
const SKIPPED_FIELDS = new Set(['type', 'start', 'end', 'loc', 'range', 'extra', 'leadingComments', 'trailingComments', 'innerComments', 'typeAnnotation', 'returnType', 'typeParameters', 'superTypeParameters', 'typeArguments']);

export function isNode(value: unknown): value is AstNode {
  return typeof value === 'object' && value !== null && typeof (value as AstNode).type === 'string';
}

/** The child nodes of `node` in source order (type annotations are skipped). */
export function childrenOf(node: AstNode): AstNode[] {
  const out: AstNode[] = [];
  forEachChild(node, (child, _parent, list) => void list.push(child), out);
  return out;
}

/**
 * Calls `visit(child, node, state)` for each child node in source order. It is the walk's hot
 * path: passing `state` avoids a closure per node, and `Object.keys` is markedly faster than
 * `for…in` on Babel nodes.
 */
export function forEachChild<S>(node: AstNode, visit: (child: AstNode, parent: AstNode, state: S) => void, state: S): void {
  const keys = Object.keys(node);
  for (let k = 0; k < keys.length; k++) {
    const key = keys[k]!;
    const value = node[key];
    if (typeof value !== 'object' || value === null || SKIPPED_FIELDS.has(key)) continue;
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        const item = value[i];
        if (item !== null && typeof item === 'object' && typeof item.type === 'string') visit(item, node, state);
      }
    } else if (typeof value.type === 'string') visit(value, node, state);
  }
}

export function spanOf(file: FileId, node: AstNode): Span {
  const start = node.start ?? 0;
  return { file, start, end: Math.max(start, node.end ?? start) };
}

/** Strips wrappers that do not change a value: parentheses, `as`, `satisfies`, `!`, `<T>x`. */
export function unwrap(node: AstNode | undefined | null): AstNode | undefined {
  let current = node ?? undefined;
  while (current && WRAPPERS.has(current.type)) current = current.expression as AstNode;
  return current;
}
const WRAPPERS = new Set(['ParenthesizedExpression', 'TSAsExpression', 'TSSatisfiesExpression', 'TSNonNullExpression', 'TSTypeAssertion', 'TypeCastExpression']);

/** Like {@link unwrap}, and also looks through `await`. */
export function unwrapAwait(node: AstNode | undefined | null): AstNode | undefined {
  let current = unwrap(node);
  while (current?.type === 'AwaitExpression') current = unwrap(current.argument);
  return current;
}

/** The static name of a property key (`a`, `'a'`, `[\`a\`]`, `1`), or undefined for computed keys. */
export function keyName(key: AstNode | undefined, computed: boolean): string | undefined {
  if (!key) return undefined;
  if (key.type === 'Identifier' && !computed) return key.name as string;
  if (key.type === 'StringLiteral') return key.value as string;
  if (key.type === 'NumericLiteral') return String(key.value);
  if (key.type === 'TemplateLiteral' && key.expressions.length === 0) return key.quasis[0]?.value.cooked ?? undefined;
  return undefined;
}

/** `a.b['c']` → ['a', 'b', 'c']; `this.x` → ['this', 'x']; undefined when any step is dynamic. */
export function memberPath(node: AstNode | undefined): string[] | undefined {
  const path: string[] = [];
  let current = unwrap(node);
  while (current && (current.type === 'MemberExpression' || current.type === 'OptionalMemberExpression')) {
    const name = keyName(current.property, current.computed);
    if (name === undefined) return undefined;
    path.unshift(name);
    current = unwrap(current.object);
  }
  if (current?.type === 'Identifier') path.unshift(current.name);
  else if (current?.type === 'ThisExpression') path.unshift('this');
  else if (current?.type === 'MetaProperty') path.unshift(`${current.meta.name}.${current.property.name}`);
  else return undefined;
  return path;
}

/** The innermost object of a member chain (`a` in `a.b.c`, the call in `f().b`). */
export function memberRoot(node: AstNode | undefined): AstNode | undefined {
  let current = unwrap(node);
  while (current && (current.type === 'MemberExpression' || current.type === 'OptionalMemberExpression')) current = unwrap(current.object);
  return current;
}

export function isCall(node: AstNode | undefined): boolean {
  return node?.type === 'CallExpression' || node?.type === 'OptionalCallExpression' || node?.type === 'NewExpression';
}

export function isFunctionNode(node: AstNode | undefined): boolean {
  return !!node && FUNCTION_TYPES.has(node.type);
}
const FUNCTION_TYPES = new Set(['FunctionDeclaration', 'FunctionExpression', 'ArrowFunctionExpression', 'ObjectMethod', 'ClassMethod', 'ClassPrivateMethod']);

/** Identifiers bound by a declaration pattern (`a`, `{ a, b: c }`, `[d, ...e]`). */
export function patternNames(pattern: AstNode | undefined, out: AstNode[] = []): AstNode[] {
  const node = pattern?.type === 'TSParameterProperty' ? pattern.parameter : pattern;
  if (!node) return out;
  switch (node.type) {
    case 'Identifier':
      out.push(node);
      break;
    case 'AssignmentPattern':
      patternNames(node.left, out);
      break;
    case 'RestElement':
      patternNames(node.argument, out);
      break;
    case 'ObjectPattern':
      for (const property of node.properties) patternNames(property.type === 'RestElement' ? property : property.value, out);
      break;
    case 'ArrayPattern':
      for (const element of node.elements) if (element) patternNames(element, out);
      break;
  }
  return out;
}
