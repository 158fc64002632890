import express from 'express';
import OpenAI from 'openai';

const app = express();
const routes = express.Router();
const openai = new OpenAI();

app.use(express.json());

routes.post('/ask', async (req, res) => {
  res.setHeader('Content-Type', 'application/octet-stream');
  const stream = await openai.chat.completions.create({ model: 'gpt-4o-mini', messages: req.body.messages, stream: true });
  for await (const part of stream) res.write(part.choices[0]?.delta?.content ?? '');
  res.end();
});

// The same routes answer with and without /api: the nginx in front forwards /api as it is.
app.use('', routes);
app.use('/api', routes);

app.listen(3002);
