export async function requestCompletion(baseUrl, body) {
  const response = await fetch(`${baseUrl}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${process.env.PROVIDER_API_KEY}` },
    body: JSON.stringify({ model: body.model, messages: body.messages }),
  });
  return response.json();
}
