// Debian's chromium driven by playwright-core (no browser download), and the in-editor test runner:
// the workbench loads an extension test module (`run(): Promise<void>`) through VS Code web's
// `payload` launch parameters and reports the extension host's exit code via codeAutomationExit.
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { remoteUri, workbenchUrl } from './code-server.mjs';

export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
// No sandbox (root in a container), no GPU, and no traffic of its own: only loopback to code-server.
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage',
  '--disable-default-apps', '--disable-domain-reliability', '--no-pings'];

export function launchChromium() {
  if (!existsSync(CHROMIUM)) throw new Error(`chromium not found at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM)`);
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, timeout: 60_000 });
}

/**
 * Runs the test module at `testsPath` in code-server's Node extension host with the extension(s) in
 * `devPaths` loaded as development extensions. Resolves with the extension host's exit code.
 */
export async function runExtensionTests({ serverUrl, workspace, devPaths, testsPath, timeoutMs = 180_000, disableExtensions = false,
  log = (line) => console.log(line) }) {
  const browser = await launchChromium();
  let timer;
  try {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    page.on('pageerror', (e) => log(`[page error] ${e.message}`));
    const exited = new Promise((resolve) => {
      void page.exposeFunction('codeAutomationExit', (code) => resolve(Number(code)));
    });
    // The workbench forwards the extension host's console here.
    await page.exposeFunction('codeAutomationLog', (type, args) => {
      const line = args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ');
      if (process.env.VERBOSE === '1' || type === 'error' || line.includes('[e2e-suite]')) log(line);
    });
    const payload = [
      ...devPaths.map((p) => ['extensionDevelopmentPath', remoteUri(serverUrl, p)]),
      ['extensionTestsPath', remoteUri(serverUrl, testsPath)],
      ['skipWelcome', 'true'],
      ...(disableExtensions ? [['disableExtensions', 'true']] : []),
    ];
    // The workbench page loads in 2-3 s on a quiet machine, but past 30 s (playwright's default) on 2 cores shared with other work.
    await page.goto(workbenchUrl(serverUrl, workspace, payload), { timeout: 120_000 });
    const timeout = new Promise((resolve) => { timer = setTimeout(() => resolve('timeout'), timeoutMs); });
    const result = await Promise.race([exited, timeout]);
    if (result === 'timeout') {
      log(`[e2e] the extension host did not exit within ${timeoutMs} ms`);
      return 1;
    }
    return result;
  } finally {
    clearTimeout(timer);
    await browser.close();
  }
}
