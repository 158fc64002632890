const express = require('express');
const OpenAI = require('openai');

const openai = new OpenAI({ timeout: 120 * 1000, maxRetries: 0 });
const app = express();
app.use(express.json());

app.post('/api/answer', async (req, res) => {
  const completion = await openai.chat.completions.create({ model: 'gpt-4o', messages: req.body.messages });
  res.json(completion.choices[0].message);
});

const server = app.listen(3000);
server.keepAliveTimeout = 120_000;
