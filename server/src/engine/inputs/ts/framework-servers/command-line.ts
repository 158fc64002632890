// Words of a command line: the script `node` runs, the variables set in front of a program, and the
// files a command loads variables from.
import type { Span } from '../../../types.js';
import type { KeepAliveEnv } from './server.js';
import type { ImageCommand, ScriptCommand } from './start-commands.js';

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
