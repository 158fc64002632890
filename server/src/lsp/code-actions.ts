// Code actions: each fix as a quick fix, fix all of a rule, fix all (source.fixAll.timeout-lint), disable for a line or the file, show docs.
import {
  CodeActionKind,
  type CodeAction,
  type CodeActionParams,
  type Diagnostic,
  type TextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { DIAGNOSTIC_SOURCE, diagnosticDataOf, type DataEdit } from './convert.js';
import { workspaceEditOf, type DocumentEdits } from './text-edits.js';

export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.timeout-lint`;

/** What a resolvable fix-all action carries until the client asks for its edit. */
export interface FixAllData {
  kind: 'timeout-lint.fixAll';
  uri: string;
  version: number;
  /** Only fixes of this rule (the "fix all <rule> problems" action). */
  ruleId?: string;
}

export interface CodeActionHost {
  document(uri: string): TextDocument | undefined;
  documentChanges: boolean;
  /** True when the client resolves `edit` lazily (codeAction/resolve), so fix-all costs nothing until chosen. */
  resolveEdits: boolean;
  showDocumentationCommand: string;
  /** How many findings of `ruleId` in the document have a fix the fix-all would apply. */
  fixableCount(uri: string, ruleId: string | undefined): number;
  /** Runs the fixes to a fixpoint in memory and returns minimal edits (undefined: nothing to fix). */
  fixAllEdit(uri: string, ruleId: string | undefined): WorkspaceEdit | undefined;
}

/** Rule ids a suppression comment makes no sense for. */
const NOT_SUPPRESSIBLE = new Set(['internal-error', 'unused-suppression', 'invalid-suppression']);

export function provideCodeActions(params: CodeActionParams, host: CodeActionHost): CodeAction[] {
  const document = host.document(params.textDocument.uri);
  if (!document) return [];
  const wants = (kind: string) => !params.context.only || params.context.only.some((o) => kind === o || kind.startsWith(`${o}.`));
  const actions: CodeAction[] = [];
  const seen = new Set<string>();
  const once = (key: string) => (seen.has(key) ? false : (seen.add(key), true));
  for (const diagnostic of params.context.diagnostics) {
    if (diagnostic.source !== DIAGNOSTIC_SOURCE) continue;
    const data = diagnosticDataOf(diagnostic.data);
    if (!data) continue;
    const fresh = data.version === document.version;
    if (fresh && wants(CodeActionKind.QuickFix)) {
      // A stale diagnostic's ranges point into an older text: offer no edits for it (vscode-eslint does the same).
      for (const fix of data.fixes) {
        actions.push({
          title: fix.safety === 'unsafe' && !fix.title.includes('(unsafe') ? `${fix.title} (unsafe)` : fix.title,
          kind: CodeActionKind.QuickFix,
          diagnostics: [diagnostic],
          isPreferred: fix.preferred,
          edit: workspaceEditOf(groupByUri(fix.edits), host.documentChanges),
        });
      }
      if (data.fixes.length > 0 && once(`rule:${data.ruleId}`) && host.fixableCount(document.uri, data.ruleId) > 1) {
        actions.push(fixAllAction(`Fix all ${data.ruleId} problems in this file`, CodeActionKind.QuickFix, document, data.ruleId, host));
      }
      // JSON (package.json, vercel.json) has no comments: a suppression comment would break the file.
      const suppressible = !NOT_SUPPRESSIBLE.has(data.ruleId) && holdsComments(document);
      if (suppressible && once(`disable:${data.ruleId}:${diagnostic.range.start.line}`)) {
        actions.push(disableForLine(document, diagnostic, data.ruleId, host));
      }
      if (suppressible && once(`disable-file:${data.ruleId}`)) {
        actions.push(disableForFile(document, diagnostic, data.ruleId, host));
      }
    }
    const href = data.docsUrl ?? diagnostic.codeDescription?.href;
    if (href && wants(CodeActionKind.QuickFix) && once(`docs:${data.ruleId}`)) {
      actions.push({
        title: `Show documentation for ${data.ruleId}`,
        kind: CodeActionKind.QuickFix,
        command: { title: `Show documentation for ${data.ruleId}`, command: host.showDocumentationCommand, arguments: [data.ruleId, href] },
      });
    }
  }
  if (params.context.only && wants(FIX_ALL_KIND) && host.fixableCount(document.uri, undefined) > 0) {
    actions.push(fixAllAction('Fix all safe timeout-lint problems', FIX_ALL_KIND, document, undefined, host));
  }
  return actions;
}

/** Fills in a fix-all action's edit when the client asks for it (codeAction/resolve). */
export function resolveCodeAction(action: CodeAction, host: CodeActionHost): CodeAction {
  const data = action.data as Partial<FixAllData> | undefined;
  if (data?.kind !== 'timeout-lint.fixAll' || typeof data.uri !== 'string') return action;
  const document = host.document(data.uri);
  // The document moved on since the action was offered: an edit computed now would surprise.
  if (!document || document.version !== data.version) return action;
  const edit = host.fixAllEdit(data.uri, data.ruleId);
  return edit ? { ...action, edit } : action;
}

function fixAllAction(title: string, kind: string, document: TextDocument, ruleId: string | undefined, host: CodeActionHost): CodeAction {
  const data: FixAllData = { kind: 'timeout-lint.fixAll', uri: document.uri, version: document.version, ...(ruleId ? { ruleId } : {}) };
  const action: CodeAction = { title, kind, data };
  if (!host.resolveEdits) {
    const edit = host.fixAllEdit(document.uri, ruleId);
    if (edit) action.edit = edit;
  }
  return action;
}

function disableForLine(document: TextDocument, diagnostic: Diagnostic, ruleId: string, host: CodeActionHost): CodeAction {
  const line = diagnostic.range.start.line;
  const text = document.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } });
  const indentation = /^[ \t]*/.exec(text)?.[0] ?? '';
  const insert: TextEdit = {
    range: { start: { line, character: 0 }, end: { line, character: 0 } },
    newText: `${indentation}${commentOf(document)} timeout-lint-disable-next-line ${ruleId} -- TODO: reason${eolOf(document)}`,
  };
  return {
    title: `Disable ${ruleId} for this line`,
    kind: CodeActionKind.QuickFix,
    diagnostics: [diagnostic],
    edit: workspaceEditOf(new Map([[document.uri, { version: document.version, edits: [insert] }]]), host.documentChanges),
  };
}

/** `# timeout-lint-disable-file <rule> -- TODO: reason` at the top of the file (below a `#!` line, which must stay first). */
function disableForFile(document: TextDocument, diagnostic: Diagnostic, ruleId: string, host: CodeActionHost): CodeAction {
  const line = document.getText({ start: { line: 0, character: 0 }, end: { line: 0, character: 2 } }) === '#!' ? 1 : 0;
  const insert: TextEdit = {
    range: { start: { line, character: 0 }, end: { line, character: 0 } },
    newText: `${commentOf(document)} timeout-lint-disable-file ${ruleId} -- TODO: reason${eolOf(document)}`,
  };
  return {
    title: `Disable ${ruleId} for the entire file`,
    kind: CodeActionKind.QuickFix,
    diagnostics: [diagnostic],
    edit: workspaceEditOf(new Map([[document.uri, { version: document.version, edits: [insert] }]]), host.documentChanges),
  };
}

function holdsComments(document: TextDocument): boolean {
  return !/\.json$/i.test(document.uri);
}

function commentOf(document: TextDocument): string {
  return /\.(c|m)?[jt]sx?$/.test(document.uri) ? '//' : '#';
}

function eolOf(document: TextDocument): string {
  return document.getText().includes('\r\n') ? '\r\n' : '\n';
}

function groupByUri(edits: DataEdit[]): Map<string, DocumentEdits> {
  const byUri = new Map<string, DocumentEdits>();
  for (const edit of edits) {
    if (!byUri.has(edit.uri)) byUri.set(edit.uri, { version: edit.version, edits: [] });
    byUri.get(edit.uri)!.edits.push({ range: edit.range, newText: edit.newText });
  }
  return byUri;
}
