import axios from 'axios';
import type { Request, Response } from 'express';

const DATA_SERVICE = process.env.DATA_SERVICE_URL ?? 'http://data-service:3000';

// Forwards place lookups to the data service; the curator process set axios.defaults.timeout = 0 in cases.ts.
export class GeocodeProxy {
  async suggest(req: Request, res: Response) {
    const found = await axios.get(`${DATA_SERVICE}/api/geocode/suggest`, {
      params: req.query,
    });
    res.json(found.data);
  }
}
