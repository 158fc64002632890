import express from 'express';

const app = express();
app.post('/upload', (_req, res) => res.status(201).end());
app.listen(8080);
