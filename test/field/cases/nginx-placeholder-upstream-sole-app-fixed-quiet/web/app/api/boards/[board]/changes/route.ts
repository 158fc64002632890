import { listenForChanges } from '../../../../../lib/changes';

export const dynamic = 'force-dynamic';

// Pushes board changes to the browser as they are committed (Postgres LISTEN/NOTIFY).
export async function GET(request: Request, { params }: { params: Promise<{ board: string }> }) {
  const { board } = await params;
  const encoder = new TextEncoder();
  const stream = new ReadableStream({
    async start(controller) {
      // A comment line every 20 s keeps proxies from closing a quiet stream.
      const heartbeat = setInterval(() => controller.enqueue(encoder.encode(': keep-alive\n\n')), 20_000);
      const stop = await listenForChanges(board, (change) => {
        controller.enqueue(encoder.encode(`event: change\ndata: ${JSON.stringify(change)}\n\n`));
      });
      request.signal.addEventListener('abort', () => {
        clearInterval(heartbeat);
        void stop();
      });
    },
  });
  return new Response(stream, {
    headers: { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache, no-transform', Connection: 'keep-alive' },
  });
}
