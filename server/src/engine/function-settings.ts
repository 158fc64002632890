// Per-function platform settings written in a configuration file beside the code (vercel.json
// `functions`: a glob of function source files, relative to the file's folder, with `maxDuration`).
// The Vercel input reads the files; the TypeScript linker asks which entries apply to a route file.
import picomatch from 'picomatch';
import type { FileId, Span } from './types.js';

export interface FunctionSettingsEntry {
  pattern: string;
  maxDuration?: { seconds: number; span: Span };
}

export interface FunctionSettingsFile {
  file: FileId;
  /** The folder the patterns are relative to (`''` for the workspace root). */
  dir: FileId;
  functions: readonly FunctionSettingsEntry[];
}

/**
 * The entries whose pattern matches `file` (relative to each file's folder), from the files in the
 * folders above it. Vercel reads one vercel.json, the project root's: entries of several files, or
 * several matching entries, are all returned and the caller decides what is known.
 */
export function entriesForFile(files: readonly FunctionSettingsFile[], file: FileId): Array<{ config: FunctionSettingsFile; entry: FunctionSettingsEntry }> {
  const out: Array<{ config: FunctionSettingsFile; entry: FunctionSettingsEntry }> = [];
  for (const config of files) {
    if (config.dir !== '' && !file.startsWith(`${config.dir}/`)) continue;
    const relative = config.dir === '' ? file : file.slice(config.dir.length + 1);
    for (const entry of config.functions) {
      let matches = false;
      try {
        matches = picomatch(entry.pattern.replace(/^\.?\//, ''), { dot: false })(relative);
      } catch {
        matches = false;
      }
      if (matches) out.push({ config, entry });
    }
  }
  return out;
}
