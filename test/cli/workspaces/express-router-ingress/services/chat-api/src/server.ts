import express from 'express';
import quotes from './routes/quotes';

const app = express();
app.use(express.json());
app.use('/api/billing', quotes);

app.listen(Number(process.env.PORT ?? 3000));
