import { Router } from 'express';
import axios from 'axios';

const router = Router();

// The pricing provider may take up to a minute to answer.
router.post('/quote', async (req, res) => {
  const { data } = await axios.post('https://pricing.example.com/v2/quote', req.body, { timeout: 60_000 });
  res.json(data);
});

export default router;
