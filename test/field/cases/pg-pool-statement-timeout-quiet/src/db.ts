import { Pool } from 'pg';

// Below nginx's 60 s read timeout, so a slow query fails here first.
export const pool = new Pool({
  connectionString: process.env.DATABASE_URL,
  max: 10,
  connectionTimeoutMillis: 5_000,
  statement_timeout: 30_000,
  query_timeout: 35_000,
});
