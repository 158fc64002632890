// A cooperative stop for lint(): a run asks `shouldStop` between steps and gives up cleanly once it answers true.

/**
 * Thrown inside a run once its `shouldStop` answered true, and caught by lint() itself; it never
 * leaves the engine. lint() is synchronous, so a timer cannot interrupt it: the run checks at
 * points it passes often (every file read, stat and listing, between files, entries and rules,
 * every reported finding), which bounds how long it goes on after the budget ran out.
 */
export class LintStopped extends Error {
  constructor() {
    super('the lint run was stopped before it finished');
    this.name = 'LintStopped';
  }
}

/** The reason given for every input of a stopped run (LintReport.notAnalysed). */
export const STOPPED_REASON = 'analysis stopped before it finished';

/**
 * A sticky check around a caller's `shouldStop`: once it has answered true every later check
 * throws too, so a parser or rule that catches one throw (and carries on) meets the next one at
 * its next read or report.
 */
export class StopCheck {
  private stopped = false;

  constructor(private readonly shouldStop: (() => boolean) | undefined) {}

  /** Throws LintStopped when the run must stop. */
  check(): void {
    if (this.isStopped()) throw new LintStopped();
  }

  isStopped(): boolean {
    if (!this.stopped && this.shouldStop?.() === true) this.stopped = true;
    return this.stopped;
  }
}

/** Rethrows a LintStopped that a `catch` meant for other errors has caught. */
export function rethrowStop(error: unknown): void {
  if (error instanceof LintStopped) throw error;
}

/** The stop check of the run in progress (lint() is synchronous, so there is at most one). */
let current: StopCheck | undefined;
let calls = 0;

/**
 * For long loops deep in the engine that lint() cannot see from outside (expanding nginx
 * includes into the model, linking call chains): throws LintStopped when the run in progress
 * must stop. A no-op outside a run with `shouldStop`; it asks only every 128th call, so a hot
 * loop pays a counter increment.
 */
export function checkStop(): void {
  if (current === undefined || (++calls & 127) !== 0) return;
  current.check();
}

/** Runs `run` with `stop` as the check that {@link checkStop} consults. */
export function withStopCheck<T>(stop: StopCheck, run: () => T): T {
  const outer = current;
  current = stop;
  try {
    return run();
  } finally {
    current = outer;
  }
}
