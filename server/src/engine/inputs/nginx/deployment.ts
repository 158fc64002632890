// What compose files, Dockerfiles, entrypoint scripts and the configuration say about nginx containers: their layout and envsubst variables.
import type { Node } from 'yaml';
import type { FileId } from '../../types.js';
import type { EnvsubstValue, VariableOrigin } from './ast.js';
import { dirnameOf, joinFileId, resolveFileId } from '../../workspace-fs.js';
import type { ManifestFile as K8sFile } from './manifests.js';
import type { YamlView } from '../../yaml/view.js';
import { ContainerLayout, normalise, type ContainerMount, type RenderedFile } from './container-paths.js';
import { isNginxImage, readDockerfile } from './dockerfile.js';
import { kubernetesContainers } from './kubernetes-mounts.js';
import { interpolateCompose, officialRenderOf, parseDotEnv, scriptDefaults, scriptRenders, templateSettingsOf } from './envsubst.js';

/** Reads a workspace file's text, or a folder's entry names; lint() passes its confined reads. */
export interface DeploymentReader {
  text(file: FileId): string | undefined;
  /** A shell script's text (any workspace file a container mounts or copies). */
  script(file: FileId): string | undefined;
  list(dir: FileId): string[] | undefined;
  isDirectory(file: FileId): boolean;
}

export interface DeploymentInputs {
  /** Parsed YAML files; the compose files among them are read. */
  yaml: readonly K8sFile[];
  /** Dockerfiles by path, with their text. */
  dockerfiles: ReadonlyMap<FileId, string>;
  /** Shell scripts that run envsubst, with their text. */
  scripts: ReadonlyMap<FileId, string>;
  /** `nginx.includePrefix` as a map: container path → workspace folder. */
  configuredMounts: Readonly<Record<string, FileId>>;
}

export interface NginxDeployment {
  layout: ContainerLayout;
  /** envsubst variables with static values (and where each is set) for a workspace file that some container renders. */
  variablesOf(file: FileId): ReadonlyMap<string, EnvsubstValue> | undefined;
  /** A stable text of what changes parsing (layout and variables), for caches. */
  key: string;
}

/** A container that holds nginx configuration: its mounts and its environment. */
interface Container {
  mounts: ContainerMount[];
  env: Map<string, string>;
  /** Where each value of `env` was set, in words, with its span when it has one. */
  origins: Map<string, VariableOrigin>;
  /** Commands given in the compose file (`command:`/`entrypoint:`), which may run envsubst themselves. */
  commands: string[];
  owner: string;
}

/** Reads the deployment evidence; never throws on odd input (entries of the wrong shape are skipped). */
export function readNginxDeployment(inputs: DeploymentInputs, read: DeploymentReader): NginxDeployment {
  const containers: Container[] = [];
  const imagesBuilt = new Map<FileId, Container>();
  for (const file of inputs.yaml) {
    if (file.kind !== 'compose' || !file.compose) continue;
    const document = file.documents.find((d) => d.status === 'other' || d.status === 'object');
    if (!document) continue;
    const root = { view: document.view, node: document.document.contents };
    const dotEnv = parseDotEnv(read.text(joinOrRoot(dirnameOf(file.file), '.env')) ?? '');
    const services = root.view.get(root.node, 'services');
    for (const service of file.compose.services) {
      const node = root.view.get(services, service.name);
      const owner = `compose service ${service.name} (${file.file})`;
      const env = new Map<string, string>();
      const origins = new Map<string, VariableOrigin>();
      for (const entry of service.environment) {
        const value = entry.value ? interpolateCompose(entry.value.text, dotEnv) : undefined;
        if (value === undefined) continue;
        env.set(entry.name, value);
        const names = [...entry.value!.text.matchAll(/\$\{?([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]!);
        const how = names.length === 0 ? '' : names.some((n) => dotEnv.has(n)) ? ' (value from .env)' : ' (its default there)';
        origins.set(entry.name, { where: `the environment of compose service ${service.name}${how}`, span: entry.span });
      }
      const mounts = composeVolumes(root.view, node, dirnameOf(file.file), owner, dotEnv);
      const commands = ['command', 'entrypoint'].flatMap((key) => commandText(root.view, root.view.get(node, key)));
      const container: Container = { mounts, env, origins, commands, owner };
      const context = service.build?.context ? joinOrRoot(dirnameOf(file.file), service.build.context.text) : undefined;
      if (context !== undefined) imagesBuilt.set(joinOrRoot(context, 'Dockerfile'), container);
      if (mounts.some((m) => m.container.startsWith('/etc/nginx')) || isNginxImage(service.image?.text) || context !== undefined) containers.push(container);
    }
  }
  for (const [dockerfile, text] of inputs.dockerfiles) {
    const image = readDockerfile(dockerfile, text);
    if (!image.nginx) continue;
    const built = imagesBuilt.get(dockerfile);
    const container = built ?? { mounts: [], env: new Map<string, string>(), origins: new Map<string, VariableOrigin>(), commands: [], owner: `the image of ${dockerfile}` };
    container.mounts.push(...image.copies);
    // The service's environment overrides the image's ENV.
    for (const [name, value] of image.env) {
      if (container.env.has(name)) continue;
      container.env.set(name, value);
      container.origins.set(name, { where: `ENV in ${dockerfile}` });
    }
    if (!built) containers.push(container);
  }
  for (const workload of kubernetesContainers(inputs.yaml)) containers.push({ ...workload, env: new Map(), origins: new Map(), commands: [] });
  const nginxContainers = containers.filter((c) => c.mounts.some((m) => m.container.startsWith('/etc/nginx')));
  const configured: ContainerMount[] = Object.entries(inputs.configuredMounts).map(([container, workspace]) => ({ container: normalise(container), workspace, evidence: `nginx.includePrefix maps ${container} to ${workspace || 'the workspace root'}` }));
  const mounts = [...configured, ...nginxContainers.flatMap((c) => c.mounts)];
  const scripts = new Map(inputs.scripts);
  // A script a container mounts or copies is read even when the candidates lack it (an editor lints one entry).
  for (const mount of mounts) {
    if (!mount.workspace.endsWith('.sh') || scripts.has(mount.workspace)) continue;
    const text = read.script(mount.workspace);
    if (text !== undefined && text.includes('envsubst')) scripts.set(mount.workspace, text);
  }
  const renders: RenderedFile[] = [];
  for (const [script, text] of scripts) renders.push(...scriptRenders(text, script));
  for (const container of nginxContainers) for (const command of container.commands) renders.push(...scriptRenders(command, container.owner));
  // The official image's entrypoint renders templates/ into conf.d/ (its defaults, or the container's settings).
  const variables = new Map<FileId, Map<string, EnvsubstValue> | null>();
  for (const container of nginxContainers) {
    const settings = templateSettingsOf(container.env);
    const own = new ContainerLayout(container.mounts, []);
    for (const template of templatesUnder(own, read, settings.templateDir)) {
      const rendered = officialRenderOf(template.path, settings);
      if (rendered) renders.push({ rendered, template: template.path, evidence: `the nginx image renders ${template.path} to ${rendered} (envsubst) in ${container.owner}` });
    }
  }
  const layout = new ContainerLayout(mounts, renders);
  // Variables of every workspace file a container holds; files held by containers that disagree keep only what all agree on.
  for (const container of nginxContainers) {
    const own = new ContainerLayout(container.mounts, []);
    const held = filesHeld(own, read);
    // A rendering script the container holds may give variables defaults before it calls envsubst.
    for (const file of held) {
      const script = scripts.get(file);
      if (!script) continue;
      for (const [name, value] of scriptDefaults(script)) {
        if (container.env.has(name)) continue;
        container.env.set(name, value);
        container.origins.set(name, { where: `the default in ${file}` });
      }
    }
    for (const file of held) {
      const known = variables.get(file);
      if (known === undefined) variables.set(file, new Map([...container.env].map(([name, value]) => [name, { value, ...(container.origins.get(name) ?? { where: container.owner }) }])));
      else if (known !== null) for (const [name, known1] of known) if (container.env.get(name) !== known1.value) known.delete(name);
    }
  }
  const key = `${layout.key}#${[...variables].map(([f, v]) => `${f}:${v ? [...v].map(([n, x]) => `${n}=${x.value}@${x.where}:${x.span?.start ?? ''}`).join(',') : ''}`).sort().join('|')}`;
  return {
    layout,
    key,
    variablesOf: (file) => variables.get(file) ?? undefined,
  };
}

/** The names a deployment gives the files that lay out its containers, probed by name (no folder is listed). */
const NEIGHBOUR_NAMES = ['docker-compose.yml', 'docker-compose.yaml', 'compose.yml', 'compose.yaml', 'Dockerfile'];
/** Folders looked at above each nginx file: deployments keep their compose file a few levels up at most. */
const MAX_NEIGHBOUR_LEVELS = 4;

/**
 * Compose files and Dockerfiles in the folders of the nginx files and a few levels above them:
 * where a deployment says how its nginx container is laid out. Probed by name, so that no folder
 * listing (which changes with every file beside it) becomes an input of the run; lint() reads them.
 */
export function deploymentNeighbours(nginxFiles: readonly FileId[], isFile: (file: FileId) => boolean): FileId[] {
  const dirs = new Set<FileId>();
  for (const file of nginxFiles) {
    let dir = dirnameOf(file);
    for (let level = 0; level <= MAX_NEIGHBOUR_LEVELS; level++) {
      dirs.add(dir);
      if (dir === '') break;
      dir = dirnameOf(dir);
    }
  }
  const found: FileId[] = [];
  for (const dir of [...dirs].sort()) {
    for (const name of NEIGHBOUR_NAMES) {
      const file = dir === '' ? name : `${dir}/${name}`;
      if (isFile(file)) found.push(file);
    }
  }
  return found;
}

function joinOrRoot(dir: FileId, relative: string): FileId {
  const joined = joinFileId(dir, relative.replace(/^\.\//, ''));
  return joined ?? relative;
}

/** Short (`./conf.d:/etc/nginx/conf.d:ro`) and long (`source`/`target`) bind mounts from the workspace. */
function composeVolumes(view: YamlView, service: Node | undefined, base: FileId, owner: string, dotEnv: ReadonlyMap<string, string>): ContainerMount[] {
  const mounts: ContainerMount[] = [];
  for (const item of view.items(view.get(service, 'volumes'))) {
    const short = view.scalar(item);
    let source: string | undefined;
    let target: string | undefined;
    if (short) {
      const text = interpolateCompose(short.text, dotEnv) ?? short.text;
      const parts = text.split(':');
      if (parts.length < 2) continue;
      source = parts[0];
      target = parts[1];
    } else {
      source = view.text(item, 'source');
      target = view.text(item, 'target');
      if (view.text(item, 'type') !== undefined && view.text(item, 'type') !== 'bind') continue;
    }
    // Named volumes (`data:/var/lib`) and host paths outside the workspace hold nothing we can read.
    if (!source || !target || !target.startsWith('/') || !/^\.\.?(\/|$)/.test(source)) continue;
    const workspace = resolveFileId(base === '' ? source.replace(/^\.\/?/, '') : `${base}/${source}`);
    if (workspace === undefined) continue;
    const span = view.span(item);
    mounts.push({ container: normalise(target), workspace, evidence: `volume ${source}:${target} of ${owner}`, span });
  }
  return mounts;
}

function commandText(view: YamlView, node: Node | undefined): string[] {
  const scalar = view.scalar(node);
  if (scalar) return [scalar.text];
  const items = view.items(node).map((item) => view.scalar(item)?.text).filter((t): t is string => t !== undefined);
  return items.length > 0 ? [items.join(' ')] : [];
}

/** Template files under a container folder (recursively, as the image's entrypoint finds them). */
function templatesUnder(layout: ContainerLayout, read: DeploymentReader, dir: string): Array<{ path: string; file: FileId }> {
  const found: Array<{ path: string; file: FileId }> = [];
  const mount = layout.mountOf(dir);
  if (!mount) return found;
  const root = layout.workspaceOf(dir);
  if (root === undefined) return found;
  if (!read.isDirectory(root)) {
    found.push({ path: dir, file: root });
    return found;
  }
  for (const file of walk(read, root)) found.push({ path: normalise(`${dir}/${file.slice(root === '' ? 0 : root.length + 1)}`), file });
  return found;
}

/** Every workspace file a container's mounts hold (folders walked, at most a few thousand files). */
function filesHeld(layout: ContainerLayout, read: DeploymentReader): FileId[] {
  const out: FileId[] = [];
  for (const mount of layout.mountList) {
    if (read.isDirectory(mount.workspace)) out.push(...walk(read, mount.workspace));
    else out.push(mount.workspace);
  }
  return out;
}

const MAX_WALK = 2000;

function walk(read: DeploymentReader, root: FileId): FileId[] {
  const out: FileId[] = [];
  const stack = [root];
  while (stack.length > 0 && out.length < MAX_WALK) {
    const dir = stack.pop()!;
    for (const name of read.list(dir) ?? []) {
      const path = dir === '' ? name : `${dir}/${name}`;
      if (read.isDirectory(path)) {
        if (dirDepth(path) < 8) stack.push(path);
      } else out.push(path);
    }
  }
  return out;
}

function dirDepth(path: FileId): number {
  return path.split('/').length;
}
