import { buildApp } from './app';

const port = process.env.PORT || 3000;

(async () => {
  const app = await buildApp();
  app
    .listen(port, () => {
      console.log(`portal listening on ${port}`);
    })
    .on('error', (error: Error) => {
      console.error(`portal failed to start: ${error.message}`);
    });
})();
