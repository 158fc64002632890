// Installs test/e2e's own dependencies (code-server, playwright-core, @vscode/test-electron) with
// `npm ci`, offline-safe on a machine that reaches only the npm registry and Debian mirrors:
//  - @vscode/ripgrep's postinstall downloads rg from GitHub unless its cache already holds the
//    archive, so the cache is seeded with Debian's rg (ripgrep 13, the major version VS Code ships);
//  - code-server's postinstall refuses to run as root without npm_config_unsafe_perm;
//  - node-pty's postinstall runs `npx node-gyp …`, which must not prompt (npm_config_yes);
//  - node-gyp must use the local node headers instead of downloading them (npm_config_nodedir).
// The seed names are tied to code-server 4.99.4 (lib/vscode's @vscode/ripgrep 1.15.11 → rg v13.0.0-10).
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const E2E = dirname(dirname(fileURLToPath(import.meta.url)));
const RIPGREP_PACKAGE_VERSION = '1.15.11';
const RIPGREP_TAG = 'v13.0.0-10';

function which(cmd) {
  const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

export function e2eDepsInstalled() {
  return existsSync(join(E2E, 'node_modules/.bin/code-server'))
    && existsSync(join(E2E, 'node_modules/code-server/lib/vscode/node_modules/@vscode/ripgrep/bin/rg'))
    && existsSync(join(E2E, 'node_modules/playwright-core/package.json'))
    && existsSync(join(E2E, 'node_modules/@vscode/test-electron/package.json'));
}

/**
 * True when every package the lockfile pins is installed at its version (npm's own record of the
 * install, node_modules/.package-lock.json, lists the same packages and versions).
 */
export function lockMatchesInstall() {
  try {
    const wanted = JSON.parse(readFileSync(join(E2E, 'package-lock.json'), 'utf8')).packages ?? {};
    const have = JSON.parse(readFileSync(join(E2E, 'node_modules/.package-lock.json'), 'utf8')).packages ?? {};
    return Object.entries(wanted).every(([path, entry]) => path === '' || entry.optional || have[path]?.version === entry.version);
  } catch {
    return false;
  }
}

export function installE2eDeps({ log = (line) => console.log(`e2e: ${line}`) } = {}) {
  const rg = which('rg');
  if (!rg) throw new Error('ripgrep (rg) is missing: apt-get install -y ripgrep (it stands in for @vscode/ripgrep\'s GitHub download)');
  const cache = join(process.env.TMPDIR ?? tmpdir(), `vscode-ripgrep-cache-${RIPGREP_PACKAGE_VERSION}`);
  mkdirSync(cache, { recursive: true });
  const seed = mkdtempSync(join(tmpdir(), 'rg-seed-'));
  try {
    copyFileSync(rg, join(seed, 'rg'));
    execFileSync('tar', ['czf', join(cache, `ripgrep-${RIPGREP_TAG}-x86_64-unknown-linux-musl.tar.gz`), '-C', seed, 'rg']);
  } finally {
    rmSync(seed, { recursive: true, force: true });
  }
  // The node install prefix (holds include/node/node_version.h) for node-gyp.
  let nodedir = dirname(dirname(process.execPath));
  if (!existsSync(join(nodedir, 'include/node/node_version.h')) && existsSync('/usr/include/node/node_version.h')) nodedir = '/usr';
  const lock = existsSync(join(E2E, 'package-lock.json'));
  const args = lock ? ['ci', '--no-audit', '--no-fund'] : ['install', '--no-audit', '--no-fund'];
  log(`npm ${args[0]} in test/e2e (code-server builds native modules; about 40 s)`);
  const r = spawnSync('npm', args, {
    cwd: E2E,
    stdio: ['ignore', 'pipe', 'pipe'],
    encoding: 'utf8',
    timeout: 15 * 60_000,
    env: { ...process.env, npm_config_unsafe_perm: 'true', npm_config_yes: 'true', npm_config_nodedir: nodedir },
  });
  if (r.status !== 0) {
    const out = `${r.stdout ?? ''}${r.stderr ?? ''}`.split('\n').slice(-60).join('\n');
    throw new Error(`npm ${args[0]} in test/e2e failed (${r.error?.message ?? `exit ${r.status}`}):\n${out}`);
  }
  if (!e2eDepsInstalled()) throw new Error('npm finished but code-server or its ripgrep is missing in test/e2e/node_modules');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const t0 = Date.now();
  installE2eDeps();
  console.log(`e2e: dependencies installed in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}
