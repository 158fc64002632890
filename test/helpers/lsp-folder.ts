// A language-server folder over files written to a temporary folder, linted until its queue is empty.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { allRules } from '../../rules/index.js';
import { FolderState, type FolderHost } from '../../server/src/lsp/folder.js';
import { DEFAULT_SETTINGS } from '../../server/src/lsp/settings.js';

/** Lints queued entries until none is left (bounded). */
export function settle(folder: FolderState): void {
  for (let runs = 0; folder.hasWork() && runs < 50; runs++) folder.lintNext();
}

/** Writes `files` under `root`, opens it as a folder with the default settings and lints it all. */
export function lintFolderOnDisk(root: string, files: Record<string, string>): FolderState {
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  }
  const host: FolderHost = { openDocuments: () => new Map(), rules: allRules, unitBudgetMs: 10_000, unitNotAnalysed: () => undefined };
  const folder = new FolderState(pathToFileURL(root).toString(), root, host);
  folder.loadConfig(DEFAULT_SETTINGS);
  folder.discover();
  folder.relintAll();
  settle(folder);
  return folder;
}
