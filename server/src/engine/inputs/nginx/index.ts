// The nginx input: `nginx.conf`, conf.d fragments and templates, parsed with their includes into one model per entry.
import type { NginxModel } from './model.js';
import { buildNginxModel } from './model.js';
import type { NginxConfig } from './ast.js';
import { parseNginxConfig } from './parser.js';
import { compileGlobs, isDeploymentFile, kindByPath, looksLikeNginx, nginxVariantVerdict } from './detect.js';
import { deploymentNeighbours, readNginxDeployment, type NginxDeployment } from './deployment.js';
import { embeddedNginxConfigs, findEmbeddedNginx } from './embedded.js';
import { manifestFileOf, manifestKindOf, type ManifestFile } from './manifests.js';
import { problemPolicy } from './problem-policy.js';
import { nginxLinker } from './chain.js';
import { defineInput, type ReadContext } from '../input.js';
import type { Problem } from '../../types.js';
import { rethrowStop } from '../../run-deadline.js';
import type { ResolvedConfig } from '../../config.js';
import type { FileId } from '../../types.js';
import { dirnameOf, type WorkspaceFs } from '../../workspace-fs.js';

declare module '../../workspace-model.js' {
  interface InputModels {
    /** One model per nginx entry (a full nginx.conf or a standalone fragment), with includes expanded. */
    nginx: NginxModel[];
  }
}

const globsByConfig = new WeakMap<ResolvedConfig, ReturnType<typeof compileGlobs>>();

function globsOf(config: ResolvedConfig): ReturnType<typeof compileGlobs> {
  if (!globsByConfig.has(config)) globsByConfig.set(config, compileGlobs(config.nginx.files));
  return globsByConfig.get(config);
}

export const nginxInput = defineInput({
  id: 'nginx',
  language: 'nginx',
  claim(file, { config }) {
    // Dockerfiles and entrypoint scripts are evidence of where an nginx container puts its configuration (deployment.ts), never linted.
    if (isDeploymentFile(file)) return 'name';
    const kind = kindByPath(file, globsOf(config));
    return kind === 'unknown' ? undefined : kind === 'maybe-nginx' ? 'content' : 'name';
  },
  accepts: (_file, text, { explicit }) => explicit || looksLikeNginx(text),
  reader(context) {
    const files: FileId[] = [];
    const evidence: DeploymentFiles = { dockerfiles: new Map(), scripts: new Map() };
    return {
      take(file, text) {
        if (isDeploymentFile(file)) {
          readDeploymentFile(file, evidence, context);
          return;
        }
        const decoded = text ?? context.readText(file);
        if (!decoded) return;
        // A variant (`*.conf.inc.template`, `*.conf.j2`) is nginx by its content; a template of another language is listed, not guessed.
        if (kindByPath(file, globsOf(context.config)) === 'maybe-nginx-variant') {
          const verdict = nginxVariantVerdict(decoded.text);
          if (verdict !== 'nginx') {
            if (verdict !== 'other') context.notAnalysed(file, verdict);
            return;
          }
        }
        context.addSource(file, decoded);
        files.push(file);
      },
      build() {
        const isMain = (f: FileId) => (f.endsWith('nginx.conf') ? 0 : 1);
        files.sort((a, b) => isMain(a) - isMain(b) || a.localeCompare(b));
        const manifests = manifestFiles(context);
        const deployment = readDeployment([...manifests, ...neighbourEvidence(files, evidence, context)], evidence, context);
        const configs = parseEntries(files, context, deployment);
        // nginx written inside the manifests (ConfigMap keys, snippet annotations), with spans in the YAML files.
        const embedded = findEmbeddedNginx(manifests);
        context.reportProblems(embedded.skipped);
        configs.push(...embeddedNginxConfigs(embedded.pieces, (file) => context.sourceText(file)));
        const models = configs.map((config) => {
          context.stop.check();
          return context.cache ? context.cache.derived(config, () => buildNginxModel(config)) : buildNginxModel(config);
        });
        for (const config of configs) context.reportProblems(config.problems.map((problem) => withPolicy(problem, context)), dirnameOf(config.entry));
        return models;
      },
    };
  },
  empty: () => [],
  present: (models) => models.length > 0,
  linker: nginxLinker,
});

/**
 * Parses nginx entries: every file that no other config includes becomes an entry, so a conf.d
 * fragment is analysed inside the nginx.conf that includes it, and on its own otherwise.
 */
function parseEntries(files: FileId[], context: ReadContext, deployment: NginxDeployment | undefined): NginxConfig[] {
  const includedBy = new Map<FileId, FileId>();
  const configs = new Map<FileId, NginxConfig>();
  for (const file of files) {
    if (includedBy.has(file)) continue;
    context.stop.check();
    const config = safeParse(file, context, deployment);
    if (!config) continue;
    configs.set(file, config);
    for (const included of config.files.slice(1)) {
      if (included.file === file) continue;
      includedBy.set(included.file, file);
      configs.delete(included.file);
    }
  }
  for (const config of configs.values()) {
    for (const parsed of config.files) {
      if (context.hasSource(parsed.file)) continue;
      // An included file outside the candidate set (ignored by name, say) is still shown in output.
      context.addSource(parsed.file, { text: parsed.text, eol: parsed.text.includes('\r\n') ? '\r\n' : '\n', hadInvalidUtf8: false });
    }
  }
  return [...configs.values()];
}

function safeParse(file: FileId, context: ReadContext, deployment: NginxDeployment | undefined): NginxConfig | undefined {
  try {
    const prefix = context.config.nginx.includePrefix;
    const parse = (fs: WorkspaceFs) => {
      const config = parseNginxConfig(fs, file, {
        ...(prefix !== undefined ? { absoluteIncludePrefix: prefix } : {}),
        ...(deployment && !deployment.layout.empty ? { layout: deployment.layout } : {}),
        ...(deployment ? { variablesOf: deployment.variablesOf } : {}),
      });
      // The parser turns a stop thrown by a read into a problem and carries on; such a parse is
      // incomplete, so it must neither count nor be cached (the throw leaves before the cache keeps it).
      context.stop.check();
      return config;
    };
    // What the layout and variables are changes the parse: they are part of the cache key.
    const variant = `${JSON.stringify(prefix ?? null)}\0${deployment?.key ?? ''}`;
    return context.cache ? context.cache.byAnswers(file, variant, context.fs, parse) : parse(context.fs);
  } catch (error) {
    rethrowStop(error);
    // The parser promises never to throw; if it does, the file is listed, not lost.
    context.notAnalysed(file, `the nginx parser failed: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
}

/** Dockerfiles and envsubst scripts: where nginx containers put their configuration (deployment.ts). */
interface DeploymentFiles {
  dockerfiles: Map<FileId, string>;
  scripts: Map<FileId, string>;
}

function readDeploymentFile(file: FileId, evidence: DeploymentFiles, context: ReadContext): void {
  const text = context.readText(file)?.text;
  if (text === undefined) return;
  if (/\.sh$/.test(file)) {
    if (text.includes('envsubst')) evidence.scripts.set(file, text);
  } else evidence.dockerfiles.set(file, text);
}

/** The run's compose files, kustomizations and manifests, as the shared YAML reader parsed them (parsed once for every input). */
function manifestFiles(context: ReadContext): ManifestFile[] {
  const out: ManifestFile[] = [];
  for (const file of context.candidates) {
    if (!/\.ya?ml$/i.test(file)) continue;
    const text = context.readText(file)?.text;
    const kind = text === undefined ? undefined : manifestKindOf(file, text);
    if (kind === undefined) continue;
    const yaml = context.yaml(file);
    if (yaml) out.push(context.cache ? context.cache.derived(yaml, () => manifestFileOf(yaml, kind)) : manifestFileOf(yaml, kind));
  }
  return out;
}

/**
 * Compose files, Dockerfiles and scripts beside the nginx files or in a folder above them that the
 * candidates do not hold (a front end that lints one entry, or named files): read as evidence of the
 * container layout only, never linted.
 */
function neighbourEvidence(nginx: readonly FileId[], evidence: DeploymentFiles, context: ReadContext): ManifestFile[] {
  const candidates = new Set(context.candidates);
  const compose: ManifestFile[] = [];
  for (const file of deploymentNeighbours(nginx, (file) => context.fs.stat(file)?.isFile === true)) {
    if (candidates.has(file)) continue;
    if (!/\.ya?ml$/.test(file)) readDeploymentFile(file, evidence, context);
    else {
      const yaml = context.yaml(file);
      if (yaml) compose.push(manifestFileOf(yaml, 'compose'));
    }
  }
  return compose;
}

/** The nginx containers' layout and variables, from what the run read (linking never reads). */
function readDeployment(yaml: ManifestFile[], evidence: DeploymentFiles, context: ReadContext): NginxDeployment | undefined {
  const mounts = context.config.nginx.includeMounts ?? {};
  if (evidence.dockerfiles.size === 0 && evidence.scripts.size === 0 && Object.keys(mounts).length === 0 && !yaml.some((f) => f.kind === 'compose' || f.kind === 'kustomization')) return undefined;
  const candidates = new Set(context.candidates);
  const small = (file: FileId): string | undefined => {
    const stat = context.fs.stat(file);
    if (!stat?.isFile || stat.size > 1024 * 1024) return undefined;
    return context.readText(file)?.text;
  };
  return readNginxDeployment({ yaml, ...evidence, configuredMounts: mounts }, {
    // Only files discovery kept: a .env the project ignores (it often holds secrets) is never read.
    text: (file) => (candidates.has(file) ? small(file) : undefined),
    script: small,
    list: (dir) => context.fs.readDirectory(dir),
    isDirectory: (file) => (file === '' ? true : context.fs.stat(file)?.isDirectory === true),
  });
}

/** The severity policy of rules/include-error.md and rules/parse-error.md, applied to one parse or include problem. */
function withPolicy(problem: Problem, context: ReadContext): Problem {
  const text = context.sourceText(problem.span.file) ?? '';
  const lineStart = text.lastIndexOf('\n', problem.span.start) + 1;
  const policy = problemPolicy(problem, text.slice(lineStart, Math.max(problem.span.end, lineStart)));
  const kind = policy.id === 'parse-error' ? 'syntax' : policy.id === 'include-error' ? 'include' : 'not-analysed';
  return { ...problem, kind, message: policy.message, ...(policy.severity ? { severity: policy.severity } : {}) };
}

