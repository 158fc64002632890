const express = require('express');
const OpenAI = require('openai');

const router = express.Router();
const client = new OpenAI({ apiKey: process.env.OPENAI_API_KEY });

router.post('/', async (req, res) => {
  res.setHeader('Content-Type', 'text/event-stream');
  res.setHeader('Cache-Control', 'no-cache');
  const stream = await client.chat.completions.create({ model: req.body.model, messages: req.body.messages, stream: true });
  for await (const part of stream) {
    res.write(`event: message\ndata: ${JSON.stringify(part)}\n\n`);
  }
  res.end();
});

module.exports = router;
