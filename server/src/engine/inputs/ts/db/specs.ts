// Timeout knobs of each database and cache client, with their defaults (timeout-facts.md §17): where each is written and what it bounds.
import type { DbLibrary, DbTimeoutRole } from './types.js';

export interface DbKnob {
  role: DbTimeoutRole;
  /** Dotted path in the client's options object (`socket.connectTimeout`, `extra.statement_timeout`). */
  option?: string;
  /** Name of the connection-string parameter (or libpq `-c` setting) that sets it. */
  urlParameter?: string;
  /** Multiplier to milliseconds (Prisma's URL parameters are seconds). */
  scale?: number;
  /** The client's default in ms; absent with `noneByDefault` false means the default is not known. */
  defaultMs?: number;
  /** True when, without a value, nothing bounds the wait. */
  noneByDefault?: boolean;
  /** True when `0` means "no timeout". */
  zeroDisables?: boolean;
  /** Postgres settings (`statement_timeout`) read strings with units (`'30s'`). */
  postgresUnits?: boolean;
  /** A client-side timer that sends no cancel where the server has one that does (pg `query_timeout`): not a bound on the work. */
  clientOnly?: boolean;
}

const PG_SERVER_SETTINGS: DbKnob[] = [
  // Sent as startup parameters: the server cancels the statement (facts §17, pg row).
  { role: 'statement', option: 'statement_timeout', urlParameter: 'statement_timeout', noneByDefault: true, zeroDisables: true, postgresUnits: true },
  { role: 'idle', option: 'idle_in_transaction_session_timeout', urlParameter: 'idle_in_transaction_session_timeout', noneByDefault: true, zeroDisables: true, postgresUnits: true },
];

/**
 * Knobs by client and constructor. The key is `<library>` or `<library>:<constructor>` when the
 * constructors differ (a pg `Pool` waits for a pooled client, a pg `Client` only connects).
 */
export const DB_KNOBS: Record<string, DbKnob[]> = {
  'pg:Pool': [
    { role: 'acquire', option: 'connectionTimeoutMillis', noneByDefault: true, zeroDisables: true },
    // query_timeout is a client-side timer: it sends no cancel, so the statement keeps running.
    { role: 'query', option: 'query_timeout', noneByDefault: true, zeroDisables: true, clientOnly: true },
    ...PG_SERVER_SETTINGS,
  ],
  'pg:Client': [
    { role: 'connect', option: 'connectionTimeoutMillis', noneByDefault: true, zeroDisables: true },
    { role: 'query', option: 'query_timeout', noneByDefault: true, zeroDisables: true, clientOnly: true },
    ...PG_SERVER_SETTINGS,
  ],
  // porsager/postgres 3.4.9 (src/index.js parseOptions): connect_timeout 30 s, 0 = no timer; no statement
  // timeout of its own. Other URL parameters and `connection` become startup parameters the server applies.
  postgres: [
    { role: 'connect', option: 'connect_timeout', urlParameter: 'connect_timeout', scale: 1000, defaultMs: 30_000, zeroDisables: true },
    { role: 'statement', option: 'connection.statement_timeout', urlParameter: 'statement_timeout', noneByDefault: true, zeroDisables: true, postgresUnits: true },
  ],
  mysql2: [
    { role: 'connect', option: 'connectTimeout', urlParameter: 'connectTimeout', defaultMs: 10_000 },
  ],
  ioredis: [
    { role: 'connect', option: 'connectTimeout', defaultMs: 10_000 },
    { role: 'command', option: 'commandTimeout', noneByDefault: true },
  ],
  redis: [
    { role: 'connect', option: 'socket.connectTimeout', defaultMs: 5000 },
    { role: 'command', option: 'socket.socketTimeout', noneByDefault: true },
  ],
  // Prisma 6 (Rust engine): the URL's parameters, in seconds; `0` = no timeout.
  prisma: [
    { role: 'connect', urlParameter: 'connect_timeout', scale: 1000, defaultMs: 5000, zeroDisables: true },
    { role: 'acquire', urlParameter: 'pool_timeout', scale: 1000, defaultMs: 10_000, zeroDisables: true },
    { role: 'socket', urlParameter: 'socket_timeout', scale: 1000, noneByDefault: true },
  ],
  mongodb: [
    { role: 'server-selection', option: 'serverSelectionTimeoutMS', urlParameter: 'serverSelectionTimeoutMS', defaultMs: 30_000 },
    { role: 'connect', option: 'connectTimeoutMS', urlParameter: 'connectTimeoutMS', defaultMs: 30_000, zeroDisables: true },
    { role: 'socket', option: 'socketTimeoutMS', urlParameter: 'socketTimeoutMS', noneByDefault: true, zeroDisables: true },
    { role: 'query', option: 'timeoutMS', urlParameter: 'timeoutMS', noneByDefault: true, zeroDisables: true },
    { role: 'acquire', option: 'waitQueueTimeoutMS', urlParameter: 'waitQueueTimeoutMS', noneByDefault: true, zeroDisables: true },
  ],
  mongoose: [
    { role: 'server-selection', option: 'serverSelectionTimeoutMS', urlParameter: 'serverSelectionTimeoutMS', defaultMs: 30_000 },
    { role: 'connect', option: 'connectTimeoutMS', urlParameter: 'connectTimeoutMS', defaultMs: 30_000, zeroDisables: true },
    { role: 'socket', option: 'socketTimeoutMS', urlParameter: 'socketTimeoutMS', noneByDefault: true, zeroDisables: true },
    { role: 'query', option: 'timeoutMS', urlParameter: 'timeoutMS', noneByDefault: true, zeroDisables: true },
    { role: 'buffer', option: 'bufferTimeoutMS', defaultMs: 10_000 },
  ],
  knex: [
    // The smaller of acquireConnectionTimeout and pool.acquireTimeoutMillis applies (facts §17, Knex row).
    { role: 'acquire', option: 'acquireConnectionTimeout', defaultMs: 60_000 },
    { role: 'acquire', option: 'pool.acquireTimeoutMillis', noneByDefault: true },
    { role: 'statement', option: 'connection.statement_timeout', urlParameter: 'statement_timeout', noneByDefault: true, zeroDisables: true, postgresUnits: true },
    { role: 'connect', option: 'connection.connectionTimeoutMillis', noneByDefault: true, zeroDisables: true },
  ],
  // TypeORM has no timeouts of its own; these are what it passes to the driver (facts §17, TypeORM row).
  'typeorm:postgres': [
    { role: 'acquire', option: 'connectTimeoutMS', noneByDefault: true, zeroDisables: true },
    { role: 'acquire', option: 'extra.connectionTimeoutMillis', noneByDefault: true, zeroDisables: true },
    { role: 'statement', option: 'extra.statement_timeout', urlParameter: 'statement_timeout', noneByDefault: true, zeroDisables: true, postgresUnits: true },
    { role: 'query', option: 'extra.query_timeout', noneByDefault: true, zeroDisables: true, clientOnly: true },
  ],
  'typeorm:mysql': [
    { role: 'connect', option: 'connectTimeout', defaultMs: 10_000 },
  ],
  'typeorm:mongodb': [
    { role: 'server-selection', option: 'serverSelectionTimeoutMS', defaultMs: 30_000 },
    { role: 'socket', option: 'socketTimeoutMS', noneByDefault: true, zeroDisables: true },
  ],
  // Sequelize's pool defaults are not in the facts file: unknown unless written.
  'sequelize:postgres': [
    { role: 'acquire', option: 'pool.acquire' },
    { role: 'statement', option: 'dialectOptions.statement_timeout', urlParameter: 'statement_timeout', noneByDefault: true, zeroDisables: true, postgresUnits: true },
  ],
  sequelize: [{ role: 'acquire', option: 'pool.acquire' }],
  // @vercel/postgres (a Neon serverless pool over POSTGRES_URL): its defaults are not in the facts file.
  'vercel-postgres': [{ role: 'statement', option: 'statement_timeout' }],
};

/** The knobs of a client: by constructor, by dialect, or by library. */
export function knobsOf(library: DbLibrary, variant: string | undefined): DbKnob[] {
  return (variant !== undefined ? DB_KNOBS[`${library}:${variant}`] : undefined) ?? DB_KNOBS[library] ?? [];
}

/** Timers that end a query that runs too long, by library: what keeps the work from outliving the request. */
export const QUERY_BOUND_ROLES: ReadonlySet<DbTimeoutRole> = new Set(['statement', 'query', 'socket', 'command', 'transaction']);

/** Roles of a client-side wait before the query even starts: a pooled connection, a server, a connect. */
export const WAIT_ROLES: ReadonlySet<DbTimeoutRole> = new Set(['acquire', 'server-selection', 'buffer']);
