// The nginx parser's entry points: one file's text to a tree, and an entry file plus its includes to a config.
import { decodeTextOnce } from '../../text.js';
import type { FileId, Problem } from '../../types.js';
import { dirnameOf, resolveFileId, type WorkspaceFs } from '../../workspace-fs.js';
import type { NginxConfig, NginxDirective, NginxFile, NginxNode, NginxParseOptions } from './ast.js';
import { substituteVariables } from './envsubst.js';
import { osError, resolveMappedInclude, type IncludeMapping } from './includes.js';
import { buildTree } from './tree.js';

/**
 * Parses one file without following includes. Never throws: broken syntax becomes `syntax`
 * problems and the tree keeps every statement the parser could recover.
 */
export function parseNginxText(file: FileId, text: string, hadBom = false): NginxFile {
  try {
    const tree = buildTree(file, text, false);
    if (hadBom) tree.problems.unshift(bomProblem(file, tree.nodes));
    return {
      file,
      text,
      hadBom,
      nodes: tree.nodes,
      problems: tree.problems,
      includeDirectives: tree.includes,
      // crossplane keeps the BOM in the first token, so its tree differs whenever there is one.
      crossplane: { fatal: tree.fatal, reparse: tree.differsFromCrossplane || hadBom },
    };
  } catch (error) {
    return {
      file,
      text,
      hadBom,
      nodes: [],
      problems: [{ kind: 'not-analysed', message: `the nginx parser failed on this file: ${errorText(error)}`, span: { file, start: 0, end: 0 } }],
      crossplane: { reparse: false },
    };
  }
}

/**
 * Parses `entry` and every file it includes, breadth first, each file once (so include cycles
 * stop). Reads only through `fs` and only inside the workspace. Never throws.
 */
export function parseNginxConfig(fs: WorkspaceFs, entry: FileId, options: NginxParseOptions = {}): NginxConfig {
  const entryId = resolveFileId(entry) ?? entry;
  const files: NginxFile[] = [];
  const includedAs: string[] = [];
  const config: NginxConfig = { entry: entryId, files, problems: [], includedAs };
  try {
    const read = readText(fs, entryId);
    files.push(read ? parseFile(entryId, read, options.variablesOf) : unreadable(entryId, osError(2, entryId)));
    includedAs.push(entryId);
    if (options.followIncludes !== false) followIncludes(fs, config, options);
  } catch (error) {
    // Defensive: a WorkspaceFs that throws in an unexpected way must not take the linter down.
    const file = files[0] ?? unreadable(entryId, '');
    if (files.length === 0) {
      files.push(file);
      includedAs.push(entryId);
    }
    file.problems.push({ kind: 'not-analysed', message: `the nginx includes could not be followed: ${errorText(error)}`, span: { file: entryId, start: 0, end: 0 } });
  }
  config.problems = files.flatMap((f) => f.problems);
  return config;
}

/** Parses one file's text, with the envsubst variables its container renders it with, when they are known. */
function parseFile(file: FileId, read: { text: string; hadBom: boolean }, variablesOf: NginxParseOptions['variablesOf']): NginxFile {
  const parsed = parseNginxText(file, read.text, read.hadBom);
  const variables = variablesOf?.(file);
  if (variables && variables.size > 0) substituteVariables(parsed.nodes, variables);
  return parsed;
}

function followIncludes(fs: WorkspaceFs, config: NginxConfig, options: NginxParseOptions): void {
  const { files } = config;
  const entryInContainer = options.layout?.containerPathOf(config.entry) ?? options.layout?.renderedPathOf(config.entry);
  const mapping: IncludeMapping = {
    ...(options.absoluteIncludePrefix !== undefined ? { absolutePrefix: options.absoluteIncludePrefix } : {}),
    ...(options.layout ? { layout: options.layout } : {}),
    ...(entryInContainer !== undefined ? { entryInContainer } : {}),
  };
  const loader = new IncludeLoader(fs, files, config.includedAs!, dirnameOf(config.entry), mapping, options.variablesOf);
  for (let k = 0; k < files.length; k++) {
    const includer = files[k]!;
    for (const d of includer.includeDirectives ?? includeDirectives(includer.nodes)) {
      const first = d.args[0];
      const span = first?.span ?? d.nameSpan;
      if (!first) {
        d.includes = [];
        includer.problems.push({ kind: 'include', message: 'invalid number of arguments in "include" directive', span });
        continue;
      }
      const loaded = loader.load(first.value);
      d.includes = loaded.includes;
      if (loaded.error !== undefined) d.includeError = loaded.error;
      if (loaded.unmapped) {
        d.includeUnmapped = true;
        // A glob matches nothing without an error: say that its folder is not in the workspace, never stay silent.
        if (loaded.error === undefined) includer.problems.push({ kind: 'include', message: `include "${first.value}" names a folder inside the nginx container`, span });
      }
      if (loaded.via) d.includeVia = loaded.via;
      for (const message of loaded.problems) includer.problems.push({ kind: 'include', message, span });
    }
  }
}

/**
 * Loads the files an include pattern names, each file once: a file seen before keeps its index,
 * which is how include cycles stop. New files are parsed and appended (breadth-first order).
 */
export class IncludeLoader {
  private readonly indexOf = new Map<FileId, number>();
  /** The same pattern resolves the same way within one parse (a snippet included by every server). */
  private readonly resolutions = new Map<string, ReturnType<typeof resolveMappedInclude>>();
  private readonly mapping: IncludeMapping;

  constructor(
    private readonly fs: WorkspaceFs,
    private readonly files: NginxFile[],
    private readonly includedAs: string[],
    private readonly entryDir: FileId,
    mapping: IncludeMapping | FileId | undefined,
    private readonly variablesOf?: NginxParseOptions['variablesOf'],
  ) {
    this.mapping = typeof mapping === 'string' ? { absolutePrefix: mapping } : (mapping ?? {});
    files.forEach((file, index) => this.indexOf.set(file.file, index));
  }

  /**
   * Indexes of the files `pattern` names and how crossplane spells each; `error` is what
   * crossplane reports, `problems` what we report.
   */
  load(pattern: string): { includes: number[]; spelled: string[]; error?: string; problems: string[]; unmapped?: true; via?: string } {
    let resolution = this.resolutions.get(pattern);
    if (!resolution) {
      resolution = resolveMappedInclude(this.fs, this.entryDir, pattern, this.mapping);
      this.resolutions.set(pattern, resolution);
    }
    let error = resolution.error;
    const problems = error === undefined ? [...resolution.notes] : [error, ...resolution.notes];
    const includes: number[] = [];
    const spelled: string[] = [];
    for (const target of resolution.targets) {
      let index = this.indexOf.get(target.file);
      if (index === undefined) {
        const read = readText(this.fs, target.file);
        if (!read) {
          const unreadable = osError(2, target.spelled);
          error ??= unreadable;
          problems.push(unreadable);
          continue;
        }
        index = this.files.length;
        this.indexOf.set(target.file, index);
        this.files.push(parseFile(target.file, read, this.variablesOf));
        this.includedAs.push(target.spelled);
      }
      includes.push(index);
      spelled.push(target.spelled);
    }
    const extra = { ...(resolution.unmapped ? { unmapped: true as const } : {}), ...(resolution.via ? { via: resolution.via } : {}) };
    return error === undefined ? { includes, spelled, problems, ...extra } : { includes, spelled, error, problems, ...extra };
  }
}

/** Every `include` directive of a file, in document order (a directive before its block). */
export function includeDirectives(nodes: NginxNode[]): NginxDirective[] {
  const found: NginxDirective[] = [];
  // An explicit stack, so absurdly deep nesting cannot overflow the call stack.
  const stack: Array<{ list: NginxNode[]; index: number }> = [{ list: nodes, index: 0 }];
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    if (top.index >= top.list.length) {
      stack.pop();
      continue;
    }
    const node = top.list[top.index++]!;
    if (node.type !== 'directive') continue;
    if (node.name === 'include') found.push(node);
    if (node.block) stack.push({ list: node.block, index: 0 });
  }
  return found;
}

function readText(fs: WorkspaceFs, file: FileId): { text: string; hadBom: boolean } | undefined {
  let bytes: Uint8Array | undefined;
  try {
    bytes = fs.readFile(file);
  } catch {
    return undefined;
  }
  if (!bytes) return undefined;
  const decoded = decodeTextOnce(bytes);
  return { text: decoded.text, hadBom: decoded.hadBom };
}

/**
 * nginx does not skip a UTF-8 byte order mark: it reads it as part of the first token, so the first
 * directive (or a `#` that would start a comment) becomes an unknown directive and the file fails.
 */
function bomProblem(file: FileId, nodes: NginxNode[]): Problem {
  const first = nodes[0];
  const name = first === undefined ? undefined : first.type === 'directive' ? first.name : '#';
  const span = first === undefined ? { file, start: 0, end: 0 } : first.type === 'directive' ? first.nameSpan : { file, start: first.span.start, end: first.span.start + 1 };
  const message = name === undefined
    ? 'the file starts with a UTF-8 byte order mark, which nginx reads as a token: it fails with "unexpected end of file"'
    : `the file starts with a UTF-8 byte order mark, which nginx reads as part of the first token: "${name}" with U+FEFF before it is an unknown directive`;
  return { kind: 'syntax', message, span };
}

function unreadable(file: FileId, message: string): NginxFile {
  const problems: Problem[] = message ? [{ kind: 'include', message, span: { file, start: 0, end: 0 } }] : [];
  return {
    file,
    text: '',
    hadBom: false,
    nodes: [],
    problems,
    crossplane: { reparse: false, fatal: { reason: message, format: 'bare', line: null, offset: 0 } },
  };
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
