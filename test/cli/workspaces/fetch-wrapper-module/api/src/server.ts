import express from 'express';
import fetch from './lib/http';

const app = express();

app.get('/api/reports/:id', async (req, res) => {
  // Report rendering upstream is slow: allow it 90 s.
  const upstream = await fetch(`https://render.example.com/reports/${req.params.id}`, { timeout: 90_000 });
  res.send(await upstream.text());
});

app.listen(parseInt(process.env.PORT || '3000', 10));
