// The server SvelteKit's adapter-node builds (`node build`): a Node http server that sets its
// keepAliveTimeout from KEEP_ALIVE_TIMEOUT, in seconds (adapter-node 5.5.0 on; `envPrefix` renames
// the variable), and otherwise keeps Node's default. Only the built server reads the variable: a
// custom server that imports `build/handler.js` does not (adapter-node's documentation).
import type { FileId } from '../../../types.js';
import { nodeScriptAt, withCommandEnv, withScriptEnv } from './command-line.js';
import { objectBody, withoutComments } from './config-text.js';
import type { FrameworkServer, KeepAliveEnv } from './server.js';
import { dependencyRange, dependencySpan, readManifest, startCommands } from './start-commands.js';

const ADAPTER = '@sveltejs/adapter-node';
/** The adapter-node release that added KEEP_ALIVE_TIMEOUT and HEADERS_TIMEOUT (its CHANGELOG, #15125). */
const KNOB_SINCE: Version = [5, 5, 0];
/** The svelte.config files a package may have, in the order looked at. */
export const SVELTE_CONFIG_NAMES: readonly string[] = ['svelte.config.js', 'svelte.config.mjs', 'svelte.config.ts', 'svelte.config.cjs'];

type Version = [number, number, number];

/**
 * The adapter-node server of a SvelteKit package: its svelte.config uses adapter-node and its
 * Dockerfile or a production script runs `node <out>`. Undefined when anything of that is missing
 * (another adapter, a custom server, no start command): nothing is assumed.
 */
export function svelteKitServerOf(manifestFile: FileId, manifestText: string, config: { file: FileId; text: string } | undefined, dockerfile: { file: FileId; text: string } | undefined): FrameworkServer | undefined {
  if (!config) return undefined;
  const options = adapterOptions(config.text);
  if (!options || options.out === undefined) return undefined;
  const manifest = readManifest(manifestFile, manifestText);
  const dependency = manifest && dependencySpan(manifest, ADAPTER);
  if (!manifest || !dependency) return undefined;
  const keepAliveEnv = keepAliveEnvOf(options.envPrefix, dependencyRange(manifest.value, ADAPTER));
  const built = `the server adapter-node built (${config.file} uses ${ADAPTER})`;
  const { image, script } = startCommands(manifest, dockerfile);
  // A monorepo image may run the package's output by its folder (`node apps/web/build`).
  const folder = manifestFile.includes('/') ? manifestFile.slice(0, manifestFile.lastIndexOf('/')) : '';
  const inImage = image && runsBuild(image.text, options.out, folder);
  if (image && inImage) {
    withCommandEnv(keepAliveEnv, image.text, inImage, undefined);
    return { framework: 'SvelteKit', manifest: manifestFile, how: 'adapter-node', span: dependency, evidence: `${image.file} runs \`${image.text}\`, ${built}`, keepAliveEnv };
  }
  const found = script && runsBuild(script.text, options.out, folder);
  if (!script || !found) return undefined;
  withScriptEnv(keepAliveEnv, image, script, found);
  return {
    framework: 'SvelteKit',
    manifest: manifestFile,
    how: 'adapter-node',
    span: script.at(found.start, found.end),
    evidence: `package.json script "${script.name}" runs \`${script.text.slice(found.start, found.end)}\`, ${built}`,
    keepAliveEnv,
  };
}

/**
 * adapter-node's `out` (default `build`) and `envPrefix` (default '') from svelte.config, when the
 * config imports the adapter; a value that is not a plain string is undefined (not known).
 */
export function adapterOptions(source: string): { out: string | undefined; envPrefix: string | undefined } | undefined {
  // Comments hold quotes and commented-out options: they are blanked before anything is looked for.
  const text = withoutComments(source);
  const imported = /import\s+(\w+)\s+from\s*['"]@sveltejs\/adapter-node['"]/.exec(text) ?? /(?:const|let|var)\s+(\w+)\s*=\s*require\(\s*['"]@sveltejs\/adapter-node['"]\s*\)/.exec(text);
  if (!imported) return undefined;
  const local = imported[1]!;
  const call = new RegExp(`\\b${local}\\s*\\(\\s*(\\)|\\{)`).exec(text);
  // Imported but never called (a config that switches adapters by environment): not known to be the adapter in use.
  if (!call) return undefined;
  if (call[1] === ')') return { out: 'build', envPrefix: '' };
  const body = objectBody(text, call.index + call[0].length - 1);
  if (body === undefined) return { out: undefined, envPrefix: undefined };
  return { out: stringOption(body, 'out', 'build'), envPrefix: stringOption(body, 'envPrefix', '') };
}

/** A top-level option's plain string value; the default when the option is absent; undefined when it is written another way. */
function stringOption(body: string, name: string, fallback: string): string | undefined {
  const at = new RegExp(`(?:^|[,{\\s])${name}\\s*:\\s*`).exec(body);
  if (!at) return new RegExp(`(?:^|[,{\\s])${name}\\s*[,}]|(?:^|[,{\\s])${name}\\s*$`).test(body) ? undefined : fallback;
  const literal = /^(['"])([^'"\\\n]*)\1/.exec(body.slice(at.index + at[0].length));
  return literal ? literal[2] : undefined;
}

/**
 * Where `node <out>` (or `node <out>/index.js`, `node ./<out>`, `node /app/<out>`) sits in a command,
 * node's own flags allowed before the script; undefined when the command runs something else.
 */
export function runsBuild(command: string, out: string, folder = ''): { start: number; end: number } | undefined {
  const wanted = out.replace(/^\.\//, '').replace(/\/+$/, '');
  return nodeScriptAt(command, (script) => {
    const path = script.replace(/^\.\//, '').replace(/\/index\.js$/, '').replace(/\/+$/, '');
    // `/app/build` is the image's copy of the output, `apps/web/build` the package's own in a
    // monorepo image; `scripts/build` is another folder.
    return path === wanted || (path.startsWith('/') && path.endsWith(`/${wanted}`)) || (folder !== '' && path === `${folder}/${wanted}`);
  });
}

/** KEEP_ALIVE_TIMEOUT under the config's prefix, and whether the adapter release the manifest allows reads it. */
function keepAliveEnvOf(prefix: string | undefined, range: string | undefined): KeepAliveEnv {
  const env: KeepAliveEnv = { name: prefix === undefined ? undefined : `${prefix}KEEP_ALIVE_TIMEOUT`, unit: 's', zero: 'disables' };
  const reads = rangeReadsKnob(range);
  if (reads === 'no') env.unread = `${ADAPTER} ${range} predates KEEP_ALIVE_TIMEOUT, which 5.5.0 added`;
  else if (reads === 'maybe') env.provided = `read by ${ADAPTER} 5.5.0 and later; package.json allows ${range ?? 'any release'}`;
  return env;
}

/** Whether every release a simple range allows reads the knob ('yes'), none does ('no'), or some do ('maybe'). */
export function rangeReadsKnob(range: string | undefined): 'yes' | 'no' | 'maybe' {
  const m = range === undefined ? null : /^\s*(\^|~|>=|=)?\s*v?(\d+)(?:\.(\d+|x|\*))?(?:\.(\d+|x|\*))?(?:-[\w.]+)?\s*$/.exec(range);
  if (!m) return 'maybe';
  const operator = m[1] ?? '';
  const wildMinor = m[3] === undefined || m[3] === 'x' || m[3] === '*';
  const wildPatch = wildMinor || m[4] === undefined || m[4] === 'x' || m[4] === '*';
  const low: Version = [Number(m[2]), wildMinor ? 0 : Number(m[3]), wildPatch ? 0 : Number(m[4])];
  if (compare(low, KNOB_SINCE) >= 0) return 'yes';
  if (operator === '>=') return 'maybe';
  // The first release the range no longer allows.
  const above: Version = operator === '^' ? (low[0] > 0 ? [low[0] + 1, 0, 0] : [0, low[1] + 1, 0])
    : wildMinor ? [low[0] + 1, 0, 0]
    : operator === '~' || wildPatch ? [low[0], low[1] + 1, 0]
    : [low[0], low[1], low[2] + 1];
  return compare(above, KNOB_SINCE) <= 0 ? 'no' : 'maybe';
}

function compare(a: Version, b: Version): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}
