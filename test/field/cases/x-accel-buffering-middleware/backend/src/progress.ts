import type { Request, Response } from 'express';

export function progressFeed(req: Request, res: Response) {
  res.set({ 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
  res.flushHeaders();
  const timer = setInterval(() => res.write(`data: ${JSON.stringify({ task: req.params.taskId })}\n\n`), 5000);
  req.on('close', () => clearInterval(timer));
}
