// Database and cache clients made in a file: pg Pool/Client, postgres(), mysql2, ioredis, redis, PrismaClient, MongoClient, mongoose, knex, TypeORM, Sequelize.
import { memberPath, unwrap, unwrapAwait, type AstNode } from '../ast.js';
import type { FactsContext } from '../context.js';
import { findProperty } from '../values.js';
import type { RawCall } from '../walk.js';
import type { Binding } from '../scope.js';
import type { TsValue } from '../types.js';
import { isConnectionUrl, maskCredentials } from './connection-string.js';
import { knobsOf } from './specs.js';
import { PRISMA_TRANSACTION } from './queries.js';
import { effectiveTimeouts, type ConnectionString } from './timeouts.js';
import type { DbClient, DbConnectionPart, DbLibrary } from './types.js';

/** The database library a module specifier names, if any. */
export function dbLibraryOfModule(module: string): DbLibrary | undefined {
  // Neon's serverless driver is node-postgres with a WebSocket transport, a drop-in replacement for
  // pg (its README): its Pool and Client take pg's options (its `neon()` HTTP function is no client here).
  if (module === 'pg' || module === 'pg-pool' || module === '@neondatabase/serverless') return 'pg';
  if (module === 'postgres') return 'postgres';
  if (module === 'mysql2' || module === 'mysql2/promise') return 'mysql2';
  if (module === 'ioredis') return 'ioredis';
  if (module === 'redis' || module === '@redis/client') return 'redis';
  if (module === '@prisma/client' || /(?:^|\/)(?:generated\/)?prisma(?:\/client)?$/.test(module)) return 'prisma';
  if (module === 'mongodb') return 'mongodb';
  if (module === 'mongoose') return 'mongoose';
  if (module === 'knex') return 'knex';
  if (module === 'typeorm') return 'typeorm';
  if (module === 'sequelize' || module === 'sequelize-typescript') return 'sequelize';
  if (module === '@vercel/postgres') return 'vercel-postgres';
  return undefined;
}

/** The client a Drizzle driver module makes or wraps (drizzle-orm 0.45 `node-postgres`, `postgres-js`, `mysql2` drivers). */
const DRIZZLE_DRIVERS: Record<string, { library: DbLibrary; variant?: string; urlOption: string }> = {
  'drizzle-orm/node-postgres': { library: 'pg', variant: 'Pool', urlOption: 'connectionString' },
  'drizzle-orm/postgres-js': { library: 'postgres', urlOption: 'url' },
  'drizzle-orm/mysql2': { library: 'mysql2', urlOption: 'uri' },
};

/** True for a module specifier that makes database clients (a client library or a Drizzle driver). */
export function isDbModule(module: string): boolean {
  return dbLibraryOfModule(module) !== undefined || module in DRIZZLE_DRIVERS;
}

/** A construction recognised: which library, the constructor's name, and where its options and connection string are. */
interface Construction {
  library: DbLibrary;
  constructorName: string;
  /** Knob table variant: pg `Pool`/`Client`, a TypeORM or Sequelize dialect. */
  variant?: string;
  options?: AstNode;
  url?: AstNode;
  /** `drizzle(pool)`, `drizzle({ client })`: the client it wraps. */
  wraps?: AstNode;
}

/**
 * Reads `call` as a client construction. The callee's root must be imported from the client's
 * module (ESM import or `require`); anything else is not a client the model knows.
 */
export function readDbClient(ctx: FactsContext, call: RawCall): (DbClient & { wrapsNode?: AstNode }) | undefined {
  const construction = recognise(ctx, call);
  if (!construction) return undefined;
  if (construction.wraps) {
    // The wrapped client's timeouts apply (extract.ts links it); nothing of its own to read.
    return { library: construction.library, constructorName: construction.constructorName, exportedAs: [], timeouts: [], optionsUnknown: false, span: ctx.span(call.node), wrapsNode: construction.wraps };
  }
  const evaluate = (node: AstNode | undefined): TsValue | undefined => (node ? ctx.values.evaluate(node, call.scope) : undefined);
  let options = evaluate(construction.options);
  let urlValue = evaluate(construction.url);
  // Options that carry the connection string inside (`{ connectionString }`, `{ url }`, knex `connection: '…'`, Prisma `datasourceUrl`).
  if (!urlValue && options?.kind === 'object') urlValue = urlInOptions(construction.library, options);
  if (construction.library === 'typeorm' || construction.library === 'sequelize') construction.variant = dialectOf(options, urlValue);
  if (construction.library === 'knex' && options?.kind === 'object') {
    const connection = findProperty(options, 'connection')?.value;
    if (connection && connection.kind !== 'object') options = { ...options, properties: options.properties.filter((p) => p.name !== 'connection') };
  }
  // Prisma 7 driver adapters take pool and timeouts from the driver passed in; the URL parameters belong to the v6 engine (facts §17).
  const adapter = construction.library === 'prisma' && options?.kind === 'object' && findProperty(options, 'adapter') !== undefined;
  const url = adapter ? { unknown: true } : connectionString(construction.library, urlValue);
  const client: DbClient = {
    library: construction.library,
    constructorName: construction.constructorName,
    exportedAs: [],
    timeouts: effectiveTimeouts(knobsOf(construction.library, construction.variant), options ?? { kind: 'object', properties: [], openSpread: false, span: ctx.span(call.node) }, url),
    optionsUnknown: options !== undefined && (options.kind !== 'object' || options.openSpread),
    span: ctx.span(call.node),
  };
  if (construction.variant !== undefined) client.variant = construction.variant;
  const transactionOptions = construction.library === 'prisma' && options?.kind === 'object' ? findProperty(options, 'transactionOptions')?.value : undefined;
  if (transactionOptions) client.transactionDefaults = effectiveTimeouts(PRISMA_TRANSACTION, transactionOptions, undefined);
  if (url?.text !== undefined) client.urlText = maskCredentials(url.text);
  else if (url?.env) client.urlText = `$${url.env}`;
  if (url?.env) client.urlEnv = url.env;
  if (url?.fallback !== undefined) client.urlFallback = maskCredentials(url.fallback);
  if (url?.span) client.urlSpan = url.span;
  const optionsNode = unwrap(construction.options);
  if (optionsNode?.type === 'ObjectExpression') client.optionsSpan = ctx.span(optionsNode);
  const target = connectionTarget(construction.library, options, urlValue);
  if (target) client.target = target;
  if (isPostgresClient(construction, options, urlValue)) client.postgres = true;
  return client;
}

/** True when the client speaks to Postgres: by library, dialect, knex `client`, or the connection string's scheme. */
function isPostgresClient(construction: Construction, options: TsValue | undefined, url: TsValue | undefined): boolean {
  if (construction.library === 'pg' || construction.library === 'postgres' || construction.library === 'vercel-postgres') return true;
  if (construction.variant === 'postgres') return true;
  if (construction.library === 'knex') {
    const client = options?.kind === 'object' ? findProperty(options, 'client')?.value : undefined;
    return client?.kind === 'string' && /^(?:pg|postgres|postgresql|pgnative|cockroachdb)$/.test(client.value);
  }
  if (construction.library === 'prisma') return url?.kind === 'string' && /^postgres(?:ql)?:/.test(url.value);
  return false;
}

/** Host, user and database the client connects to, from its options (knex under `connection`) and its connection string. */
function connectionTarget(library: DbLibrary, options: TsValue | undefined, url: TsValue | undefined): DbClient['target'] {
  const target: NonNullable<DbClient['target']> = {};
  const holder = library === 'knex' && options?.kind === 'object' ? findProperty(options, 'connection')?.value : library === 'sequelize' && options?.kind === 'object' ? options : options;
  const part = (value: TsValue | undefined): DbConnectionPart | undefined => {
    if (!value) return undefined;
    if (value.kind === 'string') return { text: value.value };
    if (value.kind === 'env') return { env: value.name, ...(value.default?.kind === 'string' ? { fallback: value.default.value } : {}) };
    return { unknown: true };
  };
  if (holder?.kind === 'object') {
    const host = part(findProperty(holder, 'host')?.value ?? findProperty(holder, 'hostname')?.value);
    const user = part(findProperty(holder, 'user')?.value ?? findProperty(holder, 'username')?.value);
    const database = part(findProperty(holder, 'database')?.value ?? findProperty(holder, 'db')?.value);
    if (host) target.host = host;
    if (user) target.user = user;
    if (database) target.database = database;
  }
  // Parts the options leave out come from the connection string (read per chain when it is an env value).
  if (url?.kind === 'string') {
    const parts = urlTargetParts(url.value);
    for (const key of ['host', 'user', 'database'] as const) if (!target[key] && parts[key] !== undefined) target[key] = { text: parts[key]! };
  }
  return Object.keys(target).length > 0 ? target : undefined;
}

/** Host, user and database of a `scheme://user:pass@host:port/database?…` connection string. */
export function urlTargetParts(text: string): { host?: string; user?: string; database?: string } {
  const match = /^[a-z][a-z0-9+.-]*:\/\/(?:([^:@/?#]*)(?::[^@/?#]*)?@)?([^/:?#,]*)(?::\d+)?(?:\/([^?#]*))?/i.exec(text.trim());
  if (!match) return {};
  const out: { host?: string; user?: string; database?: string } = {};
  const decode = (s: string) => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  };
  if (match[1]) out.user = decode(match[1]);
  if (match[2]) out.host = decode(match[2]).toLowerCase();
  if (match[3]) out.database = decode(match[3]);
  return out;
}

/**
 * A `let` assigned different imports in different branches (`Pool = neon.Pool` or `pg.Pool`, picked at
 * run time): the same constructor of one database library whichever branch runs, so it is read as
 * the first; anything else stays unknown.
 */
function alikeDbImport(binding: Binding): Binding | undefined {
  const refs = binding.assignedImports;
  if (!refs || refs.length === 0) return undefined;
  const library = dbLibraryOfModule(refs[0]!.module);
  const alike = library !== undefined && refs.every((r) => dbLibraryOfModule(r.module) === library && r.name === refs[0]!.name && (r.path ?? []).join('.') === (refs[0]!.path ?? []).join('.'));
  return alike ? { ...binding, kind: 'import', import: refs[0]! } : undefined;
}

function recognise(ctx: FactsContext, call: RawCall): Construction | undefined {
  const node = call.node;
  const path = memberPath(unwrap(node.callee));
  if (!path) return undefined;
  const found = call.scope.lookup(path[0]!);
  const binding = found && found.kind !== 'import' ? alikeDbImport(found) : found;
  if (binding?.kind !== 'import') return undefined;
  const drizzle = DRIZZLE_DRIVERS[binding.import!.module];
  if (drizzle) return path.length === 1 && binding.import!.name === 'drizzle' && node.type !== 'NewExpression' ? drizzleConstruction(ctx, call, drizzle) : undefined;
  const library = dbLibraryOfModule(binding.import!.module);
  if (!library) return undefined;
  const imported = binding.import!.name;
  // `import pg from 'pg'; new pg.Pool()` and `import { Pool } from 'pg'; new Pool()` name the same constructor.
  // A namespace's `default` (`(await import('pg')).default`) is a CommonJS module's exports again.
  const rest = imported === '*' && path[1] === 'default' ? path.slice(2) : path.slice(1);
  const name = path.length === 1 ? imported : imported === 'default' || imported === '*' ? rest.join('.') : `${imported}.${rest.join('.')}`;
  const args = node.arguments as AstNode[];
  const isNew = node.type === 'NewExpression';
  const firstIsUrl = (): boolean => {
    const first = unwrap(args[0]);
    return !!first && first.type !== 'ObjectExpression' && !(first.type === 'Identifier' && ctx.values.evaluate(first, call.scope).kind === 'object');
  };
  switch (library) {
    case 'pg':
      if (isNew && (name === 'Pool' || name === 'Client' || (binding.import!.module === 'pg-pool' && name === 'default'))) {
        const constructorName = name === 'default' ? 'Pool' : name;
        return firstIsUrl() ? { library, constructorName, variant: constructorName, url: args[0] } : { library, constructorName, variant: constructorName, options: args[0] };
      }
      return undefined;
    case 'postgres':
      if (!isNew && name === 'default') return firstIsUrl() ? { library, constructorName: 'postgres', url: args[0], options: args[1] } : { library, constructorName: 'postgres', options: args[0] };
      return undefined;
    case 'mysql2':
      if (!isNew && (name === 'createConnection' || name === 'createPool' || name === 'createPoolCluster')) return firstIsUrl() ? { library, constructorName: name, url: args[0] } : { library, constructorName: name, options: args[0] };
      return undefined;
    case 'ioredis':
      if (isNew && (name === 'default' || name === 'Redis')) return firstIsUrl() && unwrap(args[0])?.type !== 'NumericLiteral' ? { library, constructorName: 'Redis', url: args[0], options: args[1] } : { library, constructorName: 'Redis', options: args[0] };
      return undefined;
    case 'redis':
      if (!isNew && (name === 'createClient' || name === 'createCluster')) return { library, constructorName: name, options: args[0] };
      return undefined;
    case 'prisma':
      if (isNew && name === 'PrismaClient') return { library, constructorName: 'PrismaClient', options: args[0] };
      return undefined;
    case 'mongodb':
      if ((isNew && name === 'MongoClient') || (!isNew && name === 'MongoClient.connect')) return { library, constructorName: name, url: args[0], options: args[1] };
      return undefined;
    case 'mongoose':
      if (!isNew && (name === 'connect' || name === 'createConnection')) return { library, constructorName: `mongoose.${name}`, url: args[0], options: args[1] };
      return undefined;
    case 'knex':
      if (!isNew && (name === 'default' || name === 'knex' || name === 'Knex')) return { library, constructorName: 'knex', options: args[0] };
      return undefined;
    case 'typeorm':
      if ((isNew && name === 'DataSource') || (!isNew && name === 'createConnection')) return { library, constructorName: name, options: args[0] };
      return undefined;
    case 'sequelize':
      if (isNew && name === 'Sequelize') return args.length >= 3 ? { library, constructorName: name, options: args[3] } : firstIsUrl() ? { library, constructorName: name, url: args[0], options: args[1] } : { library, constructorName: name, options: args[0] };
      return undefined;
  }
}

/**
 * `drizzle(pool)`, `drizzle(url)`, `drizzle({ client })`, `drizzle({ connection })` (drizzle-orm
 * 0.45 `src/<driver>/driver.ts`): a client passed in is wrapped; otherwise Drizzle makes the
 * driver's own (`new Pool({ connectionString })`, `postgres(url, options)`, `createPool({ uri })`).
 */
function drizzleConstruction(ctx: FactsContext, call: RawCall, driver: (typeof DRIZZLE_DRIVERS)[string]): Construction | undefined {
  const args = call.node.arguments as AstNode[];
  const first = unwrap(args[0]);
  if (!first) return undefined;
  const base = { library: driver.library, constructorName: 'drizzle', ...(driver.variant ? { variant: driver.variant } : {}) };
  const value = ctx.values.evaluate(first, call.scope);
  if (value.kind === 'object') {
    const client = findProperty(value, 'client');
    if (client) return { ...base, wraps: objectPropertyNode(first, 'client') ?? first };
    const connection = findProperty(value, 'connection');
    const connectionNode = objectPropertyNode(first, 'connection');
    if (!connection || !connectionNode) return { ...base, options: undefined };
    if (connection.value.kind !== 'object') return { ...base, url: connectionNode };
    // postgres-js takes `{ url, ...options }`; node-postgres a PoolConfig (`connectionString`), mysql2 PoolOptions (`uri`).
    const urlNode = objectPropertyNode(unwrap(connectionNode)!, driver.urlOption);
    return { ...base, options: connectionNode, ...(urlNode ? { url: urlNode } : {}) };
  }
  if (value.kind === 'string' || value.kind === 'env' || value.kind === 'template') return { ...base, url: first };
  return { ...base, wraps: first };
}

/** The value node of `name` in an object literal, when written there. */
function objectPropertyNode(node: AstNode, name: string): AstNode | undefined {
  if (node.type !== 'ObjectExpression') return undefined;
  for (const property of node.properties as AstNode[]) if (property.type === 'ObjectProperty' && !property.computed && (property.key.name ?? property.key.value) === name) return property.value;
  return undefined;
}

function urlInOptions(library: DbLibrary, options: TsValue & { kind: 'object' }): TsValue | undefined {
  const named = (name: string) => findProperty(options, name)?.value;
  switch (library) {
    case 'pg':
      return named('connectionString');
    case 'postgres':
      // Drizzle's postgres-js `connection: { url, …options }`.
      return named('url');
    case 'mysql2':
      return named('uri');
    case 'ioredis':
    case 'redis':
    case 'typeorm':
    case 'sequelize':
      return named('url');
    case 'knex': {
      const connection = named('connection');
      if (connection?.kind === 'object') return findProperty(connection, 'connectionString')?.value;
      return connection;
    }
    case 'prisma': {
      const direct = named('datasourceUrl');
      if (direct) return direct;
      const sources = named('datasources');
      const first = sources?.kind === 'object' ? sources.properties[0]?.value : undefined;
      return first?.kind === 'object' ? findProperty(first, 'url')?.value : undefined;
    }
    default:
      return undefined;
  }
}

/** The connection string, from a value; Prisma without one reads `DATABASE_URL` (the name its schema's `env()` uses by convention). */
function connectionString(library: DbLibrary, value: TsValue | undefined): ConnectionString | undefined {
  if (!value) return library === 'prisma' ? { env: 'DATABASE_URL' } : undefined;
  switch (value.kind) {
    case 'string':
      return isConnectionUrl(value.value) || value.value.includes('?') ? { text: value.value, textStart: value.span.start + 1, span: value.span } : undefined;
    case 'env':
      return { env: value.name, span: value.span, ...(value.default?.kind === 'string' ? { fallback: value.default.value } : {}) };
    case 'template': {
      const text = value.parts.map((part) => (typeof part === 'string' ? part : part.kind === 'string' ? part.value : '${…}')).join('');
      const env = value.parts.find((p): p is TsValue & { kind: 'env' } => typeof p !== 'string' && p.kind === 'env');
      // `${process.env.DATABASE_URL}?connect_timeout=10`: the parameters after the variable are read; the rest comes from the environment.
      return { text, span: value.span, ...(env && text.startsWith('${…}') ? { env: env.name } : {}) };
    }
    default:
      return { unknown: true, span: value.span };
  }
}

/** TypeORM `type`, Sequelize `dialect` (or the URL's scheme): which driver's knobs apply. */
function dialectOf(options: TsValue | undefined, url: TsValue | undefined): string | undefined {
  const property = options?.kind === 'object' ? (findProperty(options, 'type') ?? findProperty(options, 'dialect'))?.value : undefined;
  const text = property?.kind === 'string' ? property.value : url?.kind === 'string' ? /^([a-z]+)/.exec(url.value)?.[1] : undefined;
  if (text === 'postgres' || text === 'postgresql' || text === 'cockroachdb') return 'postgres';
  if (text === 'mysql' || text === 'mariadb') return 'mysql';
  if (text === 'mongodb') return 'mongodb';
  return text;
}

/** The variable a construction is stored in: `const pool = new Pool()`, `const prisma = globalThis.prisma ?? new PrismaClient()`, `this.pool = …`. */
export function variableOf(ctx: FactsContext, call: RawCall): string | undefined {
  const parent = ctx.walk.parents.get(call.node);
  if (parent?.type === 'AssignmentExpression') return memberPath(parent.left)?.join('.');
  for (const scope of [call.scope, ctx.walk.moduleScope]) {
    for (const binding of scope.bindings.values()) if (binding.init && holds(binding.init, call.node)) return binding.name;
  }
  return undefined;
}

/** True when `expression` evaluates to `node` on some path: through `await`, `??`, `||` and `? :`. */
function holds(expression: AstNode | undefined, node: AstNode): boolean {
  const current = unwrapAwait(expression);
  if (!current) return false;
  if (current === node) return true;
  if (current.type === 'LogicalExpression') return holds(current.left, node) || holds(current.right, node);
  if (current.type === 'ConditionalExpression') return holds(current.consequent, node) || holds(current.alternate, node);
  return false;
}
