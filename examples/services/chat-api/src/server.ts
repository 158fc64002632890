// chat-api: OpenAI-compatible chat completions, streamed back to the browser as server-sent events.
import express from 'express';
import OpenAI from 'openai';
import { loadProfile, recordUsage } from './users-client.js';

const PORT = 8001;

// The SDK's own timeout (600 s by default) only bounds the wait for response headers on a stream.
const openai = new OpenAI({
  baseURL: process.env.OPENAI_BASE_URL,
  timeout: Number(process.env.OPENAI_TIMEOUT_MS ?? 120_000),
  maxRetries: 1,
});

const app = express();
app.use(express.json({ limit: '1mb' }));

app.post('/v1/chat/completions', async (req, res) => {
  const userId = String(req.header('x-user-id') ?? 'anonymous');
  const profile = await loadProfile(userId);
  const stream = await openai.chat.completions.create({
    model: req.body.model ?? profile.defaultModel,
    messages: req.body.messages,
    stream: true,
  });
  res.setHeader('content-type', 'text/event-stream');
  res.setHeader('cache-control', 'no-cache');
  let tokens = 0;
  for await (const chunk of stream) {
    tokens += 1;
    res.write(`data: ${JSON.stringify(chunk)}\n\n`);
  }
  res.write('data: [DONE]\n\n');
  res.end();
  await recordUsage(userId, tokens);
});

app.get('/healthz', (_req, res) => {
  res.json({ ok: true });
});

app.listen(PORT, () => {
  console.log(`chat-api listening on ${PORT}`);
});
