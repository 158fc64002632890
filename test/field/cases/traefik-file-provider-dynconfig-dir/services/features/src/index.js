const express = require('express');

const app = express();

// Feature exports run on the upstream OGC API server and may take minutes for a full collection.
app.get('/features/export', async (req, res) => {
  const upstream = await fetch(`http://ogc-backend:5000/collections/${req.query.collection}/items?f=json&limit=100000`, {
    signal: AbortSignal.timeout(120_000),
  });
  res.json(await upstream.json());
});

const server = app.listen(3000);
server.keepAliveTimeout = 95_000;
