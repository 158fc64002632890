import { subscribeToPub } from '@/lib/pubsub';

export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const encoder = new TextEncoder();
  const body = new ReadableStream({
    start(controller) {
      const heartbeat = setInterval(() => controller.enqueue(encoder.encode(': ping\n\n')), 15_000);
      const off = subscribeToPub(id, (change) => controller.enqueue(encoder.encode(`data: ${JSON.stringify(change)}\n\n`)));
      request.signal.addEventListener('abort', () => {
        clearInterval(heartbeat);
        off();
      });
    },
  });
  return new Response(body, { headers: { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' } });
}
