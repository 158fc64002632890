// Database facts: each client's timeouts by role with provenance, queries by function, exports, and linking a route to its clients across files.
import { describe, expect, it } from 'vitest';
import { parseTsText } from '../../server/src/engine/inputs/ts/file.js';
import { extractTsFacts } from '../../server/src/engine/inputs/ts/facts.js';
import { dbUsesOfRoute, resolveDbTimeouts } from '../../server/src/engine/inputs/ts/db/links.js';
import { envContextOf, NO_ENV } from '../../server/src/engine/chain/environment.js';
import type { DbClient, DbTimeout } from '../../server/src/engine/inputs/ts/db/types.js';
import type { TsFileFacts } from '../../server/src/engine/inputs/ts/types.js';
import { shouldParseTs } from '../../server/src/engine/inputs/ts/select.js';

function facts(text: string, file = 'src/db.ts'): TsFileFacts {
  return extractTsFacts(parseTsText(file, text));
}

function only(text: string): DbClient {
  const clients = facts(text).db?.clients ?? [];
  expect(clients).toHaveLength(1);
  return clients[0]!;
}

/** role:option=source/ms, the shape the tests compare. */
function summary(timeouts: DbTimeout[]): string[] {
  return timeouts.map((t) => `${t.role}:${t.option}=${t.source}${t.ms !== undefined ? `/${t.ms}` : ''}${t.disabled ? '/off' : ''}`);
}

describe('database clients', () => {
  it.each([
    ['a destructured dynamic import', `export async function connect(url: string) {\n  const { Pool } = await import('pg');\n  return new Pool({ connectionString: url });\n}`],
    ['a namespace held in a const', `export async function connect(url: string) {\n  const pg = await import('pg');\n  return new pg.default.Pool({ connectionString: url });\n}`],
    ['a member of the awaited module', `export async function connect(url: string) {\n  const Pool = (await import('pg')).default.Pool;\n  return new Pool({ connectionString: url });\n}`],
    ['a let given the constructor in one branch or another (pg, or Neon\'s drop-in serverless driver)', `import type { Pool as PgPool } from 'pg';\nexport async function createPool(url: string): Promise<PgPool> {\n  let Pool: typeof PgPool;\n  if (url.includes('neon.tech')) {\n    Pool = (await import('@neondatabase/serverless')).Pool;\n  } else {\n    Pool = (await import('pg')).default.Pool;\n  }\n  const pool = new Pool({ connectionString: url });\n  return pool;\n}`],
    ['a member of a required module', `const Pool = require('pg').Pool;\nmodule.exports = new Pool({ connectionString: process.env.DATABASE_URL });`],
  ])('reads a pg Pool made from %s', (_name, text) => {
    const client = only(text);
    expect(client).toMatchObject({ library: 'pg', constructorName: 'Pool' });
    expect(summary(client.timeouts)).toContain('acquire:connectionTimeoutMillis=none');
  });

  it('leaves a let unknown when its branches load different libraries, or something that is not an import', () => {
    expect(facts(`export async function make(url: string) {\n  let Ctor;\n  if (url.startsWith('mysql')) Ctor = (await import('mysql2/promise')).createPool;\n  else Ctor = (await import('pg')).Pool;\n  return new Ctor({ uri: url });\n}`).db?.clients ?? []).toEqual([]);
    expect(facts(`import { Pool as P } from 'pg';\nexport async function make(url: string, custom?: typeof P) {\n  let Pool;\n  if (custom) Pool = custom;\n  else Pool = (await import('pg')).Pool;\n  return new Pool({ connectionString: url });\n}`).db?.clients ?? []).toEqual([]);
  });

  it('reads a pg Pool: options set, none by default, and statement_timeout from the connection string', () => {
    const client = only(`import { Pool } from 'pg';\nexport const pool = new Pool({ connectionString: 'postgres://app:pw@db/app?statement_timeout=15000', connectionTimeoutMillis: 2_000 });`);
    expect(client).toMatchObject({ library: 'pg', constructorName: 'Pool', variable: 'pool', exportedAs: ['pool'], urlText: 'postgres://app:****@db/app?statement_timeout=15000' });
    expect(summary(client.timeouts)).toEqual(['acquire:connectionTimeoutMillis=set/2000', 'query:query_timeout=none', 'statement:statement_timeout=set/15000', 'idle:idle_in_transaction_session_timeout=none']);
  });

  it('reads a pg Client from a default import, with statement_timeout as an option', () => {
    const client = only(`import pg from 'pg';\nconst c = new pg.Client({ statement_timeout: '30s' });`);
    expect(summary(client.timeouts)).toContain('statement:statement_timeout=set/30000');
    expect(summary(client.timeouts)).toContain('connect:connectionTimeoutMillis=none');
  });

  it('keeps unreadable options unknown, never none', () => {
    const client = only(`import { Pool } from 'pg';\nimport { cfg } from './cfg';\nconst pool = new Pool({ ...cfg });`);
    expect(client.optionsUnknown).toBe(true);
    expect(client.timeouts.every((t) => t.source === 'unknown')).toBe(true);
  });

  it('reads Prisma from DATABASE_URL by default and resolves it from the container env', () => {
    const client = only(`import { PrismaClient } from '@prisma/client';\nexport const prisma = globalThis.prisma ?? new PrismaClient();`);
    expect(client).toMatchObject({ library: 'prisma', variable: 'prisma', urlEnv: 'DATABASE_URL' });
    expect(summary(client.timeouts)).toEqual(['connect:connect_timeout=env', 'acquire:pool_timeout=env', 'socket:socket_timeout=env']);
    const env = envContextOf('Deployment default/api', new Map([['DATABASE_URL', { text: 'postgresql://u:secret@db/app?connect_timeout=3&pool_timeout=20', unknown: false, declaredAt: { file: 'k8s/api.yaml', start: 0, end: 1 }, valueSpan: { file: 'k8s/api.yaml', start: 10, end: 80 } }]]));
    const resolved = resolveDbTimeouts(client, env);
    expect(summary(resolved)).toEqual(['connect:connect_timeout=env/3000', 'acquire:pool_timeout=env/20000', 'socket:socket_timeout=none']);
    expect(resolved[0]!.span).toEqual({ file: 'k8s/api.yaml', start: 10, end: 80 });
    expect(JSON.stringify(resolved)).not.toContain('secret');
    expect(summary(resolveDbTimeouts(client, NO_ENV))).toEqual(summary(client.timeouts));
  });

  it('reads mysql2, ioredis, node-redis, MongoDB, Mongoose, Knex, TypeORM and Sequelize knobs with their defaults', () => {
    expect(summary(only(`import mysql from 'mysql2/promise';\nconst pool = mysql.createPool({ host: 'db' });`).timeouts)).toEqual(['connect:connectTimeout=default/10000']);
    expect(summary(only(`import Redis from 'ioredis';\nconst r = new Redis({ commandTimeout: 500 });`).timeouts)).toEqual(['connect:connectTimeout=default/10000', 'command:commandTimeout=set/500']);
    expect(summary(only(`import { createClient } from 'redis';\nconst r = createClient({ socket: { connectTimeout: 2000 } });`).timeouts)).toEqual(['connect:socket.connectTimeout=set/2000', 'command:socket.socketTimeout=none']);
    expect(summary(only(`import { MongoClient } from 'mongodb';\nconst m = new MongoClient('mongodb://u:p@h/db?serverSelectionTimeoutMS=5000', { socketTimeoutMS: 0 });`).timeouts))
      .toEqual(['server-selection:serverSelectionTimeoutMS=set/5000', 'connect:connectTimeoutMS=default/30000', 'socket:socketTimeoutMS=set/off', 'query:timeoutMS=none', 'acquire:waitQueueTimeoutMS=none']);
    expect(summary(only(`import mongoose from 'mongoose';\nmongoose.connect('mongodb://h/db');`).timeouts)).toContain('buffer:bufferTimeoutMS=default/10000');
    expect(summary(only(`const knex = require('knex');\nconst db = knex({ client: 'pg', connection: 'postgres://h/db?statement_timeout=5000', acquireConnectionTimeout: 10000 });`).timeouts))
      .toEqual(['acquire:acquireConnectionTimeout=set/10000', 'acquire:pool.acquireTimeoutMillis=none', 'statement:statement_timeout=set/5000', 'connect:connection.connectionTimeoutMillis=none']);
    expect(summary(only(`import { DataSource } from 'typeorm';\nexport const ds = new DataSource({ type: 'postgres', extra: { statement_timeout: 10000 } });`).timeouts)).toContain('statement:extra.statement_timeout=set/10000');
    expect(summary(only(`import { Sequelize } from 'sequelize';\nconst s = new Sequelize('postgres://u:p@h/db', { pool: { acquire: 30000 } });`).timeouts)).toEqual(['acquire:pool.acquire=set/30000', 'statement:dialectOptions.statement_timeout=none']);
  });

  it('knows nothing of a Pool from another library', () => {
    expect(facts(`import { Pool } from 'undici';\nconst p = new Pool('http://x');`).db).toBeUndefined();
  });
});

describe('database queries', () => {
  it('records queries per function with per-call timers', () => {
    const db = facts(`import { PrismaClient } from '@prisma/client';
const prisma = new PrismaClient();
export async function a() { return prisma.user.findMany(); }
export async function b() { return prisma.$transaction(async (tx) => tx.user.count(), { timeout: 20_000 }); }
export async function c() { await prisma.$disconnect(); }`).db!;
    expect(db.queries.map((q) => [q.method, q.functionId])).toEqual([['user.findMany', 0], ['$transaction', 1]]);
    expect(summary(db.queries[1]!.timeouts)).toEqual(['transaction:timeout=set/20000', 'transaction-wait:maxWait=default/2000']);
  });

  it('records uses of imported names only with a query method or a table call', () => {
    const db = facts(`import { db } from './db';\nimport { helper } from './helper';
export const a = () => db.query('select 1');
export const b = () => db('orders').where({ id: 1 }).first();
export const c = () => helper.format('x');
export const d = () => helper('x');`, 'src/q.ts').db!;
    expect(db.queries.map((q) => [q.method, q.target.kind])).toEqual([['query', 'import'], ['where.first', 'import']]);
  });

  it('links a route to a client exported by another module, through an imported function', () => {
    const lookup = new Map<string, TsFileFacts>();
    lookup.set('src/db.ts', facts(`import { Pool } from 'pg';\nconst pool = new Pool();\nexport default pool;`, 'src/db.ts'));
    lookup.set('src/orders.ts', facts(`import pool from './db';\nexport async function listOrders() { return (await pool.query('select * from orders')).rows; }`, 'src/orders.ts'));
    const server = facts(`import express from 'express';\nimport { listOrders } from './orders';\nconst app = express();\napp.get('/orders', async (req, res) => res.json(await listOrders()));\napp.listen(3000);`, 'src/server.ts');
    lookup.set('src/server.ts', server);
    const uses = dbUsesOfRoute(lookup, 'src/server.ts', server, server.routes[0]!, [...lookup.keys()]);
    expect(uses.map((u) => [u.queryFile, u.query.method, u.clientFile, u.client.constructorName, u.via])).toEqual([['src/orders.ts', 'query', 'src/db.ts', 'Pool', 'pool exported by src/db.ts']]);
  });

  it('links a Mongoose model to the package connection', () => {
    const lookup = new Map<string, TsFileFacts>();
    lookup.set('src/db.ts', facts(`import mongoose from 'mongoose';\nmongoose.connect(process.env.MONGO_URL!, { socketTimeoutMS: 20000 });`, 'src/db.ts'));
    lookup.set('src/user.ts', facts(`import mongoose from 'mongoose';\nexport const User = mongoose.model('User', new mongoose.Schema({}));`, 'src/user.ts'));
    const server = facts(`import express from 'express';\nimport { User } from './user';\nconst app = express();\napp.get('/users', async (req, res) => res.json(await User.find({}).lean()));`, 'src/server.ts');
    lookup.set('src/server.ts', server);
    const uses = dbUsesOfRoute(lookup, 'src/server.ts', server, server.routes[0]!, [...lookup.keys()]);
    expect(uses.map((u) => [u.query.method, u.clientFile, u.client.constructorName])).toEqual([['find.lean', 'src/db.ts', 'mongoose.connect']]);
  });
});

describe('Prisma with a driver adapter', () => {
  it('leaves the v6 connection-string timeouts unknown', () => {
    const client = only(`import { PrismaClient } from '@prisma/client';\nimport { PrismaPg } from '@prisma/adapter-pg';\nexport const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: process.env.DATABASE_URL }) });`);
    expect(client.timeouts.map((t) => t.source)).toEqual(['unknown', 'unknown', 'unknown']);
  });

  it('reads transactionOptions as the default of every $transaction', () => {
    const client = only(`import { PrismaClient } from '@prisma/client';\nexport const prisma = new PrismaClient({ transactionOptions: { timeout: 15_000 } });`);
    expect(summary(client.transactionDefaults!)).toEqual(['transaction:timeout=set/15000', 'transaction-wait:maxWait=default/2000']);
  });
});

describe('Drizzle', () => {
  it('wraps a client made in the same file: drizzle(pool) and drizzle({ client })', () => {
    for (const call of ['drizzle(pool)', 'drizzle({ client: pool, schema })']) {
      const db = facts(`import { Pool } from 'pg';\nimport { drizzle } from 'drizzle-orm/node-postgres';\nconst pool = new Pool({ statement_timeout: 10_000 });\nexport const db = ${call};`).db!;
      expect(db.clients.map((c) => c.constructorName)).toEqual(['Pool', 'drizzle']);
      expect(db.clients[1]).toMatchObject({ wraps: { kind: 'client', clientIndex: 0 }, exportedAs: ['db'], timeouts: [] });
    }
  });

  it('wraps an imported client, and leaves one it cannot name unknown', () => {
    const imported = facts(`import { drizzle } from 'drizzle-orm/postgres-js';\nimport { client } from './client';\nexport const db = drizzle(client);`).db!.clients[0]!;
    expect(imported.wraps).toEqual({ kind: 'import', ref: { module: './client', name: 'client' } });
    const parameter = facts(`import { drizzle } from 'drizzle-orm/node-postgres';\nexport function make(pool: any) { return drizzle(pool); }`).db!.clients[0]!;
    expect(parameter).toMatchObject({ optionsUnknown: true });
    expect(parameter.wraps).toBeUndefined();
  });

  it('makes the driver\'s own client from a URL or connection options, with its defaults', () => {
    const pg = only(`import { drizzle } from 'drizzle-orm/node-postgres';\nexport const db = drizzle(process.env.DATABASE_URL!);`);
    expect(pg).toMatchObject({ library: 'pg', constructorName: 'drizzle', variant: 'Pool', urlEnv: 'DATABASE_URL', postgres: true });
    const pgjs = only(`import { drizzle } from 'drizzle-orm/postgres-js';\nexport const db = drizzle({ connection: { url: 'postgres://u:pw@db/app', connection: { statement_timeout: '20s' }, connect_timeout: 5 } });`);
    expect(summary(pgjs.timeouts)).toEqual(['connect:connect_timeout=set/5000', 'statement:connection.statement_timeout=set/20000']);
    expect(pgjs.urlText).toBe('postgres://u:****@db/app');
    expect(pgjs.target).toEqual({ host: { text: 'db' }, user: { text: 'u' }, database: { text: 'app' } });
    const mysql = only(`import { drizzle } from 'drizzle-orm/mysql2';\nexport const db = drizzle({ connection: { uri: process.env.DATABASE_URL } });`);
    // The URL from the environment may carry connectTimeout: unknown until a chain gives its value.
    expect(summary(mysql.timeouts)).toEqual(['connect:connectTimeout=env']);
  });

  it('counts builder chains and relational queries on the db as its queries, also through an import', () => {
    const local = facts(`import { drizzle } from 'drizzle-orm/node-postgres';\nconst db = drizzle(process.env.DATABASE_URL!);\nexport async function f() { await db.select().from(users).where(x); await db.query.users.findMany(); await db.insert(users).values(v); }`).db!;
    expect(local.queries.map((q) => q.method)).toEqual(['select.from.where', 'query.users.findMany', 'insert.values']);
    const imported = facts(`import { db } from './db';\nexport async function f() { await db.update(users).set({ a: 1 }); await cache.delete(key); }`).db!;
    expect(imported.queries.map((q) => [q.method, q.target.kind])).toEqual([['update.set', 'import']]);
  });
});

describe('tagged-template queries', () => {
  it('reads sql`…` on a postgres client, prisma.$queryRaw`…`, and an imported tag as queries of their function', () => {
    const db = facts(`import postgres from 'postgres';\nimport { prisma } from './prisma';\nimport sql2 from './sql';\nconst sql = postgres(process.env.DATABASE_URL!);\nexport async function f(id: string) { await sql\`select * from t where id = \${id}\`; await prisma.$queryRaw\`select 1\`; await sql2\`select 2\`; }`).db!;
    expect(db.queries.map((q) => [q.method, q.target.kind, q.functionId !== undefined])).toEqual([
      ['sql`…`', 'client', true],
      ['prisma.$queryRaw`…`', 'import', true],
      ['sql2`…`', 'import', true],
    ]);
  });

  it('makes the @vercel/postgres pool a client on first use, reading POSTGRES_URL, its defaults unknown', () => {
    const db = facts(`import { sql } from '@vercel/postgres';\nexport async function f() { return sql\`select 1\`; }`).db!;
    expect(db.clients).toEqual([expect.objectContaining({ library: 'vercel-postgres', urlEnv: 'POSTGRES_URL', postgres: true })]);
    expect(summary(db.clients[0]!.timeouts)).toEqual(['statement:statement_timeout=unknown']);
    expect(db.queries).toEqual([expect.objectContaining({ target: { kind: 'client', clientIndex: 0 }, method: 'sql`…`' })]);
  });

  it('is not a client for a tag of another library', () => {
    expect(facts(`import gql from 'graphql-tag';\nexport const q = gql\`{ a }\`;`).db).toBeUndefined();
  });
});

describe('pre-scan', () => {
  it.each([
    ["import { db } from './db';\nexport const list = () => db.select().from(orders);\n"],
    ["import { db } from './db';\nexport const add = (v) => db.insert(orders)\n  .values(v);\n"],
    ["import sql from './db';\nexport const list = () => sql`select 1`;\n"],
    ["module.exports.up = (k) => k.raw(\"ALTER ROLE app SET statement_timeout = '30s'\");\n"],
  ])('parses a file whose only database fact is %j', (text) => expect(shouldParseTs('src/x.ts', text)).toBe(true));
});
