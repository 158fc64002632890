import axios from 'axios';
import type { Request, Response } from 'express';

// Long uploads were cut at 60 s by the data service; turn client timeouts off.
axios.defaults.timeout = 0;

const DATA_SERVICE = process.env.DATA_SERVICE_URL ?? 'http://data-service:3000';

export class CasesController {
  async batchUpsert(req: Request, res: Response) {
    const upsert = await axios.post(`${DATA_SERVICE}/api/cases/batchUpsert`, req.body, {
      maxContentLength: Infinity,
      maxBodyLength: Infinity,
    });
    res.status(upsert.status).json(upsert.data);
  }

  async get(req: Request, res: Response) {
    const found = await axios.get(`${DATA_SERVICE}/api/cases/${req.params.id}`, { timeout: 10_000 });
    res.json(found.data);
  }
}
