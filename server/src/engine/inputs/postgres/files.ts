// Which files hold Postgres server settings, by name alone: postgresql.conf, and SQL files in migration-like folders.
import type { FileId } from '../../types.js';

const CONF_NAME = /(?:^|\/)(?:postgresql(?:\.auto)?|postgres)\.conf$/;
// Folders migrations and init scripts live in (Prisma, Supabase, Flyway, Knex/TypeORM SQL, docker-entrypoint-initdb.d).
const MIGRATION_FOLDER = /(?:^|\/)(?:migrations?|migrate|db|database|sql|schema|supabase|flyway|initdb|init|docker-entrypoint-initdb\.d|postgres(?:ql)?)\//i;
const SKIPPED_DIRECTORY = /(?:^|\/)(?:node_modules|dist|build|vendor)\//;

/** A postgresql.conf (or postgresql.auto.conf). */
export function isPostgresConfName(file: FileId): boolean {
  return CONF_NAME.test(file) && !SKIPPED_DIRECTORY.test(file);
}

/** A `.sql` file under a migrations-like folder: where `ALTER ROLE … SET` is written. */
export function isMigrationSqlName(file: FileId): boolean {
  return /\.sql$/i.test(file) && MIGRATION_FOLDER.test(file) && !SKIPPED_DIRECTORY.test(file);
}
