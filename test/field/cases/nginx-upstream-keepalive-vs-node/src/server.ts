import http from 'node:http';

const server = http.createServer((req, res) => {
  res.setHeader('Content-Type', 'application/json');
  res.end(JSON.stringify({ path: req.url }));
});
server.keepAliveTimeout = 30_000;
server.listen(3000);
