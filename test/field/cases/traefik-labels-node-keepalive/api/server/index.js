const express = require('express');
const askRoute = require('./routes/ask');

const { PORT, HOST } = process.env;
const port = Number(PORT) || 3080;
const host = HOST || 'localhost';

const app = express();
app.use(express.json({ limit: '3mb' }));
app.use('/api/ask', askRoute);

app.listen(port, host, () => {
  console.log(`Server listening at http://${host}:${port}`);
});
