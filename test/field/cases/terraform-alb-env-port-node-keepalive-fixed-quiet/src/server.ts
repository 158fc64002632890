import { buildApp } from './app';

const port = process.env.PORT || 3000;

(async () => {
  const app = await buildApp();
  const server = app
    .listen(port, () => {
      console.log(`portal listening on ${port}`);
    })
    .on('error', (error: Error) => {
      console.error(`portal failed to start: ${error.message}`);
    });
  // Longer than the ALB's 60 s idle timeout, so the ALB closes idle connections first.
  server.keepAliveTimeout = 61 * 1000;
  server.headersTimeout = 62 * 1000;
})();
