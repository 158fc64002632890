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
export function startCommands(manifest: Manifest, dockerfile: { file: FileId; text: string } | undefined): { image?: ImageCommand; script?: ScriptCommand } {
  const scripts = isObject(manifest.value['scripts']) ? manifest.value['scripts'] : {};
  let candidates = PREFERRED_SCRIPTS;
  const command = dockerfile ? lastCommand(dockerfile.text) : undefined;
  // The image runs its base image's own command: nothing of the package's (a static export behind nginx).
  if (dockerfile && command === undefined) return {};
  const image: ImageCommand | undefined = command !== undefined ? { file: dockerfile!.file, text: command } : undefined;
  if (image) {
    const runs = scriptRunBy(image.text);
    if (runs === undefined) return { image };
    image.scriptAt = runs.at;
    candidates = [runs.script];
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
 * A Dockerfile's instructions as Docker reads them: comment lines dropped (also inside a continued
 * instruction), continued lines joined, heredoc bodies (`COPY <<EOF … EOF`) skipped.
 */
export function dockerInstructions(text: string): Array<{ keyword: string; args: string }> {
  const out: Array<{ keyword: string; args: string }> = [];
  const lines = text.split(/\r?\n/);
  let pending = '';
  let heredoc: string | undefined;
  for (const line of lines) {
    if (heredoc !== undefined) {
      if (line.trim() === heredoc) heredoc = undefined;
      continue;
    }
    if (/^\s*#/.test(line) || (pending !== '' && line.trim() === '')) continue;
    const joined = pending + line;
    if (/\\\s*$/.test(line)) {
      pending = joined.replace(/\\\s*$/, ' ');
      continue;
    }
    pending = '';
    const m = /^\s*([A-Za-z]+)\s*(.*)$/.exec(joined);
    if (!m) continue;
    out.push({ keyword: m[1]!.toUpperCase(), args: m[2]!.trim() });
    const marker = /<<-?\s*["']?(\w+)["']?/.exec(m[2]!);
    if (marker && m[1]!.toUpperCase() !== 'CMD' && m[1]!.toUpperCase() !== 'ENTRYPOINT') heredoc = marker[1];
  }
  return out;
}

/**
 * The command the image of a Dockerfile runs: its last stage's ENTRYPOINT and CMD, a stage built
 * `FROM` an earlier one inheriting them (an exec-form ENTRYPOINT takes CMD as its arguments; a
 * shell-form one ignores CMD), exec forms joined with spaces. Undefined when the last stage sets
 * none (the base image's own command runs: no server of the package's).
 */
export function lastCommand(text: string): string | undefined {
  type Commands = { entrypoint?: { text: string; exec: boolean }; cmd?: { text: string; exec: boolean } };
  const stages = new Map<string, Commands>();
  let current: Commands = {};
  for (const { keyword, args } of dockerInstructions(text)) {
    if (keyword === 'FROM') {
      const m = /^(?:--\S+\s+)*(\S+)(?:\s+AS\s+(\S+))?/i.exec(args);
      // A stage built from an earlier one starts with its commands; another image's are not the package's.
      current = { ...(m ? stages.get(m[1]!.toLowerCase()) : undefined) };
      if (m?.[2]) stages.set(m[2].toLowerCase(), current);
    } else if (keyword === 'CMD') current.cmd = commandForm(args);
    else if (keyword === 'ENTRYPOINT') current.entrypoint = commandForm(args);
  }
  const { entrypoint, cmd } = current;
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
 * Variables a command line sets for the program that starts at `at`: the `NAME=value` words right
 * before it (also after `env`, `cross-env`, `exec`), in a command that starts there: after a
 * separator (`&&`, `;`, `|`, `(`), a shell's `-c`, or a wrapper's `--` (tini, dumb-init). Quoted
 * values are taken without their quotes; `offset` is the value's position in `command`.
 */
export function inlineAssignments(command: string, at: number): Map<string, { text: string; offset: number }> {
  const words = [...command.slice(0, at).matchAll(/"[^"]*"|'[^']*'|[^\s"']+(?:(?:"[^"]*"|'[^']*')[^\s"']*)*/g)];
  const out = new Map<string, { text: string; offset: number }>();
  let i = words.length - 1;
  for (; i >= 0; i--) {
    const word = words[i]![0];
    if (RUNNERS.has(word)) continue;
    const m = /^([A-Za-z_]\w*)=(?:"([^"]*)"|'([^']*)'|([^\s"']*))$/.exec(word);
    if (!m) break;
    const quoted = m[2] ?? m[3];
    // The nearest assignment of a name wins (`A=1 A=2 node` sets 2).
    if (!out.has(m[1]!)) out.set(m[1]!, { text: quoted ?? m[4] ?? '', offset: words[i]!.index + m[1]!.length + 1 + (quoted !== undefined ? 1 : 0) });
  }
  // `other A=1 node`: the words are arguments of `other`, not the program's environment.
  const before = i >= 0 ? words[i]![0] : undefined;
  return before === undefined || COMMAND_STARTS.test(before) ? out : new Map();
}

/** Words that run the next ones with an environment of their own (or in place of the shell). */
const RUNNERS = new Set(['env', '/usr/bin/env', 'cross-env', 'cross-env-shell', 'exec']);
/** Words after which a new command starts. */
const COMMAND_STARTS = /^(?:&&|\|\||;|\||\(|-c|--|.*[;&|(])$/;

/**
 * What the start command itself says of the variable: a value it sets (`KEEP_ALIVE_TIMEOUT=75 node
 * build`), or a file it loads variables from (`node -r dotenv/config build`, `--env-file .env`).
 */
export function withCommandEnv(env: KeepAliveEnv, command: string, found: { start: number; end: number }, at: ((start: number, end: number) => Span) | undefined): void {
  if (env.name === undefined) return;
  const inline = inlineAssignments(command, found.start).get(env.name);
  if (inline) env.inline = { text: inline.text, ...(at ? { span: at(inline.offset, inline.offset + inline.text.length) } : {}) };
  // `dotenv -e .env -- node build` loads the file before the program: the words in front count too.
  const loader = envFileLoader(command.slice(0, found.end));
  if (loader) env.fromFile = loader;
}

/**
 * The same for a server a script starts, with what the image's command says in front of the script
 * runner (`KEEP_ALIVE_TIMEOUT=75 npm start`: npm hands its environment to the script). The script's
 * own words win: they are closer to the program.
 */
export function withScriptEnv(env: KeepAliveEnv, image: ImageCommand | undefined, script: ScriptCommand, found: { start: number; end: number }): void {
  const outer: KeepAliveEnv = { ...env };
  if (image?.scriptAt !== undefined) withCommandEnv(outer, image.text, { start: image.scriptAt, end: image.scriptAt }, undefined);
  withCommandEnv(env, script.text, found, script.plain ? (start, end) => script.at(start, end) : undefined);
  if (!env.inline && outer.inline) env.inline = outer.inline;
  if (!env.fromFile && outer.fromFile) env.fromFile = outer.fromFile;
}

/** What in a `node` command line loads variables from a file (`--env-file`, `-r dotenv/config`, `dotenv --`), which the workspace may not show. */
export function envFileLoader(command: string): string | undefined {
  const m = /(?:^|\s)(--env-file(?:-if-exists)?(?:=|\s+)\S+|(?:-r|--require|--import)(?:=|\s+)dotenv\/config\S*|dotenv(?:-cli)?(?:\s+-e\s+\S+)*\s+--)(?=\s|$)/.exec(command);
  return m?.[1];
}

/** A container's command, and where in it the package.json script it runs is started (`npm start`). */
export interface ImageCommand {
  /** The Dockerfile, or the manifest entry whose `command` replaces the image's. */
  file: FileId;
  text: string;
  scriptAt?: number;
}

/**
 * The package.json script a container command runs (`npm start`, `npm run start:prod`, `yarn
 * start:prod`, `pnpm start`) and where its runner starts, or undefined when the command runs no
 * script. The last one counts: `npm run migrate && npm start` serves with `start`.
 */
export function scriptRunBy(command: string): { script: string; at: number } | undefined {
  let found: { script: string; at: number } | undefined;
  for (const runs of command.matchAll(/(?<![\w-])(npm|yarn|pnpm|bun)\s+(run(?:-script)?\s+)?([\w:.-]+)/g)) {
    // `npm <word>` is an npm command unless it is `start` (npm's own alias for the start script); `yarn workspace …` runs another package's.
    if (runs[2] === undefined && runs[1] === 'npm' && runs[3] !== 'start') continue;
    if (runs[2] === undefined && ['workspace', 'workspaces', 'install', 'add', 'exec', 'dlx', 'prune', 'ci', 'build'].includes(runs[3]!) && runs[1] !== 'npm') continue;
    found = { script: runs[3]!, at: runs.index };
  }
  return found;
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

/** The text with line and block comments blanked (strings and template literals kept), same length. */
export function withoutComments(text: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '"' || c === "'" || c === '`') {
      let j = i + 1;
      while (j < text.length && text[j] !== c && !(c !== '`' && text[j] === '\n')) j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
    } else if (c === '/' && text[i + 1] === '/') {
      const end = text.indexOf('\n', i);
      const stop = end < 0 ? text.length : end;
      out += ' '.repeat(stop - i);
      i = stop;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      const stop = end < 0 ? text.length : end + 2;
      out += text.slice(i, stop).replace(/[^\n]/g, ' ');
      i = stop;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

/** The text of the object literal whose `{` is at `open`, up to its matching `}` (strings and template literals skipped). */
export function objectBody(text: string, open: number): string | undefined {
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

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
