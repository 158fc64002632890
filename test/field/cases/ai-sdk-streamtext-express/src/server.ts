import express from 'express';
import { streamText } from 'ai';
import { openai } from '@ai-sdk/openai';
import { searchDocs } from './search.js';

const app = express();
app.use(express.json({ limit: '1mb' }));

app.post('/assistant/chat', async (req, res) => {
  const { messages } = req.body;
  const context = await searchDocs(messages.at(-1)?.content ?? '');
  const result = streamText({
    model: openai('gpt-4o-mini'),
    system: `Answer from these documents only:\n${context}`,
    messages,
  });
  result.pipeDataStreamToResponse(res);
});

app.get('/assistant/health', (_req, res) => res.send('ok'));

app.listen(5050, '127.0.0.1');
