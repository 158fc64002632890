import express from 'express';
import OpenAI from 'openai';

const openai = new OpenAI({ timeout: 60_000, maxRetries: 1 });
const app = express();
app.use(express.json());

app.post('/api/tickets/summarise', async (req, res) => {
  const completion = await openai.chat.completions.create({
    model: 'gpt-4o-mini',
    messages: [{ role: 'user', content: `Summarise: ${req.body.thread}` }],
  });
  res.json({ summary: completion.choices[0]?.message?.content });
});

app.listen(Number(process.env.PORT ?? 3001));
