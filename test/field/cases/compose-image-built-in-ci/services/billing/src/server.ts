import express from 'express';

const app = express();
app.get('/invoices', (_req, res) => res.json([]));
app.listen(8080);
