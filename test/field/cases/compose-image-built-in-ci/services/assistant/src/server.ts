import express from 'express';
import OpenAI from 'openai';

const openai = new OpenAI({ timeout: 120_000 });
const app = express();
app.use(express.json());

app.post('/tickets/draft-reply', async (req, res) => {
  const completion = await openai.chat.completions.create({
    model: 'gpt-4o',
    messages: [{ role: 'system', content: 'Draft a reply to this support ticket.' }, { role: 'user', content: req.body.ticket }],
  });
  res.json({ reply: completion.choices[0]?.message?.content });
});

app.listen(8080);
