import { NextRequest, NextResponse } from 'next/server';
import { PassThrough } from 'stream';

export async function POST(req: NextRequest) {
  const { question, model } = await req.json();
  const upstream = await fetch(`${process.env.MODEL_ENDPOINT}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ model, messages: [{ role: 'user', content: question }], stream: true }),
    signal: AbortSignal.timeout(300_000),
  });
  if (!upstream.body) return new NextResponse('no answer', { status: 502 });

  const passThrough = new PassThrough();
  const reader = upstream.body.getReader();
  void (async () => {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      passThrough.write(value);
    }
    passThrough.end();
  })();

  const readableStream = new ReadableStream({
    start(controller) {
      passThrough.on('data', (chunk) => controller.enqueue(chunk));
      passThrough.on('end', () => controller.close());
    },
  });
  return new NextResponse(readableStream, { headers: { 'Content-Type': 'text/plain' } });
}
