import type { NextRequest } from 'next/server';
import { createSSEHandler } from 'use-next-sse';
import { pool } from '../../../../../lib/db';

export const dynamic = 'force-dynamic';

const KEEP_ALIVE_MS = 20_000;

// Card moves are pushed as they happen; the keep-alive event keeps a quiet board's stream open.
export const GET = (req: NextRequest, { params }: { params: { boardId: string } }) =>
  createSSEHandler(async (send, close, { onClose }) => {
    const keepAlive = setInterval(() => send({ at: Date.now() }, 'keep-alive'), KEEP_ALIVE_MS);
    const client = await pool.connect();
    await client.query(`LISTEN "board_${params.boardId}"`);
    client.on('notification', (message) => {
      if (message.payload) send(JSON.parse(message.payload), 'card');
    });
    onClose(() => {
      clearInterval(keepAlive);
      client.query(`UNLISTEN "board_${params.boardId}"`).catch(() => undefined);
      client.release();
    });
  })(req);
