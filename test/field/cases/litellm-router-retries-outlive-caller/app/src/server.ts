import express from 'express';
import OpenAI from 'openai';

// Every model call goes through the team's LiteLLM proxy.
const llm = new OpenAI({
  baseURL: process.env.LITELLM_URL ?? 'http://litellm:4000',
  apiKey: process.env.LITELLM_KEY,
  timeout: 90 * 1000,
  maxRetries: 0,
});

const app = express();
app.use(express.json({ limit: '1mb' }));

app.post('/notes/summary', async (req, res) => {
  const completion = await llm.chat.completions.create({
    model: 'gpt-4o',
    messages: [
      { role: 'system', content: 'Summarise the note in three bullet points.' },
      { role: 'user', content: String(req.body.note ?? '') },
    ],
  });
  res.json({ summary: completion.choices[0]?.message.content ?? '' });
});

app.listen(8080);
