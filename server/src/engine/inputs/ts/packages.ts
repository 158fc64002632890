// Groups TypeScript/JavaScript files into deployable packages (nearest package.json), with the names a workload may use for them.
import { finalImageFolders, type CopiedFolder } from './dockerfile-copies.js';
import { readImageBuilds, type DirectoryLister, type ImageBuild } from './image-builds.js';
import { imageEntryOf } from './image-entry.js';
import type { FrameworkServer } from './framework-servers/server.js';
import { nodeVersionHint } from './node-version.js';
import { readPackageRuntime, type PackageRuntime, type RuntimeDecision } from './runtime.js';
import type { FileId, Span } from '../../types.js';
import type { TsFileFacts } from './types.js';
import { dirnameOf } from '../../workspace-fs.js';

export interface CodePackage {
  /** The package folder (`''` for the workspace root). */
  dir: FileId;
  /** `package.json` of the package, when there is one. */
  manifest?: FileId;
  /** The `name` field of package.json. */
  name?: string;
  /** Lower-case names a Deployment, container or compose service may use for it: package name, name without scope, folder name. */
  names: string[];
  /** Source files with facts inside the package (and in no nested package). */
  files: FileId[];
  /** The Node major the package runs on, when a pin says it (`.nvmrc`, `engines`, Dockerfile `FROM node:20`). */
  nodeMajor?: number;
  /** Where {@link nodeMajor} was read. */
  nodeMajorSource?: string;
  /**
   * Names (lower-case) of package.json manifests above this package that hold no code of their own
   * (a repository root whose `start` runs `cd server && node …`), with the manifest that gives each.
   */
  enclosingNames?: Array<{ name: string; manifest: FileId }>;
  /**
   * `ENV` values of the final stage of the package's Dockerfile (`ENV PORT=8080`): the environment every
   * container of that image starts with. Values with `$` (build arguments, other variables) are left out.
   */
  imageEnv?: DockerfileEnv[];
  /** Dependencies, tsconfig and extension manifest that say whether the package's code runs in a browser or on a server (inputs/ts/runtime.ts). */
  runtime?: PackageRuntime;
  /** Decisions taken from the code that imports a file whose own evidence leaves it unknown (runtime-importers.ts). */
  runtimeByImporters?: ReadonlyMap<FileId, RuntimeDecision>;
  /**
   * Image names the workspace builds from this package (CI `docker/build-push-action`, `docker build -t` in a
   * workflow, the Makefile or a script), lower-case. A build whose context holds several packages is on each of
   * them: the linker then names them all as candidates instead of choosing.
   */
  builtImages?: Array<{ name: string; evidence: string; span: Span }>;
  /**
   * Folders of the package that its Dockerfile's final image is made of (`COPY /service /app`, also
   * through `COPY --from=<stage>`): when the package itself serves nothing (a front end whose
   * image runs the API package beside it), the image runs the code of one of them.
   */
  imageFolders?: CopiedFolder[];
  /**
   * Packages that images built with this package's folder as context run, by their final command
   * (`node server/server.js` in an image built from the repository root): image-entry.ts.
   */
  imageEntries?: Array<{ dir: FileId; evidence: string }>;
  /** The server the package's framework runs (Next.js's `next start` or standalone server.js, SvelteKit's adapter-node build, Nitro, remix-serve, react-router-serve, Astro standalone), when package.json, the framework config and the Dockerfile say how it starts (framework-servers/). */
  frameworkServer?: FrameworkServer;
  /** The framework server a container runs whose own command replaces the image's (compose `command`, Kubernetes `command`/`args`). */
  frameworkServerFor?: (command: ContainerCommand) => FrameworkServer | undefined;
}

/** A container's command that replaces its image's: Kubernetes `command` replaces the ENTRYPOINT (and drops the CMD), compose `command` and Kubernetes `args` the CMD. */
export interface ContainerCommand {
  words: string[];
  replaces: 'entrypoint' | 'cmd';
  /** Who says it, for the evidence: `Deployment default/web`, `compose service web`. */
  owner: string;
}

/** One `ENV` entry of a Dockerfile, with where its name is written. */
export interface DockerfileEnv {
  name: string;
  value: string;
  span: Span;
  /** True when the value refers to another variable or an `ARG` (`${KEEP_ALIVE}`): set, but not known here. */
  unknown?: true;
}

/** Reads small text files of the workspace; undefined when absent or unreadable. Never throws. */
export type TextReader = (file: FileId) => string | undefined;

const NOT_A_PACKAGE_DIR = /(^|\/)(node_modules|dist|build|out)(\/|$)/;

/**
 * The packages the source files belong to. A file belongs to the nearest folder above it that has
 * a package.json; files with none above them belong to their top-level folder (or the root).
 */
export function readCodePackages(files: Iterable<FileId>, read: TextReader, list?: DirectoryLister): CodePackage[] {
  const manifestOf = new Map<FileId, FileId | undefined>();
  const packages = new Map<FileId, CodePackage>();
  const nearestManifestDir = (dir: FileId): FileId | undefined => {
    if (manifestOf.has(dir)) return manifestOf.get(dir);
    const candidate = dir === '' ? 'package.json' : `${dir}/package.json`;
    let found: FileId | undefined = read(candidate) !== undefined && !NOT_A_PACKAGE_DIR.test(dir) ? dir : undefined;
    if (found === undefined && dir !== '') found = nearestManifestDir(dirnameOf(dir));
    manifestOf.set(dir, found);
    return found;
  };
  for (const file of files) {
    const dir = nearestManifestDir(dirnameOf(file)) ?? topFolderOf(file);
    let pkg = packages.get(dir);
    if (!pkg) {
      pkg = describePackage(dir, read);
      packages.set(dir, pkg);
    }
    pkg.files.push(file);
  }
  for (const pkg of packages.values()) {
    for (let dir = pkg.dir; dir !== ''; ) {
      dir = dirnameOf(dir);
      const manifest = dir === '' ? 'package.json' : `${dir}/package.json`;
      if (packages.has(dir) || NOT_A_PACKAGE_DIR.test(dir)) continue;
      const text = read(manifest);
      const name = text !== undefined ? packageName(text) : undefined;
      if (!name) continue;
      const names = new Set([name.toLowerCase(), name.replace(/^@[^/]+\//, '').toLowerCase()]);
      pkg.enclosingNames = [...(pkg.enclosingNames ?? []), ...[...names].map((n) => ({ name: n, manifest }))];
    }
  }
  const sorted = [...packages.values()].sort((a, b) => a.dir.localeCompare(b.dir));
  const manifests = [...new Set([...sorted.flatMap((p) => (p.manifest ? [p.manifest] : [])), ...(read('package.json') !== undefined ? ['package.json'] : [])])];
  for (const build of readImageBuilds(read, list, manifests)) attachBuild(sorted, build, read);
  return sorted;
}

/** Puts a build on the package it builds: the Dockerfile's package when one holds it, else the context's package, else every package under the context. */
function attachBuild(packages: CodePackage[], build: ImageBuild, read: TextReader): void {
  const within = (dir: FileId, folder: FileId) => folder === '' || dir === folder || dir.startsWith(`${folder}/`);
  const holding = (folder: FileId) => packages.filter((p) => within(folder, p.dir)).sort((a, b) => b.dir.length - a.dir.length)[0];
  const fromDockerfile = build.dockerfile !== undefined ? holding(dirnameOf(build.dockerfile)) : undefined;
  // A package at the root holds every folder: it is the Dockerfile's package only when the context is the root too.
  const byDockerfile = fromDockerfile && (fromDockerfile.dir !== '' || build.context === '') ? [fromDockerfile] : [];
  const exact = packages.filter((p) => p.dir === build.context);
  let candidates = byDockerfile.length > 0 ? byDockerfile : exact.length > 0 ? exact : packages.filter((p) => within(p.dir, build.context) && p.dir !== '');
  const from = build.dockerfile ? `${build.dockerfile} with context ${build.context || '.'}` : build.context || 'the workspace root';
  let runs = '';
  // One package holding the whole context may not be what the image runs: its final command names
  // a script below another package of the context (`node server/server.js`), which is then the one.
  const dockerfile = build.dockerfile ?? (build.context === '' ? 'Dockerfile' : `${build.context}/Dockerfile`);
  const text = candidates.length === 1 ? read(dockerfile) : undefined;
  const entry = text !== undefined ? imageEntryOf(text, build.context) : undefined;
  const inner = entry ? holding(dirnameOf(entry.path)) : undefined;
  if (entry && inner && inner !== candidates[0] && within(inner.dir, candidates[0]!.dir) && within(inner.dir, build.context) && inner.dir !== '') {
    const outer = candidates[0]!;
    candidates = [inner];
    runs = `; its command \`${entry.command}\` (${dockerfile}) runs ${entry.path}, in package ${inner.dir}`;
    // Named after the outer package (the root's package.json name), the image still runs the inner one.
    (outer.imageEntries ??= []).push({ dir: inner.dir, evidence: `image ${build.name}, built from ${from} by ${build.how}, runs ${entry.path} (\`${entry.command}\` in ${dockerfile})` });
  }
  for (const pkg of candidates) {
    (pkg.builtImages ??= []).push({ name: build.name, evidence: `image ${build.name} is built from ${from} by ${build.how}${runs}`, span: build.span });
  }
}

function topFolderOf(file: FileId): FileId {
  const slash = file.indexOf('/');
  return slash < 0 ? '' : file.slice(0, slash);
}

function describePackage(dir: FileId, read: TextReader): CodePackage {
  const at = (name: string) => (dir === '' ? name : `${dir}/${name}`);
  const manifestText = read(at('package.json'));
  const pkg: CodePackage = { dir, names: [], files: [] };
  if (manifestText !== undefined) {
    pkg.manifest = at('package.json');
    const name = packageName(manifestText);
    if (name) pkg.name = name;
  }
  const names = new Set<string>();
  if (pkg.name) {
    names.add(pkg.name.toLowerCase());
    names.add(pkg.name.replace(/^@[^/]+\//, '').toLowerCase());
  }
  const base = dir.slice(dir.lastIndexOf('/') + 1);
  if (base) names.add(base.toLowerCase());
  pkg.names = [...names];
  const version = nodeVersionOf(dir, read, manifestText);
  if (version) {
    pkg.nodeMajor = version.major;
    pkg.nodeMajorSource = version.source;
  }
  const dockerfile = at('Dockerfile');
  const dockerText = read(dockerfile);
  const imageEnv = dockerText !== undefined ? dockerfileEnv(dockerfile, dockerText) : [];
  if (imageEnv.length > 0) pkg.imageEnv = imageEnv;
  const imageFolders = dockerText !== undefined ? finalImageFolders(dockerfile, dockerText, dir) : [];
  if (imageFolders.length > 0) pkg.imageFolders = imageFolders;
  const runtime = readPackageRuntime(dir, manifestText, read);
  if (runtime) pkg.runtime = runtime;
  return pkg;
}

function packageName(text: string): string | undefined {
  try {
    const json = JSON.parse(text) as unknown;
    const name = typeof json === 'object' && json !== null ? (json as { name?: unknown }).name : undefined;
    return typeof name === 'string' && name.trim() ? name.trim() : undefined;
  } catch {
    return undefined;
  }
}

/** The Node major from the package's pins, then its Dockerfile, then the workspace root's pins. */
function nodeVersionOf(dir: FileId, read: TextReader, manifestText: string | undefined): { major: number; source: string } | undefined {
  const at = (base: FileId, name: string) => (base === '' ? name : `${base}/${name}`);
  const fromPins = (base: FileId, manifest: string | undefined) => {
    const hint = nodeVersionHint({ packageJson: manifest, nvmrc: read(at(base, '.nvmrc')), nodeVersionFile: read(at(base, '.node-version')), toolVersions: read(at(base, '.tool-versions')) });
    return hint?.major !== undefined ? { major: hint.major, source: `${hint.source} ${hint.text.trim()} in ${base || 'the workspace root'}` } : undefined;
  };
  const own = fromPins(dir, manifestText);
  if (own) return own;
  const dockerfile = read(at(dir, 'Dockerfile'));
  // The last stage's base image is the one that runs the server.
  const images = dockerfile ? [...dockerfile.matchAll(/^\s*FROM\s+(?:--platform=\S+\s+)?(?:\S*\/)?node:v?(\d+)/gim)] : [];
  const last = images.at(-1);
  if (last) return { major: Number(last[1]), source: `FROM node:${last[1]} in ${at(dir, 'Dockerfile')}` };
  return dir === '' ? undefined : fromPins('', read('package.json'));
}

/**
 * The `ENV` entries of the stage that runs (the last; a stage built `FROM` an earlier one inherits
 * its entries): `ENV A=1 B="2"` and the legacy `ENV A 1`. Continuation lines are skipped; a value
 * holding `$` is marked unknown rather than guessed.
 */
export function dockerfileEnv(file: FileId, text: string): DockerfileEnv[] {
  let out: DockerfileEnv[] = [];
  const stages = new Map<string, DockerfileEnv[]>();
  const line = /^[ \t]*(FROM|ENV)[ \t]+(.*)$/gim;
  for (let m = line.exec(text); m; m = line.exec(text)) {
    if (m[1]!.toUpperCase() === 'FROM') {
      const from = /^(?:--\S+\s+)*(\S+)(?:\s+AS\s+(\S+))?/i.exec(m[2]!);
      out = [...(from ? stages.get(from[1]!.toLowerCase()) ?? [] : [])];
      if (from?.[2]) stages.set(from[2].toLowerCase(), out);
      continue;
    }
    const body = m[2]!.replace(/\s+$/, '');
    if (body.endsWith('\\')) continue;
    const bodyStart = m.index + m[0].length - m[2]!.length;
    const pairs = [...body.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("([^"]*)"|'([^']*)'|(\S*))/g)];
    if (pairs.length > 0) {
      for (const pair of pairs) {
        const value = pair[3] ?? pair[4] ?? pair[5] ?? '';
        const start = bodyStart + pair.index!;
        out.push({ name: pair[1]!, value, span: { file, start, end: start + pair[0].length }, ...(value.includes('$') ? { unknown: true as const } : {}) });
      }
      continue;
    }
    const legacy = /^([A-Za-z_][A-Za-z0-9_]*)\s+(.+)$/.exec(body);
    if (legacy) out.push({ name: legacy[1]!, value: legacy[2]!.replace(/^"(.*)"$/, '$1'), span: { file, start: bodyStart, end: bodyStart + body.length }, ...(legacy[2]!.includes('$') ? { unknown: true as const } : {}) });
  }
  return out;
}

/** The TypeScript input's model: facts per file and the packages the files belong to. */
export interface TsWorkspace {
  /** Facts of every TypeScript/JavaScript file the pre-scan let through, by file. */
  files: ReadonlyMap<FileId, TsFileFacts>;
  /** The packages (folders with a package.json) the analysed sources belong to, for linking workloads to code. */
  packages: readonly CodePackage[];
}

type BuiltImage = NonNullable<CodePackage['builtImages']>[number];

/**
 * The packages an image the workspace builds could be, for the first of `names` (a workload's names and its
 * image name) that some build tags: one package with an unambiguous build is a link, with that build as
 * evidence; several (two builds, or one build whose context holds several packages) are candidates only.
 */
export function builtImageMatch(packages: readonly CodePackage[], names: readonly string[]): { packages: CodePackage[]; entry?: BuiltImage; name?: string; how?: string } {
  for (const raw of names) {
    const name = raw.toLowerCase();
    if (!name) continue;
    const found = packages.flatMap((pkg) => (pkg.builtImages ?? []).filter((b) => b.name === name).map((entry) => ({ pkg, entry })));
    if (found.length === 0) continue;
    // A build whose context holds several packages is attached to each of them, so it shows here as several packages.
    const matched = [...new Set(found.map((f) => f.pkg))];
    const how = [...new Set(found.map((f) => f.entry.evidence))].join('; ');
    return matched.length === 1 ? { packages: matched, entry: found[0]!.entry, name, how } : { packages: matched, name, how };
  }
  return { packages: [] };
}
