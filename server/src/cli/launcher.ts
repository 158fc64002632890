// Entry point of the `timeout-lint` command (dist/cli.js): starts the CLI bundle (dist/cli-main.js),
// from V8's code cache when the build left one made for it (code-cache.ts).
// TIMEOUT_LINT_DEBUG_CODE_CACHE=1 says on stderr what became of the cache.
import * as path from 'node:path';
import { compileBundle, runBundle } from './code-cache.js';

// `timeout-lint lsp …` is the language server, its own bundle (dist/server.js, which starts on load):
// it is started directly, so that the server process does not also hold the CLI bundle (its source,
// compiled code and module state) for its whole life. cli-main.js answers `lsp` the same way when run
// on its own.
if (process.argv[2] === 'lsp') {
  require(path.join(__dirname, 'server.js'));
} else {
  const bundlePath = path.join(__dirname, 'cli-main.js');
  const { script, status } = compileBundle(bundlePath, true);
  if (process.env.TIMEOUT_LINT_DEBUG_CODE_CACHE) process.stderr.write(`timeout-lint: code cache ${status}\n`);
  runBundle(script, bundlePath);
}
