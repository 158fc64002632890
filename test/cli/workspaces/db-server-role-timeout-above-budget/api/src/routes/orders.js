import { pool } from '../db';

export async function listOrders(customerId) {
  const { rows } = await pool.query('SELECT * FROM orders WHERE customer_id = $1', [customerId]);
  return rows;
}
