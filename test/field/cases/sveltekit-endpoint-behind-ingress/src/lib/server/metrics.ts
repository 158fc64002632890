import { createServer } from 'node:http';

// Prometheus scrapes this side port; the app itself is served by SvelteKit's adapter-node.
export function startMetrics(render: () => Promise<string>) {
  const port = Number(process.env.METRICS_PORT ?? 5565);
  createServer(async (_req, res) => {
    res.setHeader('Content-Type', 'text/plain; version=0.0.4');
    res.end(await render());
  }).listen(port);
}
