// summarise-api: summarises long documents with Claude in one non-streamed completion.
import express from 'express';
import Anthropic from '@anthropic-ai/sdk';

// Long documents: one completion can take minutes. The SDK retries a timed-out request twice by default.
const anthropic = new Anthropic({
  timeout: Number(process.env.LLM_TIMEOUT_MS ?? 240_000),
});

const app = express();
app.use(express.json({ limit: '20mb' }));

app.post('/api/summarise', async (req, res) => {
  const message = await anthropic.messages.create({
    model: 'claude-sonnet-4-5',
    max_tokens: 2048,
    messages: [{ role: 'user', content: `Summarise this document:\n\n${req.body.text}` }],
  });
  res.json({ summary: message.content });
});

app.get('/healthz', (_req, res) => {
  res.json({ ok: true });
});

const server = app.listen(Number(process.env.PORT ?? 8002));
// Longer than the gateways' upstream keep-alive (60 s), so they never reuse a connection this server is closing.
server.keepAliveTimeout = 65_000;
server.headersTimeout = 66_000;
