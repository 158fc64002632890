import { getJson } from '../lib/http.js';

interface Rate { currency: string; value: number }

export async function refreshRates(): Promise<Rate[]> {
  const rates = await getJson<Rate[]>('/latest?base=EUR');
  return rates.filter((r) => r.value > 0);
}

export async function refreshHistory(day: string): Promise<Rate[]> {
  return getJson<Rate[]>(`/history/${day}`, { signal: AbortSignal.timeout(10_000) });
}
