// Work-done progress ($/progress) for workspace indexing, and the status notification the VS Code client shows.
import { type Connection, type WorkDoneProgressServerReporter } from 'vscode-languageserver/node';
import type { FindingTotals } from './publisher.js';

/** Custom notification for the client's status bar item (not part of LSP; other clients ignore it). */
export const STATUS_NOTIFICATION = 'timeoutLint/status';

export interface StatusParams extends FindingTotals {
  state: 'indexing' | 'idle' | 'disabled';
  /** Entries still queued while indexing. */
  queued: number;
  /** True once some enabled folder holds a file an input of the linter reads; the client shows its status item only then. */
  inputs: boolean;
}

/** One indexing pass shown as window progress; created lazily because creating it is a request to the client. */
export class IndexingProgress {
  private reporter: Promise<WorkDoneProgressServerReporter | undefined> | undefined;
  private total = 0;

  constructor(private readonly connection: Connection, private readonly supported: boolean) {}

  get active(): boolean {
    return this.reporter !== undefined;
  }

  begin(total: number): void {
    this.total = Math.max(this.total, total);
    if (this.reporter || !this.supported) return;
    this.reporter = this.connection.window.createWorkDoneProgress().then(
      (reporter) => {
        reporter.begin('timeout-lint: indexing', 0, `${total} files`, false);
        return reporter;
      },
      () => undefined,
    );
  }

  report(queued: number): void {
    const total = this.total;
    void this.reporter?.then((r) => r?.report(total === 0 ? 100 : Math.round(((total - Math.min(queued, total)) / total) * 100), `${queued} entries left`));
  }

  end(): void {
    void this.reporter?.then((r) => r?.done());
    this.reporter = undefined;
    this.total = 0;
  }
}
