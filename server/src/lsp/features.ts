// Request features over the session state: code actions (and fix-all), hover and code lens.
import type { CancellationToken, CodeAction, CodeActionParams, CodeLens, CodeLensParams, Hover, HoverParams, WorkspaceEdit } from 'vscode-languageserver/node';
import { chooseFix, fixToFixpoint } from '../engine/fix.js';
import { LineIndex } from '../engine/text.js';
import type { FileId, Span } from '../engine/types.js';
import { provideCodeActions, resolveCodeAction, type CodeActionHost } from './code-actions.js';
import { chainHoverSection, chainLensItems, chainRoutesAt, timeoutHoverAt } from './chain-view.js';
import { nginxLensItems } from './code-lens.js';
import { LensStore, type LensTarget } from './lens-store.js';
import { suggestConfig, type SuggestConfigParams, type SuggestedConfig } from './suggest-config.js';
import { CONFIG_FILE_NAME } from '../engine/config.js';
import { RangeMaker } from './convert.js';
import { hoverAt, runtimeHoverAt } from './hover.js';
import { routeChainsAt, type RouteChain, type RouteChainParams } from './route-chain.js';
import type { Located, Session } from './session.js';
import { minimalEdits, workspaceEditOf, type DocumentEdits } from './text-edits.js';
import type { LintUnit } from './unit-index.js';
import type { WorkspaceModel } from '../engine/workspace-model.js';

export interface FeatureOptions {
  documentChanges: boolean;
  resolveEdits: boolean;
  showDocumentationCommand: string;
  /** A client command that shows the call chain (VS Code: `timeoutLint.showCallChain`); code lenses call it. */
  showCallChainCommand?: string;
  /** The client resolves code lenses (`codeLens.resolveSupport` names `command`): titles wait for resolve. */
  resolveLenses: boolean;
}

/**
 * How long a lens request waits for the lint loop. Meanwhile the editor keeps showing the previous
 * lenses (moved along with the edits); past the wait the stored units answer as they are, never a
 * lint of the request's own, which would compete with the loop for the CPU in a big file.
 */
const LENS_WAIT_MS = 30_000;

export class Features {
  private readonly actionHost: CodeActionHost;
  private readonly lensStore = new LensStore();
  /** Documents whose lenses are refreshed once the lint loop has caught up with them. */
  private readonly refreshPending = new Set<string>();

  constructor(private readonly session: Session, private readonly options: FeatureOptions) {
    this.actionHost = {
      document: (uri) => session.documents.get(uri),
      documentChanges: options.documentChanges,
      resolveEdits: options.resolveEdits,
      showDocumentationCommand: options.showDocumentationCommand,
      fixableCount: (uri, ruleId) => this.fixableCount(uri, ruleId),
      fixAllEdit: (uri, ruleId) => this.fixAllEdit(uri, ruleId),
    };
  }

  codeActions(params: CodeActionParams): CodeAction[] {
    return provideCodeActions(params, this.actionHost);
  }

  resolveCodeAction(action: CodeAction): CodeAction {
    return resolveCodeAction(action, this.actionHost);
  }

  hover(params: HoverParams): Hover | null {
    const fresh = this.freshUnits(params.textDocument.uri);
    if (!fresh) return null;
    const { located, units } = fresh;
    const text = units.find((u) => u.texts.has(located.file))?.texts.get(located.file);
    if (text === undefined) return null;
    const offset = new LineIndex(text).offsetAt(params.position);
    const ranges = new RangeMaker({ textOf: (f) => units.find((u) => u.texts.has(f))?.texts.get(f) });
    const place = (span: Span) => `${span.file}:${ranges.of(span.file, span.start, span.start).start.line + 1}`;
    const nginx = hoverAt({ models: units.flatMap((u) => u.models), file: located.file, offset, place });
    const linked = this.chainContext(located, units);
    const value = timeoutHoverAt(linked.models, located.file, linked.ranges.lineIndex(located.file).offsetAt(params.position));
    const route = chainHoverSection(linked.models, located.file, params.position.line, linked.ranges);
    const runtime = nginx ? undefined : runtimeHoverAt(linked.models, located.file, linked.ranges.lineIndex(located.file).offsetAt(params.position));
    // nginx values have their own hover (every directive, chain or not); elsewhere the chain model explains the value.
    const chains = [nginx ? undefined : value, runtime, route].filter((s): s is string => s !== undefined).join('\n\n---\n\n') || undefined;
    if (!chains) return nginx;
    const before = nginx && typeof nginx.contents === 'object' && 'value' in nginx.contents ? `${nginx.contents.value}\n\n---\n\n` : '';
    return { contents: { kind: 'markdown', value: `${before}${chains}` } };
  }

  /**
   * Lenses come from the lint loop's results, never from a lint of their own. About a text not
   * linted yet, a client that takes workspace/codeLens/refresh gets the lenses it has at once (VS
   * Code moves them with the edits, and times its next request by how long this one took) and a
   * refresh once the debounced run is done; another client waits for that run. An unchanged result
   * gives the stored lenses. Titles are computed on resolve when the client can.
   */
  async codeLenses(params: CodeLensParams, token?: CancellationToken): Promise<CodeLens[]> {
    const uri = params.textDocument.uri;
    const located = this.session.locate(uri);
    if (!located || !this.session.settingsOf(located.folder).enable) return [];
    const onType = this.session.settingsOf(located.folder).run === 'onType';
    const version = this.session.documents.get(uri)?.version;
    if (onType && !located.folder.isFresh(located.file, version)) {
      if (this.session.lensRefreshSupported) {
        if (!this.refreshPending.has(uri)) {
          this.refreshPending.add(uri);
          // Fresh for the document's newest version: an edit made while waiting must not leave this
          // wait on a version that will never be linted (later requests rely on its refresh).
          void this.session.untilFresh(located, () => this.session.documents.get(uri)?.version, LENS_WAIT_MS).then(() => {
            this.refreshPending.delete(uri);
            this.session.refreshLensesSoon();
          });
        }
        return this.lensStore.previous(uri, this.lensTarget(), this.options.resolveLenses);
      }
      await this.session.untilFresh(located, version, LENS_WAIT_MS, token);
      if (token?.isCancellationRequested) return [];
    }
    // Run on save: the stored units are of the saved text, so the request gets units of its own (as hover does).
    const units = onType ? located.folder.storedUnits(located.file) : (this.freshUnits(uri)?.units ?? []);
    const chain = located.folder.chainUnit;
    const compute = () => {
      const ranges = new RangeMaker({ textOf: (f) => units.find((u) => u.texts.has(f))?.texts.get(f) });
      const linked = this.chainContext(located, units);
      return [...nginxLensItems(units.flatMap((u) => u.models), located.file, ranges), ...chainLensItems(linked.models, located.file, linked.ranges)];
    };
    return this.lensStore.lenses(uri, [chain, ...units], compute, this.lensTarget(), this.options.resolveLenses);
  }

  resolveCodeLens(lens: CodeLens): CodeLens {
    return this.lensStore.resolve(lens, this.lensTarget());
  }

  documentClosed(uri: string): void {
    this.lensStore.forget(uri);
  }

  private lensTarget(): LensTarget {
    return this.options.showCallChainCommand ? { command: this.options.showCallChainCommand } : {};
  }

  suggestConfig(params: SuggestConfigParams): SuggestedConfig | null {
    const located = this.session.locate(params.uri.endsWith('/') ? params.uri : `${params.uri}/`) ?? this.session.locate(params.uri);
    const folder = located?.folder ?? this.session.folders.find((f) => f.uri === params.uri || `${f.uri}/` === params.uri);
    if (!folder) return null;
    return suggestConfig(folder, folder.uriOf(CONFIG_FILE_NAME), folder.cache.stat(CONFIG_FILE_NAME) !== undefined);
  }

  routeChain(params: RouteChainParams): RouteChain[] {
    const fresh = this.freshUnits(params.textDocument.uri);
    if (!fresh) return [];
    const { located, units } = fresh;
    const ranges = new RangeMaker({ textOf: (f) => units.find((u) => u.texts.has(f))?.texts.get(f) });
    const offset = ranges.lineIndex(located.file).offsetAt(params.position);
    // The linked chain through the route on this line when there is one; else the nginx route alone (a partial workspace).
    const context = this.chainContext(located, units);
    const linked = chainRoutesAt(context.models, located.file, params.position.line, context.ranges,
      (span) => ({ uri: located.folder.uriOf(span.file), range: context.ranges.of(span.file, span.start, span.end) }));
    if (linked.length > 0) return linked;
    const place = (span: Span) => `${span.file}:${ranges.of(span.file, span.start, span.start).start.line + 1}`;
    return routeChainsAt(units.flatMap((u) => u.models), located.file, offset, place);
  }

  /**
   * The model the chain features read: the folder's chain unit (every file, linked), with ranges
   * over the texts it saw; without chain rules, the units' own models.
   */
  private chainContext(located: Located, units: readonly LintUnit[]): { models: WorkspaceModel[]; ranges: RangeMaker } {
    const chain = located.folder.chainUnit;
    if (chain?.workspace) return { models: [chain.workspace], ranges: new RangeMaker({ textOf: (f) => chain.texts.get(f) }) };
    return { models: workspaceModels(units), ranges: new RangeMaker({ textOf: (f) => units.find((u) => u.texts.has(f))?.texts.get(f) }) };
  }

  /**
   * The lint units that read the document, up to date with its current text. In run-on-save mode
   * they are computed for the request only, so diagnostics still change only on save.
   */
  private freshUnits(uri: string): { located: Located; units: LintUnit[] } | undefined {
    const located = this.session.locate(uri);
    if (!located || !this.session.settingsOf(located.folder).enable) return undefined;
    const store = this.session.settingsOf(located.folder).run === 'onType';
    const units = located.folder.freshUnits(located.file, store);
    if (store && located.folder.touched.size > 0) this.session.publishTouched();
    return { located, units };
  }

  private fixableCount(uri: string, ruleId: string | undefined): number {
    const located = this.session.locate(uri);
    if (!located) return 0;
    const unsafe = this.session.settingsOf(located.folder).unsafeFixesInFixAll;
    return located.folder
      .findingsFor(located.file)
      .filter(({ finding }) => finding.span.file === located.file && (ruleId === undefined || finding.ruleId === ruleId) && chooseFix(finding, { unsafe }) !== undefined).length;
  }

  /**
   * Fix-all: re-lint to a fixpoint in memory, then send the difference as minimal edits. Applying
   * the precomputed fixes of the published diagnostics together would miss fixes that only appear
   * after others, and could overlap (STYLE.md §11).
   */
  private fixAllEdit(uri: string, ruleId: string | undefined): WorkspaceEdit | undefined {
    const located = this.session.locate(uri);
    if (!located) return undefined;
    const { folder, file } = located;
    folder.freshUnits(file, this.session.settingsOf(folder).run === 'onType');
    const result = fixToFixpoint(folder.lintWithFor(file), {
      unsafe: this.session.settingsOf(folder).unsafeFixesInFixAll,
      files: new Set<FileId>([file]),
      ...(ruleId ? { ruleIds: new Set([ruleId]) } : {}),
    });
    const open = this.session.openDocuments(folder);
    const byUri = new Map<string, DocumentEdits>();
    for (const [changed, text] of result.changed) {
      const original = folder.currentText(changed);
      if (original === undefined) continue;
      const edits = minimalEdits(original, text);
      if (edits.length > 0) byUri.set(folder.uriOf(changed), { version: open.get(changed)?.version ?? null, edits });
    }
    return byUri.size > 0 ? workspaceEditOf(byUri, this.actionHost.documentChanges) : undefined;
  }
}

function workspaceModels(units: readonly LintUnit[]): WorkspaceModel[] {
  return units.flatMap((u) => (u.workspace ? [u.workspace] : []));
}
