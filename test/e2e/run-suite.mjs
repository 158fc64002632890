// Mode (a): the in-editor suite through @vscode/test-electron's own runTests(), the entry point a
// desktop-VS Code project would have, with vscodeExecutablePath pointing at code-server-shim.mjs.
// On a machine where desktop VS Code can be downloaded, drop vscodeExecutablePath and the same suite
// runs there.
//
// env: E2E_EXTENSION_PATH (extension folder to load as the development extension; the run uses the
//      folder code-server unpacked the .vsix into), E2E_WORKSPACE (absolute; a fresh copy of examples/),
//      E2E_PROFILE_DIR (scratch: user data and an empty extensions dir), E2E_RESULTS (JSON results file)
import { runTests } from '@vscode/test-electron';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const need = (n) => { const v = process.env[n]; if (!v) throw new Error(`set ${n}`); return v; };
const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const profile = need('E2E_PROFILE_DIR');

try {
  const code = await runTests({
    vscodeExecutablePath: here('./code-server-shim.mjs'),
    extensionDevelopmentPath: need('E2E_EXTENSION_PATH'),
    extensionTestsPath: here('./out/suite.cjs'),
    launchArgs: [need('E2E_WORKSPACE'), `--user-data-dir=${join(profile, 'user-data')}`, `--extensions-dir=${join(profile, 'extensions')}`],
    extensionTestsEnv: { E2E_RESULTS: process.env.E2E_RESULTS ?? '' },
  });
  console.log(`[run-suite] runTests resolved with ${code}`);
} catch (err) {
  console.error(`[run-suite] ${err.message}`);
  process.exit(1);
}
