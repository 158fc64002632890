import { completeWithProvider } from '../../providers.js';

export default function registerCompletionRoutes(app, { REQUEST_TIMEOUT }) {
  app.post('/api/chat/complete', async (req, res) => {
    let timer;
    const deadline = new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error('model took too long')), REQUEST_TIMEOUT);
    });
    try {
      const answer = await Promise.race([completeWithProvider(req.body.messages), deadline]);
      res.json(answer);
    } catch (error) {
      res.status(504).json({ error: error.message });
    } finally {
      clearTimeout(timer);
    }
  });
}
