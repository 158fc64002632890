import express from 'express';
import { onShipmentEvent, findShipment } from './shipments';

const app = express();
app.use(express.json());

app.get('/shipments/:id', async (req, res) => {
  const shipment = await findShipment(req.params.id);
  if (!shipment) return res.status(404).end();
  res.json(shipment);
});

// Live position updates for the map view.
app.get('/shipments/:id/updates', (req, res) => {
  res.setHeader('Content-Type', 'text/event-stream');
  res.setHeader('Cache-Control', 'no-cache');
  res.setHeader('Connection', 'keep-alive');
  const unsubscribe = onShipmentEvent(req.params.id, (event) => {
    res.write(`event: ${event.kind}\ndata: ${JSON.stringify(event)}\n\n`);
  });
  req.on('close', unsubscribe);
});

const port = Number(process.env.PORT ?? 8080);
app.listen(port, () => console.log(`tracker on ${port}`));
