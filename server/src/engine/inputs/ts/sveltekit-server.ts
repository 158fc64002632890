// The server SvelteKit's adapter-node builds (`node build`): a Node http server that sets its
// keepAliveTimeout from KEEP_ALIVE_TIMEOUT, in seconds (adapter-node 5.5.0 on; `envPrefix` renames
// the variable), and otherwise keeps Node's default. Only the built server reads the variable: a
// custom server that imports `build/handler.js` does not (adapter-node's documentation).
import { parseJsonWithPositions, pointerSegment } from '../../json-positions.js';
import type { FileId, Span } from '../../types.js';
import { dependencyKeySpan, dependencyRange, isObject, lastCommand, PREFERRED_SCRIPTS, scriptRunBy, type FrameworkServer, type KeepAliveEnv } from './framework-server.js';

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
export function svelteKitServerOf(manifest: FileId, manifestText: string, config: { file: FileId; text: string } | undefined, dockerfile: { file: FileId; text: string } | undefined): FrameworkServer | undefined {
  if (!config) return undefined;
  const options = adapterOptions(config.text);
  if (!options) return undefined;
  const parsed = parseJsonWithPositions(manifestText);
  if (parsed.error || !isObject(parsed.value)) return undefined;
  const dependency = dependencyKeySpan(parsed, ADAPTER);
  if (!dependency || options.out === undefined) return undefined;
  const keepAliveEnv = keepAliveEnvOf(options.envPrefix, dependencyRange(parsed.value, ADAPTER));
  const scripts = isObject(parsed.value['scripts']) ? parsed.value['scripts'] : {};
  const command = dockerfile ? lastCommand(dockerfile.text) : undefined;
  let candidates = PREFERRED_SCRIPTS;
  if (command !== undefined) {
    if (runsBuild(command, options.out) !== undefined) {
      return {
        framework: 'SvelteKit',
        manifest,
        how: 'adapter-node',
        span: { file: manifest, ...dependency },
        evidence: `${dockerfile!.file} runs \`${command}\`, the server adapter-node built (${config.file} uses ${ADAPTER})`,
        keepAliveEnv,
      };
    }
    const script = scriptRunBy(command);
    if (script === undefined) return undefined;
    candidates = [script];
  }
  const name = candidates.find((n) => typeof scripts[n] === 'string');
  if (name === undefined) return undefined;
  const text = scripts[name] as string;
  const found = runsBuild(text, options.out);
  if (!found) return undefined;
  const valueSpan = parsed.valueSpans.get(`/scripts/${pointerSegment(name)}`)!;
  // Offsets inside the string map one to one onto the file only when it has no escapes.
  const inner = valueSpan.start + 1;
  const plain = manifestText.slice(inner, valueSpan.end - 1) === text;
  const span: Span = plain ? { file: manifest, start: inner + found.start, end: inner + found.end } : { file: manifest, start: valueSpan.start, end: valueSpan.end };
  return {
    framework: 'SvelteKit',
    manifest,
    how: 'adapter-node',
    span,
    evidence: `package.json script "${name}" runs \`${text.slice(found.start, found.end)}\`, the server adapter-node built (${config.file} uses ${ADAPTER})`,
    keepAliveEnv,
  };
}

/**
 * adapter-node's `out` (default `build`) and `envPrefix` (default '') from svelte.config, when the
 * config imports the adapter; a value that is not a plain string is undefined (not known).
 */
export function adapterOptions(text: string): { out: string | undefined; envPrefix: string | undefined } | undefined {
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

/** The text of the object literal whose `{` is at `open`, up to its matching `}` (strings and template literals skipped). */
function objectBody(text: string, open: number): string | undefined {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"' || c === "'" || c === '`') {
      const close = text.indexOf(c, i + 1);
      if (close < 0) return undefined;
      i = close;
      continue;
    }
    if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return text.slice(open + 1, i);
  }
  return undefined;
}

/** A top-level option's plain string value; the default when the option is absent; undefined when it is written another way. */
function stringOption(body: string, name: string, fallback: string): string | undefined {
  const at = new RegExp(`(?:^|[,{\\s])${name}\\s*:\\s*`).exec(body);
  if (!at) return new RegExp(`(?:^|[,{\\s])${name}\\s*[,}]|(?:^|[,{\\s])${name}\\s*$`).test(body) ? undefined : fallback;
  const literal = /^(['"])([^'"\\\n]*)\1/.exec(body.slice(at.index + at[0].length));
  return literal ? literal[2] : undefined;
}

/** Flags of `node` that take the next word as their value. */
const NODE_FLAGS_WITH_VALUE = new Set(['-r', '--require', '--import', '--loader', '--experimental-loader', '--env-file', '--title']);

/**
 * Where `node <out>` (or `node <out>/index.js`, `node ./<out>`, `node /app/<out>`) sits in a command,
 * node's own flags allowed before the script; undefined when the command runs something else.
 */
export function runsBuild(command: string, out: string): { start: number; end: number } | undefined {
  const wanted = normalise(out);
  for (const node of command.matchAll(/(^|[\s;&|(])node(?=\s)/g)) {
    const start = node.index + node[1]!.length;
    const words = /\S+/g;
    words.lastIndex = start + 'node'.length;
    for (let word = words.exec(command); word; word = words.exec(command)) {
      const token = word[0];
      if (token.startsWith('-')) {
        // `-e`/`--eval`/`-p` run code given on the command line, not a script.
        if (/^(-e|--eval|-p|--print)$/.test(token)) break;
        if (NODE_FLAGS_WITH_VALUE.has(token)) words.exec(command);
        continue;
      }
      const script = normalise(token.replace(/[;&|)]+$/, ''));
      if (script === wanted || script.endsWith(`/${wanted}`)) return { start, end: word.index + token.replace(/[;&|)]+$/, '').length };
      break;
    }
  }
  return undefined;
}

function normalise(path: string): string {
  return path.replace(/^\.\//, '').replace(/\/index\.js$/, '').replace(/\/+$/, '');
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
