import express from 'express';

const app = express();
app.get('/:shortUrl', (req, res) => res.redirect(302, `https://example.sg/${req.params.shortUrl}`));
app.post('/api/links', express.json(), (_req, res) => res.status(201).end());

const port = Number(process.env.PORT ?? 8080);
app.listen(port, () => console.log(`links on ${port}`));
