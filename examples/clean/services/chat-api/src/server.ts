// chat-api: chat completions streamed back as server-sent events.
import express from 'express';
import OpenAI from 'openai';

// Only the SDK retries (nginx does not retry a POST); each attempt waits at most LLM_TIMEOUT_MS for the model.
const openai = new OpenAI({
  timeout: Number(process.env.LLM_TIMEOUT_MS ?? 300_000),
});

const app = express();
app.use(express.json({ limit: '1mb' }));

app.post('/v1/chat/completions', async (req, res) => {
  const stream = await openai.chat.completions.create({
    model: req.body.model ?? 'gpt-4o-mini',
    messages: req.body.messages,
    stream: true,
  });
  res.setHeader('content-type', 'text/event-stream');
  for await (const chunk of stream) {
    res.write(`data: ${JSON.stringify(chunk)}\n\n`);
  }
  res.end('data: [DONE]\n\n');
});

app.get('/healthz', (_req, res) => {
  res.json({ ok: true });
});

const server = app.listen(8001);
// Longer than nginx's upstream keep-alive (keepalive_timeout, 60 s by default), so nginx never reuses a closing connection.
server.keepAliveTimeout = 75_000;
server.headersTimeout = 76_000;
