import express from 'express';
import { pool } from './db';

const app = express();

app.get('/api/reports/revenue', async (_req, res) => {
  const { rows } = await pool.query('SELECT sum(amount) FROM payments');
  res.json(rows);
});

app.listen(8080);
