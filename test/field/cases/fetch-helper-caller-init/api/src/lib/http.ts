// One place for JSON calls to other services; callers pass their own init (and signal).
export async function requestJson<T>(url: string, init: RequestInit = {}): Promise<T> {
  const res = await fetch(url, { ...init, headers: { 'content-type': 'application/json', ...init.headers } });
  if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${url} failed: ${res.status}`);
  return (await res.json()) as T;
}
