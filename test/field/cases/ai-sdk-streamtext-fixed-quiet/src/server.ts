import express from 'express';
import { streamText } from 'ai';
import { anthropic } from '@ai-sdk/anthropic';

const app = express();
app.use(express.json());

app.post('/api/agent/run', (req, res) => {
  const abort = new AbortController();
  req.on('close', () => abort.abort());
  const result = streamText({
    model: anthropic('claude-3-5-sonnet-latest'),
    prompt: req.body.question,
    abortSignal: abort.signal,
  });
  result.pipeDataStreamToResponse(res);
});

app.get('/', (_req, res) => res.send('research agent'));

app.listen(3000);
