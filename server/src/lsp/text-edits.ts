// Minimal LSP text edits between two texts (via the `diff` library) and WorkspaceEdit assembly.
import { diffLines } from 'diff';
import type { TextDocumentEdit, TextEdit, WorkspaceEdit } from 'vscode-languageserver/node';
import { LineIndex } from '../engine/text.js';

/**
 * The edits that turn `original` into `fixed`: a line diff finds the changed hunks, and each hunk is
 * narrowed to the characters that differ, so `60s` → `300s` replaces `60` with `300` and cursors,
 * folding and undo history elsewhere in the document are untouched (STYLE.md §4 "Editor").
 */
export function minimalEdits(original: string, fixed: string): TextEdit[] {
  if (original === fixed) return [];
  const index = new LineIndex(original);
  const edits: TextEdit[] = [];
  let offset = 0;
  let pending: { start: number; end: number; newText: string } | undefined;
  const flush = () => {
    if (!pending) return;
    edits.push(narrow(original, index, pending.start, pending.end, pending.newText));
    pending = undefined;
  };
  for (const change of diffLines(original, fixed)) {
    if (!change.added && !change.removed) {
      flush();
      offset += change.value.length;
      continue;
    }
    pending ??= { start: offset, end: offset, newText: '' };
    if (change.removed) {
      pending.end += change.value.length;
      offset += change.value.length;
    } else pending.newText += change.value;
  }
  flush();
  return edits;
}

function narrow(original: string, index: LineIndex, start: number, end: number, newText: string): TextEdit {
  const removed = original.slice(start, end);
  let prefix = 0;
  const maxPrefix = Math.min(removed.length, newText.length);
  while (prefix < maxPrefix && removed.charCodeAt(prefix) === newText.charCodeAt(prefix)) prefix++;
  let suffix = 0;
  const maxSuffix = Math.min(removed.length, newText.length) - prefix;
  while (suffix < maxSuffix && removed.charCodeAt(removed.length - 1 - suffix) === newText.charCodeAt(newText.length - 1 - suffix)) suffix++;
  // Never split a \r\n pair: an edit that starts or ends between them has no valid LSP position.
  if (prefix > 0 && removed.charCodeAt(prefix - 1) === 13) prefix--;
  if (suffix > 0 && removed.charCodeAt(removed.length - suffix) === 10 && removed.charCodeAt(removed.length - suffix - 1) === 13) suffix--;
  return {
    range: { start: index.positionAt(start + prefix), end: index.positionAt(end - suffix) },
    newText: newText.slice(prefix, newText.length - suffix),
  };
}

export interface DocumentEdits {
  /** The version the edits were computed against; null for a file that is not open. */
  version: number | null;
  edits: TextEdit[];
}

/**
 * A WorkspaceEdit over several files. With `documentChanges` the client refuses edits to a document
 * whose version moved on, which is the second half of the stale-version guard.
 */
export function workspaceEditOf(byUri: ReadonlyMap<string, DocumentEdits>, documentChanges: boolean): WorkspaceEdit {
  if (documentChanges) {
    const changes: TextDocumentEdit[] = [...byUri].map(([uri, { version, edits }]) => ({ textDocument: { uri, version }, edits }));
    return { documentChanges: changes };
  }
  const changes: Record<string, TextEdit[]> = {};
  for (const [uri, { edits }] of byUri) changes[uri] = edits;
  return { changes };
}
