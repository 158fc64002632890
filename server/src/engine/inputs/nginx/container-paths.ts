// Where workspace files sit inside an nginx container: mounts, image copies and rendered templates, for absolute includes.
import type { FileId, Span } from '../../types.js';
import { resolveFileId, type FileStat, type WorkspaceFs } from '../../workspace-fs.js';

/** The configuration prefix of the official nginx image and of distribution packages: relative includes resolve against it. */
export const NGINX_CONF_PREFIX = '/etc/nginx';

/** One piece of evidence that a container path holds a workspace file or folder. */
export interface ContainerMount {
  /** Absolute container path, without a trailing slash (`/etc/nginx/conf.d`). */
  container: string;
  /** The workspace file or folder it holds. */
  workspace: FileId;
  /** In words: `volume ./nginx/conf.d:/etc/nginx/conf.d of compose service nginx (docker-compose.yml)`. */
  evidence: string;
  span?: Span;
}

/** A file the container renders from a template at start (envsubst), by container paths. */
export interface RenderedFile {
  /** The rendered file (`/etc/nginx/conf.d/default.conf`). */
  rendered: string;
  /** Its template (`/etc/nginx/templates/default.conf.template`). */
  template: string;
  evidence: string;
}

/**
 * The container file system as far as the workspace shows it. Paths are container paths; a path
 * no mount covers is unknown (never the linter's own disk).
 */
export class ContainerLayout {
  private readonly mounts: ContainerMount[];
  private readonly renders = new Map<string, RenderedFile>();

  constructor(mounts: readonly ContainerMount[], rendered: readonly RenderedFile[]) {
    // Longest container path first: a file mount inside a mounted folder wins over the folder.
    this.mounts = [...mounts].sort((a, b) => b.container.length - a.container.length || a.container.localeCompare(b.container));
    for (const render of rendered) if (!this.renders.has(render.rendered)) this.renders.set(render.rendered, render);
  }

  /** The mounts, longest container path first. */
  get mountList(): readonly ContainerMount[] {
    return this.mounts;
  }

  get empty(): boolean {
    return this.mounts.length === 0;
  }

  /** A stable text of the layout, for caches keyed by the way includes resolve. */
  get key(): string {
    const mounts = this.mounts.map((m) => `${m.container}=${m.workspace}`).join('|');
    const renders = [...this.renders.values()].map((r) => `${r.rendered}<${r.template}`).sort().join('|');
    return `${mounts}#${renders}`;
  }

  /** True when some mount covers `path` (or lies under it): the workspace says what is there. */
  covers(path: string): boolean {
    const p = normalise(path);
    return this.mounts.some((m) => p === m.container || p.startsWith(`${m.container}/`) || m.container.startsWith(`${p}/`)) || this.renders.has(p);
  }

  /** The mount that holds `path`, if any. */
  mountOf(path: string): ContainerMount | undefined {
    const p = normalise(path);
    return this.mounts.find((m) => p === m.container || p.startsWith(`${m.container}/`));
  }

  /** How `path` is rendered at start, if it is. */
  renderOf(path: string): RenderedFile | undefined {
    return this.renders.get(normalise(path));
  }

  /** The workspace file or folder at a container path: a rendered file maps to its template. */
  workspaceOf(path: string): FileId | undefined {
    const p = normalise(path);
    const render = this.renders.get(p);
    if (render) return this.directWorkspaceOf(render.template);
    return this.directWorkspaceOf(p);
  }

  /** Where a workspace file sits in the container (the first mount that holds it), if anywhere. */
  containerPathOf(file: FileId): string | undefined {
    for (const m of this.mounts) {
      if (file === m.workspace) return m.container;
      const prefix = m.workspace === '' ? '' : `${m.workspace}/`;
      if (file.startsWith(prefix)) return `${m.container}/${file.slice(prefix.length)}`;
    }
    return undefined;
  }

  /** The rendered path of a template file of the workspace, if the container renders it. */
  renderedPathOf(file: FileId): string | undefined {
    const at = this.containerPathOf(file);
    if (at === undefined) return undefined;
    for (const render of this.renders.values()) if (render.template === at) return render.rendered;
    return undefined;
  }

  stat(fs: WorkspaceFs, path: string): FileStat | undefined {
    const p = normalise(path);
    if (this.renders.has(p)) {
      const file = this.workspaceOf(p);
      return file === undefined ? undefined : safeStat(fs, file);
    }
    const file = this.directWorkspaceOf(p);
    if (file !== undefined) {
      const found = safeStat(fs, file);
      if (found) return found;
    }
    // A folder that only holds mounts or rendered files (`/etc/nginx` with conf.d mounted) exists in the container.
    if (this.mounts.some((m) => m.container.startsWith(`${p}/`)) || [...this.renders.keys()].some((r) => r.startsWith(`${p}/`))) {
      return { size: 0, isFile: false, isDirectory: true };
    }
    return undefined;
  }

  /** Entry names of a container folder: the mounted folder's files, mounts inside it and files rendered into it. */
  list(fs: WorkspaceFs, path: string): string[] {
    const p = normalise(path);
    const names = new Set<string>();
    const file = this.directWorkspaceOf(p);
    if (file !== undefined) {
      try {
        for (const name of fs.readDirectory(file) ?? []) names.add(name);
      } catch {
        // An unreadable folder lists nothing.
      }
    }
    const prefix = p === '/' ? '/' : `${p}/`;
    for (const m of this.mounts) if (m.container.startsWith(prefix)) names.add(m.container.slice(prefix.length).split('/')[0]!);
    for (const rendered of this.renders.keys()) if (rendered.startsWith(prefix)) names.add(rendered.slice(prefix.length).split('/')[0]!);
    return [...names].sort();
  }

  private directWorkspaceOf(path: string): FileId | undefined {
    const mount = this.mountOf(path);
    if (!mount) return undefined;
    const rest = path.slice(mount.container.length).replace(/^\/+/, '');
    if (rest === '') return mount.workspace;
    return resolveFileId(mount.workspace === '' ? rest : `${mount.workspace}/${rest}`);
  }
}

/** A container path without `.`/`..` segments, doubled or trailing slashes (`/..` stays `/`). */
export function normalise(path: string): string {
  const parts: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') parts.pop();
    else parts.push(segment);
  }
  return `/${parts.join('/')}`;
}

function safeStat(fs: WorkspaceFs, file: FileId): FileStat | undefined {
  try {
    if (file === '') return { size: 0, isFile: false, isDirectory: true };
    return fs.stat(file);
  } catch {
    return undefined;
  }
}
