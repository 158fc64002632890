import express from 'express';
import { listOrders } from './routes/orders';

const app = express();

app.get('/api/orders/:customerId', async (req, res) => {
  res.json(await listOrders(req.params.customerId));
});

app.listen(Number(process.env.PORT ?? 3000));
