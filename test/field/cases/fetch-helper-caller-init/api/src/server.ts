import express from 'express';
import { requestJson } from './lib/http';

const app = express();
app.use(express.json());

// Rendering a quarterly report can take up to two minutes in the renderer.
app.post('/api/reports', async (req, res) => {
  const report = await requestJson('http://renderer:8080/render', {
    method: 'POST',
    body: JSON.stringify(req.body),
    signal: AbortSignal.timeout(120_000),
  });
  res.json(report);
});

app.get('/api/reports/:id', async (req, res) => {
  res.json(await requestJson(`http://renderer:8080/reports/${req.params.id}`));
});

app.listen(3000);
