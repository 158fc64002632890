import express from 'express';
import { ai } from './ai/client';

const app = express();
app.use(express.json());

app.post('/api/decks/:id/cards', async (req, res) => {
  const completion = await ai.chat.completions.create({
    model: 'gpt-4o-mini',
    messages: [{ role: 'user', content: `Make 20 flashcards about ${req.body.topic}` }],
  });
  res.json({ cards: completion.choices[0]?.message?.content });
});

app.listen(3000);
