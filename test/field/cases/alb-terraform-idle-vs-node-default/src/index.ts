import express from 'express';

const app = express();
app.get('/api/healthz', (_req, res) => res.send('ok'));
app.get('/:short', (req, res) => res.redirect(302, `https://example.org/${req.params.short}`));

app.listen(8080, () => console.log('shortener up'));
