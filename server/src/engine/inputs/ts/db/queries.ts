// Which functions use which database client: queries, transactions and pooled connections, through a client made here, an imported one, or a Mongoose model.
import { keyName, unwrap, unwrapAwait, type AstNode } from '../ast.js';
import type { FactsContext } from '../context.js';
import { findProperty } from '../values.js';
import type { Binding } from '../scope.js';
import type { RawCall } from '../walk.js';
import { defaultOf, effectiveTimeouts } from './timeouts.js';
import { knobsOf, type DbKnob } from './specs.js';
import type { DbClient, DbQuery, DbQueryTarget, DbTimeout, TsDbFacts } from './types.js';

/**
 * Methods that mark a call on an imported name as a database use (the name's module decides later
 * whether it holds a client). Distinctive names only: `find` counts on a capitalised model name.
 * The pre-scan (select.ts) builds its trigger from this list.
 */
export const IMPORTED_QUERY_METHODS = [
  'query', 'execute', 'connect', '$transaction', '$queryRaw', '$queryRawUnsafe', '$executeRaw', '$executeRawUnsafe',
  'findMany', 'findUnique', 'findUniqueOrThrow', 'findFirst', 'findFirstOrThrow', 'findOne', 'findById', 'findOneAndUpdate', 'findByIdAndUpdate',
  'collection', 'aggregate', 'countDocuments', 'insertOne', 'insertMany', 'updateOne', 'updateMany', 'deleteOne', 'deleteMany', 'upsert', 'createMany', 'getRepository',
] as const;
const IMPORTED_METHODS: ReadonlySet<string> = new Set(IMPORTED_QUERY_METHODS);
/**
 * Drizzle's query builders (`db.select().from(t)`, `db.insert(t).values(…)`): counted on an imported
 * name only when a builder step follows, since `update`/`delete` alone are common method names.
 */
const DRIZZLE_BUILDERS: ReadonlySet<string> = new Set(['select', 'selectDistinct', 'selectDistinctOn', 'insert', 'update', 'delete', 'with']);
const DRIZZLE_STEPS: ReadonlySet<string> = new Set(['from', 'values', 'set', 'where', 'returning', 'onConflictDoUpdate', 'onConflictDoNothing', 'select', 'insert', 'update', 'delete']);
/** The pre-scan's trigger for a Drizzle builder chain (select.ts), and for a tagged-template query (`sql\`…\``). */
export const DRIZZLE_CALL_TRIGGER = `\\.(?:select|selectDistinct|insert|update|delete)\\([^)]*\\)\\s*\\.(?:from|values|set|where)\\b|\\bsql\``;
/** Model methods read only on a capitalised receiver (`User.find(…)`). */
export const MODEL_ONLY_METHODS: ReadonlySet<string> = new Set(['find', 'create', 'updateMany', 'count']);
/** A query builder called with a table name and chained (`db('orders').where(…)`), as the pre-scan matches it. */
export const BUILDER_CALL_TRIGGER = `[\\w$]\\(\\s*['"][\\w.]+['"]\\s*\\)\\s*\\.`;

// Calls on a client that are lifecycle, not work done for a request.
const LIFECYCLE = new Set(['on', 'once', 'off', 'end', 'quit', 'disconnect', '$connect', '$disconnect', '$on', '$use', '$extends', 'close', 'destroy', 'initialize', 'sync', 'authenticate', 'model', 'Schema', 'set']);

export const PRISMA_TRANSACTION: DbKnob[] = [
  { role: 'transaction', option: 'timeout', defaultMs: 5000 },
  { role: 'transaction-wait', option: 'maxWait', defaultMs: 2000 },
];

/**
 * Reads one call as a database use, when its receiver is a client (`clientByBinding`), a Mongoose
 * model, or an imported name with a query method. Only the outermost call of a chain counts
 * (`knex('t').where(…).first()` is one use).
 */
export function readDbQuery(ctx: FactsContext, call: RawCall, clientByBinding: ReadonlyMap<Binding, number>, clientByThisMember: ReadonlyMap<string, number>, models: ReadonlySet<Binding>, vercel?: VercelClient): DbQuery | undefined {
  // A tagged template (`sql\`select …\``, `prisma.$queryRaw\`…\``) runs a query on the client its tag names.
  const tagged = call.node.type === 'TaggedTemplateExpression';
  if (!tagged && isInnerLink(ctx, call.node)) return undefined;
  const chain = chainOf(tagged ? call.node.tag : call.node.callee);
  if (!chain) return undefined;
  const { base, names, links } = chain;
  // `.set()` ends a Drizzle `update(t).set(…)`, not a Mongoose setting.
  if (names.length > 0 && LIFECYCLE.has(names[names.length - 1]!) && !names.slice(0, -1).some((n) => DRIZZLE_BUILDERS.has(n))) return undefined;
  let target: DbQueryTarget | undefined;
  if (base.type === 'ThisExpression') {
    const index = names[0] !== undefined ? clientByThisMember.get(`this.${names[0]}`) : undefined;
    if (index !== undefined) target = { kind: 'client', clientIndex: index };
    names.shift();
  } else {
    const binding = call.scope.lookup(base.name);
    if (!binding) return undefined;
    const index = clientByBinding.get(binding);
    const vercelIndex = vercel?.bindings.has(binding) ? vercel.use() : undefined;
    if (index !== undefined) target = { kind: 'client', clientIndex: index };
    else if (vercelIndex !== undefined) target = { kind: 'client', clientIndex: vercelIndex };
    else if (models.has(binding)) target = { kind: 'mongoose-model', model: binding.name };
    else if (binding.kind === 'import' && binding.import!.module.startsWith('.')) {
      const capitalised = /^[A-Z]/.test(base.name);
      // `db('orders').where(…)`: a query builder called with a table name (Knex), the pre-scan's KNEX_CALL.
      const builderCall = links.some((l) => unwrap(l.node.callee) === base && unwrap((l.node.arguments as AstNode[])[0])?.type === 'StringLiteral') && names.length > 0;
      const drizzleBuilder = names.length >= 2 && DRIZZLE_BUILDERS.has(names[0]!) && DRIZZLE_STEPS.has(names[1]!);
      // `sql\`…\`` on an imported name: a query only if the name turns out to be a client (links.ts decides).
      if (tagged || builderCall || drizzleBuilder || names.some((n) => IMPORTED_METHODS.has(n) || (capitalised && MODEL_ONLY_METHODS.has(n)))) target = { kind: 'import', ref: { module: binding.import!.module, name: binding.import!.name } };
    }
  }
  if (!target || (names.length === 0 && target.kind !== 'client' && !tagged)) return undefined;
  const method = tagged ? `${[base.type === 'ThisExpression' ? 'this' : base.name, ...names].join('.')}\`…\`` : names.join('.') || '(call)';
  const query: DbQuery = { target, method, timeouts: [], span: ctx.span(call.node) };
  if (tagged) {
    if (call.functionId !== undefined) query.functionId = call.functionId;
    return query;
  }
  if (call.functionId !== undefined) query.functionId = call.functionId;
  readQueryTimeouts(ctx, call, names, [...links, { name: names[names.length - 1] ?? '', node: call.node }], query.timeouts);
  return query;
}

/** Per-call timers: a Prisma interactive transaction's options, a mysql2 `{ sql, timeout }`, Knex `.timeout(ms)`, Mongoose `.maxTimeMS(ms)`. */
function readQueryTimeouts(ctx: FactsContext, call: RawCall, names: string[], links: Array<{ name: string; node: AstNode }>, out: DbTimeout[]): void {
  const args = call.node.arguments as AstNode[];
  const last = names[names.length - 1];
  if (last === '$transaction' && args[0] && /Function/.test(unwrap(args[0])!.type)) {
    const options = args[1] ? ctx.values.evaluate(args[1], call.scope) : undefined;
    for (const knob of PRISMA_TRANSACTION) {
      const property = options?.kind === 'object' ? findProperty(options, knob.option!) : undefined;
      if (property?.value.kind === 'number') out.push({ role: knob.role, option: knob.option!, source: 'set', ms: property.value.value, text: property.value.text, via: 'options', span: property.span, factsRef: '§17' });
      else if (property || (options && options.kind !== 'object') || (options?.kind === 'object' && options.openSpread)) out.push({ role: knob.role, option: knob.option!, source: 'unknown', text: 'unknown', factsRef: '§17', ...(property ? { span: property.span } : {}) });
      else out.push(defaultOf(knob));
    }
  }
  if ((last === 'query' || last === 'execute') && unwrap(args[0])?.type === 'ObjectExpression') {
    const options = ctx.values.evaluate(args[0], call.scope);
    const property = options.kind === 'object' ? findProperty(options, 'timeout') : undefined;
    if (property?.value.kind === 'number') out.push({ role: 'query', option: 'timeout', source: 'set', ms: property.value.value, text: property.value.text, via: 'options', span: property.span, factsRef: '§17' });
  }
  for (const link of links) {
    if (link.name !== 'timeout' && link.name !== 'maxTimeMS') continue;
    const value = ctx.values.evaluate((link.node.arguments as AstNode[])[0], call.scope);
    const role = link.name === 'maxTimeMS' ? 'statement' : 'query';
    if (value.kind === 'number') out.push({ role, option: `.${link.name}()`, source: 'set', ms: value.value, text: value.text, via: 'options', span: ctx.span(link.node), factsRef: '§17' });
  }
}

/** The `@vercel/postgres` pool a file uses through `sql` or `db`: made on the first query (one client per file, at its import). */
export interface VercelClient {
  bindings: ReadonlySet<Binding>;
  use(): number;
}

export function vercelClientOf(ctx: FactsContext, facts: TsDbFacts): VercelClient | undefined {
  const bindings = new Set([...ctx.walk.moduleScope.bindings.values()].filter((b) => b.kind === 'import' && b.import!.module === '@vercel/postgres' && (b.import!.name === 'sql' || b.import!.name === 'db')));
  if (bindings.size === 0) return undefined;
  let index: number | undefined;
  return {
    bindings,
    use() {
      if (index !== undefined) return index;
      index = facts.clients.length;
      const first = [...bindings][0]!;
      // The package reads POSTGRES_URL (@vercel/postgres `createPool`); its pool's timeouts are not in the facts file.
      const client: DbClient = {
        library: 'vercel-postgres',
        constructorName: `@vercel/postgres ${first.import!.name}`,
        exportedAs: [],
        urlEnv: 'POSTGRES_URL',
        urlText: '$POSTGRES_URL',
        timeouts: effectiveTimeouts(knobsOf('vercel-postgres', undefined), { kind: 'object', properties: [], openSpread: false, span: ctx.span(first.id) }, { env: 'POSTGRES_URL' }),
        optionsUnknown: false,
        postgres: true,
        span: ctx.span(first.id),
      };
      facts.clients.push(client);
      return index;
    },
  };
}

/** True when the call is the object of a member that is itself called (`a.b()` in `a.b().c()`): the outer call stands for the chain. */
function isInnerLink(ctx: FactsContext, node: AstNode): boolean {
  const parent = ctx.walk.parents.get(node);
  if (parent?.type !== 'MemberExpression' && parent?.type !== 'OptionalMemberExpression') return false;
  const grand = ctx.walk.parents.get(parent);
  return (grand?.type === 'CallExpression' || grand?.type === 'OptionalCallExpression') && grand.callee === parent;
}

/** The base identifier (or `this`) of a call chain, the member names along it, and the calls in it. */
function chainOf(callee: AstNode): { base: AstNode; names: string[]; links: Array<{ name: string; node: AstNode }> } | undefined {
  const names: string[] = [];
  const links: Array<{ name: string; node: AstNode }> = [];
  let current = unwrapAwait(callee);
  while (current) {
    if (current.type === 'MemberExpression' || current.type === 'OptionalMemberExpression') {
      const name = keyName(current.property, current.computed);
      if (name === undefined) return undefined;
      names.unshift(name);
      current = unwrapAwait(current.object);
    } else if (current.type === 'CallExpression' || current.type === 'OptionalCallExpression') {
      const called = unwrap(current.callee);
      const calledName = called?.type === 'Identifier' ? called.name : called && (called.type === 'MemberExpression' || called.type === 'OptionalMemberExpression') ? keyName(called.property, called.computed) : undefined;
      if (calledName !== undefined) links.push({ name: calledName, node: current });
      current = unwrapAwait(current.callee);
    } else break;
  }
  if (!current || (current.type !== 'Identifier' && current.type !== 'ThisExpression')) return undefined;
  return { base: current, names, links };
}
