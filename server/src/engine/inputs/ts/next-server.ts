// The server Next.js itself runs for a package with no server of its own: `next start` (its
// `--keepAliveTimeout` flag) or the standalone `server.js` of `output: 'standalone'` (which reads
// KEEP_ALIVE_TIMEOUT). Both are a Node http server, so Node's keep-alive default applies otherwise.
import { parseJsonWithPositions, type JsonParseResult } from '../../json-positions.js';
import type { FileId, Span } from '../../types.js';

/** How the package's Next.js server is started, read from its package.json (and Dockerfile). */
export interface NextServer {
  /** The package.json that says it (its text is then an analysed source: spans point into it). */
  manifest: FileId;
  /** `next-start`: a package.json script runs `next start`; `standalone`: the image runs the standalone `server.js`. */
  how: 'next-start' | 'standalone';
  /** The `next start` command in the script, or (standalone) the `next` dependency. */
  span: Span;
  /** What says so, for hover and `chains`. */
  evidence: string;
  /** `--keepAliveTimeout <ms>` written on the `next start` command. */
  keepAliveFlag?: { ms: number; text: string; span: Span };
  /** Script name and where the `next start` command ends inside the manifest (for a fix that adds the flag). */
  script?: { name: string; commandEnd: number };
}

/** Scripts looked at first: what `npm start` and common production entries run. */
const PREFERRED_SCRIPTS = ['start', 'start:prod', 'prod', 'serve', 'production'];
const NEXT_START = /(^|[\s;&|(])(?:npx\s+|pnpm\s+(?:exec\s+)?|yarn\s+|bunx\s+)?next\s+start\b/;

/**
 * The Next.js server of a package whose dependencies hold `next`, when package.json or the
 * Dockerfile says how it is started; undefined when neither does (nothing is assumed).
 */
export function nextServerOf(manifest: FileId, manifestText: string, dockerfile: { file: FileId; text: string } | undefined): NextServer | undefined {
  const parsed = parseJsonWithPositions(manifestText);
  if (parsed.error || !isObject(parsed.value)) return undefined;
  const scripts = isObject(parsed.value['scripts']) ? parsed.value['scripts'] : {};
  const names = [...PREFERRED_SCRIPTS.filter((n) => typeof scripts[n] === 'string'), ...Object.keys(scripts).filter((n) => !PREFERRED_SCRIPTS.includes(n)).sort()];
  for (const name of names) {
    const command = scripts[name];
    if (typeof command !== 'string' || /\bdev\b/.test(name)) continue;
    const found = NEXT_START.exec(command);
    if (!found) continue;
    return fromScript(manifest, manifestText, parsed, name, command, found.index + found[1]!.length);
  }
  if (dockerfile && runsStandaloneServer(dockerfile.text)) {
    const dependency = dependencyKeySpan(parsed);
    if (!dependency) return undefined;
    return {
      manifest,
      how: 'standalone',
      span: { file: manifest, ...dependency },
      evidence: `${dockerfile.file} runs the standalone server.js of Next.js, which reads its keep-alive from KEEP_ALIVE_TIMEOUT`,
    };
  }
  return undefined;
}

function fromScript(manifest: FileId, text: string, parsed: JsonParseResult, name: string, command: string, commandStart: number): NextServer {
  const pointer = `/scripts/${name.replace(/~/g, '~0').replace(/\//g, '~1')}`;
  const valueSpan = parsed.valueSpans.get(pointer)!;
  // Offsets inside the string map one to one onto the file only when it has no escapes.
  const inner = valueSpan.start + 1;
  const plain = text.slice(inner, valueSpan.end - 1) === command;
  const at = (offset: number, length: number): Span => (plain ? { file: manifest, start: inner + offset, end: inner + offset + length } : { file: manifest, start: valueSpan.start, end: valueSpan.end });
  // The command runs to the next shell separator.
  const rest = command.slice(commandStart);
  const separator = /\s*(?:&&|\|\||[;|&)])/.exec(rest);
  const commandText = separator ? rest.slice(0, separator.index) : rest.trimEnd();
  const server: NextServer = {
    manifest,
    how: 'next-start',
    span: at(commandStart, commandText.length),
    evidence: `package.json script "${name}" runs \`${commandText}\`: Next.js's own server (no custom server in the package)`,
  };
  if (plain) server.script = { name, commandEnd: inner + commandStart + commandText.length };
  const flag = /--keepAliveTimeout(?:=|\s+)(\d+)\b/.exec(commandText);
  if (flag) {
    const valueOffset = commandStart + flag.index + flag[0].length - flag[1]!.length;
    server.keepAliveFlag = { ms: Number(flag[1]), text: flag[1]!, span: at(valueOffset, flag[1]!.length) };
  }
  return server;
}

/** A Dockerfile whose final CMD or ENTRYPOINT runs `server.js` with node (the standalone output's entry). */
function runsStandaloneServer(text: string): boolean {
  const lines = text.split(/\r?\n/).filter((l) => /^\s*(CMD|ENTRYPOINT)\b/i.test(l));
  const last = lines.at(-1);
  return last !== undefined && /\bnode\b["',\s]+(?:\.\/)?(?:[\w./-]*\/)?server\.js\b/.test(last);
}

function dependencyKeySpan(parsed: JsonParseResult): { start: number; end: number } | undefined {
  for (const section of ['dependencies', 'devDependencies']) {
    const span = parsed.keySpans.get(`/${section}/next`);
    if (span) return { start: span.start, end: span.end };
  }
  return undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
