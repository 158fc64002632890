// `npm run test:e2e`: the extension in a real VS Code (code-server 4.99.4 = Code 1.99.3).
//  1. installs test/e2e's own dependencies when missing (code-server, playwright-core, @vscode/test-electron);
//  2. builds and packages the extension (`npm run package`) and checks the .vsix contents (test/meta/vsix.test.ts);
//  3. installs the .vsix into a private code-server extensions dir;
//  4. (a) runs the in-editor suite (suite/index.ts) through @vscode/test-electron + code-server-shim.mjs,
//     loading the extension folder unpacked from the .vsix, on a fresh copy of examples/;
//  5. (b) runs the UI test (ui.mjs) with playwright-core + Debian chromium on another fresh copy;
//  6. (c) measures typing latency in a 40k-line nginx file (perf.mjs): with the extension, with its
//     code lenses off, and without it; figures only, in artifacts/typing-latency.json;
//  7. prints `e2e: N passed, M failed` last; exits 1 on any failure.
// Each step is a child process in its own process group with a time limit; code-server groups are
// recorded under the scratch dir and ended afterwards whatever happened. Only loopback is used
// (except npm's registry for step 1). Artifacts (screenshots, logs): test/e2e/artifacts/.
// env: E2E_KEEP=1 keeps the scratch dir; VERBOSE=1 forwards the extension host's whole console;
//      E2E_STEPS=suite,ui,perf (the default: all) runs only the steps named.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { e2eDepsInstalled, installE2eDeps, lockMatchesInstall } from './lib/install-deps.mjs';

const E2E = dirname(fileURLToPath(import.meta.url));
const ROOT = dirname(dirname(E2E));
const ARTIFACTS = join(E2E, 'artifacts');
const t0 = Date.now();
const secs = (ms) => `${(ms / 1000).toFixed(1)} s`;
const say = (line) => console.log(`e2e: ${line}`);
const results = [];
const STEPS = new Set((process.env.E2E_STEPS ?? 'suite,ui,perf').split(',').map((x) => x.trim()));
const timings = [];
let scratch;
let current;

async function timed(label, fn) {
  const started = Date.now();
  try {
    return await fn();
  } finally {
    timings.push([label, Date.now() - started]);
  }
}

/** Runs a command in its own process group; on timeout the whole group is ended. Output is teed to a log. */
function run(label, cmd, args, { env = {}, timeoutMs, log, quiet = false } = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: ROOT, env: { ...process.env, ...env }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    current = child;
    let output = '';
    const onData = (chunk) => {
      output += chunk;
      if (!quiet) process.stdout.write(chunk);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      console.error(`e2e: ${label} did not finish within ${secs(timeoutMs)}; ending it`);
      killGroup(child.pid, 'SIGTERM');
      setTimeout(() => killGroup(child.pid, 'SIGKILL'), 10_000).unref();
    }, timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      current = undefined;
      killGroup(child.pid, 'SIGKILL'); // anything the step left behind in its group
      if (log) writeFileSync(join(ARTIFACTS, log), output);
      resolve({ code: timedOut ? 124 : (code ?? (signal ? 128 : 1)), output });
    });
  });
}

function killGroup(pgid, signal) {
  try { process.kill(-pgid, signal); } catch { /* group gone */ }
}

/** Ends every code-server process group a step recorded (it may have died before stopping its server). */
function sweepCodeServers() {
  if (!scratch || !existsSync(scratch)) return;
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory() && e.name !== 'ws' && !e.name.startsWith('ws-')) walk(p);
      else if (e.name === 'code-server.pgid') killGroup(Number(readFileSync(p, 'utf8')), 'SIGKILL');
    }
  };
  walk(scratch);
}

function readResults(file, fallbackName, code) {
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8'));
    if (Array.isArray(parsed) && parsed.length > 0) return parsed;
  } catch { /* no results file: the step failed before reporting */ }
  return [{ name: fallbackName, ok: false, error: `exited with code ${code} before reporting results` }];
}

function finish(exitCode) {
  sweepCodeServers();
  if (scratch && process.env.E2E_KEEP !== '1') rmSync(scratch, { recursive: true, force: true });
  else if (scratch) say(`scratch kept at ${scratch}`);
  const passed = results.filter((r) => r.ok).length;
  const failed = results.length - passed;
  console.log('');
  for (const r of results) console.log(`  ${r.ok ? 'ok  ' : 'FAIL'} ${r.name}${r.ms !== undefined ? ` (${secs(r.ms)})` : ''}`);
  for (const r of results.filter((x) => !x.ok && x.error)) console.log(`\n--- ${r.name} ---\n${r.error}`);
  console.log(`\ne2e timings: ${timings.map(([l, ms]) => `${l} ${secs(ms)}`).join(', ')}; total ${secs(Date.now() - t0)}`);
  if (existsSync(ARTIFACTS)) console.log(`e2e artifacts: ${relative(ROOT, ARTIFACTS)}/ (${readdirSync(ARTIFACTS).join(', ')})`);
  console.log(`e2e: ${passed} passed, ${failed} failed`);
  process.exit(exitCode || failed > 0 || results.length === 0 ? 1 : 0);
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    if (current) killGroup(current.pid, 'SIGKILL');
    results.push({ name: `interrupted by ${signal}`, ok: false });
    finish(1);
  });
}

try {
  rmSync(ARTIFACTS, { recursive: true, force: true });
  mkdirSync(ARTIFACTS, { recursive: true });
  const chromium = process.env.CHROMIUM ?? '/usr/bin/chromium';
  const missing = [existsSync(chromium) ? undefined : 'chromium',
    spawnSync('sh', ['-c', 'command -v rg'], { stdio: 'ignore' }).status === 0 ? undefined : 'ripgrep'].filter(Boolean);
  if (missing.length) {
    throw new Error(`missing ${missing.join(' and ')}. On Debian: apt-get install -y chromium ripgrep libkrb5-dev build-essential python3 fonts-dejavu-core`);
  }

  // 1. test/e2e's dependencies (code-server's install builds native modules: ~40-70 s, once).
  // By content, not modification time: a fresh checkout's lockfile is always newer than the install.
  if (!e2eDepsInstalled() || !lockMatchesInstall()) {
    // `npm ci` first deletes node_modules: never through a symlink into another checkout's install.
    if (lstatSync(join(E2E, 'node_modules'), { throwIfNoEntry: false })?.isSymbolicLink()) {
      throw new Error('test/e2e/node_modules is a symlink to a shared install that is missing or does not match package-lock.json; install it where it lives (node test/e2e/lib/install-deps.mjs there)');
    }
    await timed('install', () => installE2eDeps({ log: say }));
  }

  // 2. The .vsix, and its contents.
  say('npm run package');
  const pkg = await timed('package', () => run('npm run package', 'npm', ['run', '--silent', 'package'], { timeoutMs: 5 * 60_000, log: 'package.log', quiet: true }));
  if (pkg.code !== 0) throw new Error(`npm run package failed:\n${pkg.output}`);
  const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const vsix = join(ROOT, 'dist', `${manifest.name}-${manifest.version}.vsix`);
  say(`packaged ${relative(ROOT, vsix)} (${(statSync(vsix).size / 1024).toFixed(1)} KiB)`);
  const contents = await timed('vsix test', () => run('vsix contents', process.execPath,
    [join(ROOT, 'node_modules/vitest/vitest.mjs'), 'run', 'test/meta/vsix.test.ts', '--reporter=dot'], { timeoutMs: 2 * 60_000, log: 'vsix-test.log', quiet: true }));
  const sizeLine = /dist\/\S+\.vsix: [^\n]+/.exec(contents.output)?.[0];
  results.push({ name: `.vsix contents (test/meta/vsix.test.ts)${sizeLine ? `: ${sizeLine}` : ''}`, ok: contents.code === 0, ...(contents.code ? { error: contents.output } : {}) });

  // The in-editor suite, bundled like the extension (it may import only `vscode` and node built-ins).
  const { build } = await import('esbuild');
  await build({ entryPoints: [join(E2E, 'suite/index.ts')], outfile: join(E2E, 'out/suite.cjs'), bundle: true, platform: 'node', format: 'cjs',
    target: 'node20', external: ['vscode'], logLevel: 'warning' });

  // 3. Install the .vsix into a private extensions dir.
  scratch = mkdtempSync(join(tmpdir(), 'timeout-lint-e2e-'));
  const extensions = join(scratch, 'extensions');
  const { installVsix } = await import('./lib/code-server.mjs');
  await timed('install vsix', () => say(installVsix({ vsix, stateDir: join(scratch, 'install'), extensionsDir: extensions }).split('\n').pop()));
  const unpacked = readdirSync(extensions).find((d) => d.startsWith(`${manifest.publisher}.${manifest.name}-`));
  if (!unpacked) throw new Error(`the .vsix did not unpack into ${extensions}`);
  const workspace = (name) => {
    const dir = join(scratch, name);
    cpSync(join(ROOT, 'examples'), dir, { recursive: true });
    return dir;
  };

  // 4. (a) In-editor suite via @vscode/test-electron → shim → code-server.
  if (STEPS.has('suite')) {
    say('(a) in-editor suite: @vscode/test-electron runTests → code-server-shim');
    const suiteResults = join(scratch, 'suite-results.json');
    const suite = await timed('suite', () => run('in-editor suite', process.execPath, [join(E2E, 'run-suite.mjs')], {
      timeoutMs: 5 * 60_000,
      log: 'suite.log',
      env: {
        E2E_EXTENSION_PATH: join(extensions, unpacked),
        E2E_WORKSPACE: workspace('ws-suite'),
        E2E_PROFILE_DIR: join(scratch, 'suite-profile'),
        E2E_STATE_DIR: join(scratch, 'suite-state'),
        E2E_RESULTS: suiteResults,
        E2E_SERVER_LOG: join(ARTIFACTS, 'suite-code-server.log'),
      },
    }));
    results.push(...readResults(suiteResults, 'in-editor suite', suite.code).map((r) => ({ ...r, name: `(a) ${r.name}` })));
    if (suite.code !== 0 && results.every((r) => r.ok)) results.push({ name: '(a) in-editor suite run', ok: false, error: `exited with ${suite.code}` });
    sweepCodeServers();
  }

  // 5. (b) UI test.
  if (STEPS.has('ui')) {
    say('(b) UI test: playwright-core + chromium');
    const uiResults = join(scratch, 'ui-results.json');
    const ui = await timed('ui', () => run('UI test', process.execPath, [join(E2E, 'ui.mjs')], {
      timeoutMs: 4 * 60_000,
      log: 'ui.log',
      env: {
        E2E_STATE_DIR: join(scratch, 'ui-state'),
        E2E_EXTENSIONS_DIR: extensions,
        E2E_WORKSPACE: workspace('ws-ui'),
        E2E_ARTIFACTS: ARTIFACTS,
        E2E_RESULTS: uiResults,
      },
    }));
    results.push(...readResults(uiResults, 'UI test', ui.code).map((r) => ({ ...r, name: `(b) ${r.name}` })));
    sweepCodeServers();
  }

  // 6. (c) Typing latency, with and without the extension (figures only).
  if (STEPS.has('perf')) {
    say('(c) typing latency in a 40k-line nginx file');
    const perfResults = join(scratch, 'perf-results.json');
    const perfWorkspace = join(scratch, 'ws-perf');
    mkdirSync(perfWorkspace, { recursive: true });
    const perf = await timed('perf', () => run('typing latency', process.execPath, [join(E2E, 'perf.mjs')], {
      timeoutMs: 8 * 60_000,
      log: 'perf.log',
      env: {
        E2E_STATE_DIR: join(scratch, 'perf-state'),
        E2E_EXTENSIONS_DIR: extensions,
        E2E_WORKSPACE: perfWorkspace,
        E2E_ARTIFACTS: ARTIFACTS,
        E2E_RESULTS: perfResults,
      },
    }));
    results.push(...readResults(perfResults, 'typing latency', perf.code).map((r) => ({ ...r, name: `(c) ${r.name}` })));
  }
  finish(0);
} catch (err) {
  results.push({ name: 'e2e setup', ok: false, error: String(err?.stack ?? err) });
  finish(1);
}
