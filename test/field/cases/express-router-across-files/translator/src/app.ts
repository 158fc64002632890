import express from 'express';
import translateRouter from './routes/translate';
import glossaryRouter from './routes/glossary';

const app = express();
app.use(express.json());
app.use('/api/translate', translateRouter);
app.use('/api/glossary', glossaryRouter);

app.listen(5000);
