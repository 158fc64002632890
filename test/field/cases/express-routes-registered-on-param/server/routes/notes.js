import { withBase } from '../utils/paths.js';
import { summarise } from '../summarise.js';

export default function registerNoteRoutes(app, { requireUser }) {
  app.get(withBase('/api/notes/:id/summary/stream'), requireUser, async (req, res) => {
    res.setHeader('Content-Type', 'text/event-stream');
    res.setHeader('Cache-Control', 'no-cache');
    for await (const token of summarise(req.params.id)) {
      res.write(`data: ${JSON.stringify(token)}\n\n`);
    }
    res.end();
  });

  app.get(withBase('/api/notes/:id'), requireUser, async (req, res) => {
    res.json({ id: req.params.id });
  });
}
