// Request features over the session state: code actions (and fix-all), hover and code lens.
import type { CodeAction, CodeActionParams, CodeLens, CodeLensParams, Hover, HoverParams, WorkspaceEdit } from 'vscode-languageserver/node';
import { chooseFix, fixToFixpoint } from '../engine/fix.js';
import { LineIndex } from '../engine/text.js';
import type { FileId, Span } from '../engine/types.js';
import { provideCodeActions, resolveCodeAction, type CodeActionHost } from './code-actions.js';
import { chainHoverSection, chainLenses, chainRoutesAt, timeoutHoverAt } from './chain-view.js';
import { codeLensesFor } from './code-lens.js';
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
}

export class Features {
  private readonly actionHost: CodeActionHost;

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

  codeLenses(params: CodeLensParams): CodeLens[] {
    const fresh = this.freshUnits(params.textDocument.uri);
    if (!fresh) return [];
    const { located, units } = fresh;
    const ranges = new RangeMaker({ textOf: (f) => units.find((u) => u.texts.has(f))?.texts.get(f) });
    const target = { uri: params.textDocument.uri, command: this.options.showCallChainCommand };
    const linked = this.chainContext(located, units);
    return [...codeLensesFor(units.flatMap((u) => u.models), located.file, ranges, target), ...chainLenses(linked.models, located.file, linked.ranges, target)]
      .sort((a, b) => a.range.start.line - b.range.start.line);
  }

  routeChain(params: RouteChainParams): RouteChain[] {
    const fresh = this.freshUnits(params.textDocument.uri);
    if (!fresh) return [];
    const { located, units } = fresh;
    const ranges = new RangeMaker({ textOf: (f) => units.find((u) => u.texts.has(f))?.texts.get(f) });
    const offset = ranges.lineIndex(located.file).offsetAt(params.position);
    // The linked chain through the route on this line when there is one; else the nginx route alone (a partial workspace).
    const context = this.chainContext(located, units);
    const linked = chainRoutesAt(context.models, located.file, params.position.line, context.ranges);
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
