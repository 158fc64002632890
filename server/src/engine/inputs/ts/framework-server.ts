// The server a full-stack framework runs for a package that writes none of its own: Next.js's
// (`next start`, the standalone server.js) and SvelteKit's adapter-node (`node build`). Each is a
// Node http server, so Node's keep-alive default applies unless the framework's knob sets it. What
// the frameworks share lives here: the type, and how a Dockerfile or a package.json script says
// what runs.
import { parseJsonWithPositions, pointerSegment, type JsonParseResult } from '../../json-positions.js';
import type { FileId, Span } from '../../types.js';

/** How a package's framework server is started, read from its package.json (and Dockerfile, svelte.config). */
export interface FrameworkServer {
  framework: 'Next.js' | 'SvelteKit' | 'Nuxt' | 'Remix' | 'React Router' | 'Astro';
  /** The package.json that says it (its text is then an analysed source: spans point into it). */
  manifest: FileId;
  /**
   * `next-start`: a package.json script runs `next start`; `standalone`: the image runs Next's
   * standalone `server.js`; `adapter-node`: `node build` runs what SvelteKit's adapter-node built.
   */
  how: 'next-start' | 'standalone' | 'adapter-node' | 'nitro' | 'remix-serve' | 'react-router-serve' | 'astro-node';
  /** The start command in a package.json script, or the framework's (adapter's) dependency key when a Dockerfile runs it. */
  span: Span;
  /** What says so, for hover and `chains`. */
  evidence: string;
  /** `--keepAliveTimeout` written on the `next start` command; `ms` absent when its value is not a number (`$KEEP_ALIVE`); no span in a Dockerfile. */
  keepAliveFlag?: { ms?: number; text: string; span?: Span };
  /** Script name and where the `next start` command ends inside the manifest: only when a flag can be added there safely. */
  script?: { name: string; commandEnd: number };
  /** The environment variable the server sets its keepAliveTimeout from. */
  keepAliveEnv?: KeepAliveEnv;
}

export interface KeepAliveEnv {
  /** Its name; undefined when a prefix the code computes makes it unknown. */
  name: string | undefined;
  /** The unit of its value: Next's standalone server takes milliseconds, adapter-node seconds. */
  unit: 'ms' | 's';
  /** What 0 does: Next.js ignores it (Node's default stays); adapter-node sets 0, which turns the timer off. */
  zero: 'node-default' | 'disables';
  /** Why the variable is not read after all (an adapter release older than the knob); the server keeps Node's default. */
  unread?: string;
  /** A condition on reading it that the workspace cannot settle (the installed release), said with the value. */
  provided?: string;
  /** The value the start command itself sets (`KEEP_ALIVE_TIMEOUT=75 node build`); `span` when the command is in an analysed file. */
  inline?: { text: string; span?: Span };
  /** What in the start command loads variables from a file the workspace may not show (`--env-file .env`), when nothing else sets it. */
  fromFile?: string;
}

/** Scripts a production start runs, in the order looked at when no Dockerfile names one. */
export const PREFERRED_SCRIPTS = ['start', 'start:prod', 'prod', 'serve', 'production'];

/** A package.json read for its start command: the parsed manifest with positions. */
export interface Manifest {
  file: FileId;
  text: string;
  parsed: JsonParseResult;
  value: Record<string, unknown>;
}

export function readManifest(file: FileId, text: string): Manifest | undefined {
  const parsed = parseJsonWithPositions(text);
  return parsed.error || !isObject(parsed.value) ? undefined : { file, text, parsed, value: parsed.value };
}

/** A package.json script that starts the package. */
export interface ScriptCommand {
  name: string;
  text: string;
  /** Where the script's value starts inside the manifest (after its quote), and whether its characters map one to one (no escapes). */
  inner: number;
  plain: boolean;
  /** The span of `[start, end)` of the script text: exact when plain, else the whole value. */
  at: (start: number, end: number) => Span;
}

/**
 * What starts a package: its Dockerfile's last CMD/ENTRYPOINT (`image`, looked at first: it may run
 * the server itself), and the package.json script that command runs (`npm start`, `yarn
 * start:prod`) or, with no Dockerfile, the first production script that exists.
 */
export function startCommands(manifest: Manifest, dockerfile: { file: FileId; text: string } | undefined): { image?: { file: FileId; text: string }; script?: ScriptCommand } {
  const scripts = isObject(manifest.value['scripts']) ? manifest.value['scripts'] : {};
  let candidates = PREFERRED_SCRIPTS;
  const command = dockerfile ? lastCommand(dockerfile.text) : undefined;
  const image = command !== undefined ? { file: dockerfile!.file, text: command } : undefined;
  if (command !== undefined) {
    const script = scriptRunBy(command);
    if (script === undefined) return { image };
    candidates = [script];
  }
  // The first production script that exists decides: another script that happens to run the server (e2e) is not what runs.
  const name = candidates.find((n) => typeof scripts[n] === 'string');
  if (name === undefined) return image ? { image } : {};
  const text = scripts[name] as string;
  const valueSpan = manifest.parsed.valueSpans.get(`/scripts/${pointerSegment(name)}`)!;
  const inner = valueSpan.start + 1;
  const plain = manifest.text.slice(inner, valueSpan.end - 1) === text;
  const file = manifest.file;
  const script: ScriptCommand = {
    name,
    text,
    inner,
    plain,
    at: (start, end) => (plain ? { file, start: inner + start, end: inner + end } : { file, start: valueSpan.start, end: valueSpan.end }),
  };
  return image ? { image, script } : { script };
}

/** The span of a dependency's key in the manifest, as a Span. */
export function dependencySpan(manifest: Manifest, name: string): Span | undefined {
  const key = dependencyKeySpan(manifest.parsed, name);
  return key ? { file: manifest.file, ...key } : undefined;
}

/**
 * The command the image of a Dockerfile runs: its last stage's ENTRYPOINT and CMD (an exec-form
 * ENTRYPOINT takes CMD as its arguments; a shell-form one ignores CMD), exec forms joined with
 * spaces. Continued lines are joined first, so a `HEALTHCHECK … CMD` is not taken for the image's.
 */
export function lastCommand(text: string): string | undefined {
  const instructions = text.replace(/\\[ \t]*\r?\n/g, ' ').split(/\r?\n/);
  let entrypoint: { text: string; exec: boolean } | undefined;
  let cmd: { text: string; exec: boolean } | undefined;
  for (const line of instructions) {
    const m = /^\s*(FROM|CMD|ENTRYPOINT)\b\s*(.*)$/i.exec(line);
    if (!m) continue;
    const keyword = m[1]!.toUpperCase();
    // A new stage starts from another image: what an earlier stage ran is not this image's command.
    if (keyword === 'FROM') entrypoint = cmd = undefined;
    else if (keyword === 'CMD') cmd = commandForm(m[2]!);
    else entrypoint = commandForm(m[2]!);
  }
  if (entrypoint && entrypoint.exec && cmd) return `${entrypoint.text} ${cmd.text}`.trim();
  return (entrypoint ?? cmd)?.text;
}

function commandForm(body: string): { text: string; exec: boolean } {
  try {
    const exec = JSON.parse(body) as unknown;
    if (Array.isArray(exec) && exec.every((part) => typeof part === 'string')) return { text: exec.join(' '), exec: true };
  } catch {
    // The shell form: the text as written.
  }
  return { text: body.trim(), exec: false };
}

/**
 * Variables a command line sets for the program that starts at `at`: `NAME=value` words just
 * before it in the same simple command (also after `env` and `cross-env`). Quoted values are
 * taken without their quotes; `offset` is the value's position in `command`.
 */
export function inlineAssignments(command: string, at: number): Map<string, { text: string; offset: number }> {
  const out = new Map<string, { text: string; offset: number }>();
  const before = command.slice(0, at);
  const separator = Math.max(before.lastIndexOf('&&'), before.lastIndexOf('||'), before.lastIndexOf(';'), before.lastIndexOf('|'), before.lastIndexOf('('));
  const start = separator < 0 ? 0 : separator + (before.startsWith('&&', separator) || before.startsWith('||', separator) ? 2 : 1);
  const word = /(?:^|\s)(?:([A-Za-z_]\w*)=("([^"]*)"|'([^']*)'|([^\s"']*))|(env|cross-env|cross-env-shell))(?=\s|$)/g;
  word.lastIndex = 0;
  const segment = before.slice(start);
  let expected = 0;
  for (let m = word.exec(segment); m; m = word.exec(segment)) {
    // Only a run of assignments (and env runners) right up to the program: `A=1 other B=2 node` sets A for `other`.
    if (segment.slice(expected, m.index).trim() !== '') return new Map();
    expected = m.index + m[0].length;
    if (m[1] === undefined) continue;
    const quoted = m[3] ?? m[4];
    const valueStart = start + m.index + m[0].indexOf('=') + 1 + (quoted !== undefined ? 1 : 0);
    out.set(m[1], { text: quoted ?? m[5] ?? '', offset: valueStart });
  }
  return segment.slice(expected).trim() === '' ? out : new Map();
}

/**
 * What the start command itself says of the variable: a value it sets (`KEEP_ALIVE_TIMEOUT=75 node
 * build`), or a file it loads variables from (`node -r dotenv/config build`, `--env-file .env`).
 */
export function withCommandEnv(env: KeepAliveEnv, command: string, found: { start: number; end: number }, at: ((start: number, end: number) => Span) | undefined): void {
  if (env.name === undefined) return;
  const inline = inlineAssignments(command, found.start).get(env.name);
  if (inline) env.inline = { text: inline.text, ...(at ? { span: at(inline.offset, inline.offset + inline.text.length) } : {}) };
  const loader = envFileLoader(command.slice(found.start, found.end));
  if (loader) env.fromFile = loader;
}

/** What in a `node` command line loads variables from a file (`--env-file`, `-r dotenv/config`, `dotenv --`), which the workspace may not show. */
export function envFileLoader(command: string): string | undefined {
  const m = /(?:^|\s)(--env-file(?:-if-exists)?(?:=|\s+)\S+|(?:-r|--require|--import)(?:=|\s+)dotenv\/config\S*|dotenv(?:-cli)?(?:\s+-e\s+\S+)*\s+--)(?=\s|$)/.exec(command);
  return m?.[1];
}

/**
 * The package.json script a container command runs (`npm start`, `npm run start:prod`, `yarn
 * start:prod`, `pnpm start`), or undefined when the command runs no script.
 */
export function scriptRunBy(command: string): string | undefined {
  const runs = /\b(npm|yarn|pnpm|bun)\s+(run(?:-script)?\s+)?([\w:.-]+)/.exec(command);
  // `npm <word>` is an npm command unless it is `start` (npm's own alias for the start script).
  return runs && (runs[2] !== undefined || runs[1] !== 'npm' || runs[3] === 'start') ? runs[3] : undefined;
}

/** The span of a dependency's key (`"next"`, `"@sveltejs/adapter-node"`) in dependencies or devDependencies. */
export function dependencyKeySpan(parsed: JsonParseResult, name: string): { start: number; end: number } | undefined {
  for (const section of ['dependencies', 'devDependencies']) {
    const span = parsed.keySpans.get(`/${section}/${pointerSegment(name)}`);
    if (span) return { start: span.start, end: span.end };
  }
  return undefined;
}

/** A dependency's version range as written, from dependencies or devDependencies. */
export function dependencyRange(manifest: Record<string, unknown>, name: string): string | undefined {
  for (const section of ['dependencies', 'devDependencies']) {
    const deps = manifest[section];
    if (isObject(deps) && typeof deps[name] === 'string') return deps[name];
  }
  return undefined;
}

/** Flags of `node` that take the next word as their value. */
const NODE_FLAGS_WITH_VALUE = new Set(['-r', '--require', '--import', '--loader', '--experimental-loader', '--env-file', '--env-file-if-exists', '--title', '-C', '--conditions']);

/**
 * Where `node [flags] <script>` sits in a command when `accepts` takes its script path (node's own
 * flags allowed before it; `-e`/`-p` run inline code, no script); undefined otherwise.
 */
export function nodeScriptAt(command: string, accepts: (script: string) => boolean): { start: number; end: number } | undefined {
  for (const node of command.matchAll(/(^|[\s;&|(])node(?=\s)/g)) {
    const start = node.index + node[1]!.length;
    const words = /\S+/g;
    words.lastIndex = start + 'node'.length;
    for (let word = words.exec(command); word; word = words.exec(command)) {
      const token = word[0].replace(/[;&|)]+$/, '');
      if (token.startsWith('-')) {
        if (/^(-e|--eval|-p|--print)$/.test(token)) break;
        // A flag that takes a value and has none left: no script follows.
        if (NODE_FLAGS_WITH_VALUE.has(token) && !words.exec(command)) break;
        continue;
      }
      if (accepts(token)) return { start, end: word.index + token.length };
      break;
    }
  }
  return undefined;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
