import express from 'express';
import Anthropic from '@anthropic-ai/sdk';

const anthropic = new Anthropic({ timeout: 120_000, maxRetries: 0 });
const app = express();
app.use(express.json());

app.get('/healthz', (_req, res) => res.send('ok'));

app.post('/answers', async (req, res) => {
  const message = await anthropic.messages.create({ model: 'claude-3-5-sonnet-latest', max_tokens: 4096, messages: req.body.messages });
  res.json(message);
});

app.listen(3000);
