// Posts a message when a release image has been pushed.
const res = await fetch(process.env.RELEASE_WEBHOOK_URL, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ text: 'chathub image pushed' }),
  signal: AbortSignal.timeout(10_000),
});
console.log(res.status);
