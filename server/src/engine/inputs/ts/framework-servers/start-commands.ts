// What starts a package: its package.json (scripts, dependencies) and the command of its image.
import { parseJsonWithPositions, pointerSegment, type JsonParseResult } from '../../../json-positions.js';
import type { FileId, Span } from '../../../types.js';
import { lastCommand } from './dockerfile.js';

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

/** A container's command, and where in it the package.json script it runs is started (`npm start`). */
export interface ImageCommand {
  /** The Dockerfile, or the manifest entry whose `command` replaces the image's. */
  file: FileId;
  text: string;
  scriptAt?: number;
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

/** The span of a dependency's key in the manifest, as a Span. */
export function dependencySpan(manifest: Manifest, name: string): Span | undefined {
  const key = dependencyKeySpan(manifest.parsed, name);
  return key ? { file: manifest.file, ...key } : undefined;
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

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
