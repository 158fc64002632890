// Publishes diagnostics per URI only when they changed, clears files that no longer have any, and keeps totals for the status bar.
import { createHash } from 'node:crypto';
import { DiagnosticSeverity, type Connection, type Diagnostic } from 'vscode-languageserver/node';

export interface FindingTotals {
  errors: number;
  warnings: number;
  infos: number;
}

export class Publisher {
  private readonly published = new Map<string, { signature: string; totals: FindingTotals }>();

  constructor(private readonly connection: Connection) {}

  /**
   * Sends the diagnostics of one URI unless the client already has exactly these. `hidden` counts
   * findings left out by the per-file cap, so that the totals still include them.
   */
  publish(uri: string, diagnostics: Diagnostic[], hidden?: FindingTotals): void {
    // A digest, not the JSON itself: kept for every file with findings, the JSON would double what the client holds.
    const signature = createHash('sha1').update(JSON.stringify(diagnostics)).digest('base64');
    const before = this.published.get(uri);
    if (before?.signature === signature) return;
    if (!before && diagnostics.length === 0) return;
    if (diagnostics.length === 0) this.published.delete(uri);
    else this.published.set(uri, { signature, totals: addTotals(totalsOf(diagnostics), hidden) });
    void this.connection.sendDiagnostics({ uri, diagnostics });
  }

  /** Clears every URI under a prefix (a folder that was removed or disabled). */
  clearUnder(uriPrefix: string): void {
    for (const uri of [...this.published.keys()]) if (uri.startsWith(uriPrefix)) this.publish(uri, []);
  }

  publishedUris(): string[] {
    return [...this.published.keys()];
  }

  /** The totals of the URIs under a prefix (one workspace folder). */
  totalsUnder(uriPrefix: string): FindingTotals {
    const sum: FindingTotals = { errors: 0, warnings: 0, infos: 0 };
    for (const [uri, { totals }] of this.published) {
      if (!uri.startsWith(uriPrefix)) continue;
      sum.errors += totals.errors;
      sum.warnings += totals.warnings;
      sum.infos += totals.infos;
    }
    return sum;
  }

  totals(): FindingTotals {
    const sum: FindingTotals = { errors: 0, warnings: 0, infos: 0 };
    for (const { totals } of this.published.values()) {
      sum.errors += totals.errors;
      sum.warnings += totals.warnings;
      sum.infos += totals.infos;
    }
    return sum;
  }
}

function addTotals(totals: FindingTotals, more: FindingTotals | undefined): FindingTotals {
  if (!more) return totals;
  return { errors: totals.errors + more.errors, warnings: totals.warnings + more.warnings, infos: totals.infos + more.infos };
}

function totalsOf(diagnostics: Diagnostic[]): FindingTotals {
  const totals: FindingTotals = { errors: 0, warnings: 0, infos: 0 };
  for (const d of diagnostics) {
    if (d.severity === DiagnosticSeverity.Error) totals.errors++;
    else if (d.severity === DiagnosticSeverity.Warning) totals.warnings++;
    else totals.infos++;
  }
  return totals;
}
