// Extracts the per-file facts of a parsed TypeScript/JavaScript file: imports, exports, constants, clients, outbound calls, servers and routes.
import { isFunctionNode, keyName, memberPath, unwrap, unwrapAwait, type AstNode } from './ast.js';
import type { TsFile } from './file.js';
import { readAxiosDefaults } from './axios-defaults.js';
import { browserOnlyEvidence } from './browser-guards.js';
import { readClient } from './clients.js';
import { HeartbeatReader } from './heartbeats.js';
import { extractDbFacts } from './db/extract.js';
import { FactsContext } from './context.js';
import type { ImportResolver } from './types.js';
import { readHelperCall, sameFileHelper, type HelperTarget } from './helper-calls.js';
import { readHttpCall } from './http.js';
import { readLlmCall } from './llm.js';
import { readFrameworkLlmCall } from './llm-frameworks.js';
import { readNestHttpModules, readNestHttpServiceCall } from './nest-http.js';
import { importedRef, readRoutes } from './routes.js';
import type { Binding } from './scope.js';
import { readRetryWrappers } from './retry-wrappers.js';
import { readFileRuntime } from './runtime.js';
import { appReturnedBy, readServer } from './servers.js';
import { readFetchSupplier, readSuppliedFetchCall } from './supplied-fetch.js';
import { readNextConfigHeaders, readStreamEvidence } from './streaming.js';
import { readCallArguments, readRaceDeadline } from './deadlines.js';
import { readClassFacts } from './class-facts.js';
import type { TsExport, TsFileFacts, TsOutboundCall } from './types.js';
import { walkProgram, type RawCall } from './walk.js';
import { readWebSocketServer } from './websockets.js';

export type * from './types.js';

export interface TsFactsOptions {
  /** Node.js major version of the workspace (see ts-node-version.ts), for version-dependent server defaults. */
  nodeMajor?: number;
  /** Cross-file callees (ts-imports.ts): a module re-exporting a library, a client made in another module. */
  importResolver?: ImportResolver;
}

/**
 * Reads the facts of one file. Never throws: an internal failure becomes a `not-analysed`
 * problem and the facts gathered so far are kept.
 */
export function extractTsFacts(tsFile: TsFile, options: TsFactsOptions = {}): TsFileFacts {
  const facts: TsFileFacts = { file: tsFile.file, imports: [], exports: [], constants: [], calls: [], clients: [], servers: [], routes: [], functions: [], envReads: [], problems: [...tsFile.problems] };
  if (!tsFile.program) return facts;
  try {
    extractInto(tsFile, tsFile.program, facts, options);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    facts.problems.push({ kind: 'not-analysed', message: `TypeScript facts could not be read completely: ${message}`, span: { file: tsFile.file, start: 0, end: 0 } });
  }
  return facts;
}

/** True when the facts hold anything the model uses (imports alone do not count); the pre-scan must keep every such file. */
export function tsFactsMatter(facts: TsFileFacts): boolean {
  return facts.calls.length > 0 || facts.clients.length > 0 || facts.db !== undefined || facts.servers.length > 0 || facts.routes.length > 0 || facts.envReads.length > 0 || facts.maxDuration !== undefined || facts.axiosDefaults !== undefined || facts.paramRoutes !== undefined
    || facts.functions.some((f) => f.streamEvidence !== undefined || f.deadlines !== undefined || f.deadlineFactory !== undefined) || facts.nextHeaders !== undefined || facts.webSocketServers !== undefined || facts.webSocketPings !== undefined
    || facts.exports.some((e) => e.value !== undefined && e.value.kind !== 'unknown') || facts.exports.some((e) => e.reexport !== undefined) || facts.fetchSuppliers !== undefined
    || facts.timeoutInterceptors !== undefined || facts.nestGlobalInterceptors !== undefined || facts.metadataDecorators !== undefined;
}

function extractInto(tsFile: TsFile, program: AstNode, facts: TsFileFacts, options: TsFactsOptions): void {
  const walk = walkProgram(tsFile.file, program);
  facts.functions = walk.functions;
  const ctx = new FactsContext(tsFile, walk, facts);
  ctx.clientReader = (node, scope, variable) => readClient(ctx, node, scope, variable);
  if (options.importResolver) ctx.importResolver = options.importResolver;
  for (const binding of walk.moduleScope.bindings.values()) {
    if (binding.kind === 'import') facts.imports.push({ local: binding.name, module: binding.import!.module, imported: binding.import!.name, span: ctx.span(binding.id) });
    else if (binding.kind === 'const' && binding.init) readClient(ctx, binding.init, binding.scope, binding.name);
  }
  // A global dispatcher changes the defaults of every fetch in the process; read it before the calls.
  for (const call of walk.calls) {
    const { root } = ctx.callee(call);
    if (root.kind !== 'library' || root.library !== 'undici' || root.name !== 'setGlobalDispatcher') continue;
    const argument = unwrap(call.node.arguments[0]);
    const binding = argument?.type === 'Identifier' ? call.scope.lookup(argument.name) : undefined;
    const index = argument ? readClient(ctx, binding?.init ?? argument, binding?.scope ?? call.scope, binding?.name) : undefined;
    if (index !== undefined) facts.clients[index]!.globalDispatcher = true;
  }
  const read: Array<{ raw: RawCall; call: TsOutboundCall }> = [];
  const heartbeats = new HeartbeatReader(ctx);
  for (const call of walk.calls) {
    heartbeats.see(call);
    const callee = ctx.callee(call);
    const fn = call.functionId !== undefined ? facts.functions[call.functionId] : undefined;
    if (fn && callee.root.kind === 'function') fn.calleeIds.push(callee.root.functionId);
    if (fn && callee.root.kind === 'imported') fn.importedCalls.push(importedRef(callee.root.ref, callee.path));
    if (fn) {
      const evidence = readStreamEvidence(ctx, call);
      if (evidence.length > 0) (fn.streamEvidence ??= []).push(...evidence);
      const deadline = readRaceDeadline(ctx, call);
      if (deadline) (fn.deadlines ??= []).push(deadline);
    }
    if (callee.root.kind === 'imported') {
      const called = readCallArguments(ctx, call, importedRef(callee.root.ref, callee.path));
      if (called) (facts.callArguments ??= []).push(called);
    }
    const webSocketServer = readWebSocketServer(ctx, call);
    if (webSocketServer) (facts.webSocketServers ??= []).push(webSocketServer);
    if (readServer(ctx, call, options.nodeMajor)) continue;
    const supplier = readFetchSupplier(ctx, call, callee);
    if (supplier) (facts.fetchSuppliers ??= []).push(supplier);
    const outbound = readLlmCall(ctx, call, callee) ?? readFrameworkLlmCall(ctx, call, callee) ?? readHttpCall(ctx, call, callee) ?? readNestHttpServiceCall(ctx, call, callee) ?? readSuppliedFetchCall(ctx, call, callee);
    if (!outbound) {
      // A fetch helper taking the caller's init: its fetch, read with this call's arguments.
      const helper = sameFileHelper(ctx, callee) ?? importedHelper(ctx, callee);
      const derivedCalls = helper ? readHelperCall(ctx, call, helper) : [];
      for (const derived of derivedCalls) {
        if (call.browserOnly && !derived.browserOnly) derived.browserOnly = browserOnlyEvidence(tsFile.file, tsFile.text, call.browserOnly);
        fn?.callIndices.push(facts.calls.length);
        facts.calls.push(derived);
        read.push({ raw: call, call: derived });
      }
      // The imported helper is represented by its calls read here; following it too would add its fetch without this init.
      if (fn && helper?.onlyThese && derivedCalls.length > 0 && callee.root.kind === 'imported') fn.importedCalls.pop();
      continue;
    }
    const via = ctx.importedVia(callee);
    if (via) outbound.evidence = [via];
    if (call.browserOnly && !outbound.browserOnly) outbound.browserOnly = browserOnlyEvidence(tsFile.file, tsFile.text, call.browserOnly);
    fn?.callIndices.push(facts.calls.length);
    facts.calls.push(outbound);
    read.push({ raw: call, call: outbound });
  }
  const pings = heartbeats.finish();
  if (pings.length > 0) facts.webSocketPings = pings;
  readRetryWrappers(ctx, read);
  const axiosDefaults = readAxiosDefaults(ctx);
  if (axiosDefaults.length > 0) facts.axiosDefaults = axiosDefaults;
  const nestHttpModules = readNestHttpModules(ctx);
  if (nestHttpModules.length > 0) facts.nestHttpModules = nestHttpModules;
  readExports(ctx, program);
  readClassFacts(ctx);
  // What exported functions return from their arguments, for route paths built by helpers in other files (route-paths.ts).
  for (const entry of facts.exports) {
    const fn = entry.functionId !== undefined ? facts.functions[entry.functionId] : undefined;
    if (!fn || fn.returns) continue;
    const returns = ctx.values.returnTemplate(walk.functionNodes[fn.id]!, walk.moduleScope);
    if (returns) fn.returns = returns;
  }
  // Exported functions that return a framework app (`createApp()`), for servers listening on their result in other files.
  for (const entry of facts.exports) {
    const fn = entry.functionId !== undefined ? facts.functions[entry.functionId] : undefined;
    if (!fn || fn.returnsApp) continue;
    const app = appReturnedBy(ctx, walk.functionNodes[fn.id]!, walk.moduleScope);
    if (app) fn.returnsApp = app;
  }
  for (const binding of walk.moduleScope.bindings.values()) {
    if (binding.kind !== 'const' || !binding.init || isFunctionNode(unwrap(binding.init))) continue;
    const value = ctx.values.bindingValue(binding, binding.id);
    if (value.kind === 'unknown') continue;
    facts.constants.push({ name: binding.name, value, exported: facts.exports.some((e) => e.name === binding.name && e.value === value), span: ctx.span(binding.id) });
  }
  readMaxDuration(ctx, facts);
  readRoutes(ctx, walk.calls, facts.imports);
  const nextHeaders = readNextConfigHeaders(ctx, tsFile.file, program);
  if (nextHeaders.length > 0) facts.nextHeaders = nextHeaders;
  for (const read of walk.envReads) facts.envReads.push({ name: read.name, span: ctx.span(read.node) });
  const db = extractDbFacts(ctx, program);
  if (db) facts.db = db;
  const runtime = readFileRuntime(program, tsFile.text);
  if (runtime) facts.runtime = runtime;
}

/** A helper another module exports, through the cross-file resolver (imports.ts). */
function importedHelper(ctx: FactsContext, callee: ReturnType<FactsContext['callee']>): HelperTarget | undefined {
  if (callee.root.kind !== 'imported' || !ctx.importResolver) return undefined;
  const ref = callee.root.ref;
  const resolved = ctx.importResolver(callee.path.length === 0 ? ref : { module: ref.module, name: ref.name === '*' ? callee.path[0]! : ref.name });
  if (resolved?.kind !== 'helper' || (ref.name !== '*' && callee.path.length > 0) || (ref.name === '*' && callee.path.length !== 1)) return undefined;
  return { name: resolved.name, calls: resolved.calls, onlyThese: resolved.onlyThese };
}

function readExports(ctx: FactsContext, program: AstNode): void {
  const scope = ctx.walk.moduleScope;
  const add = (name: string, binding: Binding | undefined, at: AstNode) => {
    const entry: TsExport = { name, span: ctx.span(at) };
    if (binding) describeBinding(ctx, binding, entry);
    ctx.facts.exports.push(entry);
  };
  for (const statement of program.body as AstNode[]) {
    if (statement.type === 'ExportNamedDeclaration') {
      const declaration = statement.declaration as AstNode | undefined;
      if (declaration?.type === 'VariableDeclaration') {
        for (const declarator of declaration.declarations as AstNode[]) if (declarator.id.type === 'Identifier') add(declarator.id.name, scope.lookup(declarator.id.name), declarator);
      } else if (declaration?.id) add(declaration.id.name, scope.lookup(declaration.id.name), declaration);
      for (const specifier of (statement.specifiers ?? []) as AstNode[]) {
        const exported = keyName(specifier.exported, false) ?? 'default';
        if (statement.source) {
          const imported = specifier.type === 'ExportNamespaceSpecifier' ? '*' : keyName(specifier.local, false) ?? 'default';
          ctx.facts.exports.push({ name: exported, reexport: { module: statement.source.value, name: imported }, span: ctx.span(specifier) });
        } else add(exported, scope.lookup(specifier.local.name), specifier);
      }
    } else if (statement.type === 'ExportAllDeclaration') {
      ctx.facts.exports.push({ name: '*', reexport: { module: statement.source.value, name: '*' }, span: ctx.span(statement) });
    } else if (statement.type === 'ExportDefaultDeclaration') {
      const declaration = statement.declaration as AstNode;
      if (declaration.id) add('default', scope.lookup(declaration.id.name), statement);
      else if (declaration.type === 'Identifier') add('default', scope.lookup(declaration.name), statement);
      else ctx.facts.exports.push(describeExpression(ctx, 'default', declaration, statement));
    } else if (statement.type === 'ExpressionStatement' && statement.expression.type === 'AssignmentExpression') {
      readCommonJsExport(ctx, statement.expression);
    }
  }
}

/** `module.exports = {...}`, `module.exports.X = …` and `exports.X = …`. */
function readCommonJsExport(ctx: FactsContext, assignment: AstNode): void {
  const path = memberPath(assignment.left)?.join('.');
  if (path === 'module.exports') {
    const right = unwrap(assignment.right);
    if (right?.type === 'ObjectExpression') {
      for (const property of right.properties as AstNode[]) {
        const name = property.type === 'ObjectProperty' ? keyName(property.key, property.computed) : undefined;
        if (name !== undefined) ctx.facts.exports.push(describeExpression(ctx, name, property.value, property));
      }
    } else ctx.facts.exports.push(describeExpression(ctx, 'default', assignment.right, assignment));
    return;
  }
  const match = path ? /^(?:module\.)?exports\.([\w$]+)$/.exec(path) : null;
  if (match) ctx.facts.exports.push(describeExpression(ctx, match[1]!, assignment.right, assignment));
}

function describeExpression(ctx: FactsContext, name: string, expression: AstNode, at: AstNode): TsExport {
  const entry: TsExport = { name, span: ctx.span(at) };
  const node = unwrap(expression);
  if (node?.type === 'Identifier') {
    const binding = ctx.walk.moduleScope.lookup(node.name);
    if (binding) describeBinding(ctx, binding, entry);
    return entry;
  }
  const functionId = node ? ctx.walk.functionIdByNode.get(node) : undefined;
  if (functionId !== undefined) entry.functionId = functionId;
  else if (node) {
    // `export default new OpenAI(…)` creates a client no binding holds: read it here.
    const clientIndex = ctx.clientIndexByNode.get(unwrapAwait(node)!) ?? ctx.clientReader(node, ctx.walk.moduleScope);
    if (clientIndex !== undefined) entry.clientIndex = clientIndex;
    else entry.value = ctx.values.evaluate(node, ctx.walk.moduleScope);
  }
  return entry;
}

function describeBinding(ctx: FactsContext, binding: Binding, entry: TsExport): void {
  const target = binding.declaration ?? unwrap(binding.init);
  const functionId = target ? ctx.walk.functionIdByNode.get(target) : undefined;
  if (functionId !== undefined) return void (entry.functionId = functionId);
  const clientIndex = binding.init ? ctx.clientIndexByNode.get(unwrapAwait(binding.init)!) : undefined;
  if (clientIndex !== undefined) return void (entry.clientIndex = clientIndex);
  if (binding.kind === 'const' || binding.kind === 'import' || binding.kind === 'rest') entry.value = ctx.values.bindingValue(binding, binding.id);
}

function readMaxDuration(ctx: FactsContext, facts: TsFileFacts): void {
  const exported = facts.exports.find((e) => e.name === 'maxDuration' && e.value);
  const binding = ctx.walk.moduleScope.bindings.get('maxDuration');
  if (!exported?.value || !binding?.init) return;
  // Next.js reads route segment config statically: only a plain literal counts (facts §11.2, P19).
  facts.maxDuration = { value: exported.value, staticLiteral: unwrap(binding.init)?.type === 'NumericLiteral', span: ctx.span(binding.init) };
}
