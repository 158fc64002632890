// The server Next.js itself runs for a package with no server of its own: `next start` (its
// `--keepAliveTimeout` flag) or the standalone `server.js` of `output: 'standalone'` (which reads
// KEEP_ALIVE_TIMEOUT). Both are a Node http server, so Node's keep-alive default applies otherwise.
import { parseJsonWithPositions, pointerSegment, type JsonParseResult } from '../../json-positions.js';
import type { FileId, Span } from '../../types.js';
import { dependencyKeySpan, isObject, lastCommand, PREFERRED_SCRIPTS, scriptRunBy, type FrameworkServer } from './framework-server.js';

const NEXT_START = /(^|[\s;&|(])(?:npx\s+|pnpm\s+(?:exec\s+)?|yarn\s+|bunx\s+)?next\s+start\b/;

/**
 * The Next.js server of a package whose dependencies hold `next`, when its Dockerfile or its
 * package.json says how it is started; undefined when they do not (nothing is assumed). The
 * Dockerfile decides first: the image runs the standalone server.js, or a package.json script
 * (`npm start`, `yarn start:prod`), or something else (no hop).
 */
export function nextServerOf(manifest: FileId, manifestText: string, dockerfile: { file: FileId; text: string } | undefined): FrameworkServer | undefined {
  const parsed = parseJsonWithPositions(manifestText);
  if (parsed.error || !isObject(parsed.value)) return undefined;
  const scripts = isObject(parsed.value['scripts']) ? parsed.value['scripts'] : {};
  const command = dockerfile ? lastCommand(dockerfile.text) : undefined;
  let candidates = PREFERRED_SCRIPTS;
  if (command !== undefined) {
    if (/\bnode\s+(?:\.\/)?(?:[\w./-]*\/)?server\.js\b/.test(command)) return standalone(manifest, parsed, dockerfile!.file);
    // `npm start`, `npm run start:prod`, `yarn start:prod`, `pnpm start`: the script it runs. Another command
    // (a custom server, `next start` written in the Dockerfile itself) is not read: no hop is assumed.
    const script = scriptRunBy(command);
    if (script === undefined) return undefined;
    candidates = [script];
  }
  // The first production script that exists decides: another script that happens to run `next start` (e2e) is not what runs.
  const name = candidates.find((n) => typeof scripts[n] === 'string');
  if (name === undefined) return undefined;
  const text = scripts[name] as string;
  const found = NEXT_START.exec(text);
  return found ? fromScript(manifest, manifestText, parsed, name, text, found.index + found[1]!.length) : undefined;
}

function standalone(manifest: FileId, parsed: JsonParseResult, dockerfile: FileId): FrameworkServer | undefined {
  const dependency = dependencyKeySpan(parsed, 'next');
  if (!dependency) return undefined;
  return {
    framework: 'Next.js',
    manifest,
    how: 'standalone',
    span: { file: manifest, ...dependency },
    evidence: `${dockerfile} runs the standalone server.js of Next.js, which reads its keep-alive from KEEP_ALIVE_TIMEOUT`,
    // The standalone server parses it with parseInt and sets it only when not 0 (`if (keepAliveTimeout)`).
    keepAliveEnv: { name: 'KEEP_ALIVE_TIMEOUT', unit: 'ms', zero: 'node-default' },
  };
}

function fromScript(manifest: FileId, text: string, parsed: JsonParseResult, name: string, command: string, commandStart: number): FrameworkServer {
  const pointer = `/scripts/${pointerSegment(name)}`;
  const valueSpan = parsed.valueSpans.get(pointer)!;
  // Offsets inside the string map one to one onto the file only when it has no escapes.
  const inner = valueSpan.start + 1;
  const plain = text.slice(inner, valueSpan.end - 1) === command;
  const at = (offset: number, length: number): Span => (plain ? { file: manifest, start: inner + offset, end: inner + offset + length } : { file: manifest, start: valueSpan.start, end: valueSpan.end });
  const { length, simple } = commandLength(command.slice(commandStart));
  const commandText = command.slice(commandStart, commandStart + length);
  const server: FrameworkServer = {
    framework: 'Next.js',
    manifest,
    how: 'next-start',
    span: at(commandStart, commandText.length),
    evidence: `package.json script "${name}" runs \`${commandText}\`: Next.js's own server (no custom server in the package)`,
  };
  const flag = /--keepAliveTimeout(?:=|\s+)(\S+)/.exec(commandText) ?? /--keepAliveTimeout\b/.exec(commandText);
  if (flag) {
    const value = flag[1] ?? '';
    const valueOffset = commandStart + flag.index + flag[0].length - value.length;
    server.keepAliveFlag = { text: value || 'unknown', span: at(valueOffset, value.length) };
    if (/^\d+$/.test(value)) server.keepAliveFlag.ms = Number(value);
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
