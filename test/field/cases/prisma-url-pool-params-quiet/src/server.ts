import express from 'express';
import { prisma } from './infra/prisma';

const app = express();
app.use(express.json());

app.get('/auth/users/:id', async (req, res) => {
  const user = await prisma.user.findUnique({ where: { id: req.params.id } });
  if (!user) return res.sendStatus(404);
  res.json({ id: user.id, email: user.email });
});

const server = app.listen(3000);
server.keepAliveTimeout = 65_000;
