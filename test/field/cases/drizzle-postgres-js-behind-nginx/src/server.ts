import express from 'express';
import { sql } from 'drizzle-orm';
import { db } from './db';
import { payments } from './schema';

const app = express();

app.get('/api/reports/revenue', async (req, res) => {
  const rows = await db
    .select({ bucket: sql`date_trunc('month', ${payments.paidAt})`, total: sql`sum(${payments.amount})` })
    .from(payments)
    .groupBy(sql`1`);
  res.json(rows);
});

app.listen(8080);
