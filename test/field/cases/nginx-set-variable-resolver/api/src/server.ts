import express from 'express';
import OpenAI from 'openai';

const app = express();
app.use(express.json());
const openai = new OpenAI();

app.post('/graphql', (req, res) => {
  res.json({ data: null });
});

app.post('/assist/answer', async (req, res) => {
  const completion = await openai.chat.completions.create({ model: 'gpt-4o', messages: req.body.messages });
  res.json(completion.choices[0]?.message);
});

app.post('/preview/answer', async (req, res) => {
  const completion = await openai.chat.completions.create({ model: 'gpt-4o', messages: req.body.messages });
  res.json(completion.choices[0]?.message);
});

app.listen(Number(process.env.PORT ?? 8111));
