import express from 'express';
import OpenAI from 'openai';

const openai = new OpenAI({ timeout: 90_000, maxRetries: 0 });
const app = express();
app.use(express.json());

app.post('/summarize', async (req, res) => {
  const completion = await openai.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: req.body.text }] });
  res.json({ summary: completion.choices[0]?.message.content });
});

const server = app.listen(Number(process.env.PORT ?? 8080));
server.keepAliveTimeout = 620_000;
server.headersTimeout = 621_000;
