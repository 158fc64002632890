import express from 'express';
import config from './config.js';
import registerChatRoutes from './routes/chat/index.js';

async function main() {
  const app = express();
  app.use(express.json());
  const REQUEST_TIMEOUT = config.REQUEST_TIMEOUT;
  registerChatRoutes(app, { REQUEST_TIMEOUT, basePath: '' });
  app.listen(config.PORT, config.HOST);
}

main();
