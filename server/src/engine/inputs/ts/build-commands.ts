// Image builds written as shell commands (`docker build -t`, `docker buildx build --tag`, `podman build`, `buildah bud -t`, kaniko `--destination`), wherever a CI file, Makefile or script holds them.
import { normaliseSegments } from './path-segments.js';
import type { FileId, Span } from '../../types.js';
import { imageName } from '../../chain/image-name.js';

/** One image name built from a folder, with where the workspace says so. */
export interface ImageBuild {
  /** The repository name of the tag (`ghcr.io/acme/chat-api:1.2` → `chat-api`), lower-case. */
  name: string;
  /** The build context, workspace-relative (`''` for the root). */
  context: FileId;
  /** The Dockerfile, when named (`-f`, `file:`). */
  dockerfile?: FileId;
  /** How the workspace builds it, for the link's evidence: `docker build -t chat-api in Makefile`. */
  how: string;
  span: Span;
}

export interface CommandSettings {
  /** The folder the commands run in, workspace-relative. */
  cwd: FileId;
  /**
   * Variables the CI system sets to the checkout folder (GitLab's `$CI_PROJECT_DIR`): a path starting with one is
   * workspace-relative. Others make a path unknown.
   */
  checkoutVariables?: ReadonlySet<string>;
  /**
   * Variables the CI system sets at run time to a registry path (GitLab's `$CI_REGISTRY_IMAGE`): a tag that is one of
   * them followed by `/name` is matched on `name` alone, and the evidence says so.
   */
  registryVariables?: ReadonlySet<string>;
}

/**
 * The image builds in a command text; paths are relative to `settings.cwd`. The span covers the tag as written
 * when it can be found between `start` and `end` of `text`, else that whole range.
 */
export function commandBuilds(file: FileId, text: string, start: number, end: number, settings: CommandSettings, commands = text.slice(start, end)): ImageBuild[] {
  const out: ImageBuild[] = [];
  // Line continuations join a command; `&&`, `;` and new lines separate commands.
  for (const command of commands.replace(/\\\r?\n/g, ' ').split(/&&|;|\|\||\r?\n/)) {
    const read = readBuildCommand(command.trim().split(/\s+/));
    if (!read || read.context === undefined || /^[a-z]+:\/\//i.test(read.context) || read.context === '-') continue;
    const contextPath = workspacePath(settings, read.context);
    if (contextPath === undefined) continue;
    // kaniko reads a relative `--dockerfile` inside the context when it is not found where the job runs; the job's folder is tried first.
    const dockerfilePath = read.dockerfile !== undefined ? workspacePath(settings, read.dockerfile) : undefined;
    for (const tag of read.tags) {
      const named = buildNameOf(tag, settings.registryVariables);
      if (!named) continue;
      // The tag as written in the file, when it can be found there; else the whole command text.
      const at = tag ? text.indexOf(tag, start) : -1;
      const span = at >= 0 && at < end ? { file, start: at, end: at + tag.length } : { file, start, end: Math.max(start, end) };
      const how = `${read.tool} ${read.flag} ${tag} in ${placeOf(file, text, span.start)}${named.note ? ` (${named.note})` : ''}`;
      out.push({ name: named.name, context: contextPath, ...(dockerfilePath ? { dockerfile: dockerfilePath } : {}), how, span });
    }
  }
  return out;
}

interface BuildCommand {
  /** `docker build`, `buildah bud`, `kaniko`. */
  tool: string;
  /** The flag that names the image, for evidence (`-t`, `--destination`). */
  flag: string;
  tags: string[];
  dockerfile?: string;
  context?: string;
}

/** Reads one command's words as an image build, or undefined. */
function readBuildCommand(words: string[]): BuildCommand | undefined {
  const kaniko = words.findIndex((w) => /(?:^|\/)executor$/.test(w) && (w.includes('kaniko') || words.some((x) => x.startsWith('--destination') || x === '-d')));
  if (kaniko >= 0) return readKaniko(words.slice(kaniko + 1));
  let i = words.findIndex((w) => w === 'docker' || w === 'podman' || w === 'buildah');
  if (i < 0) return undefined;
  const executable = words[i]!;
  i++;
  if (executable === 'docker' && words[i] === 'buildx') i++;
  let verb = words[i];
  if (executable !== 'buildah' && verb === 'image') verb = words[++i] === 'build' ? 'build' : undefined;
  if (verb !== 'build' && !(executable === 'buildah' && verb === 'bud')) return undefined;
  const out: BuildCommand = { tool: `${executable} ${verb}`, flag: '-t', tags: [] };
  for (i++; i < words.length; i++) {
    const word = words[i]!;
    const [flag, inline] = splitFlag(word);
    if (flag === '-t' || flag === '--tag') {
      out.tags.push(unquote(inline ?? words[++i] ?? ''));
    } else if (flag === '-f' || flag === '--file') out.dockerfile = unquote(inline ?? words[++i] ?? '');
    else if (/^-/.test(flag) && inline === undefined && VALUE_FLAGS.has(flag)) i++;
    else if (!/^-/.test(word) && out.context === undefined) out.context = unquote(word);
  }
  return out;
}

/** `/kaniko/executor --context … --dockerfile … --destination …` (also `-c`, `-f`, `-d` and `--flag=value`). */
function readKaniko(words: string[]): BuildCommand {
  const out: BuildCommand = { tool: 'kaniko', flag: '--destination', tags: [] };
  for (let i = 0; i < words.length; i++) {
    const [flag, inline] = splitFlag(words[i]!);
    const value = () => unquote(inline ?? words[++i] ?? '');
    if (flag === '--destination' || flag === '-d') out.tags.push(value());
    else if (flag === '--context' || flag === '-c') out.context = value().replace(/^dir:\/\//, '');
    else if (flag === '--dockerfile' || flag === '-f') out.dockerfile = value();
  }
  return out;
}

function splitFlag(word: string): [string, string | undefined] {
  return word.startsWith('-') && word.includes('=') ? [word.slice(0, word.indexOf('=')), word.slice(word.indexOf('=') + 1)] : [word, undefined];
}

// Build flags that take a value as the next word (so it is not read as the context).
const VALUE_FLAGS = new Set(['--build-arg', '--target', '--platform', '--label', '--network', '--secret', '--ssh', '--cache-from', '--cache-to', '--progress', '--output', '-o', '--iidfile', '--add-host', '--build-context', '--shm-size', '--ulimit', '--memory', '-m', '--cpu-shares', '--isolation', '--metadata-file', '--provenance', '--sbom', '--attest', '--annotation', '--allow', '--builder', '--format', '--layers', '--authfile', '--creds', '--arch', '--os', '--jobs']);

/**
 * The repository name a tag gives, lower-case; undefined when the name itself is an expression (`${{ env.IMAGE }}:1`,
 * `$CI_REGISTRY_IMAGE:1`). A tag that is a registry variable followed by `/name` gives `name`, with a note that only
 * that segment could be read.
 */
export function buildNameOf(reference: string, registryVariables?: ReadonlySet<string>): { name: string; note?: string } | undefined {
  const trimmed = reference.trim();
  const variable = /^\$(?:\{([A-Za-z_]\w*)\}|([A-Za-z_]\w*))\//.exec(trimmed);
  const registry = variable ? variable[1] ?? variable[2]! : undefined;
  const cleaned = trimmed.replace(/\$\{\{[^}]*\}\}|\$\{[^}]*\}|\$\w+/g, '\u0000');
  const name = imageName(cleaned);
  if (!name || name.includes('\u0000')) return undefined;
  const lower = name.toLowerCase();
  if (registry && registryVariables?.has(registry)) return { name: lower, note: `$${registry} is set by GitLab at run time: only the last path segment ${lower} is matched` };
  return { name: lower };
}

/** `file:line`: the file is not among the linted sources, so the line goes into the evidence text itself. */
export function placeOf(file: FileId, text: string, offset: number): string {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return `${file}:${line}`;
}

function unquote(word: string): string {
  return word.replace(/^["']|["']$/g, '');
}

/** A path as the command wrote it, workspace-relative; undefined when it climbs out or holds a variable the settings do not know. */
export function workspacePath(settings: CommandSettings, raw: string): FileId | undefined {
  let path = raw;
  const checkout = /^\$(?:\{([A-Za-z_]\w*)\}|([A-Za-z_]\w*))(?=\/|$)/.exec(path);
  if (checkout && settings.checkoutVariables?.has(checkout[1] ?? checkout[2]!)) return normaliseFolder(path.slice(checkout[0].length).replace(/^\/+/, '') || '.');
  if (path.startsWith('/')) path = path.slice(1);
  else if (settings.cwd !== '') path = `${settings.cwd}/${path}`;
  return normaliseFolder(path);
}

/** A workspace-relative folder (`./services/api/` → `services/api`, `.` → `''`); undefined when it climbs out or holds an expression. */
export function normaliseFolder(path: string): FileId | undefined {
  return path.includes('$') ? undefined : normaliseSegments(path);
}
