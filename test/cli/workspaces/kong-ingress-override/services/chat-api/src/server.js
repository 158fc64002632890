const express = require('express');
const OpenAI = require('openai');

const openai = new OpenAI({ timeout: 90_000, maxRetries: 0 });
const app = express();

app.post('/summarise', async (req, res) => {
  const completion = await openai.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: String(req.body.text) }] });
  res.json({ summary: completion.choices[0]?.message.content });
});

const server = app.listen(3000);
server.keepAliveTimeout = 75_000;
