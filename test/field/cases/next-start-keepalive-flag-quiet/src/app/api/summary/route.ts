import { NextResponse } from 'next/server';

export const dynamic = 'force-dynamic';

export async function GET(): Promise<NextResponse> {
  const response = await fetch(`${process.env.METRICS_URL}/v1/summary`, {
    headers: { accept: 'application/json' },
    signal: AbortSignal.timeout(10_000),
  });
  return NextResponse.json(await response.json(), { status: response.status });
}
