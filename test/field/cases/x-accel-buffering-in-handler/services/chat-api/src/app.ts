import express from 'express';
import Anthropic from '@anthropic-ai/sdk';

const anthropic = new Anthropic();
const app = express();
app.use(express.json());

app.post('/api/chat/stream', async (req, res) => {
  res.setHeader('Content-Type', 'text/event-stream');
  res.setHeader('Cache-Control', 'no-cache');
  // nginx: pass chunks through as they come
  res.setHeader('X-Accel-Buffering', 'no');
  const stream = anthropic.messages.stream({ model: 'claude-3-5-sonnet-latest', max_tokens: 2048, messages: req.body.messages });
  stream.on('text', (text) => res.write(`data: ${JSON.stringify({ text })}\n\n`));
  await stream.finalMessage();
  res.end();
});

app.listen(8000);
