// Code lenses kept per document while the lint results they come from are unchanged, and resolved (titled) on demand.
import type { CodeLens, Command } from 'vscode-languageserver/node';
import type { LensItem } from './code-lens.js';

/** What a lens carries to codeLens/resolve: which stored list it belongs to, and where in it. */
export interface LensData {
  uri: string;
  generation: number;
  index: number;
}

/** Where a lens click goes: a client command called with (uri, position); none makes the lens a plain label. */
export interface LensTarget {
  command?: string;
}

interface Stored {
  /** The objects the items were computed from (lint units are replaced, never changed, so identity is enough). */
  sources: readonly unknown[];
  generation: number;
  items: LensItem[];
  titles: Map<number, string>;
}

/** Bound on stored documents: lenses are asked for visible editors, a handful at a time. */
const MAX_DOCUMENTS = 64;

export class LensStore {
  private readonly byUri = new Map<string, Stored>();
  private generation = 0;

  /**
   * The lenses of `uri`, computed by `compute` only when `sources` differ from the last call's:
   * the editor asks again on focus, on scroll and after every edit, and an unchanged lint result
   * needs no new walk. With `lazy`, titles are left to resolve (the editor resolves only the
   * lenses in view); otherwise every lens carries its command.
   */
  lenses(uri: string, sources: readonly unknown[], compute: () => LensItem[], target: LensTarget, lazy: boolean): CodeLens[] {
    let stored = this.byUri.get(uri);
    if (!stored || !sameObjects(stored.sources, sources)) {
      const items = compute().sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
      stored = { sources, generation: ++this.generation, items, titles: new Map() };
      this.byUri.delete(uri);
      if (this.byUri.size >= MAX_DOCUMENTS) this.byUri.delete(this.byUri.keys().next().value!);
      this.byUri.set(uri, stored);
    }
    const found = stored;
    return found.items.map((item, index) => {
      const data: LensData = { uri, generation: found.generation, index };
      return lazy ? { range: item.range, data } : { range: item.range, command: commandOf(titleOf(found, index), uri, item, target) };
    });
  }

  /** The lenses last computed for `uri` (none: empty), as they were sent. */
  previous(uri: string, target: LensTarget, lazy: boolean): CodeLens[] {
    const stored = this.byUri.get(uri);
    return stored ? this.lenses(uri, stored.sources, () => stored.items, target, lazy) : [];
  }

  /** Fills in a lens's command. A lens of a list replaced since (the document changed) gets an empty title; the editor asks again. */
  resolve(lens: CodeLens, target: LensTarget): CodeLens {
    const data = lensDataOf(lens.data);
    const stored = data ? this.byUri.get(data.uri) : undefined;
    const item = data && stored?.generation === data.generation ? stored.items[data.index] : undefined;
    if (!data || !stored || !item) return { ...lens, command: { title: '', command: '' } };
    return { range: lens.range, command: commandOf(titleOf(stored, data.index), data.uri, item, target) };
  }

  forget(uri: string): void {
    this.byUri.delete(uri);
  }
}

function titleOf(stored: Stored, index: number): string {
  let title = stored.titles.get(index);
  if (title === undefined) {
    title = stored.items[index]!.title();
    stored.titles.set(index, title);
  }
  return title;
}

function commandOf(title: string, uri: string, item: LensItem, target: LensTarget): Command {
  // An empty command id renders as a plain label.
  return target.command ? { title, command: target.command, arguments: [uri, item.range.start] } : { title, command: '' };
}

function sameObjects(a: readonly unknown[], b: readonly unknown[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function lensDataOf(value: unknown): LensData | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const data = value as Partial<LensData>;
  return typeof data.uri === 'string' && typeof data.generation === 'number' && typeof data.index === 'number' ? (data as LensData) : undefined;
}
