// The language server's lint scheduler: one run at a time, cancelled by newer work, and a run waiting for a quiet moment hears of new work at once.
import { describe, expect, it } from 'vitest';
import { Scheduler } from '../../server/src/lsp/scheduler.js';

describe('Scheduler', () => {
  it('ends a pause as soon as new work is scheduled, and runs the new work next', async () => {
    const events: string[] = [];
    let runs = 0;
    let pausedAt = 0;
    let resumedAfter = -1;
    let secondRun: () => void = () => undefined;
    const secondRunStarted = new Promise<void>((resolve) => (secondRun = resolve));
    const scheduler = new Scheduler(async (cancelled, pause) => {
      runs++;
      events.push(`run ${runs}`);
      if (runs === 1) {
        pausedAt = performance.now();
        // The chain unit's quiet wait: far longer than the test.
        await pause(60_000);
        resumedAfter = performance.now() - pausedAt;
        events.push(`resumed, cancelled: ${cancelled()}`);
        return;
      }
      secondRun();
    }, (error) => events.push(`error ${String(error)}`));
    scheduler.schedule(0);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(events).toEqual(['run 1']);
    scheduler.schedule(0);
    await secondRunStarted;
    expect(events).toEqual(['run 1', 'resumed, cancelled: true', 'run 2']);
    expect(resumedAfter).toBeGreaterThanOrEqual(0);
    expect(resumedAfter).toBeLessThan(1_000);
  });

  it('lets a pause run its full length when nothing new comes', async () => {
    let cancelledAfterPause: boolean | undefined;
    const done = new Promise<void>((resolve) => {
      const scheduler = new Scheduler(async (cancelled, pause) => {
        await pause(30);
        cancelledAfterPause = cancelled();
        resolve();
      }, () => undefined);
      scheduler.schedule(0);
    });
    const started = performance.now();
    await done;
    expect(performance.now() - started).toBeGreaterThanOrEqual(25);
    expect(cancelledAfterPause).toBe(false);
  });
});
