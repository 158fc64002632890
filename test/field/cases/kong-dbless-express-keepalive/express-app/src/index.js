const express = require('express');

const app = express();
app.use(express.json());

app.get('/api/items', (req, res) => {
  res.json([{ id: 1, name: 'first' }]);
});

app.post('/api/items', (req, res) => {
  res.status(201).json({ id: 2, ...req.body });
});

app.listen(3000, () => console.log('listening on 3000'));
