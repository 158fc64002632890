// Answers about a file's text kept per file while its text stays the same: the language server
// re-lints thousands of unchanged files on every edit, and several inputs scan every candidate's
// text with a regular expression to decide whether to look closer.
import type { FileId } from './types.js';

/**
 * Wraps a pure function of a text so that it runs once per file and text: the answer is kept with
 * the file and given again while the file's text is the same string (an unchanged file keeps its
 * decoded text object, so the comparison is a pointer compare). Only the last text of each file is
 * kept.
 */
export function memoizeByFileText<T>(compute: (text: string) => T): (file: FileId, text: string) => T {
  const known = new Map<FileId, { text: string; value: T }>();
  return (file, text) => {
    const hit = known.get(file);
    if (hit !== undefined && hit.text === text) return hit.value;
    const value = compute(text);
    known.set(file, { text, value });
    return value;
  };
}
