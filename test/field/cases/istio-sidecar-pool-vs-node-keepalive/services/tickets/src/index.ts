import { ApiServer } from '@mobility/http-kit';
import { routes } from './routes';

const port = Number(process.env.PORT ?? 4001);

ApiServer(routes).listen(port, () => {
  console.log(`tickets listening on ${port}`);
});
