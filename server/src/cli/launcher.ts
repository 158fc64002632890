// Entry point of the `timeout-lint` command (dist/cli.js): starts the CLI bundle (dist/cli-main.js),
// from V8's code cache when the build left one made for it (code-cache.ts).
// TIMEOUT_LINT_DEBUG_CODE_CACHE=1 says on stderr what became of the cache.
import * as path from 'node:path';
import { compileBundle, runBundle } from './code-cache.js';

const bundlePath = path.join(__dirname, 'cli-main.js');
const { script, status } = compileBundle(bundlePath, true);
if (process.env.TIMEOUT_LINT_DEBUG_CODE_CACHE) process.stderr.write(`timeout-lint: code cache ${status}\n`);
runBundle(script, bundlePath);
