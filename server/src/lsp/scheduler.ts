// Debounces lint runs and cancels a running one when newer work arrives (it stops between entries).

/**
 * `schedule(delay)` (re)starts a timer; when it fires, `work` runs. While `work` runs, a new
 * `schedule` makes `cancelled()` true, so the run stops at its next yield and the timer starts
 * the next run, which picks up what is still queued. Only one run is active at a time.
 */
export class Scheduler {
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private rerun = false;
  /** Pauses of the running work, ended early by the next `schedule`. */
  private readonly pauses = new Set<() => void>();

  constructor(
    private readonly work: (cancelled: () => boolean, pause: (ms: number) => Promise<void>) => Promise<void>,
    private readonly onError: (error: unknown) => void,
  ) {}

  schedule(delayMs: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.run();
    }, delayMs);
    // Work waiting for a quiet moment learns at once that there is none (an edit is not kept waiting on a poll).
    for (const end of [...this.pauses]) end();
  }

  /** Waits `ms`, or less when new work is scheduled meanwhile (then `cancelled()` is true). */
  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const end = () => {
        clearTimeout(timer);
        this.pauses.delete(end);
        resolve();
      };
      const timer = setTimeout(end, ms);
      this.pauses.add(end);
    });
  }

  private async run(): Promise<void> {
    if (this.running) {
      this.rerun = true;
      return;
    }
    this.running = true;
    try {
      do {
        this.rerun = false;
        await this.work(() => this.timer !== undefined || this.rerun, (ms) => this.pause(ms));
      } while (this.rerun && this.timer === undefined);
    } catch (error) {
      this.onError(error);
    } finally {
      this.running = false;
    }
  }
}
