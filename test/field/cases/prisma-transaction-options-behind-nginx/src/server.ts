import express from 'express';
import { placeOrder } from './routes/orders';

const app = express();
app.use(express.json());

app.post('/api/orders', async (req, res) => {
  res.status(201).json(await placeOrder(req.body.customerId, req.body.items));
});

const server = app.listen(4000);
server.keepAliveTimeout = 65_000;
