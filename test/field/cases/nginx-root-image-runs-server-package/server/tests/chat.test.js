import express from 'express';
import registerChatRoutes from '../routes/chat/index.js';

const app = express();
registerChatRoutes(app, { REQUEST_TIMEOUT: 50, basePath: '' });
