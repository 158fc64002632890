import express from 'express';

const app = express();

app.get('/reports/:id', async (req, res) => {
  // The warehouse export is slow; the gateway in front waits 90 s.
  const upstream = await fetch(`http://warehouse.internal:9000/export/${req.params.id}`, { signal: AbortSignal.timeout(60_000) });
  res.status(upstream.status).send(await upstream.text());
});

app.listen(8080);
