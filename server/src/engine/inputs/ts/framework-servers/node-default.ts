// The servers full-stack frameworks start that set no keep-alive of their own, so Node's default
// applies and nothing in the workspace can change it short of a custom server:
// - Nuxt and Nitro: Nitro's node-server preset (`node .output/server/index.mjs`, or `nuxt start`/
//   `nuxi preview`, which run it) creates a plain `http.Server` (nitrojs/nitro v2
//   src/presets/node/runtime/node-server.ts; v3 through srvx's `serve`, with no server options);
// - Remix (`remix-serve build/index.js`) and React Router (`react-router-serve build/server/index.js`):
//   an express app's `app.listen()` (remix-run/react-router packages/react-router-serve/cli.ts);
// - Astro with `@astrojs/node` in standalone mode (`node dist/server/entry.mjs`): `http.createServer`
//   with Node's defaults (withastro/astro#17883, which would add an option, is not merged).
import type { FileId } from '../../../types.js';
import { nodeScriptAt } from './command-line.js';
import { objectBody, withoutComments } from './config-text.js';
import type { FrameworkServer } from './server.js';
import { dependencySpan, readManifest, startCommands } from './start-commands.js';

interface KnownServer {
  framework: FrameworkServer['framework'];
  how: FrameworkServer['how'];
  /** The dependencies that provide it, one of which must be declared (where the finding goes when the Dockerfile starts it). */
  dependencies: readonly string[];
  /** Where the command that starts it sits in a command line. */
  find: (command: string) => { start: number; end: number } | undefined;
  /** What the server is, for the evidence. */
  words: string;
}

const RUNNER = String.raw`(?:(?:npx|bunx|pnpm\s+(?:exec\s+)?|yarn)\s+)?`;

/** A command that runs `program <argument>` (through npx and the like). */
function program(name: string, argument: string): (command: string) => { start: number; end: number } | undefined {
  const re = new RegExp(String.raw`(^|[\s;&|(])(${RUNNER}${name}${argument})`);
  return (command) => {
    const m = re.exec(command);
    if (!m) return undefined;
    const start = m.index + m[1]!.length;
    return { start, end: start + m[2]!.replace(/[;&|)]+$/, '').length };
  };
}

const KNOWN: readonly KnownServer[] = [
  {
    framework: 'Nuxt',
    how: 'nitro',
    dependencies: ['nuxt'],
    find: (command) => nitroOutput(command) ?? program(String.raw`(?:nuxt|nuxi)\s+`, String.raw`(?:start|preview)\b`)(command),
    words: "Nitro's node-server, Nuxt's production server, which sets no keep-alive of its own",
  },
  {
    framework: 'Nitro',
    how: 'nitro',
    dependencies: ['nitropack', 'nitro'],
    find: (command) => nitroOutput(command) ?? program(String.raw`(?:nitropack|nitro)\s+`, String.raw`preview\b`)(command),
    words: "Nitro's node-server, which sets no keep-alive of its own",
  },
  {
    framework: 'Remix',
    how: 'remix-serve',
    dependencies: ['@remix-run/serve'],
    find: program('remix-serve', String.raw`\s+[^\s;&|)]+`),
    words: "remix-serve, an express server that sets no keep-alive of its own",
  },
  {
    framework: 'React Router',
    how: 'react-router-serve',
    dependencies: ['@react-router/serve'],
    find: program('react-router-serve', String.raw`\s+[^\s;&|)]+`),
    words: "react-router-serve, an express server that sets no keep-alive of its own",
  },
  {
    framework: 'Astro',
    how: 'astro-node',
    dependencies: ['@astrojs/node'],
    find: (command) => nodeScriptAt(command, (script) => /(^|\/)dist\/server\/entry\.mjs$/.test(script)),
    words: "the standalone server of @astrojs/node, which sets no keep-alive of its own",
  },
];

/** `node .output/server/index.mjs`: the server Nitro builds (also for Nuxt). */
function nitroOutput(command: string): { start: number; end: number } | undefined {
  return nodeScriptAt(command, (script) => /(^|\/)\.output\/server\/index\.mjs$/.test(script));
}

/** The astro.config files a package may have, in the order looked at. */
export const ASTRO_CONFIG_NAMES: readonly string[] = ['astro.config.mjs', 'astro.config.ts', 'astro.config.js', 'astro.config.mts', 'astro.config.cjs'];

/**
 * The server a Nuxt, Remix, React Router or Astro package starts, when its Dockerfile or a
 * production script runs it; undefined otherwise (a custom server is code the package writes).
 * Astro counts only when its config calls `@astrojs/node` in standalone mode (middleware mode runs
 * inside a server the package writes).
 */
export function nodeDefaultServerOf(manifestFile: FileId, manifestText: string, dockerfile: { file: FileId; text: string } | undefined, astroConfig: { file: FileId; text: string } | undefined): FrameworkServer | undefined {
  const manifest = readManifest(manifestFile, manifestText);
  if (!manifest) return undefined;
  const { image, script } = startCommands(manifest, dockerfile);
  for (const known of KNOWN) {
    const dependency = known.dependencies.map((name) => dependencySpan(manifest, name)).find((span) => span !== undefined);
    if (!dependency) continue;
    if (known.how === 'astro-node' && !(astroConfig && standaloneAstroNode(astroConfig.text))) continue;
    const base = { framework: known.framework, manifest: manifestFile, how: known.how };
    const inImage = image && known.find(image.text);
    if (image && inImage) return { ...base, span: dependency, evidence: `${image.file} runs \`${image.text.slice(inImage.start, inImage.end)}\`: ${known.words}` };
    const inScript = script && known.find(script.text);
    if (script && inScript) return { ...base, span: script.at(inScript.start, inScript.end), evidence: `package.json script "${script.name}" runs \`${script.text.slice(inScript.start, inScript.end)}\`: ${known.words}` };
  }
  return undefined;
}

/** True when the config imports `@astrojs/node` and calls it with `mode: 'standalone'`. */
export function standaloneAstroNode(source: string): boolean {
  // Comments hold commented-out options: they are blanked first.
  const text = withoutComments(source);
  const imported = /import\s+(\w+)\s+from\s*['"]@astrojs\/node['"]/.exec(text);
  if (!imported) return false;
  const call = new RegExp(String.raw`\b${imported[1]}\s*\(\s*\{`).exec(text);
  const body = call && objectBody(text, call.index + call[0].length - 1);
  return body !== undefined && body !== null && /(?:^|[,{\s])mode\s*:\s*['"]standalone['"]/.test(body);
}
