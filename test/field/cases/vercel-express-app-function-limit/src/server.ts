import Anthropic from '@anthropic-ai/sdk';
import express from 'express';

const anthropic = new Anthropic({ timeout: 120_000 });
const app = express();
app.use(express.json());

app.post('/plan', async (req, res) => {
  const message = await anthropic.messages.create({
    model: 'claude-3-5-haiku-latest',
    max_tokens: 2048,
    messages: [{ role: 'user', content: `Plan a week of dinners for: ${req.body.diet}` }],
  });
  res.json(message.content);
});

app.get('/health', (_req, res) => res.send('ok'));

export default app;
