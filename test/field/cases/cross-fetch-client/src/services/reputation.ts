import fetch from 'cross-fetch';

const SAFE_LOOKUP_URL = 'https://reputation.example.net/v4/lookup';
const LOOKUP_TIMEOUT_MS = 4000;

export async function isMalicious(url: string): Promise<boolean> {
  const response = await fetch(`${SAFE_LOOKUP_URL}?url=${encodeURIComponent(url)}`, {
    method: 'GET',
    headers: { Accept: 'application/json' },
  });
  const body = await response.json();
  return Boolean(body.matches?.length);
}

export async function reportFalsePositive(url: string): Promise<void> {
  await fetch(`${SAFE_LOOKUP_URL}/feedback`, {
    method: 'POST',
    body: JSON.stringify({ url }),
    signal: AbortSignal.timeout(LOOKUP_TIMEOUT_MS),
  });
}
