import express from 'express';
import { pool } from './db';

const app = express();

app.get('/api/reports/revenue', async (req, res) => {
  const { rows } = await pool.query(
    'SELECT date_trunc($1, paid_at) AS bucket, sum(amount) FROM payments GROUP BY 1 ORDER BY 1',
    [req.query.interval ?? 'month'],
  );
  res.json(rows);
});

app.listen(8080);
