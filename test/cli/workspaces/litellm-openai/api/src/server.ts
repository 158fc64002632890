import express from 'express';
import OpenAI from 'openai';

const openai = new OpenAI({
  baseURL: process.env.OPENAI_BASE_URL ?? 'http://litellm:4000',
  timeout: 90_000,
  maxRetries: 0,
});

const app = express();
app.use(express.json());

app.post('/summarize', async (req, res) => {
  const completion = await openai.chat.completions.create({
    model: 'gpt-4o',
    messages: [{ role: 'user', content: String(req.body.text) }],
  });
  res.json({ summary: completion.choices[0]?.message.content });
});

app.listen(3000);
