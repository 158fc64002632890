// Mode (c): typing latency in a 40k-line nginx file, measured the way a person feels it: from each
// keydown to the next frame painted after it, in chromium, with
//   1. the extension (code lenses on, the default),
//   2. the extension with `editor.codeLens: false`,
//   3. no extension at all.
// Each configuration gets its own code-server and browser; the same keystrokes are typed into a
// comment in the middle of the file. Figures (p50, p95, mean, n) go to $E2E_ARTIFACTS/typing-latency.json
// and the console. There is no timed assertion: the machine's load decides the absolute numbers, so
// the figures are for reading side by side. The step fails only when it cannot measure.
//
// Measurement: a capturing keydown listener takes the event's timestamp, then requestAnimationFrame
// plus a MessageChannel message: the message runs after the frame in which VS Code rendered the key
// (its render callback is queued during the same keydown/input task, after ours) has been painted.
//
// env: E2E_STATE_DIR, E2E_EXTENSIONS_DIR (holds the installed .vsix), E2E_WORKSPACE (a fresh, empty
//      folder: the file is generated there), E2E_ARTIFACTS, E2E_RESULTS; E2E_PERF_KEYS (default 60).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { launchChromium } from './lib/browser.mjs';
import { remoteUri, startCodeServer, workbenchUrl } from './lib/code-server.mjs';

const need = (n) => { const v = process.env[n]; if (!v) throw new Error(`set ${n}`); return v; };
const WORKSPACE = need('E2E_WORKSPACE');
const ARTIFACTS = need('E2E_ARTIFACTS');
const STATE = need('E2E_STATE_DIR');
const KEYS = Number(process.env.E2E_PERF_KEYS ?? 60);
const WARMUP_KEYS = 5;
const KEY_GAP_MS = 120; // about 100 words a minute
const FILE = 'nginx/nginx.conf';
const NAME = 'typing latency in a 40k-line nginx file (keydown → paint; figures only, no timed assertion)';

const t0 = Date.now();
const mark = (what) => console.log(`[perf] +${String(Date.now() - t0).padStart(6)} ms ${what}`);

/** A realistic big gateway: upstreams and servers with proxied locations, a few timeouts set, one value nginx rejects. */
export function bigNginxConf(targetLines = 40_000) {
  const out = ['events {}', '', 'http {', '    proxy_connect_timeout 5s;', ''];
  let markerLine = -1;
  for (let s = 0; out.length < targetLines - 3; s++) {
    out.push(`    upstream app_${s} {`, `        server app-${s}.internal:8080;`, '        keepalive 16;', '    }', '');
    out.push('    server {', '        listen 80;', `        server_name app${s}.example.com;`, '        proxy_send_timeout 30s;', '');
    for (let l = 0; l < 8; l++) {
      out.push(`        location /api/v${l}/ {`);
      if (l % 3 === 0) out.push(s === 0 && l === 0 ? '            proxy_read_timeout 1.5m;' : '            proxy_read_timeout 90s;');
      if (l % 4 === 1) out.push('            proxy_set_header Host $host;');
      out.push(`            proxy_pass http://app_${s};`, '        }', '');
    }
    if (markerLine < 0 && out.length >= targetLines / 2) {
      markerLine = out.length;
      out.push('        # notes: ');
    }
    out.push('    }', '');
  }
  out.push('}', '');
  return { text: out.join('\n'), lines: out.length, markerLine, locations: out.filter((l) => l.includes('location ')).length };
}

const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
function stats(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const round = (x) => Math.round(x * 10) / 10;
  return { n: sorted.length, p50: round(quantile(sorted, 0.5)), p95: round(quantile(sorted, 0.95)), mean: round(sorted.reduce((a, b) => a + b, 0) / sorted.length), max: round(sorted.at(-1)) };
}

async function measure({ label, extensionsDir, settings, ready }) {
  const server = await startCodeServer({ stateDir: join(STATE, label), extensionsDir, settings });
  let browser;
  try {
    browser = await launchChromium();
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    page.setDefaultTimeout(180_000); // a loaded 2-core machine takes a minute to open and lint 40k lines
    await page.goto(workbenchUrl(server.url, WORKSPACE, [['openFile', remoteUri(server.url, join(WORKSPACE, FILE))], ['skipWelcome', 'true']]));
    const editor = page.locator('.editor-instance .monaco-editor').first();
    await editor.locator('.view-lines', { hasText: 'events {}' }).waitFor();
    await ready(page, editor);
    mark(`${label}: file open and ready`);
    // To the comment in the middle of the file, at its end.
    await editor.locator('.view-lines').click();
    await page.keyboard.press('Control+g');
    await page.locator('.quick-input-widget input.input').fill(`:${generated.markerLine + 1}`);
    await page.keyboard.press('Enter');
    await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
    await page.keyboard.press('End');
    await page.waitForTimeout(3_000); // lenses of the new viewport requested and resolved, tokenization done
    const lensesBefore = await editor.locator('.codelens-decoration').count();
    await page.evaluate(() => {
      window.__keyToPaint = [];
      document.addEventListener('keydown', (e) => {
        const start = e.timeStamp;
        requestAnimationFrame(() => {
          const channel = new MessageChannel();
          channel.port1.onmessage = () => window.__keyToPaint.push(performance.now() - start);
          channel.port2.postMessage(undefined);
        });
      }, true);
    });
    const letters = 'abcdefghijklmnopqrstuvwxyz';
    const half = Math.ceil(KEYS / 2);
    for (let i = 0; i < KEYS; i++) {
      await page.keyboard.press(i < half ? letters[i % letters.length] : 'Backspace');
      await page.waitForTimeout(KEY_GAP_MS);
    }
    await page.waitForTimeout(500);
    const samples = (await page.evaluate(() => window.__keyToPaint)).slice(WARMUP_KEYS);
    await page.screenshot({ path: join(ARTIFACTS, `perf-${label}.png`) });
    const lenses = await editor.locator('.codelens-decoration').count();
    const result = { label, ...stats(samples), lensesInViewBeforeTyping: lensesBefore, lensesInViewAfter: lenses };
    mark(`${label}: keydown → paint p50 ${result.p50} ms, p95 ${result.p95} ms, mean ${result.mean} ms (n ${result.n}; lenses in view before typing ${lensesBefore}, after ${lenses})`);
    return result;
  } catch (err) {
    try { await browser?.contexts()[0]?.pages()[0]?.screenshot({ path: join(ARTIFACTS, `perf-${label}-failure.png`) }); } catch { /* best effort */ }
    throw err;
  } finally {
    await browser?.close();
    await server.stop();
  }
}

const generated = bigNginxConf();
mkdirSync(join(WORKSPACE, 'nginx'), { recursive: true });
writeFileSync(join(WORKSPACE, FILE), generated.text);
mkdirSync(ARTIFACTS, { recursive: true });
mark(`generated ${FILE}: ${generated.lines} lines, ${generated.locations} locations`);

const withExtension = async (page, editor) => {
  // The error squiggle on the first server's `1.5m`: the server has linted the whole file.
  await editor.locator('.squiggly-error').first().waitFor({ state: 'attached' });
  await page.locator('.statusbar-item', { hasText: /timeout-lint \d+/ }).first().waitFor();
};
let error;
const results = [];
// E2E_PERF_CONFIGS=extension,extension-lenses-off,no-extension (the default: all three).
const configs = new Set((process.env.E2E_PERF_CONFIGS ?? 'extension,extension-lenses-off,no-extension').split(','));
try {
  const extensionsDir = need('E2E_EXTENSIONS_DIR');
  if (configs.has('extension')) results.push(await measure({ label: 'extension', extensionsDir, ready: async (page, editor) => {
    await withExtension(page, editor);
    await editor.locator('.codelens-decoration', { hasText: 'read' }).first().waitFor();
  } }));
  if (configs.has('extension-lenses-off')) results.push(await measure({ label: 'extension-lenses-off', extensionsDir, settings: { 'editor.codeLens': false }, ready: withExtension }));
  mkdirSync(join(STATE, 'no-extensions'), { recursive: true });
  if (configs.has('no-extension')) results.push(await measure({ label: 'no-extension', extensionsDir: join(STATE, 'no-extensions'), ready: (page) => page.waitForTimeout(5_000) }));
  const base = results.find((r) => r.label === 'no-extension');
  for (const r of results) if (base) r.p50VsNoExtension = `${Math.round((r.p50 / base.p50 - 1) * 100)} %`;
  writeFileSync(join(ARTIFACTS, 'typing-latency.json'), JSON.stringify({ file: { lines: generated.lines, locations: generated.locations }, keys: KEYS, warmupKeys: WARMUP_KEYS, keyGapMs: KEY_GAP_MS, results }, null, 2));
  for (const r of results) mark(`${r.label.padEnd(22)} p50 ${String(r.p50).padStart(6)} ms  p95 ${String(r.p95).padStart(6)} ms  (p50 ${r.p50VsNoExtension ?? '?'} vs no extension)`);
} catch (err) {
  error = err;
  console.error(`[perf] FAILED: ${err.stack ?? err}`);
}
if (process.env.E2E_RESULTS) {
  const summary = results.map((r) => `${r.label} p50 ${r.p50} ms / p95 ${r.p95} ms`).join('; ');
  writeFileSync(process.env.E2E_RESULTS, JSON.stringify([{ name: `${NAME}${summary ? `: ${summary}` : ''}`, ok: !error, ms: Date.now() - t0, ...(error ? { error: String(error.stack ?? error) } : {}) }], null, 2));
}
process.exit(error ? 1 : 0);
