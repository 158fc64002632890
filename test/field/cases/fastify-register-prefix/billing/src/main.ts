import Fastify from 'fastify';
import { invoiceRoutes } from './invoices';

const app = Fastify({ logger: true });
app.register(invoiceRoutes, { prefix: '/billing' });
app.get('/healthz', async () => 'ok');

app.listen({ port: 3000, host: '0.0.0.0' });
