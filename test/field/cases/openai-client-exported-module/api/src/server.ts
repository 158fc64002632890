import express from 'express';
import { openai } from './lib/openai';

const app = express();
app.use(express.json());

app.post('/api/quizzes/generate', async (req, res) => {
  const completion = await openai.chat.completions.create({
    model: 'gpt-4o',
    response_format: { type: 'json_object' },
    messages: [{ role: 'user', content: `Write ten questions about ${req.body.topic}` }],
  });
  res.json(JSON.parse(completion.choices[0]?.message?.content ?? '{}'));
});

app.listen(3000);
