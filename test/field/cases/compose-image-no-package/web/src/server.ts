import express from 'express';
import OpenAI from 'openai';

const openai = new OpenAI();
const app = express();
app.use(express.json());

app.post('/payments/describe', async (req, res) => {
  const completion = await openai.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: req.body.text }] });
  res.json(completion.choices[0]?.message);
});

app.listen(3000);
