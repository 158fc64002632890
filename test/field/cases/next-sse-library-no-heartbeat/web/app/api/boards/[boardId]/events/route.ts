import type { NextRequest } from 'next/server';
import { createSSEHandler } from 'use-next-sse';
import { pool } from '../../../../../lib/db';

export const dynamic = 'force-dynamic';

// Card moves are pushed as they happen; a board nobody touches sends nothing for a long time.
export const GET = (req: NextRequest, { params }: { params: { boardId: string } }) =>
  createSSEHandler(async (send, close, { onClose }) => {
    const client = await pool.connect();
    await client.query(`LISTEN "board_${params.boardId}"`);
    client.on('notification', (message) => {
      if (message.payload) send(JSON.parse(message.payload), 'card');
    });
    onClose(() => {
      client.query(`UNLISTEN "board_${params.boardId}"`).catch(() => undefined);
      client.release();
    });
  })(req);
