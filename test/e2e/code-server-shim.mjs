#!/usr/bin/env node
// Stands in for the `code` executable in @vscode/test-electron's runTests({ vscodeExecutablePath }).
// runTests spawns `<exe> [launchArgs] --extensionTestsPath=… --extensionDevelopmentPath=…
// --extensions-dir=… --user-data-dir=… <Electron flags>` and takes the exit code as the result.
// Desktop VS Code cannot be downloaded here, so this starts a private code-server with those folders,
// runs the tests in its Node extension host through headless chromium, stops it, and exits with the
// suite's exit code. Electron-only flags (--no-sandbox, --disable-updates, --skip-welcome, …) have web
// equivalents already applied by startCodeServer / runExtensionTests.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runExtensionTests } from './lib/browser.mjs';
import { startCodeServer } from './lib/code-server.mjs';

const devPaths = [];
const positional = [];
let testsPath;
let extensionsDir;
let userDataDir;
let disableExtensions = false;
for (const arg of process.argv.slice(2)) {
  const [flag, ...rest] = arg.split('=');
  const value = rest.join('=');
  if (flag === '--extensionDevelopmentPath') devPaths.push(resolve(value));
  else if (flag === '--extensionTestsPath') testsPath = resolve(value);
  else if (flag === '--extensions-dir') extensionsDir = resolve(value);
  else if (flag === '--user-data-dir') userDataDir = resolve(value);
  else if (flag === '--disable-extensions') disableExtensions = true;
  else if (!arg.startsWith('-')) positional.push(resolve(arg));
}
if (!testsPath || devPaths.length === 0) {
  console.error('usage: code-server-shim.mjs --extensionDevelopmentPath=DIR --extensionTestsPath=FILE [workspace] [--extensions-dir=DIR] [--user-data-dir=DIR]');
  process.exit(2);
}
const workspace = positional[0] ?? mkdtempSync(join(tmpdir(), 'timeout-lint-e2e-empty-'));
const stateDir = process.env.E2E_STATE_DIR ?? mkdtempSync(join(tmpdir(), 'timeout-lint-e2e-shim-'));

const server = await startCodeServer({ stateDir, extensionsDir, userDataDir });
console.log(`[shim] code-server ${server.url} listening after ${server.startupMs} ms; workspace ${workspace}`);
let code = 1;
// runTests forwards Ctrl+C as SIGINT; a supervisor may send SIGTERM. Either way, stop code-server first.
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => { void server.stop().finally(() => process.exit(1)); });
}
try {
  code = await runExtensionTests({
    serverUrl: server.url, workspace, devPaths, testsPath, disableExtensions,
    timeoutMs: Number(process.env.E2E_SUITE_TIMEOUT_MS ?? 180_000),
  });
} catch (err) {
  console.error(`[shim] ${err.stack ?? err}`);
} finally {
  await server.stop();
  if (process.env.E2E_SERVER_LOG) writeFileSync(process.env.E2E_SERVER_LOG, server.log());
  if (!process.env.E2E_STATE_DIR) rmSync(stateDir, { recursive: true, force: true });
}
process.exit(code);
