import express from 'express';

const app = express();

app.post('/api/send', async (req, res) => {
  // Forwards the event to the collector: the service's own call, with no bound.
  const upstream = await fetch('https://collector.example.com/v1/events', { method: 'POST', body: JSON.stringify(req.body) });
  res.status(upstream.status).end();
});

app.listen(3000);
