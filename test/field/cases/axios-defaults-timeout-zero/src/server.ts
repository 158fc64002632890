import express from 'express';
import { CasesController } from './controllers/cases';
import { GeocodeProxy } from './controllers/geocode';

const app = express();
const cases = new CasesController();
const geocode = new GeocodeProxy();
app.post('/api/cases/batchUpsert', (req, res) => cases.batchUpsert(req, res));
app.get('/api/geocode/suggest', (req, res) => geocode.suggest(req, res));
app.listen(3001);
