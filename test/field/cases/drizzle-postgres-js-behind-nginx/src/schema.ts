import { integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

export const payments = pgTable('payments', {
  id: text('id').primaryKey(),
  amount: integer('amount').notNull(),
  paidAt: timestamp('paid_at').notNull(),
});
