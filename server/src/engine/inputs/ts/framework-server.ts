// The server a full-stack framework runs for a package that writes none of its own: Next.js's
// (`next start`, the standalone server.js) and SvelteKit's adapter-node (`node build`). Each is a
// Node http server, so Node's keep-alive default applies unless the framework's knob sets it. What
// the frameworks share lives here: the type, and how a Dockerfile or a package.json script says
// what runs.
import { pointerSegment, type JsonParseResult } from '../../json-positions.js';
import type { FileId, Span } from '../../types.js';

/** How a package's framework server is started, read from its package.json (and Dockerfile, svelte.config). */
export interface FrameworkServer {
  framework: 'Next.js' | 'SvelteKit';
  /** The package.json that says it (its text is then an analysed source: spans point into it). */
  manifest: FileId;
  /**
   * `next-start`: a package.json script runs `next start`; `standalone`: the image runs Next's
   * standalone `server.js`; `adapter-node`: `node build` runs what SvelteKit's adapter-node built.
   */
  how: 'next-start' | 'standalone' | 'adapter-node';
  /** The start command in a package.json script, or the framework's (adapter's) dependency key when a Dockerfile runs it. */
  span: Span;
  /** What says so, for hover and `chains`. */
  evidence: string;
  /** `--keepAliveTimeout` written on the `next start` command; `ms` absent when its value is not a number (`$KEEP_ALIVE`). */
  keepAliveFlag?: { ms?: number; text: string; span: Span };
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
  /** A condition on reading it that the workspace cannot settle (the installed release), said in the evidence. */
  provided?: string;
}

/** Scripts a production start runs, in the order looked at when no Dockerfile names one. */
export const PREFERRED_SCRIPTS = ['start', 'start:prod', 'prod', 'serve', 'production'];

/** The command of a Dockerfile's last CMD or ENTRYPOINT, exec form joined with spaces. */
export function lastCommand(text: string): string | undefined {
  const lines = text.split(/\r?\n/).filter((l) => /^\s*(CMD|ENTRYPOINT)\b/i.test(l));
  const last = lines.at(-1)?.replace(/^\s*(CMD|ENTRYPOINT)\s*/i, '');
  if (last === undefined) return undefined;
  try {
    const exec = JSON.parse(last) as unknown;
    if (Array.isArray(exec) && exec.every((part) => typeof part === 'string')) return exec.join(' ');
  } catch {
    // The shell form: the text as written.
  }
  return last.trim();
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

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
