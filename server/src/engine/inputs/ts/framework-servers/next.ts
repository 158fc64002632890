// The server Next.js itself runs for a package with no server of its own: `next start` (its
// `--keepAliveTimeout` flag) or the standalone `server.js` of `output: 'standalone'` (which reads
// KEEP_ALIVE_TIMEOUT). Both are a Node http server, so Node's keep-alive default applies otherwise.
import type { FileId } from '../../../types.js';
import { nodeScriptAt, withCommandEnv } from './command-line.js';
import type { FrameworkServer } from './server.js';
import { dependencySpan, readManifest, startCommands, type Manifest, type ScriptCommand } from './start-commands.js';

const NEXT_START = /(^|[\s;&|(])(?:npx\s+|pnpm\s+(?:exec\s+)?|yarn\s+|bunx\s+)?(?:[\w.@/-]*node_modules\/\.bin\/)?next\s+start\b/;

/**
 * The Next.js server of a package whose dependencies hold `next`, when its Dockerfile or its
 * package.json says how it is started; undefined when they do not (nothing is assumed). The
 * Dockerfile decides first: the image runs the standalone server.js, or a package.json script
 * (`npm start`, `yarn start:prod`), or something else (no hop).
 */
export function nextServerOf(manifestFile: FileId, manifestText: string, dockerfile: { file: FileId; text: string } | undefined): FrameworkServer | undefined {
  const manifest = readManifest(manifestFile, manifestText);
  if (!manifest) return undefined;
  const { image, script } = startCommands(manifest, dockerfile);
  const standaloneCommand = image && nodeScriptAt(image.text, (script) => /^(?:\.\/)?(?:[\w./-]*\/)?server\.js$/.test(script));
  if (image && standaloneCommand) {
    const server = standalone(manifest, image.file);
    if (server) withCommandEnv(server.keepAliveEnv!, image.text, standaloneCommand, undefined);
    return server;
  }
  // `next start` written in the image's command: the finding goes on the `next` dependency (a Dockerfile is not an analysed file).
  const inImage = image && NEXT_START.exec(image.text);
  if (image && inImage) return fromImage(manifest, image, inImage.index + inImage[1]!.length);
  // Another command in the image (a custom server) is not read: no hop is assumed.
  if (!script) return undefined;
  const found = NEXT_START.exec(script.text);
  return found ? fromScript(manifest, script, found.index + found[1]!.length) : undefined;
}

function standalone(manifest: Manifest, dockerfile: FileId): FrameworkServer | undefined {
  const span = dependencySpan(manifest, 'next');
  if (!span) return undefined;
  return {
    framework: 'Next.js',
    manifest: manifest.file,
    how: 'standalone',
    span,
    evidence: `${dockerfile} runs the standalone server.js of Next.js, which reads its keep-alive from KEEP_ALIVE_TIMEOUT`,
    // The standalone server parses it with parseInt and sets it only when not 0 (`if (keepAliveTimeout)`).
    keepAliveEnv: { name: 'KEEP_ALIVE_TIMEOUT', unit: 'ms', zero: 'node-default' },
  };
}

function fromImage(manifest: Manifest, image: { file: FileId; text: string }, commandStart: number): FrameworkServer | undefined {
  const span = dependencySpan(manifest, 'next');
  if (!span) return undefined;
  const commandText = image.text.slice(commandStart, commandStart + commandLength(image.text.slice(commandStart)).length);
  const server: FrameworkServer = { framework: 'Next.js', manifest: manifest.file, how: 'next-start', span, evidence: `${image.file} runs \`${commandText}\`: Next.js's own server (no custom server in the package)` };
  const flag = keepAliveFlagIn(commandText);
  if (flag) server.keepAliveFlag = { text: flag.value || 'unknown', ...(/^\d+$/.test(flag.value) ? { ms: Number(flag.value) } : {}) };
  return server;
}

/** `--keepAliveTimeout <ms>` or `=<ms>` in a `next start` command: its value (empty when none follows) and where the value starts. */
function keepAliveFlagIn(command: string): { value: string; offset: number } | undefined {
  const flag = /--keepAliveTimeout(?:=|\s+)(\S+)/.exec(command) ?? /--keepAliveTimeout\b/.exec(command);
  if (!flag) return undefined;
  const value = flag[1] ?? '';
  return { value, offset: flag.index + flag[0].length - value.length };
}

function fromScript(manifest: Manifest, script: ScriptCommand, commandStart: number): FrameworkServer {
  const { name, text: command, plain, inner } = script;
  const at = (offset: number, length: number) => script.at(offset, offset + length);
  const { length, simple } = commandLength(command.slice(commandStart));
  const commandText = command.slice(commandStart, commandStart + length);
  const server: FrameworkServer = {
    framework: 'Next.js',
    manifest: manifest.file,
    how: 'next-start',
    span: at(commandStart, commandText.length),
    evidence: `package.json script "${name}" runs \`${commandText}\`: Next.js's own server (no custom server in the package)`,
  };
  const flag = keepAliveFlagIn(commandText);
  if (flag) {
    server.keepAliveFlag = { text: flag.value || 'unknown', span: at(commandStart + flag.offset, flag.value.length) };
    if (/^\d+$/.test(flag.value)) server.keepAliveFlag.ms = Number(flag.value);
  }
  // A flag is added only to a plain command whose end is sure, and never beside a value it cannot read.
  if (plain && simple && !(flag && server.keepAliveFlag?.ms === undefined)) server.script = { name, commandEnd: inner + commandStart + commandText.length };
  return server;
}

/**
 * How long the command at the start of `rest` is: up to the first shell separator (`&&`, `||`,
 * `;`, `|`, `&`, or a `)` closing a group it did not open), spaces before it left out. `simple`
 * is false when the command holds a redirection, a substitution or quotes, whose end a text scan
 * cannot be sure of (`2>&1` is no separator, `$(cat .port)` closes its own parenthesis).
 */
function commandLength(rest: string): { length: number; simple: boolean } {
  let depth = 0;
  let simple = true;
  let end = rest.length;
  for (let i = 0; i < rest.length; i++) {
    const c = rest[i]!;
    if (c === '<' || c === '>' || c === '`' || c === '"' || c === "'") simple = false;
    if (c === '(') {
      depth++;
      simple = false;
      continue;
    }
    if (c === ')') {
      if (depth === 0) {
        end = i;
        break;
      }
      depth--;
      continue;
    }
    if (depth > 0) continue;
    // `&` right after a redirection (`2>&1`, `>&2`) or before one (`&>log`) is part of it.
    if (c === '&' && (rest[i - 1] === '>' || rest[i - 1] === '<' || rest[i + 1] === '>')) continue;
    if (c === ';' || c === '|' || c === '&') {
      end = i;
      break;
    }
  }
  return { length: rest.slice(0, end).trimEnd().length, simple };
}
