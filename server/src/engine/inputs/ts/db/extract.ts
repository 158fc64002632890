// Reads a file's database facts in the per-file TypeScript pass: clients, Mongoose models, what the module exports of them, and the queries of each function.
import { keyName, memberPath, unwrap, unwrapAwait, type AstNode } from '../ast.js';
import type { FactsContext } from '../context.js';
import type { Binding } from '../scope.js';
import { isDbModule, readDbClient, variableOf } from './clients.js';
import { readDbQuery, vercelClientOf } from './queries.js';
import { migrationSettings } from './server-settings.js';
import type { DbClient, TsDbFacts } from './types.js';

/** The database facts of one file; undefined when it makes no client and runs no query. */
export function extractDbFacts(ctx: FactsContext, program: AstNode): TsDbFacts | undefined {
  const facts: TsDbFacts = { clients: [], queries: [], modelExports: [] };
  const clientByBinding = new Map<Binding, number>();
  const clientByThisMember = new Map<string, number>();
  const clientByNode = new Map<AstNode, number>();
  const models = new Set<Binding>();
  // Imported at the top, or loaded where it is used (`Pool = (await import('pg')).default.Pool`).
  const importsDb = [...ctx.walk.moduleScope.bindings.values()].some((b) => b.kind === 'import' && isDbModule(b.import!.module))
    || ctx.walk.calls.some((c) => c.node.callee?.type === 'Import' && c.node.arguments[0]?.type === 'StringLiteral' && isDbModule(c.node.arguments[0].value as string));
  if (importsDb) {
    for (const call of ctx.walk.calls) {
      if (isMongooseModel(call.node, call.scope)) {
        const binding = bindingHolding(ctx, call.scope, call.node);
        if (binding) models.add(binding);
        continue;
      }
      const client = readDbClient(ctx, call);
      if (!client) continue;
      if (client.wrapsNode) linkWrapped(ctx, call.scope, client, clientByBinding, clientByThisMember);
      delete client.wrapsNode;
      const index = facts.clients.length;
      const variable = variableOf(ctx, call);
      if (variable) client.variable = variable;
      facts.clients.push(client);
      clientByNode.set(call.node, index);
      if (variable?.startsWith('this.')) clientByThisMember.set(variable, index);
      const binding = variable && !variable.includes('.') ? bindingHolding(ctx, call.scope, call.node) : undefined;
      if (binding) clientByBinding.set(binding, index);
    }
  }
  // `import { sql } from '@vercel/postgres'`: the module's own pool, made on first use (one per file).
  const vercel = importsDb ? vercelClientOf(ctx, facts) : undefined;
  for (const call of [...ctx.walk.calls, ...ctx.walk.taggedTemplates]) {
    const query = readDbQuery(ctx, call, clientByBinding, clientByThisMember, models, vercel);
    if (query) facts.queries.push(query);
  }
  if (facts.clients.length > 0 || models.size > 0) readExportNames(ctx, program, facts, clientByBinding, clientByNode, models);
  const settings = migrationSettings(ctx);
  if (settings.length > 0) facts.serverSettings = settings;
  return facts.clients.length > 0 || facts.queries.length > 0 || facts.modelExports.length > 0 || settings.length > 0 ? facts : undefined;
}

/** `drizzle(pool)`, `drizzle({ client: pool })`: the client it wraps, made in this file (earlier) or imported; unknown otherwise. */
function linkWrapped(ctx: FactsContext, scope: import('../scope.js').Scope, client: DbClient & { wrapsNode?: AstNode }, clientByBinding: ReadonlyMap<Binding, number>, clientByThisMember: ReadonlyMap<string, number>): void {
  const node = unwrapAwait(client.wrapsNode);
  const path = node ? memberPath(node) : undefined;
  if (path?.length === 2 && path[0] === 'this') {
    const index = clientByThisMember.get(path.join('.'));
    if (index !== undefined) return void (client.wraps = { kind: 'client', clientIndex: index });
  } else if (path?.length === 1) {
    const binding = scope.lookup(path[0]!);
    const index = binding ? clientByBinding.get(binding) : undefined;
    if (index !== undefined) return void (client.wraps = { kind: 'client', clientIndex: index });
    if (binding?.kind === 'import' && binding.import!.module.startsWith('.')) return void (client.wraps = { kind: 'import', ref: { module: binding.import!.module, name: binding.import!.name } });
  }
  // A client the file cannot name (a parameter, a call's result): what bounds its queries is not known.
  client.optionsUnknown = true;
}

/** `mongoose.model('User', schema)`, `model('User', schema)` and `mongoose.models.User || mongoose.model(…)` from 'mongoose'. */
function isMongooseModel(node: AstNode, scope: import('../scope.js').Scope): boolean {
  if (node.type !== 'CallExpression') return false;
  const path = memberPath(unwrap(node.callee));
  if (!path) return false;
  const binding = scope.lookup(path[0]!);
  if (binding?.kind !== 'import' || binding.import!.module !== 'mongoose') return false;
  const name = path.length === 1 ? binding.import!.name : path.slice(1).join('.');
  return name === 'model';
}

function bindingHolding(ctx: FactsContext, scope: import('../scope.js').Scope, node: AstNode): Binding | undefined {
  for (const s of [scope, ctx.walk.moduleScope]) for (const binding of s.bindings.values()) if (binding.init && holds(binding.init, node)) return binding;
  return undefined;
}

function holds(expression: AstNode | undefined, node: AstNode): boolean {
  const current = unwrapAwait(expression);
  if (!current) return false;
  if (current === node) return true;
  if (current.type === 'LogicalExpression') return holds(current.left, node) || holds(current.right, node);
  if (current.type === 'ConditionalExpression') return holds(current.consequent, node) || holds(current.alternate, node);
  return false;
}

/** Names the module exports its clients and models under: ESM exports and CommonJS `module.exports`. */
function readExportNames(ctx: FactsContext, program: AstNode, facts: TsDbFacts, clientByBinding: ReadonlyMap<Binding, number>, clientByNode: ReadonlyMap<AstNode, number>, models: ReadonlySet<Binding>): void {
  const scope = ctx.walk.moduleScope;
  const exportLocal = (local: string, exported: string) => {
    const binding = scope.lookup(local);
    if (!binding) return;
    const index = clientByBinding.get(binding);
    if (index !== undefined) facts.clients[index]!.exportedAs.push(exported);
    if (models.has(binding)) facts.modelExports.push(exported);
  };
  const exportExpression = (expression: AstNode | undefined, exported: string) => {
    const node = unwrapAwait(expression);
    if (!node) return;
    if (node.type === 'Identifier') return exportLocal(node.name, exported);
    const index = clientByNode.get(node);
    if (index !== undefined) facts.clients[index]!.exportedAs.push(exported);
    else if (isMongooseModel(node, scope)) facts.modelExports.push(exported);
  };
  for (const statement of program.body as AstNode[]) {
    if (statement.type === 'ExportNamedDeclaration' && !statement.source) {
      const declaration = statement.declaration as AstNode | undefined;
      if (declaration?.type === 'VariableDeclaration') for (const d of declaration.declarations as AstNode[]) if (d.id.type === 'Identifier') exportLocal(d.id.name, d.id.name);
      for (const specifier of (statement.specifiers ?? []) as AstNode[]) exportLocal(specifier.local.name, keyName(specifier.exported, false) ?? 'default');
    } else if (statement.type === 'ExportDefaultDeclaration') exportExpression(statement.declaration, 'default');
    else if (statement.type === 'ExpressionStatement' && statement.expression.type === 'AssignmentExpression') {
      const left = memberPath(statement.expression.left)?.join('.');
      const right = unwrap(statement.expression.right);
      if (left === 'module.exports' && right?.type === 'ObjectExpression') {
        for (const property of right.properties as AstNode[]) if (property.type === 'ObjectProperty') exportExpression(property.value, keyName(property.key, property.computed) ?? '');
      } else if (left === 'module.exports') exportExpression(right, 'default');
      else if (left && /^(?:module\.)?exports\.[\w$]+$/.test(left)) exportExpression(right, left.split('.').at(-1)!);
    }
  }
}
