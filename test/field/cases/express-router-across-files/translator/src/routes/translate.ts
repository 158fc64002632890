import { Router } from 'express';
import OpenAI from 'openai';

const router = Router();
const client = new OpenAI();

router.post('/document', async (req, res) => {
  const { text, target } = req.body;
  const completion = await client.chat.completions.create({
    model: 'gpt-4o',
    messages: [{ role: 'user', content: `Translate into ${target}:\n\n${text}` }],
  });
  res.json({ text: completion.choices[0]?.message?.content });
});

export default router;
