const BASE_URL = process.env.RATES_API ?? 'https://rates.example.com/api';

export class HttpError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

export async function getJson<T>(path: string, init: RequestInit = {}): Promise<T> {
  const response = await fetch(`${BASE_URL}${path}`, { ...init, headers: { Accept: 'application/json', ...init.headers } });
  if (!response.ok) throw new HttpError(response.status, await response.text());
  return (await response.json()) as T;
}
