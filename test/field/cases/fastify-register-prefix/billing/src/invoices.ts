import type { FastifyInstance } from 'fastify';
import OpenAI from 'openai';

const openai = new OpenAI();

export async function invoiceRoutes(app: FastifyInstance) {
  app.post('/invoices/:id/explain', async (request) => {
    const completion = await openai.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: `Explain invoice ${(request.params as { id: string }).id} to the customer.` }],
    });
    return { text: completion.choices[0]?.message?.content };
  });
}
