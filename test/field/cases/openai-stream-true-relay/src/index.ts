import express from 'express';
import OpenAI from 'openai';

const openai = new OpenAI();
const app = express();
app.use(express.json());

app.post('/api/tutor/answer', async (req, res) => {
  const completion = await openai.chat.completions.create({
    model: 'gpt-4o',
    stream: true,
    messages: [{ role: 'system', content: 'You are a patient maths tutor.' }, ...req.body.messages],
  });
  res.setHeader('Content-Type', 'text/plain; charset=utf-8');
  for await (const chunk of completion) {
    res.write(chunk.choices[0]?.delta?.content ?? '');
  }
  res.end();
});

app.listen(4000);
