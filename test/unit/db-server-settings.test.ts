// Server-side Postgres settings in a workspace (postgresql.conf, SQL and TypeScript migrations, compose -c flags, a bundled chart's values) and the clients they bound, on evidence only.
import { describe, expect, it } from 'vitest';
import { createModelCapture } from '../../server/src/host/model-capture.js';
import { allRules } from '../../rules/index.js';
import { chainsOf } from '../../server/src/engine/chain/chains.js';
import { databaseSettingsOf } from '../../server/src/engine/chain/database-settings.js';
import type { Hop } from '../../server/src/engine/chain/chain-types.js';
import { defaultConfig } from '../../server/src/engine/config.js';
import { lint } from '../../server/src/engine/run.js';
import type { WorkspaceModel } from '../../server/src/engine/workspace-model.js';
import { MemoryFs } from '../../server/src/engine/workspace-fs.js';
import { MAX_SQL_BYTES } from '../../server/src/engine/inputs/postgres/index.js';
import { isMigrationSqlName, isPostgresConfName } from '../../server/src/engine/inputs/postgres/files.js';

function run(files: Record<string, string>): { model: WorkspaceModel; report: ReturnType<typeof lint> } {
  const capture = createModelCapture();
  const report = lint({ fs: new MemoryFs(files), files: Object.keys(files), config: defaultConfig(allRules), rules: [...allRules, capture.rule], toolVersion: 'test' });
  return { model: capture.model()!, report };
}

const nginx = 'events {}\nhttp {\n  server {\n    listen 80;\n    location /api/ { proxy_pass http://api:8080; }\n  }\n}\n';
const server = "import express from 'express';\nimport { pool } from './db';\nconst app = express();\napp.get('/api/orders', async (req, res) => res.json((await pool.query('select 1')).rows));\napp.listen(8080);\n";
const compose = (url: string, extra = '') => `services:\n  api:\n    build: ./api\n    environment:\n      DATABASE_URL: ${url}\n  db:\n    image: postgres:16\n${extra}`;
const pool = "import { Pool } from 'pg';\nexport const pool = new Pool({ connectionString: process.env.DATABASE_URL });\n";

function databaseHop(model: WorkspaceModel): Hop {
  const hop = chainsOf(model).chains.flatMap((c) => c.hops).find((h) => h.kind === 'database');
  expect(hop).toBeDefined();
  return hop!;
}
const statement = (hop: Hop) => hop.timeouts.find((t) => t.knob.endsWith('statement_timeout'));
const evidence = (hop: Hop) => (hop.evidence ?? []).map((e) => e.text);
const findings = (report: ReturnType<typeof lint>, rule: string) => report.findings.filter((f) => f.ruleId === rule);

function workspace(extra: Record<string, string>, url = 'postgres://app:pw@db:5432/orders', composeExtra = ''): Record<string, string> {
  return { 'nginx.conf': nginx, 'docker-compose.yml': compose(url, composeExtra), 'api/package.json': '{"name":"api"}', 'api/src/server.ts': server, 'api/src/db.ts': pool, ...extra };
}

describe('claims by name', () => {
  it.each([['postgresql.conf', true], ['db/postgresql.auto.conf', true], ['nginx/nginx.conf', false], ['conf.d/app.conf', false]])('postgresql.conf %s → %s', (file, yes) => expect(isPostgresConfName(file)).toBe(yes));
  it.each([['db/migrations/0001.sql', true], ['prisma/migrations/2024/migration.sql', true], ['supabase/migrations/x.sql', true], ['docker-entrypoint-initdb.d/init.sql', true], ['reports/q.sql', false], ['node_modules/x/migrations/a.sql', false]])('SQL %s → %s', (file, yes) => expect(isMigrationSqlName(file)).toBe(yes));
});

describe('server-side settings on the database hop', () => {
  it('applies ALTER ROLE of the user the connection string names, and says so', () => {
    const { model } = run(workspace({ 'db/migrations/0001.sql': "ALTER ROLE app SET statement_timeout = '30s';\n" }));
    const hop = databaseHop(model);
    expect(statement(hop)).toMatchObject({ ms: 30_000, text: '30s', knob: 'ALTER ROLE app SET statement_timeout', span: { file: 'db/migrations/0001.sql' } });
    expect(evidence(hop)).toContainEqual(expect.stringContaining('host db names compose service db'));
  });

  it('does not apply ALTER ROLE of another role', () => {
    const { model, report } = run(workspace({ 'db/migrations/0001.sql': "ALTER ROLE reporting SET statement_timeout = '30s';\n" }));
    const hop = databaseHop(model);
    expect(statement(hop)).toMatchObject({ disabled: true, text: 'none' });
    expect(evidence(hop)).toContainEqual(expect.stringContaining('not applied: the client connects as app, not reporting'));
    expect(findings(report, 'db-query-outlives-request')).toHaveLength(1);
  });

  it('lets the client\'s own statement_timeout win, with a note', () => {
    const files = workspace({ 'db/migrations/0001.sql': "ALTER ROLE app SET statement_timeout = '30s';\n", 'api/src/db.ts': "import { Pool } from 'pg';\nexport const pool = new Pool({ connectionString: process.env.DATABASE_URL, statement_timeout: 5000 });\n" });
    const hop = databaseHop(run(files).model);
    expect(statement(hop)).toMatchObject({ ms: 5000, knob: 'statement_timeout' });
    expect(evidence(hop)).toContainEqual(expect.stringContaining("the client's own statement_timeout 5000 wins over ALTER ROLE app SET statement_timeout 30s"));
  });

  it('applies a role-in-database setting over a role one, and a database one only to that database', () => {
    const sql = "ALTER ROLE app SET statement_timeout = '2min';\nALTER ROLE app IN DATABASE orders SET statement_timeout = '20s';\nALTER DATABASE billing SET lock_timeout = '1s';\n";
    const hop = databaseHop(run(workspace({ 'db/migrations/0001.sql': sql })).model);
    expect(statement(hop)).toMatchObject({ ms: 20_000 });
    expect(hop.timeouts.some((t) => t.knob.includes('lock_timeout'))).toBe(false);
    expect(evidence(hop)).toContainEqual(expect.stringContaining('the client connects to database orders, not billing'));
  });

  it('leaves a postgresql.conf of a server the client does not name, but keeps a migration\'s ALTER ROLE (it lives in the database)', () => {
    const files = workspace({ 'db/postgresql.conf': 'lock_timeout = 3s\n', 'db/migrations/0001.sql': "ALTER ROLE app SET statement_timeout = '30s';\n" }, 'postgres://app:pw@prod.abc.eu-west-1.rds.amazonaws.com:5432/orders');
    const hop = databaseHop(run(files).model);
    expect(statement(hop)).toMatchObject({ ms: 30_000 });
    expect(evidence(hop)).toContainEqual(expect.stringContaining("a migration's setting is kept by the database it ran against"));
    expect(hop.timeouts.some((t) => t.knob.includes('lock_timeout'))).toBe(false);
    expect(evidence(hop)).toContainEqual(expect.stringContaining("not applied: host prod.abc.eu-west-1.rds.amazonaws.com is none of the workspace's Postgres servers (compose service db)"));
  });

  it('applies nothing when two servers could be the client\'s and its host is not known', () => {
    const files = workspace({ 'db/migrations/0001.sql': "ALTER ROLE app SET statement_timeout = '30s';\n", 'api/src/db.ts': "import { Pool } from 'pg';\nexport const pool = new Pool({ host: process.env.DB_HOST, user: 'app' });\n" }, 'x', '  replica:\n    image: postgres:16\n');
    const { model, report } = run(files);
    const hop = databaseHop(model);
    expect(statement(hop)).toMatchObject({ text: 'none' });
    expect(evidence(hop)).toContainEqual(expect.stringContaining('not applied: the workspace has 2 Postgres servers (compose service db, compose service replica)'));
    expect(findings(report, 'db-query-outlives-request')).toHaveLength(1);
  });

  it('reads the compose service command the client names, not another server\'s', () => {
    const extra = '    command: ["postgres", "-c", "statement_timeout=45s"]\n  cache-db:\n    image: postgres:15\n    command: postgres -c statement_timeout=5s\n';
    const { model } = run(workspace({}, 'postgres://app:pw@db:5432/orders', extra));
    const hop = databaseHop(model);
    expect(statement(hop)).toMatchObject({ ms: 45_000, knob: 'compose service db command -c statement_timeout' });
    expect(databaseSettingsOf(model).servers.map((s) => s.owner)).toEqual(['compose service db', 'compose service cache-db']);
    expect(evidence(hop)).toContainEqual(expect.stringContaining('it configures compose service cache-db, which the client\'s connection does not name'));
  });

  it('reads a bundled bitnami chart\'s extendedConfiguration from the values file, with the values line', () => {
    const values = 'replicaCount: 1\npostgresql:\n  enabled: true\n  primary:\n    extendedConfiguration: |\n      max_connections = 200\n      statement_timeout = 15s\n';
    const { model } = run({ 'chart/Chart.yaml': 'apiVersion: v2\nname: api\nversion: 1.0.0\n', 'chart/values.yaml': values });
    const { servers, settings } = databaseSettingsOf(model);
    expect(servers).toEqual([expect.objectContaining({ names: ['*-postgresql', 'postgresql'], owner: 'Helm values chart/values.yaml (bundled postgresql chart)' })]);
    expect(settings).toEqual([expect.objectContaining({ name: 'statement_timeout', ms: 15_000, level: 'conf', origin: 'Helm values postgresql.primary.extendedConfiguration statement_timeout' })]);
    expect(values.slice(settings[0]!.span.start, settings[0]!.span.end)).toBe('15s');
  });

  it('reads ALTER ROLE in a TypeORM migration\'s queryRunner.query', () => {
    const migration = "import { MigrationInterface, QueryRunner } from 'typeorm';\nexport class Timeouts1700000000000 implements MigrationInterface {\n  async up(queryRunner: QueryRunner): Promise<void> {\n    await queryRunner.query(`ALTER ROLE app SET statement_timeout = '25s'`);\n  }\n  async down(): Promise<void> {}\n}\n";
    const { model } = run(workspace({ 'api/src/migrations/1700000000000-Timeouts.ts': migration }));
    const hop = databaseHop(model);
    expect(statement(hop)).toMatchObject({ ms: 25_000, span: { file: 'api/src/migrations/1700000000000-Timeouts.ts' } });
    const span = statement(hop)!.span!;
    expect(migration.slice(span.start, span.end)).toBe('25s');
  });

  it('lists a SQL file too large to be a migration as not analysed, unread', () => {
    const dump = `-- dump\n${'INSERT INTO t VALUES (1);\n'.repeat(Math.ceil(MAX_SQL_BYTES / 26) + 10)}`;
    const { report } = run(workspace({ 'db/migrations/9999_dump.sql': dump }));
    expect(report.notAnalysed).toContainEqual(expect.objectContaining({ file: 'db/migrations/9999_dump.sql', reason: expect.stringContaining('a dump or seed') }));
  });
});
