// The nginx input: `nginx.conf`, conf.d fragments and templates, parsed with their includes into one model per entry.
import type { NginxModel } from './model.js';
import { buildNginxModel } from './model.js';
import type { NginxConfig } from './ast.js';
import { parseNginxConfig } from './parser.js';
import { compileGlobs, kindByPath, looksLikeNginx } from './detect.js';
import { nginxLinker } from './chain.js';
import { defineInput, type ReadContext } from '../input.js';
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
    const kind = kindByPath(file, globsOf(config));
    return kind === 'unknown' ? undefined : kind === 'maybe-nginx' ? 'content' : 'name';
  },
  accepts: (_file, text, { explicit }) => explicit || looksLikeNginx(text),
  reader(context) {
    const files: FileId[] = [];
    return {
      take(file, text) {
        const decoded = text ?? context.readText(file);
        if (!decoded) return;
        context.addSource(file, decoded);
        files.push(file);
      },
      build() {
        const isMain = (f: FileId) => (f.endsWith('nginx.conf') ? 0 : 1);
        files.sort((a, b) => isMain(a) - isMain(b) || a.localeCompare(b));
        const configs = parseEntries(files, context);
        const models = configs.map((config) => {
          context.stop.check();
          return context.cache ? context.cache.derived(config, () => buildNginxModel(config)) : buildNginxModel(config);
        });
        for (const config of configs) context.reportProblems(config.problems, dirnameOf(config.entry));
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
function parseEntries(files: FileId[], context: ReadContext): NginxConfig[] {
  const includedBy = new Map<FileId, FileId>();
  const configs = new Map<FileId, NginxConfig>();
  for (const file of files) {
    if (includedBy.has(file)) continue;
    context.stop.check();
    const config = safeParse(file, context);
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

function safeParse(file: FileId, context: ReadContext): NginxConfig | undefined {
  try {
    const prefix = context.config.nginx.includePrefix;
    const parse = (fs: WorkspaceFs) => {
      const config = parseNginxConfig(fs, file, { absoluteIncludePrefix: prefix });
      // The parser turns a stop thrown by a read into a problem and carries on; such a parse is
      // incomplete, so it must neither count nor be cached (the throw leaves before the cache keeps it).
      context.stop.check();
      return config;
    };
    return context.cache ? context.cache.byAnswers(file, JSON.stringify(prefix ?? null), context.fs, parse) : parse(context.fs);
  } catch (error) {
    rethrowStop(error);
    // The parser promises never to throw; if it does, the file is listed, not lost.
    context.notAnalysed(file, `the nginx parser failed: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
}
