import { NextResponse } from 'next/server';

const MODEL_ENDPOINT = process.env.MODEL_ENDPOINT ?? 'http://granite.models.svc:8000';

export async function POST(request: Request) {
  const { question } = await request.json();
  const upstream = await fetch(`${MODEL_ENDPOINT}/v1/completions`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ model: 'granite-7b', prompt: question, max_tokens: 512 }),
  });
  const data = await upstream.json();
  return NextResponse.json({ text: data.choices?.[0]?.text ?? '' });
}
