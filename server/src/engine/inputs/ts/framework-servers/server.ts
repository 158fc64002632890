// The server a full-stack framework runs for a package that writes none of its own: Next.js's
// (`next start`, the standalone server.js), SvelteKit's adapter-node (`node build`), and the servers
// Nuxt, Remix, React Router and Astro start. Each is a Node http server, so Node's keep-alive default
// applies unless the framework's knob sets it.
import type { FileId, Span } from '../../../types.js';

/** How a package's framework server is started, read from its package.json (and Dockerfile, svelte.config). */
export interface FrameworkServer {
  framework: 'Next.js' | 'SvelteKit' | 'Nuxt' | 'Nitro' | 'Remix' | 'React Router' | 'Astro';
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
