const express = require('express');
const OpenAI = require('openai');

const client = new OpenAI({ timeout: 45 * 1000, maxRetries: 1 });
const app = express();
app.use(express.json());

app.post('/reports', async (req, res) => {
  const result = await client.chat.completions.create({
    model: 'gpt-4o',
    messages: [{ role: 'user', content: `Write a report about ${req.body.topic}` }],
  });
  res.json({ report: result.choices[0].message.content });
});

app.listen(4444);
