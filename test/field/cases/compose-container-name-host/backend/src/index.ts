import Anthropic from '@anthropic-ai/sdk';
import express from 'express';

const app = express();
app.use(express.json({ limit: '2mb' }));
const anthropic = new Anthropic();

app.post('/summaries', async (req, res) => {
  const message = await anthropic.messages.create({
    model: 'claude-3-5-sonnet-latest',
    max_tokens: 4096,
    messages: [{ role: 'user', content: `Summarise:\n${req.body.text}` }],
  });
  res.json({ summary: message.content });
});

app.listen(Number(process.env.PORT ?? 8081));
