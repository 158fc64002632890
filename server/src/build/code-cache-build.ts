// Build step (esbuild.mjs): runs the CLI bundle once on the example workspace, compiled exactly as
// the launcher compiles it, and stores V8's code cache for every function that ran beside the bundle.
// Usage: node dist/code-cache-build.js <bundle> <workspace>
import * as path from 'node:path';
import { compileBundle, runBundle, writeCodeCache } from '../cli/code-cache.js';

const [bundleArg, workspace] = process.argv.slice(2);
if (!bundleArg || !workspace) {
  process.stderr.write('usage: code-cache-build <bundle> <workspace>\n');
  process.exit(2);
}
const bundlePath = path.resolve(bundleArg);
const { script, hash } = compileBundle(bundlePath, false);
// The run's report is not wanted, only the code it compiled.
process.stdout.write = (() => true) as typeof process.stdout.write;
process.argv = [process.argv[0]!, bundlePath, '--format', 'json', '--root', path.resolve(workspace)];
process.on('exit', () => {
  writeCodeCache(bundlePath, hash, script.createCachedData());
  // Findings are the example's point (exit 1); the step itself succeeded.
  process.exitCode = 0;
});
runBundle(script, bundlePath);
