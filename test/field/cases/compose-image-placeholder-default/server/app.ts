import express from 'express';
import OpenAI from 'openai';

const openai = new OpenAI();
const app = express();
app.use(express.json({ limit: '2mb' }));

app.post('/entries/categorise', async (req, res) => {
  const completion = await openai.chat.completions.create({
    model: 'gpt-4o',
    messages: [{ role: 'system', content: 'Assign an accounting category to each entry.' }, { role: 'user', content: req.body.text }],
  });
  res.json({ result: completion.choices[0]?.message?.content });
});

app.get('/healthz', (_req, res) => res.send('ok'));

app.listen(3000);
