// Keeps the code lenses VS Code holds for a big document to the lines around what is on screen.
//
// VS Code's code-lens controller updates every lens of the document on every keystroke (one view
// zone each), so a 40k-line nginx file with thousands of locations pays for thousands of lenses
// per key press. LSP's codeLens request carries no visible range, so the window is applied here:
// lenses around the visible ranges are handed to the editor, and scrolling out of that window asks
// for lenses again (answered from the server's stored list, then filtered here).
import * as vscode from 'vscode';

/** Documents with at most this many lenses get them all: no window, nothing appears on scroll. */
export const WINDOW_ABOVE_LENS_COUNT = 150;
/** Lines kept above and below the visible ranges. */
export const WINDOW_MARGIN_LINES = 150;

interface Served {
  first: number;
  last: number;
}

export class LensWindow implements vscode.Disposable {
  private readonly served = new Map<string, Served>();
  private readonly disposables: vscode.Disposable[] = [];
  private timer: NodeJS.Timeout | undefined;

  /** `refresh(document)` makes VS Code ask for the document's lenses again. */
  constructor(private readonly refresh: (document: vscode.TextDocument) => void) {
    this.disposables.push(
      vscode.window.onDidChangeTextEditorVisibleRanges((e) => this.scrolled(e.textEditor)),
      vscode.workspace.onDidCloseTextDocument((d) => this.served.delete(d.uri.toString())),
    );
  }

  /** The lenses of `document` that fall in its window (all of them for a small document or one not on screen). */
  filter(document: vscode.TextDocument, lenses: vscode.CodeLens[] | null | undefined): vscode.CodeLens[] | null | undefined {
    const key = document.uri.toString();
    const visible = visibleLines(document);
    if (!lenses || lenses.length <= WINDOW_ABOVE_LENS_COUNT || !visible) {
      this.served.delete(key);
      return lenses;
    }
    const first = Math.max(0, visible.first - WINDOW_MARGIN_LINES);
    const last = visible.last + WINDOW_MARGIN_LINES;
    this.served.set(key, { first, last });
    return lenses.filter((l) => l.range.start.line >= first && l.range.start.line <= last);
  }

  dispose(): void {
    clearTimeout(this.timer);
    for (const d of this.disposables) d.dispose();
  }

  private scrolled(editor: vscode.TextEditor): void {
    const served = this.served.get(editor.document.uri.toString());
    const visible = visibleLines(editor.document);
    if (!served || !visible) return;
    // Ask again only when the screen nears the window's edge (half a margin left), not on every scrolled line.
    const slack = WINDOW_MARGIN_LINES / 2;
    if (visible.first - slack >= served.first && visible.last + slack <= served.last) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.refresh(editor.document), 100);
  }
}

/** The first and last visible line over every editor showing the document, or undefined when none does. */
function visibleLines(document: vscode.TextDocument): { first: number; last: number } | undefined {
  const ranges = vscode.window.visibleTextEditors.filter((e) => e.document === document).flatMap((e) => e.visibleRanges);
  if (ranges.length === 0) return undefined;
  return { first: Math.min(...ranges.map((r) => r.start.line)), last: Math.max(...ranges.map((r) => r.end.line)) };
}
