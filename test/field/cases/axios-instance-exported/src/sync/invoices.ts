import { billing, crm } from '../lib/clients';

async function customerEmail(customerId: string): Promise<string> {
  const customer = await crm.get(`/customers/${customerId}`);
  return customer.data.email;
}

function withReference(invoice: { id: string; amount: number }) {
  return { ...invoice, reference: `INV-${invoice.id}` };
}

export async function pushInvoice(invoice: { id: string; customerId: string; amount: number }) {
  const email = await customerEmail(invoice.customerId);
  await billing.post('/invoices', { ...withReference(invoice), email });
}
