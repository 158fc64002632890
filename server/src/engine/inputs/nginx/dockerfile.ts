// What a Dockerfile's final stage says about an nginx image: its base, what it copies from the build context, its ENV.
import type { FileId } from '../../types.js';
import { dirnameOf, resolveFileId } from '../../workspace-fs.js';
import { normalise, type ContainerMount } from './container-paths.js';

/** Official image names: nginx, nginxinc/*, openresty, bitnami/nginx (a tag or digest may follow). */
export function isNginxImage(image: string | undefined): boolean {
  if (!image) return false;
  const name = image.replace(/[:@].*$/, '');
  return /(^|\/)(nginx|nginx-unprivileged|openresty)$/.test(name);
}

export interface DockerImage {
  nginx: boolean;
  copies: ContainerMount[];
  env: Map<string, string>;
}

/**
 * The final stage of a Dockerfile: whether it is an nginx image, what it copies from the build
 * context (its folder) into the image, and its static `ENV` values. `COPY --from` copies from
 * another stage or image, not from the workspace, and is skipped.
 */
export function readDockerfile(file: FileId, text: string): DockerImage {
  const context = dirnameOf(file);
  let image: DockerImage = { nginx: false, copies: [], env: new Map() };
  let workdir = '/';
  const lines = text.replace(/\\\r?\n/g, ' ').split(/\r?\n/);
  for (const raw of lines) {
    const line = raw.trim();
    const match = /^(FROM|COPY|ADD|ENV|WORKDIR)\s+(.*)$/i.exec(line);
    if (!match) continue;
    const instruction = match[1]!.toUpperCase();
    const rest = match[2]!;
    if (instruction === 'FROM') {
      image = { nginx: isNginxImage(rest.replace(/^--platform=\S+\s+/, '').split(/\s+/)[0]), copies: [], env: new Map() };
      workdir = '/';
    } else if (instruction === 'WORKDIR') {
      workdir = rest.startsWith('/') ? normalise(rest) : normalise(`${workdir}/${rest}`);
    } else if (instruction === 'ENV') {
      for (const [name, value] of dockerEnv(rest)) if (!/\$/.test(value)) image.env.set(name, value);
    } else {
      const words = rest.split(/\s+/).filter((w) => w !== '');
      if (words.some((w) => w.startsWith('--from'))) continue;
      const args = words.filter((w) => !w.startsWith('--'));
      if (args.length < 2 || rest.trim().startsWith('[')) continue;
      const destination = args[args.length - 1]!;
      const target = destination.startsWith('/') ? destination : `${workdir}/${destination}`;
      const sources = args.slice(0, -1);
      for (const source of sources) {
        if (/[*?[$]/.test(source) || /^https?:/.test(source)) continue;
        const workspace = resolveFileId(context === '' ? source.replace(/^\.\/?/, '') : `${context}/${source}`);
        if (workspace === undefined) continue;
        // `COPY a.conf /etc/nginx/conf.d/` puts the file into the folder; `COPY dir/ /etc/nginx/` copies the folder's content.
        const intoFolder = destination.endsWith('/') || sources.length > 1;
        const name = workspace.slice(workspace.lastIndexOf('/') + 1);
        const container = intoFolder && /\.[^/]+$/.test(name) ? normalise(`${target}/${name}`) : normalise(target);
        image.copies.push({ container, workspace: workspace === '.' ? '' : workspace, evidence: `${instruction} ${source} ${destination} in ${file}` });
      }
    }
  }
  return image;
}

/** `ENV A=1 B="two"` and the legacy `ENV A 1`. */
function dockerEnv(rest: string): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  if (!/^[A-Za-z_][A-Za-z0-9_]*=/.test(rest)) {
    const legacy = /^([A-Za-z_][A-Za-z0-9_]*)\s+(.*)$/.exec(rest);
    if (legacy) pairs.push([legacy[1]!, legacy[2]!.trim()]);
    return pairs;
  }
  for (const match of rest.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("(?:[^"\\]|\\.)*"|'[^']*'|\S*)/g)) {
    const value = match[2]!;
    pairs.push([match[1]!, /^["']/.test(value) ? value.slice(1, -1) : value]);
  }
  return pairs;
}

