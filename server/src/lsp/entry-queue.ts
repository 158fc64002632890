// The queue of entries waiting to be linted: documents the user opened first, then nginx.conf files, then the rest.
import type { FileId } from '../engine/types.js';

/**
 * nginx.conf entries go before fragments so that a fragment is usually found to be included
 * before anyone lints it on its own (lint() orders entries the same way). Sets keep insertion
 * order and make every operation O(1), which matters when thousands of files are queued.
 */
export class EntryQueue {
  private readonly priority = new Set<FileId>();
  private readonly main = new Set<FileId>();
  private readonly rest = new Set<FileId>();

  get size(): number {
    return this.priority.size + this.main.size + this.rest.size;
  }

  get hasPriority(): boolean {
    return this.priority.size > 0;
  }

  add(file: FileId): void {
    if (this.priority.has(file)) return;
    (file.endsWith('nginx.conf') ? this.main : this.rest).add(file);
  }

  /** Moves (or adds) an entry to the front part of the queue. */
  addFirst(file: FileId): void {
    this.main.delete(file);
    this.rest.delete(file);
    this.priority.add(file);
  }

  /** Demotes every prioritised entry back to the ordinary queue. */
  clearPriority(): void {
    const prioritised = [...this.priority];
    this.priority.clear();
    for (const file of prioritised) this.add(file);
  }

  take(): FileId | undefined {
    for (const queue of [this.priority, this.main, this.rest]) {
      const first = queue.values().next();
      if (!first.done) {
        queue.delete(first.value);
        return first.value;
      }
    }
    return undefined;
  }

  delete(file: FileId): void {
    this.priority.delete(file);
    this.main.delete(file);
    this.rest.delete(file);
  }
}
