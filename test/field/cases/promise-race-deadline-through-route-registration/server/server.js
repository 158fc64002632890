import express from 'express';
import config from './config.js';
import registerChatRoutes from './routes/chat/index.js';

const app = express();
app.use(express.json({ limit: '2mb' }));

const COMPLETION_TIMEOUT = config.COMPLETION_TIMEOUT_MS;

registerChatRoutes(app, { COMPLETION_TIMEOUT, providerUrl: config.providerUrl });

app.listen(config.port, () => {
  console.log(`assistant listening on ${config.port}`);
});
