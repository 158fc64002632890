// The package an image runs when it is built from a folder that holds several: a monorepo built
// with the workspace root as context (`docker build -f docker/Dockerfile .`) whose final stage runs
// `node server/server.js` runs the package that holds `server/`, not the root one.
import { dockerInstructions, lastCommand } from './framework-servers/dockerfile.js';
import { nodeScriptAt } from './framework-servers/command-line.js';
import type { FileId } from '../../types.js';

/** A node entry file a Dockerfile's final command runs, as a path of the build context. */
export interface ImageEntry {
  /** The script as the command writes it (`server/server.js`). */
  script: string;
  /** The same path inside the build context (`server/server.js` for context `.`, `api/dist/main.js` for context `api`). */
  path: FileId;
  command: string;
}

const SCRIPT = /\.[cm]?[jt]sx?$/;

/**
 * The node script the image's final command runs, when it is a relative path (taken from the
 * context, where `COPY . .` puts it below WORKDIR) or an absolute path below the final stage's
 * WORKDIR. Undefined when the command runs no `node <script>` or the path cannot be placed.
 */
export function imageEntryOf(dockerfileText: string, context: FileId): ImageEntry | undefined {
  const command = lastCommand(dockerfileText);
  if (!command) return undefined;
  const found = nodeScriptAt(command, (script) => SCRIPT.test(script));
  if (!found) return undefined;
  // The script is the last word of the found range.
  const script = command.slice(found.start, found.end).split(/\s+/).at(-1)!.replace(/^["']|["']$/g, '');
  let relative = script.replace(/^\.\//, '');
  if (relative.startsWith('/')) {
    const workdir = finalWorkdir(dockerfileText);
    if (!workdir || workdir === '/' || !relative.startsWith(`${workdir}/`)) return undefined;
    relative = relative.slice(workdir.length + 1);
  }
  if (relative === '' || relative.split('/').includes('..')) return undefined;
  return { script, path: context === '' ? relative : `${context}/${relative}`, command };
}

/** The WORKDIR of the final stage (an absolute path without a trailing slash), when it sets one. */
function finalWorkdir(text: string): string | undefined {
  let workdir: string | undefined;
  for (const { keyword, args } of dockerInstructions(text)) {
    if (keyword === 'FROM') workdir = undefined;
    else if (keyword === 'WORKDIR') {
      const dir = args.replace(/^["']|["']$/g, '');
      workdir = dir.startsWith('/') ? dir.replace(/\/+$/, '') : workdir !== undefined ? `${workdir}/${dir}`.replace(/\/+$/, '') : undefined;
    }
  }
  return workdir;
}
