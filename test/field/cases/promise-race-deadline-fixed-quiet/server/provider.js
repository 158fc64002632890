// Below the route's race deadline, so the provider call is cancelled before the handler gives up.
const PROVIDER_TIMEOUT_MS = 230_000;

export async function requestCompletion(baseUrl, body) {
  const response = await fetch(`${baseUrl}/chat/completions`, {
    method: 'POST',
    signal: AbortSignal.timeout(PROVIDER_TIMEOUT_MS),
    headers: { 'content-type': 'application/json', authorization: `Bearer ${process.env.PROVIDER_API_KEY}` },
    body: JSON.stringify({ model: body.model, messages: body.messages }),
  });
  return response.json();
}
