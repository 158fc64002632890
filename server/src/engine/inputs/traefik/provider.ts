// Traefik's file provider: the static configuration's `providers.file.filename` / `directory` name where the dynamic configuration lives. The paths are resolved inside the workspace (relative to the static file, or through the compose bind mount of the Traefik container), never guessed.
import type { Node } from 'yaml';
import type { FileId, Problem, Span } from '../../types.js';
import { dirnameOf, joinFileId } from '../../workspace-fs.js';
import { firstDataDocument, type YamlFile } from '../../yaml/file.js';
import type { TraefikStatic } from './facts.js';
import type { ConfigScalar } from './tree.js';

/** A compose `volumes:` bind mount: the workspace folder or file it mounts (undefined when outside the workspace or a named volume) at a container path. */
export interface BindMount {
  /** The host side as written. */
  sourceText: string;
  source?: FileId;
  target: string;
  span: Span;
}

/** The files Traefik reads for one provider path, with the steps that resolved it; or why the path cannot be followed. */
export type ResolvedProviderPath =
  | { kind: 'file' | 'directory'; path: FileId; mount?: BindMount }
  | { kind: 'unresolved'; reason: string };

/**
 * A service's bind mounts, short (`./traefik/dynamic:/etc/traefik/dynamic:ro`) or long
 * (`{ type: bind, source, target }`) syntax. Relative host paths are relative to the compose
 * file's folder, as compose resolves them; a named volume or a host path outside the workspace
 * keeps no source.
 */
export function composeBindMounts(yaml: YamlFile, serviceName: string): BindMount[] {
  const first = firstDataDocument(yaml);
  if (!first) return [];
  const { view } = first;
  const service = view.get(view.get(first.document.contents as Node | null, 'services'), serviceName);
  const folder = dirnameOf(yaml.file);
  const out: BindMount[] = [];
  for (const item of view.items(view.get(service, 'volumes'))) {
    const short = view.scalar(item);
    let sourceText: string | undefined;
    let target: string | undefined;
    let span: Span;
    if (short) {
      if (short.unresolved) continue;
      // Windows drive letters (`C:\x:/y`) are host paths outside any workspace: the split is by the last colons.
      const parts = short.text.split(':');
      if (parts.length < 2) continue;
      const hasMode = parts.length >= 3 && /^[a-z,]+$/.test(parts.at(-1)!);
      target = hasMode ? parts.at(-2)! : parts.at(-1)!;
      sourceText = parts.slice(0, hasMode ? -2 : -1).join(':');
      span = short.span;
    } else {
      const type = view.text(item, 'type');
      if (type !== undefined && type !== 'bind') continue;
      const source = view.scalar(view.get(item, 'source'));
      target = view.text(item, 'target');
      if (!source || source.unresolved) continue;
      sourceText = source.text;
      span = view.span(item);
    }
    if (!target || !target.startsWith('/') || !sourceText) continue;
    const mount: BindMount = { sourceText, target: target.replace(/\/+$/, '') || '/', span };
    // `./x`, `../x` and `x/y` are host paths relative to the compose file; `/x` and `~/x` are host
    // paths outside the workspace, and a bare `name` is a named volume: both keep no source.
    if (/^\.\.?(\/|$)/.test(sourceText) || (!/^[/~]/.test(sourceText) && sourceText.includes('/'))) {
      const source = joinFileId(folder, sourceText);
      if (source !== undefined) mount.source = source;
    }
    out.push(mount);
  }
  return out;
}

/** True when `file` is `mount.source` or inside it. */
export function mountHolds(mount: BindMount, file: FileId): boolean {
  if (mount.source === undefined) return false;
  return mount.source === '' || file === mount.source || file.startsWith(`${mount.source}/`);
}

/**
 * Where a provider path is in the workspace. Relative: against the static configuration's folder
 * (Traefik reads it from its working directory, which is where its configuration file is when it
 * runs from the workspace). Absolute: a path in the container, through the bind mount with the
 * longest target that holds it. `exists` says what the workspace holds (from the run's WorkspaceFs).
 */
export function resolveProviderPath(
  value: ConfigScalar,
  kind: 'file' | 'directory',
  staticFile: FileId,
  mounts: readonly BindMount[] | undefined,
  exists: (path: FileId, kind: 'file' | 'directory') => boolean,
): ResolvedProviderPath {
  const written = value.text.trim();
  const what = kind === 'file' ? 'providers.file.filename' : 'providers.file.directory';
  if (value.unresolved || /\$\{?[A-Za-z_]/.test(written)) return { kind: 'unresolved', reason: `${what} ${written} holds a placeholder resolved only when Traefik starts` };
  if (written === '') return { kind: 'unresolved', reason: `${what} is empty` };
  let path: FileId | undefined;
  let mount: BindMount | undefined;
  if (!written.startsWith('/')) {
    path = joinFileId(dirnameOf(staticFile), written);
    if (path === undefined) return { kind: 'unresolved', reason: `${what} ${written} climbs out of the workspace` };
  } else {
    const inContainer = written.replace(/\/+$/, '') || '/';
    mount = [...(mounts ?? [])]
      .filter((m) => inContainer === m.target || m.target === '/' || inContainer.startsWith(`${m.target}/`))
      .sort((a, b) => b.target.length - a.target.length)[0];
    if (!mount) {
      return { kind: 'unresolved', reason: mounts === undefined
        ? `${what} ${written} is a path in Traefik's container, and no compose service in the workspace runs this configuration with its volumes`
        : `${what} ${written} is a path in Traefik's container that none of its compose volumes mounts from the workspace` };
    }
    if (mount.source === undefined) return { kind: 'unresolved', reason: `${what} ${written} is mounted from ${mount.sourceText}, outside the workspace or a named volume` };
    const rest = inContainer === mount.target ? '' : inContainer.slice(mount.target === '/' ? 1 : mount.target.length + 1);
    path = rest === '' ? mount.source : joinFileId(mount.source, rest);
    if (path === undefined) return { kind: 'unresolved', reason: `${what} ${written} climbs out of the workspace` };
  }
  if (!exists(path, kind)) return { kind: 'unresolved', reason: `${what} ${written} is ${path === '' ? 'the workspace root' : path} in the workspace, which holds no such ${kind === 'file' ? 'file' : 'folder'}` };
  return mount ? { kind, path, mount } : { kind, path };
}

const MAX_DEPTH = 8;
const MAX_FILES = 500;

/**
 * The configuration files of a provider directory as Traefik loads them: every `.yml`, `.yaml` and
 * `.toml` file, in subfolders too (its loader walks them), other names skipped.
 */
export function providerDirectoryFiles(directory: FileId, list: (dir: FileId) => Array<{ name: string; directory: boolean }> | undefined): FileId[] {
  const out: FileId[] = [];
  const walk = (dir: FileId, depth: number): void => {
    if (depth > MAX_DEPTH || out.length >= MAX_FILES) return;
    for (const entry of [...(list(dir) ?? [])].sort((a, b) => a.name.localeCompare(b.name))) {
      const path = dir === '' ? entry.name : `${dir}/${entry.name}`;
      if (entry.directory) walk(path, depth + 1);
      else if (/\.(ya?ml|toml)$/i.test(entry.name) && out.length < MAX_FILES) out.push(path);
    }
  };
  walk(directory, 0);
  return out;
}

/** A dynamic configuration file Traefik loads through a static configuration's file provider. */
export interface TraefikProviderLoad {
  static: TraefikStatic;
  /** The `filename` or `directory` value that names it. */
  setting: ConfigScalar;
  kind: 'file' | 'directory';
  /** The compose bind mount that placed a container path in the workspace. */
  mount?: BindMount;
}

export interface ProviderReadContext {
  /** The static configurations read so far (files, compose flags). */
  statics: readonly TraefikStatic[];
  /** Compose files that name Traefik, parsed by the run. */
  composeFiles: readonly YamlFile[];
  /** Services of a compose file (names). */
  composeServices(yaml: YamlFile): readonly string[];
  stat(path: FileId): { isFile: boolean; isDirectory: boolean } | undefined;
  list(dir: FileId): Array<{ name: string; directory: boolean }> | undefined;
}

/**
 * Which dynamic files each static configuration's file provider loads, and the problems of paths
 * that cannot be followed (a not-analysed note on the setting, with the reason).
 */
export function providerLoads(context: ProviderReadContext): { loads: Map<FileId, TraefikProviderLoad>; problems: Problem[] } {
  const loads = new Map<FileId, TraefikProviderLoad>();
  const problems: Problem[] = [];
  const exists = (path: FileId, kind: 'file' | 'directory'): boolean => {
    const stat = context.stat(path);
    return kind === 'file' ? stat?.isFile === true : stat?.isDirectory === true;
  };
  for (const found of context.statics) {
    const provider = found.fileProvider;
    if (!provider) continue;
    const mounts = mountsOf(context, found);
    // Traefik's documentation makes the two mutually exclusive: with both written, neither is taken for the one it reads.
    if (provider.filename && provider.directory) {
      problems.push({ kind: 'not-analysed', message: 'not analysed: the dynamic configuration Traefik\'s file provider loads (providers.file.filename and providers.file.directory are both set; Traefik takes them as mutually exclusive)', span: provider.filename.span });
      continue;
    }
    const settings: Array<[ConfigScalar, 'file' | 'directory']> = provider.filename ? [[provider.filename, 'file']] : provider.directory ? [[provider.directory, 'directory']] : [];
    for (const [setting, kind] of settings) {
      const resolved = resolveProviderPath(setting, kind, found.file, mounts, exists);
      if (resolved.kind === 'unresolved') {
        problems.push({ kind: 'not-analysed', message: `not analysed: the dynamic configuration Traefik's file provider loads (${resolved.reason})`, span: setting.span });
        continue;
      }
      const files = resolved.kind === 'file' ? [resolved.path] : providerDirectoryFiles(resolved.path, context.list);
      for (const file of files) {
        if (loads.has(file)) continue;
        loads.set(file, { static: found, setting, kind: resolved.kind, ...(resolved.mount ? { mount: resolved.mount } : {}) });
      }
    }
  }
  return { loads, problems };
}

/**
 * The bind mounts of the container that runs a static configuration: the compose service whose
 * flags hold it, or a compose service that mounts the static file (or a folder holding it).
 * Undefined when no compose file of the workspace runs it.
 */
function mountsOf(context: ProviderReadContext, found: TraefikStatic): BindMount[] | undefined {
  if (found.composeService !== undefined) {
    const yaml = context.composeFiles.find((y) => y.file === found.file);
    return yaml ? composeBindMounts(yaml, found.composeService) : undefined;
  }
  for (const yaml of context.composeFiles) {
    for (const name of context.composeServices(yaml)) {
      const mounts = composeBindMounts(yaml, name);
      if (mounts.some((m) => mountHolds(m, found.file))) return mounts;
    }
  }
  return undefined;
}
