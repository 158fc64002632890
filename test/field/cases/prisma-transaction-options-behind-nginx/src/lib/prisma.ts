import { PrismaClient } from '@prisma/client';

// Checkout writes several tables; the defaults (5 s) aborted big orders, so both limits were raised.
const prisma = new PrismaClient({
  transactionOptions: {
    maxWait: 30000,
    timeout: 30000,
  },
});

export default prisma;
