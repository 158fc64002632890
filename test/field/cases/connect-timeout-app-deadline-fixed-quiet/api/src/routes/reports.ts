import { Router } from 'express';

const router = Router();
const reportsUrl = process.env.REPORTS_URL ?? 'http://localhost:8080';

router.post('/reports/export', async (req, res) => {
  const upstream = await fetch(`${reportsUrl}/render`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(req.body),
    signal: AbortSignal.timeout(100_000),
  });
  res.status(upstream.status).json(await upstream.json());
});

router.get('/reports/:id', async (req, res) => {
  const upstream = await fetch(`${reportsUrl}/reports/${req.params.id}`, { signal: AbortSignal.timeout(10_000) });
  res.status(upstream.status).json(await upstream.json());
});

export default router;
