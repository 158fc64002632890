export interface Order { id: string; total: number; status: 'open' | 'shipped' }

export async function fetchOrders(page: number): Promise<Order[]> {
  const response = await fetch(`/api/orders?page=${page}`, { credentials: 'include' });
  if (!response.ok) throw new Error(`orders: ${response.status}`);
  return response.json();
}
