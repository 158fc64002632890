// Parsed files kept across runs by a long-lived front end (the language server keeps one per workspace folder): one slice per input, valid while the input is the same.
import type { InputCache } from './inputs/input.js';
import type { FileId } from './types.js';
import type { FileStat, WorkspaceFs } from './workspace-fs.js';

/** Parsed files by input and path, valid while the text is the same. Parsed files and facts are never mutated. */
export class ParseCache {
  private readonly slices = new Map<string, InputCacheSlice>();
  private stored = 0;

  /**
   * How many results were ever stored: a run that was stopped but stored some made progress that
   * the next run reuses (the language server tries such a unit again instead of giving up).
   */
  get resultsStored(): number {
    return this.stored;
  }

  /** The slice of one input. */
  of(input: string): InputCache {
    let slice = this.slices.get(input);
    if (!slice) this.slices.set(input, (slice = new InputCacheSlice(() => this.stored++)));
    return slice;
  }

  forget(file: FileId): void {
    for (const slice of this.slices.values()) slice.forget(file);
  }
}

class InputCacheSlice implements InputCache {
  private readonly texts = new Map<FileId, { text: string; value: unknown }>();
  private readonly answered = new Map<FileId, { variant: string; answers: Answer[]; value: unknown }>();
  private readonly derivations = new WeakMap<object, unknown>();
  /** Files skipped by a pre-scan, by size and modification time (not read again while both stay), with their relative imports. */
  private readonly skipped = new Map<FileId, { stamp: string; imports: readonly string[] }>();

  constructor(private readonly onStore: () => void) {}

  byText<T>(file: FileId, text: string, make: () => T): T {
    const hit = this.texts.get(file);
    if (hit && hit.text === text) return hit.value as T;
    const value = make();
    this.texts.set(file, { text, value });
    this.onStore();
    return value;
  }

  byAnswers<T>(file: FileId, variant: string, fs: WorkspaceFs, make: (fs: WorkspaceFs) => T): T {
    const hit = this.answered.get(file);
    if (hit && hit.variant === variant && hit.answers.every((answer) => answer.sameAs(fs))) return hit.value as T;
    const recorder = new AnswerRecorder(fs);
    const value = make(recorder);
    this.answered.set(file, { variant, answers: recorder.answers, value });
    this.onStore();
    return value;
  }

  derived<K extends object, T>(of: K, make: () => T): T {
    if (this.derivations.has(of)) return this.derivations.get(of) as T;
    const value = make();
    this.derivations.set(of, value);
    this.onStore();
    return value;
  }

  skippedImports(file: FileId, stamp: string): readonly string[] | undefined {
    const entry = this.skipped.get(file);
    return entry?.stamp === stamp ? entry.imports : undefined;
  }

  markSkipped(file: FileId, stamp: string, imports: readonly string[]): void {
    this.skipped.set(file, { stamp, imports });
    this.onStore();
  }

  forget(file: FileId): void {
    this.texts.delete(file);
    this.answered.delete(file);
    this.skipped.delete(file);
  }
}

/** One question a parse asked the file system, and whether the file system still answers it the same. */
interface Answer {
  sameAs(fs: WorkspaceFs): boolean;
}

/** A WorkspaceFs that remembers its answers, so a cached parse can tell whether it is still valid. */
class AnswerRecorder implements WorkspaceFs {
  readonly answers: Answer[] = [];

  constructor(private readonly base: WorkspaceFs) {}

  readFile(file: FileId): Uint8Array | undefined {
    const bytes = this.base.readFile(file);
    this.answers.push({ sameAs: (fs) => sameBytes(fs.readFile(file), bytes) });
    return bytes;
  }

  stat(file: FileId): FileStat | undefined {
    const stat = this.base.stat(file);
    this.answers.push({ sameAs: (fs) => sameStat(fs.stat(file), stat) });
    return stat;
  }

  readDirectory(dir: FileId): string[] | undefined {
    const names = this.base.readDirectory(dir);
    this.answers.push({ sameAs: (fs) => sameNames(fs.readDirectory(dir), names) });
    return names;
  }
}

function sameBytes(a: Uint8Array | undefined, b: Uint8Array | undefined): boolean {
  if (a === b) return true;
  if (!a || !b || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function sameStat(a: FileStat | undefined, b: FileStat | undefined): boolean {
  if (!a || !b) return a === b;
  return a.size === b.size && a.isFile === b.isFile && a.isDirectory === b.isDirectory;
}

function sameNames(a: string[] | undefined, b: string[] | undefined): boolean {
  if (!a || !b) return a === b;
  return a.length === b.length && a.every((name, i) => name === b[i]);
}
