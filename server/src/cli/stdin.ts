// Text piped on standard input (`--stdin`, `-`), linted as if it were the file `--stdin-filename` names inside the root.
import type { Readable } from 'node:stream';
import type { BoundedRead, FileStat, WorkspaceFs } from '../engine/workspace-fs.js';
import { dirnameOf } from '../engine/workspace-fs.js';
import type { FileId } from '../engine/types.js';
import { MAX_READ_BYTES } from '../host/node-workspace-fs.js';

/** The name piped text gets without --stdin-filename: manifests (`helm template`, `kustomize build`) are what is usually piped. */
export const DEFAULT_STDIN_FILENAME = 'stdin.yaml';

/** What was read from standard input: at most `keptBytes` of it, and how long it really was. */
export type StdinRead = { bytes: Uint8Array; size: number } | { error: string };

/**
 * Reads standard input to its end, keeping at most `keepBytes` (64 MiB, the most any workspace file
 * is read) and counting the rest: a huge stream is drained, so the program writing it never sees a
 * broken pipe, and is then reported not analysed by its size like a huge file.
 */
export function readStdin(stream: Readable, keepBytes = MAX_READ_BYTES): Promise<StdinRead> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let kept = 0;
    let size = 0;
    stream.on('data', (chunk: Buffer | string) => {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
      size += bytes.length;
      if (kept < keepBytes) {
        const part = bytes.subarray(0, keepBytes - kept);
        chunks.push(part);
        kept += part.length;
      }
    });
    stream.on('end', () => resolve({ bytes: new Uint8Array(Buffer.concat(chunks, kept)), size }));
    stream.on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message }));
  });
}

/**
 * The workspace with one file standing in for the piped text. The file need not exist on disk (nor
 * its folders): listings show it, so an nginx `include` glob or a neighbour's lookup finds it as it
 * would find the real file.
 */
export class StdinFs implements WorkspaceFs {
  private readonly folders = new Set<FileId>();

  constructor(
    private readonly base: WorkspaceFs,
    readonly file: FileId,
    private readonly piped: { bytes: Uint8Array; size: number },
  ) {
    for (let dir = dirnameOf(file); ; dir = dirnameOf(dir)) {
      this.folders.add(dir);
      if (dir === '') break;
    }
  }

  readFile(file: FileId): Uint8Array | undefined {
    if (file !== this.file) return this.base.readFile(file);
    return this.piped.size === this.piped.bytes.length ? this.piped.bytes : undefined;
  }

  readFileBounded(file: FileId, maxBytes: number): BoundedRead | undefined {
    if (file !== this.file) return this.base.readFileBounded ? this.base.readFileBounded(file, maxBytes) : boundedFromBase(this.base, file, maxBytes);
    const stat = this.stat(file)!;
    return stat.size > maxBytes || this.piped.size !== this.piped.bytes.length ? { stat } : { stat, bytes: this.piped.bytes };
  }

  stat(file: FileId): FileStat | undefined {
    if (file === this.file) return { size: this.piped.size, isFile: true, isDirectory: false };
    const onDisk = this.base.stat(file);
    if (!onDisk && this.folders.has(file)) return { size: 0, isFile: false, isDirectory: true };
    return onDisk;
  }

  readDirectory(dir: FileId): string[] | undefined {
    const listed = this.base.readDirectory(dir);
    if (!this.folders.has(dir)) return listed;
    const child = this.childOnTheWay(dir);
    const names = listed ?? [];
    return names.includes(child) ? names : [...names, child].sort();
  }

  whyUnavailable(file: FileId): string | undefined {
    return file === this.file ? undefined : this.base.whyUnavailable?.(file);
  }

  release(file: FileId): void {
    if (file !== this.file) this.base.release?.(file);
  }

  /** The name under `dir` on the way to the piped file. */
  private childOnTheWay(dir: FileId): string {
    const rest = dir === '' ? this.file : this.file.slice(dir.length + 1);
    return rest.split('/')[0]!;
  }
}

function boundedFromBase(base: WorkspaceFs, file: FileId, maxBytes: number): BoundedRead | undefined {
  const stat = base.stat(file);
  if (!stat) return undefined;
  if (!stat.isFile || stat.size > maxBytes) return { stat };
  return { stat, bytes: base.readFile(file) };
}
