const express = require('express');
const importsRouter = require('./routes/imports');

const app = express();
app.use(express.json({ limit: '20mb' }));
app.use('/api/imports', importsRouter);

const port = process.env.PORT || 3000;
app.listen(port, () => console.log(`backend on ${port}`));
