import express from 'express';
import { BedrockRuntimeClient, ConverseStreamCommand } from '@aws-sdk/client-bedrock-runtime';

const bedrock = new BedrockRuntimeClient({ region: process.env.AWS_REGION ?? 'eu-west-1' });
const app = express();
app.use(express.json());

async function relay(question: string, res: express.Response) {
  res.setHeader('Content-Type', 'text/event-stream');
  const response = await bedrock.send(new ConverseStreamCommand({
    modelId: 'anthropic.claude-3-5-sonnet-20240620-v1:0',
    messages: [{ role: 'user', content: [{ text: question }] }],
  }));
  for await (const event of response.stream ?? []) {
    const text = event.contentBlockDelta?.delta?.text;
    if (text) res.write(`data: ${JSON.stringify(text)}\n\n`);
  }
  res.end();
}

app.post('/api/ask', (req, res) => relay(req.body.question, res));
app.post('/api/answers/stream', (req, res) => relay(req.body.question, res));

app.listen(3000);
