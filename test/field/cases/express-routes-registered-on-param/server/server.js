import express from 'express';
import http from 'http';
import https from 'https';
import fs from 'fs';
import config from './config.js';
import registerNoteRoutes from './routes/notes.js';

const app = express();
const requireUser = (req, res, next) => next();
registerNoteRoutes(app, { requireUser });

let server;
if (config.TLS_CERT) {
  server = https.createServer({ cert: fs.readFileSync(config.TLS_CERT) }, app);
} else {
  server = http.createServer(app);
}
server.listen(config.PORT, config.HOST);
