import express from 'express';
import Anthropic from '@anthropic-ai/sdk';

const anthropic = new Anthropic();
const app = express();
app.use(express.json());

app.post('/api/recipes/suggest', async (req, res) => {
  const message = await anthropic.messages.create({
    model: 'claude-3-5-haiku-latest',
    max_tokens: 1024,
    messages: [{ role: 'user', content: `Suggest a recipe with: ${req.body.ingredients.join(', ')}` }],
  });
  res.json(message.content);
});

const port = parseInt(process.env.PORT || '3001', 10);
app.listen(port, '127.0.0.1');
