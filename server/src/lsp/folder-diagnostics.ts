// Turns a folder's lint results into published diagnostics: which touched files are ready to show, and their diagnostics.
import { DiagnosticSeverity } from 'vscode-languageserver/node';
import { CONFIG_FILE_NAME } from '../engine/config.js';
import type { FileId } from '../engine/types.js';
import { capDiagnostics } from './diagnostic-cap.js';
import { DIAGNOSTIC_SOURCE, RangeMaker, toDiagnostic, type ConvertContext } from './convert.js';
import type { FolderState } from './folder.js';
import { provisionalUnit } from './provisional.js';
import type { Publisher } from './publisher.js';
import type { LintUnit } from './unit-index.js';

export class FolderDiagnostics {
  /** Units are replaced, never changed, by a re-lint, so a unit's line indexes stay valid as long as it lives. */
  private readonly rangeMakers = new WeakMap<LintUnit, RangeMaker>();

  constructor(
    private readonly publisher: Publisher,
    private readonly relatedInformation: boolean,
    /** The folder that owns a URI (the innermost one when folders nest). */
    private readonly ownerOf: (uri: string) => FolderState | undefined,
    /** The folder's timeoutLint.maxDiagnosticsPerFile. */
    private readonly capOf: (folder: FolderState) => number,
    /** See ConvertContext.docsCommand. */
    private readonly docsCommand?: string,
  ) {}

  /** Recomputes and publishes the diagnostics of every file a run touched, open or closed. */
  publishTouched(folder: FolderState): void {
    folder.settle();
    if (!folder.hasWork()) folder.indexing = false;
    for (const file of [...folder.touched]) {
      // A file no entry covers yet is queued for its own run: keep its old diagnostics until then.
      if (folder.candidates.has(file) && !folder.index.isCovered(file)) continue;
      if (folder.indexing && !folder.isReadByMainEntry(file)) continue;
      folder.touched.delete(file);
      const uri = folder.uriOf(file);
      // In nested workspace folders both see the inner files; only the inner folder speaks for them.
      if (this.ownerOf(uri) !== folder) continue;
      const diagnostics = folder.findingsFor(file).map(({ finding, unit }) => toDiagnostic(finding, this.convertContext(folder, unit), this.rangeMaker(folder, unit)));
      diagnostics.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
      const capped = capDiagnostics(diagnostics, this.capOf(folder), file);
      this.publisher.publish(uri, capped.diagnostics, capped.hidden);
    }
    this.publisher.publish(folder.uriOf(CONFIG_FILE_NAME), folder.configErrors.map((error) => {
      // ConfigProblem positions are 1-based (as the CLI prints them); LSP's are 0-based. The column counts UTF-16 code units, like LSP's default.
      const position = { line: Math.max(0, (error.line ?? 1) - 1), character: Math.max(0, (error.column ?? 1) - 1) };
      return { range: { start: position, end: position }, severity: DiagnosticSeverity.Error, source: DIAGNOSTIC_SOURCE, message: error.message };
    }));
  }

  /** Diagnostics for a document opened before indexing reached it (see provisional.ts). */
  publishProvisional(folder: FolderState, file: FileId): void {
    const unit = provisionalUnit(folder, file);
    if (!unit) return;
    const diagnostics = (unit.findings.get(file) ?? []).map((finding) => toDiagnostic(finding, this.convertContext(folder, unit), this.rangeMaker(folder, unit)));
    const capped = capDiagnostics(diagnostics, this.capOf(folder), file);
    this.publisher.publish(folder.uriOf(file), capped.diagnostics, capped.hidden);
  }

  private convertContext(folder: FolderState, unit: LintUnit): ConvertContext {
    return {
      relatedInformation: this.relatedInformation,
      ...(this.docsCommand ? { docsCommand: this.docsCommand } : {}),
      uriOf: (f) => folder.uriOf(f),
      textOf: (f) => unit.texts.get(f),
      versionOf: (f) => unit.versions.get(f) ?? null,
    };
  }

  private rangeMaker(folder: FolderState, unit: LintUnit): RangeMaker {
    let maker = this.rangeMakers.get(unit);
    if (!maker) {
      maker = new RangeMaker(this.convertContext(folder, unit));
      this.rangeMakers.set(unit, maker);
    }
    return maker;
  }
}
