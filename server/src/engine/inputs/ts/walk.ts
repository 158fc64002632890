// One walk over a TypeScript file's AST: builds scopes, numbers functions, and collects every call and member assignment for the fact readers.
import { forEachChild, isFunctionNode, isNode, keyName, memberPath, patternNames, spanOf, unwrap, type AstNode } from './ast.js';
import type { FileId } from '../../types.js';
import { declareParams, declareStatements, importOfExpression, Scope, type Binding } from './scope.js';
import type { TsFunction, TsImportRef } from './types.js';
import { alwaysExits, browserCallbackOf, guardSide, jsxHandlerName, type BrowserOnlyContext } from './browser-guards.js';

/** A call (or `new`) expression with the context it appears in. */
export interface RawCall {
  node: AstNode;
  scope: Scope;
  functionId?: number;
  classNode?: AstNode;
  /** The `for`/`while`/`do` loop when the call sits in the `try` block of a hand-written retry loop (see {@link isRetryTry}). */
  retryLoop?: AstNode;
  /** Code around the call that runs only in a browser (browser-guards.ts). */
  browserOnly?: BrowserOnlyContext;
}

/** What `this.name` holds inside a class: a field initialiser, a constructor assignment, or a typed constructor parameter (NestJS injection). */
export interface ThisMember {
  init?: AstNode;
  typeName?: string;
  /** The constructor parameter that declares a typed member (`private readonly openai: OpenAI`). */
  declaration?: AstNode;
  scope: Scope;
}

export interface WalkResult {
  moduleScope: Scope;
  functions: TsFunction[];
  functionNodes: AstNode[];
  functionIdByNode: Map<AstNode, number>;
  calls: RawCall[];
  /** Parents of calls, members and wrappers, to see where a call's result goes. */
  parents: Map<AstNode, AstNode>;
  thisMembers: Map<AstNode, Map<string, ThisMember>>;
  classMethods: Map<AstNode, Map<string, number>>;
  /** `process.env.X` and `import.meta.env.X` reads anywhere in the file. */
  envReads: Array<{ name: string; node: AstNode }>;
  /** Tagged templates (`sql\`select …\``, `prisma.$queryRaw\`…\``): queries some database clients run (db/queries.ts). */
  taggedTemplates: RawCall[];
}

interface Context {
  scope: Scope;
  functionId?: number;
  classNode?: AstNode;
  /** Inside a `setTimeout(callback, delay)` callback: the delay argument. */
  timerDelay?: AstNode;
  /** The innermost `for`/`while`/`do` loop of the current function. */
  loop?: AstNode;
  retryLoop?: AstNode;
  /** Inside code that runs only in a browser: the innermost reason. */
  browserOnly?: BrowserOnlyContext;
}

const RETRY_LOOPS = new Set(['ForStatement', 'WhileStatement', 'DoWhileStatement']);

const PARENT_TRACKED = new Set(['CallExpression', 'OptionalCallExpression', 'NewExpression', 'MemberExpression', 'OptionalMemberExpression', 'AwaitExpression', 'ParenthesizedExpression', 'TSAsExpression', 'TSNonNullExpression', 'TSSatisfiesExpression']);

/** Walks `program` once; the result feeds every fact reader. */
export function walkProgram(file: FileId, program: AstNode): WalkResult {
  const result: WalkResult = { moduleScope: new Scope(undefined), functions: [], functionNodes: [], functionIdByNode: new Map(), calls: [], parents: new Map(), thisMembers: new Map(), classMethods: new Map(), envReads: [], taggedTemplates: [] };
  declareStatements(program.body, result.moduleScope);
  const reassigned = new Set<Binding>();
  const visit = (node: AstNode | null | undefined, parent: AstNode | undefined, context: Context): void => {
    // Error recovery leaves holes (`f(, x)` has a null argument).
    if (!isNode(node)) return;
    if (parent && PARENT_TRACKED.has(node.type)) result.parents.set(node, parent);
    if (isFunctionNode(node)) return visitFunction(node, parent, context);
    let inner = context;
    switch (node.type) {
      case 'BlockStatement':
      case 'StaticBlock':
      case 'TSModuleBlock':
        inner = { ...context, scope: new Scope(context.scope) };
        declareStatements(node.body, inner.scope);
        return visitStatements(node.body, node, inner);
      case 'IfStatement':
      case 'ConditionalExpression':
        // `if (browser) …` / `typeof window === 'undefined' ? … : …`: one branch runs only in a browser.
        if (visitGuarded(node, context)) return;
        break;
      case 'LogicalExpression': {
        // `browser && fetch(…)`
        if (node.operator !== '&&' || guardSide(node.left, context.scope) !== 'browser') break;
        visit(node.left, node, context);
        visit(node.right, node, { ...context, browserOnly: { reason: { kind: 'guard', test: node.left, branch: 'then' }, at: node.left } });
        return;
      }
      case 'JSXAttribute': {
        const handler = jsxHandlerName(node);
        if (handler) inner = { ...context, browserOnly: { reason: { kind: 'jsx-handler', attribute: handler }, at: node } };
        break;
      }
      case 'SwitchStatement':
        inner = { ...context, scope: new Scope(context.scope) };
        declareStatements((node.cases as AstNode[]).flatMap((c) => c.consequent as AstNode[]), inner.scope);
        break;
      case 'WhileStatement':
      case 'DoWhileStatement':
        inner = { ...context, loop: node };
        break;
      case 'TryStatement':
        if (context.loop && isRetryTry(node)) {
          visit(node.block, node, { ...context, retryLoop: context.loop });
          visit(node.handler, node, context);
          visit(node.finalizer, node, context);
          return;
        }
        break;
      case 'ForStatement':
      case 'ForInStatement':
      case 'ForOfStatement': {
        inner = { ...context, scope: new Scope(context.scope), ...(node.type === 'ForStatement' ? { loop: node } : {}) };
        const head = node.type === 'ForStatement' ? node.init : node.left;
        if (head?.type === 'VariableDeclaration') declareParams((head.declarations as AstNode[]).map((d) => d.id), inner.scope);
        break;
      }
      case 'CatchClause':
        inner = { ...context, scope: new Scope(context.scope) };
        if (node.param) declareParams([node.param], inner.scope);
        break;
      case 'ClassDeclaration':
      case 'ClassExpression':
        inner = { ...context, classNode: node };
        result.thisMembers.set(node, new Map());
        result.classMethods.set(node, new Map());
        break;
      case 'ClassProperty':
      case 'ClassAccessorProperty': {
        const name = keyName(node.key, node.computed);
        if (name !== undefined && node.value && context.classNode && !node.static) result.thisMembers.get(context.classNode)?.set(name, { init: node.value, scope: context.scope });
        break;
      }
      case 'CallExpression':
      case 'OptionalCallExpression':
      case 'NewExpression':
        return visitCall(node, context);
      case 'AssignmentExpression':
        recordAssignment(node, context);
        break;
      case 'TaggedTemplateExpression':
        result.taggedTemplates.push({ node, scope: context.scope, ...(context.functionId !== undefined ? { functionId: context.functionId } : {}) });
        break;
      case 'MemberExpression':
      case 'OptionalMemberExpression':
        if (node.object?.type === 'MemberExpression' && keyName(node.object.property, node.object.computed) === 'env') {
          const path = memberPath(node);
          if (path?.length === 3 && (path[0] === 'process' || path[0] === 'import.meta')) result.envReads.push({ name: path[2]!, node });
        }
        break;
    }
    forEachChild(node, visit, inner);
  };

  const visitFunction = (node: AstNode, parent: AstNode | undefined, context: Context): void => {
    const id = result.functions.length;
    const fact: TsFunction = { id, span: spanOf(file, node), callIndices: [], calleeIds: [], importedCalls: [] };
    const name = functionName(node, parent);
    if (name !== undefined) fact.name = name;
    result.functions.push(fact);
    result.functionNodes.push(node);
    result.functionIdByNode.set(node, id);
    // A function expression written inside another function is most often a callback it runs
    // (`.then(() => …)`, `setTimeout(() => …)`), so its calls count as the outer function's.
    if (context.functionId !== undefined && node.type !== 'FunctionDeclaration' && node.type !== 'ClassMethod' && node.type !== 'ObjectMethod') result.functions[context.functionId]!.calleeIds.push(id);
    if ((node.type === 'ClassMethod' || node.type === 'ClassPrivateMethod') && context.classNode && name !== undefined) result.classMethods.get(context.classNode)?.set(name, id);
    const scope = new Scope(context.scope);
    if (node.type === 'FunctionExpression' && node.id) scope.declare(node.id.name, 'function', node.id, { declaration: node });
    declareParams(node.params, scope);
    if (node.kind === 'constructor' && context.classNode) recordParameterProperties(node.params, context.classNode, scope);
    const inner: Context = { scope, functionId: id, ...(context.classNode ? { classNode: context.classNode } : {}), ...(context.timerDelay ? { timerDelay: context.timerDelay } : {}), ...(context.browserOnly ? { browserOnly: context.browserOnly } : {}) };
    if (node.body?.type === 'BlockStatement') {
      declareStatements(node.body.body, scope);
      visitStatements(node.body.body, node.body, inner);
    } else if (node.body) visit(node.body, node, inner);
    for (const param of node.params as AstNode[]) visit(param, node, inner);
    for (const decorator of (node.decorators ?? []) as AstNode[]) visit(decorator, node, context);
  };

  /** Visits an `if` or `?:` whose test says where the code runs; false (nothing visited) when it says nothing. */
  const visitGuarded = (node: AstNode, context: Context): boolean => {
    const side = guardSide(node.test, context.scope);
    if (!side) return false;
    const browser: Context = { ...context, browserOnly: { reason: { kind: 'guard', test: node.test, branch: side === 'browser' ? 'then' : 'else' }, at: node.test } };
    visit(node.test, node, context);
    visit(node.consequent, node, side === 'browser' ? browser : context);
    visit(node.alternate, node, side === 'server' ? browser : context);
    return true;
  };

  // A statement list: after `if (!browser) return;` (or `if (typeof window === 'undefined') throw …`) the rest runs only in a browser.
  const visitStatements = (statements: AstNode[], parent: AstNode, context: Context): void => {
    let current = context;
    for (const statement of statements) {
      visit(statement, parent, current);
      if (statement?.type === 'IfStatement' && !statement.alternate && !current.browserOnly && alwaysExits(statement.consequent) && guardSide(statement.test, current.scope) === 'server') {
        current = { ...current, browserOnly: { reason: { kind: 'early-return', test: statement.test }, at: statement.test } };
      }
    }
  };

  const visitCall = (node: AstNode, context: Context): void => {
    result.calls.push({ node, scope: context.scope, ...(context.functionId !== undefined ? { functionId: context.functionId } : {}), ...(context.classNode ? { classNode: context.classNode } : {}), ...(context.retryLoop ? { retryLoop: context.retryLoop } : {}), ...(context.browserOnly ? { browserOnly: context.browserOnly } : {}) });
    const path = memberPath(node.callee);
    if (path && path.length > 1 && path[0] !== 'this') {
      context.scope.lookup(path[0]!)?.events.push({ kind: 'call', path: path.slice(1), node, scope: context.scope, ...(context.timerDelay ? { timerDelay: context.timerDelay } : {}), ...(context.functionId !== undefined ? { functionId: context.functionId } : {}) });
    } else if (!path) {
      // `app.getHttpServer().setTimeout(600_000)` (NestJS).
      const via = httpServerOf(node.callee, context.scope);
      if (via) via.binding.events.push({ kind: 'call', path: ['getHttpServer()', via.member], node, scope: context.scope, ...(context.functionId !== undefined ? { functionId: context.functionId } : {}) });
    }
    const isTimer = node.callee.type === 'Identifier' && node.callee.name === 'setTimeout' && !context.scope.lookup('setTimeout');
    visit(node.callee, node, context);
    // `useEffect(() => …)`, `onMount(…)`: the callback runs only in a browser.
    const hook = node.arguments.length > 0 ? browserCallbackOf(node, context.scope) : undefined;
    const argumentContext = hook ? { ...context, browserOnly: { reason: { kind: 'callback' as const, name: hook }, at: node } } : context;
    (node.arguments as AstNode[]).forEach((argument, index) => {
      const delay = isTimer && index === 0 ? (node.arguments[1] as AstNode | undefined) : undefined;
      visit(argument, node, delay ? { ...argumentContext, timerDelay: delay } : argumentContext);
    });
  };

  const recordAssignment = (node: AstNode, context: Context): void => {
    const path = memberPath(node.left);
    if (path?.length === 1) {
      const binding = context.scope.lookup(path[0]!);
      if (binding?.kind !== 'mutable') return;
      // `Pool = (await import('pg')).default.Pool`: a `let` given its value later (resolved after the walk).
      // A `let` with a value keeps every later assignment too (`if (!t) t = 600_000`; nest-metadata.ts reads it).
      if (!binding.init && node.operator !== '=') return;
      binding.events.push({ kind: 'assign', path: [], node, scope: context.scope, ...(context.functionId !== undefined ? { functionId: context.functionId } : {}) });
      if (!binding.init) reassigned.add(binding);
      return;
    }
    if (!path) {
      // `app.getHttpServer().keepAliveTimeout = 65_000` (NestJS): recorded on `app`, behind a `getHttpServer()` step.
      const via = httpServerOf(node.left, context.scope);
      if (via) via.binding.events.push({ kind: 'assign', path: ['getHttpServer()', via.member], node, scope: context.scope, ...(context.functionId !== undefined ? { functionId: context.functionId } : {}) });
      return;
    }
    if (path.length < 2) return;
    if (path[0] === 'this') {
      if (path.length === 2 && context.classNode) result.thisMembers.get(context.classNode)?.set(path[1]!, { init: node.right, scope: context.scope });
      return;
    }
    context.scope.lookup(path[0]!)?.events.push({ kind: 'assign', path: path.slice(1), node, scope: context.scope, ...(context.functionId !== undefined ? { functionId: context.functionId } : {}) });
  };

  const recordParameterProperties = (params: AstNode[], classNode: AstNode, scope: Scope): void => {
    for (const param of params) {
      if (!isNode(param)) continue;
      const target = param.type === 'TSParameterProperty' ? param.parameter : param;
      const [name] = patternNames(target);
      const annotation = target?.typeAnnotation?.typeAnnotation;
      if (param.type === 'TSParameterProperty' && name && annotation?.type === 'TSTypeReference' && annotation.typeName.type === 'Identifier') {
        result.thisMembers.get(classNode)?.set(name.name, { typeName: annotation.typeName.name, declaration: param, scope });
      }
    }
  };

  visitStatements(program.body as AstNode[], program, { scope: result.moduleScope });
  for (const binding of reassigned) resolveAssignedImports(binding);
  return result;
}

/**
 * A `try` inside a loop reads as a hand-written retry when it has a `catch` and its block leaves
 * the loop on success (`return` or `break`): `for (…) { try { return await call(); } catch { … } }`.
 * A loop that only logs failures and goes on to the next item never leaves from its `try`.
 */
function isRetryTry(node: AstNode): boolean {
  if (!node.handler) return false;
  // A catch that always rethrows gives up after the first failure.
  if (((node.handler.body?.body ?? []) as AstNode[]).some((statement) => statement.type === 'ThrowStatement')) return false;
  let exits = false;
  const search = (child: AstNode): void => {
    if (exits || isFunctionNode(child) || RETRY_LOOPS.has(child.type) || child.type === 'SwitchStatement') return;
    if (child.type === 'ReturnStatement' || (child.type === 'BreakStatement' && !child.label)) exits = true;
    else forEachChild(child, search, undefined);
  };
  search(node.block);
  return exits;
}

function functionName(node: AstNode, parent: AstNode | undefined): string | undefined {
  if (node.id?.type === 'Identifier') return node.id.name;
  if (node.type === 'ClassMethod' || node.type === 'ObjectMethod') return keyName(node.key, node.computed);
  if (!parent) return undefined;
  if (parent.type === 'VariableDeclarator' && parent.id.type === 'Identifier') return parent.id.name;
  if (parent.type === 'ObjectProperty' || parent.type === 'ClassProperty') return keyName(parent.key, parent.computed);
  if (parent.type === 'AssignmentExpression') return memberPath(unwrap(parent.left))?.join('.');
  return undefined;
}

/**
 * A `let` declared without a value whose every assignment is an import (`Pool = (await
 * import('pg')).default.Pool`): one import for all of them makes it that import; several are kept
 * as the imports it may hold, for readers that know them to be alike. Any other assignment leaves it
 * a plain `let`.
 */
function resolveAssignedImports(binding: Binding): void {
  const refs: TsImportRef[] = [];
  for (const event of binding.events) {
    if (event.kind !== 'assign' || event.path.length > 0) continue;
    const ref = importOfExpression(event.node.right);
    if (!ref) return;
    refs.push(ref);
  }
  if (refs.length === 0) return;
  const same = refs.every((r) => r.module === refs[0]!.module && r.name === refs[0]!.name && (r.path ?? []).join('.') === (refs[0]!.path ?? []).join('.'));
  if (same) {
    binding.kind = 'import';
    binding.import = refs[0]!;
  } else binding.assignedImports = refs;
}

/** `app.getHttpServer().<member>`: the binding of `app` and the member (NestJS hands out its Node server this way). */
function httpServerOf(node: AstNode | undefined, scope: Scope): { binding: Binding; member: string } | undefined {
  const member = unwrap(node);
  if (member?.type !== 'MemberExpression' || member.computed) return undefined;
  const app = httpServerApp(member.object);
  const binding = app ? scope.lookup(app) : undefined;
  const name = keyName(member.property, false);
  return binding && name ? { binding, member: name } : undefined;
}

/** The name of `app` in `app.getHttpServer()`, else undefined. */
export function httpServerApp(node: AstNode | undefined): string | undefined {
  const call = unwrap(node);
  const callee = call?.type === 'CallExpression' && call.arguments.length === 0 ? unwrap(call.callee) : undefined;
  if (callee?.type !== 'MemberExpression' || callee.computed || keyName(callee.property, false) !== 'getHttpServer') return undefined;
  const app = unwrap(callee.object);
  return app?.type === 'Identifier' ? app.name : undefined;
}
