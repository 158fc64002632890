// The per-file database and cache facts: clients with their timeouts by role, and the queries functions run through them.
import type { Span } from '../../../types.js';
import type { DatabaseSetting } from '../../../database-settings.js';

export type DbLibrary = 'pg' | 'postgres' | 'mysql2' | 'ioredis' | 'redis' | 'prisma' | 'mongodb' | 'mongoose' | 'knex' | 'typeorm' | 'sequelize' | 'vercel-postgres';

/** Caches: their commands are short, so the query rules leave them out (their timeouts still show in the database hop). */
export const CACHE_LIBRARIES: ReadonlySet<DbLibrary> = new Set(['ioredis', 'redis']);

/**
 * What a database timeout bounds (timeout-facts.md §17).
 * `connect`: opening one connection. `acquire`: waiting for a pooled connection (including its connect).
 * `server-selection`: MongoDB choosing a server. `buffer`: Mongoose holding operations until connected.
 * `statement`: the server cancels a running statement. `query`: the client stops waiting for one query
 * (the server may go on). `socket`: silence on the socket. `command`: a cache command.
 * `idle`: an idle pooled connection (or an idle transaction). `transaction` / `transaction-wait`: an interactive transaction and the wait to start it.
 * `lock`: a statement waiting for a lock (Postgres `lock_timeout`).
 */
export type DbTimeoutRole = 'connect' | 'acquire' | 'server-selection' | 'buffer' | 'statement' | 'query' | 'socket' | 'command' | 'idle' | 'transaction' | 'transaction-wait' | 'lock';

/**
 * Where a database timeout comes from: `set` in code or a static connection string, the client's
 * documented `default`, `none` (no timer), `env` (a connection string from the environment, resolved
 * per chain), or `unknown` (a value or a default that cannot be known).
 */
export type DbProvenance = 'set' | 'default' | 'none' | 'env' | 'unknown';

export interface DbTimeout {
  role: DbTimeoutRole;
  /** The option as the client spells it (`statement_timeout`, `connectionTimeoutMillis`, `pool_timeout`). */
  option: string;
  source: DbProvenance;
  /** Milliseconds in effect, when known. */
  ms?: number;
  /** True when the written value switches the timer off (`socketTimeoutMS: 0`). */
  disabled?: boolean;
  /** The value as written (or the default's spelling); connection-string values never carry credentials. */
  text: string;
  /** Where the value is written: an option, a connection-string parameter. Absent for defaults. */
  span?: Span;
  /** `options`: the client's options object; `url`: a connection-string parameter; `server`: a server-side setting (postgresql.conf, `ALTER ROLE … SET`). */
  via?: 'options' | 'url' | 'server';
  /** For `server`: where the setting is written, in words (`ALTER ROLE app SET statement_timeout`). */
  serverOrigin?: string;
  /** For `env`: the variable the connection string comes from. */
  envName?: string;
  /** A client-side timer that leaves the statement running on the server (pg `query_timeout`). */
  clientOnly?: boolean;
  factsRef: string;
}

/** A database or cache client created in code: `new Pool(…)`, `new PrismaClient()`, `mongoose.connect(…)`, `knex(…)`. */
export interface DbClient {
  library: DbLibrary;
  /** The constructor or factory as written: `Pool`, `Client`, `postgres`, `createPool`, `PrismaClient`, `mongoose.connect`. */
  constructorName: string;
  /** Which knob table applies (specs.ts): pg `Pool`/`Client`, a TypeORM or Sequelize dialect. */
  variant?: string;
  /** The variable (or `this.` property) holding it. */
  variable?: string;
  /** Names under which this module exports it. */
  exportedAs: string[];
  /** The connection string, masked (`postgres://app:****@db/app`), when it is static; `$NAME` for one from the environment. */
  urlText?: string;
  /** The environment variable the connection string is read from, resolved per chain from the container's env. */
  urlEnv?: string;
  /** The code's fallback for `urlEnv` (`process.env.MONGO_URL ?? 'mongodb://…'`), masked: what applies when the runtime does not set it. */
  urlFallback?: string;
  /** The connection string literal (for fixes that add a parameter to it). */
  urlSpan?: Span;
  /** The options object literal, when there is one (for fixes that add an option). */
  optionsSpan?: Span;
  /** Timeouts by role, defaults and `none` included. */
  timeouts: DbTimeout[];
  /** Where it connects, as far as the code says (a server-side setting applies by host, user and database). */
  target?: DbConnectionTarget;
  /** For a client that wraps another (`drizzle(pool)`): the wrapped client, whose timeouts apply. */
  wraps?: DbQueryTarget;
  /** True when the client is a Postgres one (by library, dialect or connection-string scheme). */
  postgres?: boolean;
  /** Prisma `transactionOptions`: the `timeout`/`maxWait` every `$transaction` of this client gets unless it passes its own. */
  transactionDefaults?: DbTimeout[];
  /** True when the options could not be read completely, so an absent timeout may still be set. */
  optionsUnknown: boolean;
  span: Span;
}

/** A part of a connection (host, user, database): written, from the environment, or unknown. */
export type DbConnectionPart = { text: string } | { env: string; fallback?: string } | { unknown: true };

export interface DbConnectionTarget {
  host?: DbConnectionPart;
  user?: DbConnectionPart;
  database?: DbConnectionPart;
}

/** An imported name, as the TS facts spell it (TsImportRef, repeated here so the two type modules do not import each other). */
export interface DbImportRef {
  module: string;
  name: string;
  path?: string[];
}

/** Which client a query goes through: one made in this file, one imported, or a Mongoose model (the process-wide connection). */
export type DbQueryTarget =
  | { kind: 'client'; clientIndex: number }
  | { kind: 'import'; ref: DbImportRef }
  | { kind: 'mongoose-model'; model: string };

/** One use of a client inside a function: a query, a transaction, a pooled connection taken. */
export interface DbQuery {
  target: DbQueryTarget;
  /** The method path as written (`query`, `user.findMany`, `$transaction`, `find`). */
  method: string;
  /** The enclosing function ({@link TsFunction.id}); undefined at module level. */
  functionId?: number;
  /** Timers of this call alone: a Prisma transaction's `timeout`/`maxWait`, a mysql2 query `timeout`, a Knex `.timeout()`. */
  timeouts: DbTimeout[];
  span: Span;
}

export interface TsDbFacts {
  clients: DbClient[];
  queries: DbQuery[];
  /** Export names of Mongoose models defined here (`export const User = mongoose.model('User', schema)`). */
  modelExports: string[];
  /** Server-side settings in SQL strings of a migration (`knex.raw('ALTER ROLE app SET statement_timeout = …')`). */
  serverSettings?: DatabaseSetting[];
}
