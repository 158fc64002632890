// Image builds in GitLab CI (`.gitlab-ci.yml` and the local files it includes): `docker build`, `buildah bud` and kaniko commands in job scripts, with the file's own variables expanded.
import { isMap, isScalar, isSeq, parseDocument, type Node, type Scalar, type YAMLMap } from 'yaml';
import type { FileId } from '../../types.js';
import { commandBuilds, workspacePath, type CommandSettings, type ImageBuild } from './build-commands.js';

// Top-level keys that configure the pipeline rather than name a job (GitLab CI YAML reference, "Global keywords").
const GLOBAL_KEYS = new Set(['default', 'include', 'stages', 'variables', 'workflow', 'image', 'services', 'cache', 'before_script', 'after_script', 'spec']);
// Predefined variables GitLab sets to the checkout folder, and to registry paths of the project (known only at run time).
const CHECKOUT_VARIABLES: ReadonlySet<string> = new Set(['CI_PROJECT_DIR', 'CI_BUILDS_DIR']);
const REGISTRY_VARIABLES: ReadonlySet<string> = new Set(['CI_REGISTRY_IMAGE', 'CI_PROJECT_PATH', 'CI_REGISTRY', 'CI_PROJECT_NAMESPACE', 'CI_REGISTRY_USER', 'CI_PROJECT_ROOT_NAMESPACE', 'CI_SERVER_HOST']);
const MAX_EXTENDS = 5;
const MAX_EXPANDED = 4096;

/** The image builds of one GitLab CI file; `included` receives the local files it includes (`include: local`). Never throws on odd YAML (the caller catches parse failures). */
export function gitlabBuilds(file: FileId, text: string, included?: (path: FileId) => void): ImageBuild[] {
  const document = parseDocument(text, { uniqueKeys: false });
  const root = document.contents;
  if (!isMap(root)) return [];
  for (const path of localIncludes(mapGet(root, 'include'))) included?.(path);
  const globalVariables = readVariables(mapGet(root, 'variables'));
  const jobs = new Map<string, YAMLMap>();
  for (const pair of root.items) {
    const name = isScalar(pair.key) ? String(pair.key.value) : undefined;
    if (name !== undefined && !GLOBAL_KEYS.has(name) && isMap(pair.value)) jobs.set(name, pair.value);
  }
  const out: ImageBuild[] = [];
  for (const [name, job] of jobs) {
    // Hidden jobs (`.template`) run only through the jobs that extend them.
    if (name.startsWith('.')) continue;
    const chain = extendsChain(name, job, jobs);
    const variables = new Map(globalVariables);
    for (const entry of [...chain].reverse()) for (const [key, value] of readVariables(mapGet(entry, 'variables'))) variables.set(key, value);
    const script = (key: string) => chain.map((entry) => mapGet(entry, key)).find((node) => node !== undefined);
    let cwd: FileId = '';
    for (const item of [...scriptItems(script('before_script') ?? mapGet(mapGet(root, 'default'), 'before_script')), ...scriptItems(script('script'))]) {
      const command = expand(String(item.value), variables);
      if (command === undefined) continue;
      const settings: CommandSettings = { cwd, checkoutVariables: CHECKOUT_VARIABLES, registryVariables: REGISTRY_VARIABLES };
      // A `cd` on its own line moves the rest of the job's script (each job runs its lines in one shell).
      const cd = /^\s*cd\s+(\S+)\s*$/.exec(command);
      if (cd) {
        const next = workspacePath(settings, cd[1]!.replace(/^["']|["']$/g, ''));
        if (next === undefined) break;
        cwd = next;
        continue;
      }
      const [start, end] = [item.range?.[0] ?? 0, item.range?.[1] ?? 0];
      for (const build of commandBuilds(file, text, start, end, settings, command)) out.push({ ...build, how: `${build.how} (GitLab CI job ${name})` });
    }
  }
  return out;
}

/** The job and the jobs it `extends`, nearest first; a loop or an unknown name ends the chain. */
function extendsChain(name: string, job: YAMLMap, jobs: ReadonlyMap<string, YAMLMap>): YAMLMap[] {
  const chain = [job];
  const seen = new Set([name]);
  let current = job;
  for (let depth = 0; depth < MAX_EXTENDS; depth++) {
    const parent = scalarText(mapGet(current, 'extends'));
    const next = parent !== undefined && !seen.has(parent) ? jobs.get(parent) : undefined;
    if (!next) break;
    seen.add(parent!);
    chain.push(next);
    current = next;
  }
  return chain;
}

/** Script lines: a string, or a sequence of strings (nested sequences from anchors flattened). */
function scriptItems(node: Node | undefined, depth = 0): Scalar[] {
  if (isScalar(node) && typeof node.value === 'string') return [node];
  if (!isSeq(node) || depth > 3) return [];
  return node.items.flatMap((item) => scriptItems(item as Node, depth + 1));
}

/** `variables:` entries with a plain value (`NAME: value` or `NAME: { value: … }`). */
function readVariables(node: Node | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (!isMap(node)) return out;
  for (const pair of node.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
    const value = scalarText(pair.value) ?? scalarText(mapGet(pair.value, 'value'));
    if (key !== undefined && value !== undefined) out.set(key, value);
  }
  return out;
}

/** The command with the file's own variables put in (`$IMAGE`, `${IMAGE}`); GitLab's predefined ones stay as written. */
function expand(command: string, variables: ReadonlyMap<string, string>): string | undefined {
  let current = command;
  for (let pass = 0; pass < 4; pass++) {
    const next = current.replace(/\$\{([A-Za-z_]\w*)\}|\$([A-Za-z_]\w*)/g, (whole, braced: string | undefined, bare: string | undefined) => variables.get(braced ?? bare!) ?? whole);
    if (next.length > MAX_EXPANDED) return undefined;
    if (next === current) return next;
    current = next;
  }
  return current;
}

/** `include: 'ci/build.yml'`, `include: [{ local: … }]`: workspace files (remote, project and template includes are not). */
function localIncludes(node: Node | undefined): FileId[] {
  const entries = isSeq(node) ? node.items : node !== undefined ? [node] : [];
  const out: FileId[] = [];
  for (const entry of entries) {
    const path = isMap(entry) ? scalarText(mapGet(entry, 'local')) : scalarText(entry);
    if (path === undefined || /^[a-z]+:\/\//i.test(path) || path.includes('*') || path.includes('$')) continue;
    const clean = workspacePath({ cwd: '' }, path);
    if (clean) out.push(clean);
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
