import { requestCompletion } from '../../provider.js';

export default function registerCompletionRoutes(app, { COMPLETION_TIMEOUT, providerUrl }) {
  app.post('/api/completions', async (req, res) => {
    let timer;
    const deadline = new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`completion timed out after ${COMPLETION_TIMEOUT / 1000} s`)), COMPLETION_TIMEOUT);
    });
    try {
      const answer = await Promise.race([requestCompletion(providerUrl, req.body), deadline]);
      clearTimeout(timer);
      res.json(answer);
    } catch (error) {
      clearTimeout(timer);
      res.status(504).json({ error: error.message });
    }
  });
}
