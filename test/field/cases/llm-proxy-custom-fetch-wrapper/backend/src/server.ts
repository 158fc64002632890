import Fastify from 'fastify';
import { OpenRouterClient, type ChatRequest } from './llm/openrouter-client.js';
import { fetchWithTimeout } from './lib/fetch-with-timeout.js';

const openrouter = new OpenRouterClient(process.env.OPENROUTER_API_KEY, undefined, fetchWithTimeout);

const app = Fastify({ logger: true });

app.post('/v1/chat/completions', async (request) => {
  return openrouter.chatCompletions(request.body as ChatRequest);
});

await app.listen({ port: Number(process.env.PORT ?? 9000), host: '0.0.0.0' });
