// Which images the workspace builds from which folders: `docker build -t` in CI steps, Makefiles and package.json scripts, and GitHub Actions `docker/build-push-action` tags.
import { isMap, isScalar, isSeq, parseDocument, type Node, type YAMLMap } from 'yaml';
import type { FileId, Span } from '../../types.js';
import { imageName } from '../../chain/image-name.js';
import { dirnameOf } from '../../workspace-fs.js';

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

export type DirectoryLister = (dir: FileId) => string[] | undefined;

const WORKFLOW_DIR = '.github/workflows';
// Bounds on what one file may contribute: CI files are small, and a huge one is not worth reading whole.
const MAX_TEXT = 512 * 1024;
const MAX_BUILDS_PER_FILE = 200;

/**
 * Reads the image builds of the workspace: GitHub Actions workflows, the root Makefile, and the `scripts`
 * of the given package manifests (npm runs them in the package folder). Tags written with an expression
 * (`${{ … }}`, `$VERSION`) keep their literal repository name when it is one; a name that is itself an
 * expression gives no build. Never throws.
 */
export function readImageBuilds(read: (file: FileId) => string | undefined, list: DirectoryLister | undefined, manifests: readonly FileId[]): ImageBuild[] {
  const out: ImageBuild[] = [];
  for (const name of (list?.(WORKFLOW_DIR) ?? []).filter((n) => /\.ya?ml$/i.test(n)).sort()) {
    const file = `${WORKFLOW_DIR}/${name}`;
    const text = read(file);
    if (text !== undefined && text.length <= MAX_TEXT) out.push(...safely(() => workflowBuilds(file, text)));
  }
  const makefile = read('Makefile');
  if (makefile !== undefined && makefile.length <= MAX_TEXT) out.push(...commandBuilds('Makefile', makefile, 0, makefile.length, ''));
  for (const manifest of manifests) {
    const text = read(manifest);
    if (text !== undefined && text.length <= MAX_TEXT) out.push(...safely(() => scriptBuilds(manifest, text)));
  }
  // Two tags of one image (`:sha` and `:latest`) are one build.
  const seen = new Set<string>();
  return out.filter((b) => {
    const key = `${b.name}\u0000${b.context}\u0000${b.dockerfile ?? ''}\u0000${b.how}`;
    return seen.has(key) ? false : (seen.add(key), true);
  });
}

function safely(read: () => ImageBuild[]): ImageBuild[] {
  try {
    return read().slice(0, MAX_BUILDS_PER_FILE);
  } catch {
    return [];
  }
}

/** `docker/build-push-action` steps (tags, or the images of the `docker/metadata-action` step they take tags from) and `run:` steps. */
function workflowBuilds(file: FileId, text: string): ImageBuild[] {
  const document = parseDocument(text, { uniqueKeys: false });
  const out: ImageBuild[] = [];
  const jobs = mapGet(document.contents, 'jobs');
  if (!isMap(jobs)) return out;
  for (const job of jobs.items) {
    const steps = mapGet(job.value as Node, 'steps');
    if (!isSeq(steps)) continue;
    const metadataImages = new Map<string, string[]>();
    for (const step of steps.items) {
      if (!isMap(step)) continue;
      const uses = scalarText(mapGet(step, 'uses')) ?? '';
      const inputs = mapGet(step, 'with');
      if (/^docker\/metadata-action@/.test(uses)) {
        const id = scalarText(mapGet(step, 'id'));
        const images = scalarText(mapGet(inputs, 'images'));
        if (id && images) metadataImages.set(id, images.split(/[\n,]/).map((line) => line.trim().replace(/^name=/, '').split(',')[0]!).filter(Boolean));
      } else if (/^docker\/build-push-action@/.test(uses) && isMap(inputs)) {
        const tags = mapGet(inputs, 'tags');
        const tagsText = scalarText(tags) ?? '';
        const fromMeta = /^\$\{\{\s*steps\.([\w-]+)\.outputs\.tags\s*\}\}$/.exec(tagsText.trim());
        const references = fromMeta ? metadataImages.get(fromMeta[1]!) ?? [] : tagsText.split(/[\n,]/).map((t) => t.trim()).filter(Boolean);
        // The action's default context is the repository at the commit (the root here).
        const context = normalise(scalarText(mapGet(inputs, 'context')) ?? '.');
        const dockerfile = scalarText(mapGet(inputs, 'file'));
        if (context === undefined) continue;
        const span = spanOf(file, tags ?? step);
        for (const reference of references) {
          const name = buildName(reference);
          if (name) out.push({ name, context, ...(dockerfile !== undefined && normalise(dockerfile) ? { dockerfile: normalise(dockerfile)! } : {}), how: `docker/build-push-action in ${placeOf(file, text, span.start)}${fromMeta ? ` (tags from docker/metadata-action ${fromMeta[1]})` : ''}`, span });
        }
      } else {
        const run = mapGet(step, 'run');
        if (isScalar(run) && typeof run.value === 'string') {
          const workingDirectory = normalise(scalarText(mapGet(step, 'working-directory')) ?? '.');
          if (workingDirectory !== undefined) out.push(...commandBuilds(file, text, run.range?.[0] ?? 0, run.range?.[1] ?? 0, workingDirectory, run.value));
        }
      }
    }
  }
  return out;
}

/** `docker build` / `docker buildx build` commands in `scripts` of a package.json (run in the package folder). */
function scriptBuilds(manifest: FileId, text: string): ImageBuild[] {
  const json = JSON.parse(text) as { scripts?: Record<string, unknown> };
  const out: ImageBuild[] = [];
  const dir = dirnameOf(manifest);
  for (const [name, command] of Object.entries(json.scripts ?? {})) {
    if (typeof command !== 'string' || !/docker\s/.test(command)) continue;
    const at = text.indexOf(JSON.stringify(command).slice(1, -1));
    const start = at >= 0 ? at : 0;
    for (const build of commandBuilds(manifest, text, start, start + command.length, dir, command)) out.push({ ...build, how: `${build.how} (script ${name})` });
  }
  return out;
}

/**
 * `docker build -t name[:tag] [-f Dockerfile] <context>` (also `buildx build`, `--tag`, `--file`, `-t=…`) in a
 * command text; paths are relative to `cwd`. The span covers the text the commands were read from.
 */
function commandBuilds(file: FileId, text: string, start: number, end: number, cwd: FileId, commands = text.slice(start, end)): ImageBuild[] {
  const out: ImageBuild[] = [];
  // Line continuations join a command; `&&`, `;` and new lines separate commands.
  for (const command of commands.replace(/\\\r?\n/g, ' ').split(/&&|;|\|\||\r?\n/)) {
    const words = command.trim().split(/\s+/);
    const docker = words.indexOf('docker');
    if (docker < 0) continue;
    let i = docker + 1;
    if (words[i] === 'buildx') i++;
    if (words[i] !== 'build' && words[i] !== 'image') continue;
    if (words[i] === 'image' && words[i + 1] !== 'build') continue;
    i += words[i] === 'image' ? 2 : 1;
    const tags: string[] = [];
    let dockerfile: string | undefined;
    let context: string | undefined;
    for (; i < words.length; i++) {
      const word = words[i]!;
      const [flag, inline] = word.startsWith('--') && word.includes('=') ? [word.slice(0, word.indexOf('=')), word.slice(word.indexOf('=') + 1)] : [word, undefined];
      if (flag === '-t' || flag === '--tag') tags.push(unquote(inline ?? words[++i] ?? ''));
      else if (flag === '-f' || flag === '--file') dockerfile = unquote(inline ?? words[++i] ?? '');
      else if (/^-/.test(flag) && !word.includes('=') && VALUE_FLAGS.has(flag)) i++;
      else if (!/^-/.test(word) && context === undefined) context = unquote(word);
    }
    if (context === undefined || /^[a-z]+:\/\//i.test(context) || context === '-') continue;
    const contextPath = normalise(join(cwd, context));
    if (contextPath === undefined) continue;
    const dockerfilePath = dockerfile !== undefined && !dockerfile.includes('$') ? normalise(join(cwd, dockerfile)) : undefined;
    for (const tag of tags) {
      const name = buildName(tag);
      // The tag as written in the file, when it can be found there; else the whole command text.
      const at = tag ? text.indexOf(tag, start) : -1;
      const span = at >= 0 && at < end ? { file, start: at, end: at + tag.length } : { file, start, end: Math.max(start, end) };
      if (name) out.push({ name, context: contextPath, ...(dockerfilePath ? { dockerfile: dockerfilePath } : {}), how: `docker build -t ${tag} in ${placeOf(file, text, span.start)}`, span });
    }
  }
  return out;
}

// `docker build` flags that take a value as the next word (so it is not read as the context).
const VALUE_FLAGS = new Set(['--build-arg', '--target', '--platform', '--label', '--network', '--secret', '--ssh', '--cache-from', '--cache-to', '--progress', '--output', '-o', '--iidfile', '--add-host', '--build-context', '--shm-size', '--ulimit', '--memory', '-m', '--cpu-shares', '--isolation', '--metadata-file', '--provenance', '--sbom', '--attest', '--annotation', '--allow', '--builder']);

/** The repository name a tag gives, lower-case; undefined when the name itself is an expression (`${{ env.IMAGE }}:1`). */
function buildName(reference: string): string | undefined {
  const cleaned = reference.trim().replace(/\$\{\{[^}]*\}\}|\$\{[^}]*\}|\$\w+/g, '\u0000');
  const name = imageName(cleaned);
  return name && !name.includes('\u0000') ? name.toLowerCase() : undefined;
}

/** `file:line`: the file is not among the linted sources, so the line goes into the evidence text itself. */
function placeOf(file: FileId, text: string, offset: number): string {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return `${file}:${line}`;
}

function unquote(word: string): string {
  return word.replace(/^["']|["']$/g, '');
}

function join(cwd: FileId, path: string): string {
  if (path.startsWith('/')) return path.slice(1);
  return cwd === '' ? path : `${cwd}/${path}`;
}

/** A workspace-relative folder (`./services/api/` → `services/api`, `.` → `''`); undefined when it climbs out or holds an expression. */
function normalise(path: string): FileId | undefined {
  if (path.includes('$')) return undefined;
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length === 0) return undefined;
      out.pop();
    } else out.push(part);
  }
  return out.join('/');
}

function mapGet(node: unknown, key: string): Node | undefined {
  if (!isMap(node)) return undefined;
  const pair = (node as YAMLMap).items.find((p) => isScalar(p.key) && p.key.value === key);
  return (pair?.value ?? undefined) as Node | undefined;
}

function scalarText(node: unknown): string | undefined {
  return isScalar(node) && (typeof node.value === 'string' || typeof node.value === 'number') ? String(node.value) : undefined;
}

function spanOf(file: FileId, node: Node): Span {
  const range = node.range;
  return { file, start: range?.[0] ?? 0, end: range?.[1] ?? range?.[0] ?? 0 };
}
