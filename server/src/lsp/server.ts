// The language server: capabilities, handler wiring, and isolation of every handler so that a throw is logged, never fatal.
import {
  CodeActionKind,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  TextDocuments,
  TextDocumentSyncKind,
  type Connection,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { allRules } from '../../../rules/index.js';
import { TOOL_VERSION } from '../engine/version.js';
import { FIX_ALL_KIND } from './code-actions.js';
import { Features } from './features.js';
import { ROUTE_CHAIN_REQUEST, type RouteChainParams } from './route-chain.js';
import { Session } from './session.js';
import { SUGGEST_CONFIG_REQUEST, type SuggestConfigParams } from './suggest-config.js';
import { SETTINGS_SECTION } from './settings.js';
import { testOnlyRules } from './test-hooks.js';
import { limitHeapGrowth } from './memory.js';
import { MessageTraffic } from './message-traffic.js';
import { createServerConnection } from './transport.js';
import { DEFAULT_UNIT_BUDGET_MS } from './unit-budget.js';

/** Opens a rule's documentation for clients without their own command (window/showDocument). */
export const OPEN_DOCUMENTATION_COMMAND = 'timeoutLint.server.openDocumentation';

const DEFAULT_DEBOUNCE_MS = 150;

/** What a client may pass in `initializationOptions` (all optional). */
export interface InitializationOptions {
  /** A client-side command that opens rule docs, called with (ruleId, url); VS Code passes `timeoutLint.showDocumentation`. */
  showDocumentationCommand?: string;
  /** The Problems view links each rule id to `showDocumentationCommand` (a `command:` URI; VS Code runs those) instead of the online docs. */
  offlineDocsLinks?: boolean;
  /** A client-side command that shows a route's call chain, called with (uri, position) from code lenses. */
  showCallChainCommand?: string;
  /** Debounce of re-linting while typing, in milliseconds (default 150). */
  debounceMs?: number;
  /** Settings for clients that do not support workspace/configuration. */
  settings?: unknown;
  /** How long one lint unit may run before it is stopped and reported as not analysed, in milliseconds (default 5,000). */
  unitBudgetMs?: number;
}

/**
 * The code-lens properties the client resolves lazily. `resolveSupport` is LSP 3.18's (vscode-languageclient
 * sends it); a client without it gets every lens with its command.
 */
function lensResolveSupport(params: InitializeParams): string[] {
  const codeLens = params.capabilities.textDocument?.codeLens as { resolveSupport?: { properties?: unknown } } | undefined;
  const properties = codeLens?.resolveSupport?.properties;
  return Array.isArray(properties) ? properties.filter((p): p is string => typeof p === 'string') : [];
}

/** Starts the server on stdio, node IPC or a socket, as given on the command line (`--stdio`, `--node-ipc`). */
export function runLanguageServer(): void {
  limitHeapGrowth();
  const traffic = new MessageTraffic();
  startServer(createServerConnection(process.argv, traffic), traffic);
}

export function startServer(connection: Connection, traffic: MessageTraffic = new MessageTraffic()): void {
  const documents = new TextDocuments(TextDocument);
  let session: Session | undefined;
  let features: Features | undefined;
  const log = (what: string, error: unknown) =>
    connection.console.error(`timeout-lint: ${what} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  // A request handler that throws answers with `fallback`; the server goes on serving.
  const guard = <P, R>(what: string, fallback: R, handler: (params: P) => R | Promise<R>) => async (params: P): Promise<R> => {
    try {
      return await handler(params);
    } catch (error) {
      log(what, error);
      return fallback;
    }
  };
  const notify = <P>(what: string, handler: (params: P) => void | Promise<void>) => (params: P) => {
    void guard<P, void>(what, undefined, handler)(params);
  };

  // Last line of defence: an error that escapes a handler's promise is logged, not fatal.
  process.on('uncaughtException', (error) => log('uncaught', error));
  process.on('unhandledRejection', (error) => log('unhandled promise', error));

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    const options = (params.initializationOptions ?? {}) as InitializationOptions;
    session = new Session(connection, documents, params, {
      rules: [...allRules, ...testOnlyRules()],
      debounceMs: typeof options.debounceMs === 'number' ? options.debounceMs : DEFAULT_DEBOUNCE_MS,
      unitBudgetMs: typeof options.unitBudgetMs === 'number' && options.unitBudgetMs > 0 ? options.unitBudgetMs : DEFAULT_UNIT_BUDGET_MS,
      traffic,
      ...(options.offlineDocsLinks === true && typeof options.showDocumentationCommand === 'string' ? { docsCommand: options.showDocumentationCommand } : {}),
    });
    const codeAction = params.capabilities.textDocument?.codeAction;
    features = new Features(session, {
      documentChanges: params.capabilities.workspace?.workspaceEdit?.documentChanges === true,
      resolveEdits: codeAction?.resolveSupport?.properties.includes('edit') === true,
      showDocumentationCommand: typeof options.showDocumentationCommand === 'string' ? options.showDocumentationCommand : OPEN_DOCUMENTATION_COMMAND,
      ...(typeof options.showCallChainCommand === 'string' ? { showCallChainCommand: options.showCallChainCommand } : {}),
      resolveLenses: lensResolveSupport(params).includes('command'),
    });
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND], resolveProvider: true },
        hoverProvider: true,
        codeLensProvider: { resolveProvider: true },
        executeCommandProvider: { commands: [OPEN_DOCUMENTATION_COMMAND] },
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'timeout-lint', version: TOOL_VERSION },
    };
  });

  connection.onInitialized(notify('initialized', async () => {
    const capabilities = sessionOrThrow().params.capabilities;
    if (capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration) {
      // Included files can have any name (mime.types, *.inc), so every file is watched; events are filtered here.
      await connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: '**/*' }] });
    }
    if (capabilities.workspace?.didChangeConfiguration?.dynamicRegistration) {
      await connection.client.register(DidChangeConfigurationNotification.type, { section: SETTINGS_SECTION });
    }
    if (capabilities.workspace?.workspaceFolders) {
      connection.workspace.onDidChangeWorkspaceFolders(notify('workspace folders', (event) =>
        sessionOrThrow().workspaceFoldersChanged(event.added.map((f) => f.uri), event.removed.map((f) => f.uri))));
    }
    await sessionOrThrow().start();
  }));

  documents.onDidOpen(notify('didOpen', (e) => sessionOrThrow().documentOpened(e.document)));
  documents.onDidChangeContent(notify('didChange', (e) => sessionOrThrow().documentChanged(e.document)));
  documents.onDidSave(notify('didSave', (e) => sessionOrThrow().documentSaved(e.document)));
  documents.onDidClose(notify('didClose', (e) => {
    featuresOrThrow().documentClosed(e.document.uri);
    sessionOrThrow().documentClosed(e.document);
  }));
  connection.onDidChangeWatchedFiles(notify('didChangeWatchedFiles', (p) => sessionOrThrow().filesChanged(p.changes)));
  connection.onDidChangeConfiguration(notify('didChangeConfiguration', () => sessionOrThrow().settingsChanged()));

  connection.onCodeAction(guard('codeAction', [], (p) => featuresOrThrow().codeActions(p)));
  connection.onCodeActionResolve((action) => {
    try {
      return featuresOrThrow().resolveCodeAction(action);
    } catch (error) {
      log('codeAction/resolve', error);
      return action;
    }
  });
  connection.onHover(guard('hover', null, (p) => featuresOrThrow().hover(p)));
  connection.onCodeLens((params, token) => guard('codeLens', [], (p: typeof params) => featuresOrThrow().codeLenses(p, token))(params));
  connection.onCodeLensResolve((lens) => {
    try {
      return featuresOrThrow().resolveCodeLens(lens);
    } catch (error) {
      log('codeLens/resolve', error);
      return lens;
    }
  });
  connection.onRequest(SUGGEST_CONFIG_REQUEST, guard('suggestConfig', null, (p: SuggestConfigParams) => featuresOrThrow().suggestConfig(p)));
  connection.onRequest(ROUTE_CHAIN_REQUEST, guard('routeChain', [], (p: RouteChainParams) => featuresOrThrow().routeChain(p)));
  connection.onExecuteCommand(guard('executeCommand', null, async (p) => {
    if (p.command !== OPEN_DOCUMENTATION_COMMAND) return null;
    const url = p.arguments?.[1];
    if (typeof url === 'string') await connection.window.showDocument({ uri: url, external: true });
    return null;
  }));

  documents.listen(connection);
  connection.listen();

  function sessionOrThrow(): Session {
    if (!session) throw new Error('the client sent a request before initialize');
    return session;
  }
  function featuresOrThrow(): Features {
    if (!features) throw new Error('the client sent a request before initialize');
    return features;
  }
}
