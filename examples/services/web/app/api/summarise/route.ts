// The web app's summarise button: a Vercel function that forwards the document to the public API.

// Vercel stops the function after this many seconds.
export const maxDuration = 60;

export async function POST(request: Request) {
  const { text } = await request.json();
  const res = await fetch('https://api.example.com/api/summarise', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ text }),
    // Long documents take a while; give the API two minutes.
    signal: AbortSignal.timeout(120_000),
  });
  return Response.json(await res.json(), { status: res.status });
}
