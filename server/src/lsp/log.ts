// What the server writes to the client's output channel (window/logMessage): start, folders indexed, counts, timings, configuration and internal errors.
import type { RemoteConsole } from 'vscode-languageserver/node';
import type { FindingTotals } from './publisher.js';
import { CHAIN_UNIT, KUBERNETES_UNIT, TYPESCRIPT_UNIT } from './unit-index.js';

/** `timeoutLint.trace.server`: `verbose` adds a line per lint run; message traces are the client's to write. */
export type TraceLevel = 'off' | 'messages' | 'verbose';

/**
 * Lines go out as `info` (or `warn`/`error`), never `log`/`debug`: vscode-languageclient writes
 * debug lines at the channel's Debug level, which the output channel hides by default.
 */
export class ServerLog {
  constructor(private readonly console: Pick<RemoteConsole, 'info' | 'warn' | 'error'>, private readonly level: () => TraceLevel) {}

  info(message: string): void {
    this.console.info(message);
  }

  warn(message: string): void {
    this.console.warn(message);
  }

  error(message: string): void {
    this.console.error(message);
  }

  /** Only with `timeoutLint.trace.server: verbose`. */
  verbose(message: string): void {
    if (this.level() === 'verbose') this.console.info(message);
  }
}

/** A unit's name for the log: its entry file, or what a group stands for. */
export function unitLabel(entry: string): string {
  if (entry === CHAIN_UNIT) return 'call chains';
  if (entry === KUBERNETES_UNIT) return 'YAML group';
  if (entry === TYPESCRIPT_UNIT) return 'TypeScript group';
  return entry;
}

/** `2 errors, 1 warning, 3 info`. */
export function countsOf(totals: FindingTotals): string {
  const plural = (n: number, noun: string) => `${n} ${noun}${n === 1 || noun === 'info' ? '' : 's'}`;
  return `${plural(totals.errors, 'error')}, ${plural(totals.warnings, 'warning')}, ${plural(totals.infos, 'info')}`;
}

export function millis(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;
}
