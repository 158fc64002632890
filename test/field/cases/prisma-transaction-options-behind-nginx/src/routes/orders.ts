import prisma from '../lib/prisma';

export async function placeOrder(customerId: string, items: Array<{ sku: string; quantity: number }>) {
  return prisma.$transaction(async (tx) => {
    const order = await tx.order.create({ data: { customerId } });
    for (const item of items) {
      await tx.stock.update({ where: { sku: item.sku }, data: { quantity: { decrement: item.quantity } } });
      await tx.orderLine.create({ data: { orderId: order.id, sku: item.sku, quantity: item.quantity } });
    }
    return order;
  });
}
