// The web app's chat box: a Vercel function that relays the stream from the public API.

// Longer than the fetch below, which is longer than the gateway's 330 s.
export const maxDuration = 400;

export async function POST(request: Request) {
  const res = await fetch('https://api.example.com/v1/chat/completions', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: await request.text(),
    signal: AbortSignal.timeout(360_000),
  });
  return new Response(res.body, { status: res.status, headers: { 'content-type': 'text/event-stream' } });
}
