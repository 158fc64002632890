import express, { type NextFunction, type Request, type Response } from 'express';
import timeout from 'connect-timeout';
import reportsRouter from './routes/reports';

const app = express();

// Exports are slow: give every request two minutes before answering 503.
app.use(timeout('120s'));
app.use(express.json());
app.use(haltOnTimedout);

app.use('/api', reportsRouter);

function haltOnTimedout(req: Request, _res: Response, next: NextFunction) {
  if (!req.timedout) next();
}

const port = Number(process.env.PORT ?? 3000);
app.listen(port, () => console.log(`reports api on ${port}`));
