// Which images the workspace builds from which folders: `docker build -t` (and buildah, kaniko) in CI steps, Makefiles and package.json scripts, GitHub Actions `docker/build-push-action` tags and GitLab CI jobs.
import { isMap, isScalar, isSeq, parseDocument, type Node, type YAMLMap } from 'yaml';
import type { FileId, Span } from '../../types.js';
import { buildNameOf, commandBuilds, normaliseFolder as normalise, placeOf, type ImageBuild } from './build-commands.js';
import { gitlabBuilds } from './gitlab-builds.js';
import { dirnameOf } from '../../workspace-fs.js';

export type { ImageBuild } from './build-commands.js';

export type DirectoryLister = (dir: FileId) => string[] | undefined;

const WORKFLOW_DIR = '.github/workflows';
// Bounds on what one file may contribute: CI files are small, and a huge one is not worth reading whole.
const MAX_TEXT = 512 * 1024;
const MAX_BUILDS_PER_FILE = 200;
const MAX_GITLAB_FILES = 20;

/**
 * Reads the image builds of the workspace: GitHub Actions workflows, GitLab CI, the root Makefile, and the `scripts`
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
  // GitLab CI: the root file and the local files it includes (each read once, a bounded number).
  const gitlab = ['.gitlab-ci.yml'];
  for (let i = 0; i < gitlab.length && i < MAX_GITLAB_FILES; i++) {
    const file = gitlab[i]!;
    const text = read(file);
    if (text !== undefined && text.length <= MAX_TEXT) out.push(...safely(() => gitlabBuilds(file, text, (included) => void (gitlab.includes(included) || gitlab.push(included)))));
  }
  const makefile = read('Makefile');
  if (makefile !== undefined && makefile.length <= MAX_TEXT) out.push(...commandBuilds('Makefile', makefile, 0, makefile.length, { cwd: '' }));
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
          const name = buildNameOf(reference)?.name;
          if (name) out.push({ name, context, ...(dockerfile !== undefined && normalise(dockerfile) ? { dockerfile: normalise(dockerfile)! } : {}), how: `docker/build-push-action in ${placeOf(file, text, span.start)}${fromMeta ? ` (tags from docker/metadata-action ${fromMeta[1]})` : ''}`, span });
        }
      } else {
        const run = mapGet(step, 'run');
        if (isScalar(run) && typeof run.value === 'string') {
          const workingDirectory = normalise(scalarText(mapGet(step, 'working-directory')) ?? '.');
          if (workingDirectory !== undefined) out.push(...commandBuilds(file, text, run.range?.[0] ?? 0, run.range?.[1] ?? 0, { cwd: workingDirectory }, run.value));
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
    for (const build of commandBuilds(manifest, text, start, start + command.length, { cwd: dir }, command)) out.push({ ...build, how: `${build.how} (script ${name})` });
  }
  return out;
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
