// Lexical scopes of one TypeScript file: which declaration a name refers to, and what later code does to it.
import { keyName, patternNames, unwrap, type AstNode } from './ast.js';
import type { TsImportRef } from './types.js';

export type BindingKind =
  /** `const` (the only kind whose initialiser is trusted as the value). */
  | 'const'
  /** `let`/`var`: may be reassigned, so its value is unknown. */
  | 'mutable'
  /** Parameters, destructured names, loop variables: unknown. */
  | 'param'
  | 'function'
  | 'class'
  | 'import'
  /** `const { a, ...rest } = obj`: `rest` is `obj` without the listed keys. */
  | 'rest';

/** Something code does to a binding after declaring it: `x.a.b = v` or `x.a.b(...)`. */
export interface BindingEvent {
  kind: 'assign' | 'call';
  /** Member path after the binding's name (`['defaults', 'timeout']`). */
  path: string[];
  /** The assignment or call expression. */
  node: AstNode;
  scope: Scope;
  /** For a call inside a `setTimeout(cb, delay)` callback: the delay argument. */
  timerDelay?: AstNode;
  functionId?: number;
}

export interface Binding {
  name: string;
  kind: BindingKind;
  /** The declaring identifier. */
  id: AstNode;
  init?: AstNode;
  /** The FunctionDeclaration or ClassDeclaration. */
  declaration?: AstNode;
  import?: TsImportRef;
  /**
   * A `let` declared without a value and given one only by plain assignments, each an import
   * (`Pool = (await import('pg')).default.Pool` in one branch, another module's in the other): the
   * imports it may hold. One import for all of them makes the binding an import instead.
   */
  assignedImports?: TsImportRef[];
  omitKeys?: string[];
  events: BindingEvent[];
  scope: Scope;
}

export class Scope {
  // Most block scopes declare nothing, so the map is created on the first declaration.
  private map: Map<string, Binding> | undefined;
  constructor(readonly parent: Scope | undefined) {}

  get bindings(): ReadonlyMap<string, Binding> {
    return this.map ?? EMPTY;
  }

  lookup(name: string): Binding | undefined {
    for (let scope: Scope | undefined = this; scope; scope = scope.parent) {
      const binding = scope.map?.get(name);
      if (binding) return binding;
    }
    return undefined;
  }

  declare(name: string, kind: BindingKind, id: AstNode, extra: Partial<Binding> = {}): Binding {
    const binding: Binding = { name, kind, id, events: [], scope: this, ...extra };
    (this.map ??= new Map()).set(name, binding);
    return binding;
  }

  /**
   * Names imported as types only (`import type { AxiosInstance } from 'axios'`). They are no
   * bindings (no value comes from them), but a parameter typed with one says what is injected there.
   */
  private typeImports: Map<string, TsImportRef> | undefined;

  declareTypeImport(name: string, ref: TsImportRef): void {
    (this.typeImports ??= new Map()).set(name, ref);
  }

  /** The module and export a type name was imported from, as a value or as a type only. */
  lookupTypeImport(name: string): TsImportRef | undefined {
    for (let scope: Scope | undefined = this; scope; scope = scope.parent) {
      const binding = scope.map?.get(name);
      if (binding) return binding.kind === 'import' ? binding.import : undefined;
      const typeOnly = scope.typeImports?.get(name);
      if (typeOnly) return typeOnly;
    }
    return undefined;
  }
}

const EMPTY: ReadonlyMap<string, Binding> = new Map();

/** Declares everything a statement list hoists into `scope`: variables, functions, classes, imports. */
export function declareStatements(statements: readonly AstNode[], scope: Scope): void {
  for (const statement of statements) declareStatement(statement, scope);
}

function declareStatement(statement: AstNode, scope: Scope): void {
  switch (statement.type) {
    case 'VariableDeclaration':
      for (const declarator of statement.declarations as AstNode[]) declareVariable(declarator, statement.kind === 'const' ? 'const' : 'mutable', scope);
      break;
    case 'FunctionDeclaration':
    case 'TSDeclareFunction':
      if (statement.id) scope.declare(statement.id.name, 'function', statement.id, { declaration: statement });
      break;
    case 'ClassDeclaration':
      if (statement.id) scope.declare(statement.id.name, 'class', statement.id, { declaration: statement });
      break;
    case 'TSEnumDeclaration':
      // An enum's members are fixed at declaration; a second declaration of the same name (merging) makes it unknown.
      if (statement.declare) break;
      if (scope.bindings.has(statement.id.name)) scope.declare(statement.id.name, 'mutable', statement.id);
      else scope.declare(statement.id.name, 'const', statement.id, { init: statement });
      break;
    case 'ImportDeclaration':
      for (const specifier of statement.specifiers as AstNode[]) {
        const imported = specifier.type === 'ImportDefaultSpecifier' ? 'default' : specifier.type === 'ImportNamespaceSpecifier' ? '*' : keyName(specifier.imported, false) ?? 'default';
        const ref = { module: statement.source.value, name: imported };
        if (statement.importKind === 'type' || statement.importKind === 'typeof' || specifier.importKind === 'type') scope.declareTypeImport(specifier.local.name, ref);
        else scope.declare(specifier.local.name, 'import', specifier.local, { import: ref });
      }
      break;
    case 'ExportNamedDeclaration':
    case 'ExportDefaultDeclaration':
      if (statement.declaration) declareStatement(statement.declaration, scope);
      break;
    case 'TSImportEqualsDeclaration':
      // `import x = require('m')`.
      if (statement.moduleReference?.type === 'TSExternalModuleReference') {
        scope.declare(statement.id.name, 'import', statement.id, { import: { module: statement.moduleReference.expression.value, name: 'default' } });
      }
      break;
  }
}

function declareVariable(declarator: AstNode, kind: 'const' | 'mutable', scope: Scope): void {
  const id = declarator.id as AstNode;
  const init = declarator.init as AstNode | undefined;
  const imported = importOfExpression(init);
  // `const pg = await import('pg')` holds the module; `require('m')` its default export (the CommonJS exports).
  const required = imported && (imported.name === 'default' || imported.name === '*') ? imported.module : undefined;
  if (id.type === 'Identifier') {
    if (imported !== undefined) scope.declare(id.name, 'import', id, { import: imported });
    else scope.declare(id.name, kind, id, init ? { init } : {});
    return;
  }
  if (id.type === 'ObjectPattern' && kind === 'const') {
    const seenKeys: string[] = [];
    for (const property of id.properties as AstNode[]) {
      if (property.type === 'RestElement' && property.argument.type === 'Identifier' && init) {
        scope.declare(property.argument.name, 'rest', property.argument, { init, omitKeys: [...seenKeys] });
        continue;
      }
      const key = property.type === 'ObjectProperty' ? keyName(property.key, property.computed) : undefined;
      if (key !== undefined) seenKeys.push(key);
      if (required !== undefined && key !== undefined && property.value?.type === 'Identifier') {
        // `const { request } = require('undici')` is a named import.
        scope.declare(property.value.name, 'import', property.value, { import: { module: required, name: key } });
        continue;
      }
      for (const name of patternNames(property.type === 'RestElement' ? property : property.value)) scope.declare(name.name, 'param', name);
    }
    return;
  }
  for (const name of patternNames(id)) scope.declare(name.name, 'param', name);
}

/**
 * The import an expression evaluates to: `require('m')` (the module's default export, its CommonJS
 * exports), `await import('m')` (the namespace), and a member of either (`require('m').Pool`,
 * `(await import('pg')).default.Pool`, which for a CommonJS module is its export `Pool`).
 */
export function importOfExpression(node: AstNode | undefined): TsImportRef | undefined {
  const members: string[] = [];
  let current = unwrap(node);
  while (current?.type === 'MemberExpression' && members.length < 3) {
    const name = keyName(current.property, current.computed);
    if (name === undefined) return undefined;
    members.unshift(name);
    current = unwrap(current.object);
  }
  let module = requiredModule(current);
  let base: 'default' | '*' = 'default';
  if (module === undefined) {
    const awaited = current?.type === 'AwaitExpression' ? unwrap(current.argument) : undefined;
    const dynamic = awaited?.type === 'ImportExpression' ? awaited.source : awaited?.type === 'CallExpression' && awaited.callee.type === 'Import' ? awaited.arguments[0] : undefined;
    const specifier = unwrap(dynamic);
    if (specifier?.type !== 'StringLiteral') return undefined;
    module = specifier.value as string;
    base = '*';
  }
  // `.default` of a namespace (or of CommonJS exports) is the module's exports again; the next name is an export.
  const names = members[0] === 'default' ? members.slice(1) : members;
  if (names.length === 0) return { module, name: members[0] === 'default' ? 'default' : base };
  return names.length === 1 ? { module, name: names[0]! } : { module, name: names[0]!, path: names.slice(1) };
}

/** The module of `require('m')` (also `require('m').default`), else undefined. */
export function requiredModule(node: AstNode | undefined): string | undefined {
  let current = unwrap(node);
  if (current?.type === 'MemberExpression' && keyName(current.property, current.computed) === 'default') current = unwrap(current.object);
  if (current?.type !== 'CallExpression' || current.callee.type !== 'Identifier' || current.callee.name !== 'require') return undefined;
  const argument = current.arguments[0] as AstNode | undefined;
  return argument?.type === 'StringLiteral' ? (argument.value as string) : undefined;
}

/** Declares the names a function's parameters (or a loop head, a catch clause) bind, all unknown. */
export function declareParams(params: readonly AstNode[], scope: Scope): void {
  for (const param of params) for (const name of patternNames(param)) scope.declare(name.name, 'param', name);
}
