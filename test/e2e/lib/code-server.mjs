// A private code-server (VS Code for the browser; its extension host is VS Code's own Node
// extension host) on loopback: no auth, no telemetry, no update checks, no extension gallery, and
// every state folder under one directory, so nothing lands in $HOME. It runs in its own process
// group: stop() ends the whole tree (server, extension host, file watcher, language servers).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const E2E_DIR = dirname(dirname(fileURLToPath(import.meta.url)));
export const CODE_SERVER_BIN = process.env.CODE_SERVER_BIN ?? join(E2E_DIR, 'node_modules/.bin/code-server');

// Settings that keep a fresh profile quiet and offline.
const QUIET_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'security.workspace.trust.enabled': false,
  'git.enabled': false,
  'npm.autoDetect': 'off',
  'typescript.disableAutomaticTypeAcquisition': true,
  'chat.commandCenter.enabled': false,
  'workbench.colorTheme': 'Default Dark Modern',
  // VS Code for the web (code-server) saves after a 1 s delay by default; desktop VS Code does not.
  // An auto-save (SaveReason.AUTO runs no codeActionsOnSave) landing between a test's edit and its
  // explicit save left nothing for that save to do: the file was saved without the fix-all, and a
  // save racing the auto-save returned false. This was the codeActionsOnSave test's flake.
  'files.autoSave': 'off',
};

/** Environment and flags that keep code-server's own state (config.yaml, data) under `stateDir`. */
function privateState(stateDir) {
  const config = join(stateDir, 'config.yaml');
  mkdirSync(stateDir, { recursive: true });
  writeFileSync(config, 'bind-addr: 127.0.0.1:0\nauth: none\ncert: false\n');
  return {
    config,
    env: {
      ...process.env,
      XDG_CONFIG_HOME: join(stateDir, 'xdg-config'),
      XDG_DATA_HOME: join(stateDir, 'xdg-data'),
      XDG_CACHE_HOME: join(stateDir, 'xdg-cache'),
      // No extension gallery: otherwise the workbench queries open-vsx.org.
      EXTENSIONS_GALLERY: '{}',
    },
  };
}

/** Installs a .vsix into `extensionsDir` (code-server unpacks it to <publisher>.<name>-<version>/). */
export function installVsix({ vsix, stateDir, extensionsDir, userDataDir = join(stateDir, 'user-data') }) {
  const { config, env } = privateState(stateDir);
  const r = spawnSync(CODE_SERVER_BIN, ['--config', config, '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir,
    '--install-extension', vsix], { env, encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0) throw new Error(`code-server --install-extension failed (${r.error?.message ?? r.status}):\n${r.stdout}${r.stderr}`);
  return r.stdout.trim();
}

/**
 * Starts code-server on 127.0.0.1 with a free port. Resolves once it listens, with its URL and stop().
 * The process group id is written to <stateDir>/code-server.pgid so a supervisor can end it even if
 * this process dies first.
 */
export async function startCodeServer({ stateDir, extensionsDir = join(stateDir, 'extensions'), userDataDir = join(stateDir, 'user-data'),
  timeoutMs = 60_000, settings: extraSettings = {} }) {
  if (!existsSync(CODE_SERVER_BIN)) throw new Error(`code-server not found at ${CODE_SERVER_BIN}; run npm run test:e2e (it installs test/e2e's dependencies)`);
  for (const d of [userDataDir, extensionsDir, join(userDataDir, 'User')]) mkdirSync(d, { recursive: true });
  const settings = join(userDataDir, 'User', 'settings.json');
  if (!existsSync(settings)) writeFileSync(settings, JSON.stringify({ ...QUIET_SETTINGS, ...extraSettings }, null, 2));
  const { config, env } = privateState(stateDir);
  const started = Date.now();
  const child = spawn(CODE_SERVER_BIN, [
    '--config', config, '--bind-addr', '127.0.0.1:0', '--auth', 'none',
    '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust',
    '--disable-getting-started-override', '--ignore-last-opened',
    '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir,
  ], { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env });
  writeFileSync(join(stateDir, 'code-server.pgid'), String(child.pid));
  let log = '';
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    try { process.kill(-child.pid, 'SIGTERM'); } catch { /* already gone */ }
    const timer = setTimeout(() => { try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ } }, 5_000);
    await exited;
    clearTimeout(timer);
    // The wrapper may exit before its children: end whatever is left in the group.
    try { process.kill(-child.pid, 'SIGKILL'); } catch { /* group empty */ }
  };
  try {
    const url = await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`code-server did not listen within ${timeoutMs} ms:\n${log}`)), timeoutMs);
      const onData = (chunk) => {
        log += chunk;
        const m = /HTTP server listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(log);
        if (m) { clearTimeout(timer); resolve(m[1]); }
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`code-server exited (${code}):\n${log}`)); });
    });
    return { url, pid: child.pid, startupMs: Date.now() - started, log: () => log, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** `vscode-remote://host/abs/path` for a path on the code-server machine. */
export const remoteUri = (serverUrl, absPath) => `vscode-remote://${new URL(serverUrl).host}${absPath}`;

/** Workbench URL with a folder open and VS Code web's `payload` launch parameters. */
export function workbenchUrl(serverUrl, folder, payload = []) {
  const query = `folder=${encodeURIComponent(folder)}`;
  return payload.length ? `${serverUrl}/?${query}&payload=${encodeURIComponent(JSON.stringify(payload))}` : `${serverUrl}/?${query}`;
}
