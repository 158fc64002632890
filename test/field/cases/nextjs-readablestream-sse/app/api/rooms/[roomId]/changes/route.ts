import { listenForChanges } from '@/lib/changes';

export const dynamic = 'force-dynamic';

export async function GET(request: Request, { params }: { params: { roomId: string } }) {
  const encoder = new TextEncoder();
  const stream = new ReadableStream({
    async start(controller) {
      const stop = await listenForChanges(params.roomId, (change) => {
        controller.enqueue(encoder.encode(`data: ${JSON.stringify(change)}\n\n`));
      });
      request.signal.addEventListener('abort', () => {
        stop();
        controller.close();
      });
    },
  });
  return new Response(stream, {
    headers: {
      'Content-Type': 'text/event-stream',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
    },
  });
}
