import express from 'express';

const app = express();
app.get('/healthz', (_req, res) => res.send('ok'));
app.get('/products', (_req, res) => res.json([]));

const server = app.listen(8080);
// Longer than the ALB's 60 s idle timeout, so the ALB always closes first.
server.keepAliveTimeout = 65_000;
server.headersTimeout = 66_000;
