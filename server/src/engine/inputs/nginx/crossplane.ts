// Renders a parsed config as crossplane's JSON payload (comments on, analyzer off), to compare with the conformance corpus.
import { dirnameOf, type WorkspaceFs } from '../../workspace-fs.js';
import type { CrossplaneFatal, NginxConfig, NginxDirective, NginxFile, NginxNode, NginxParseOptions } from './ast.js';
import { IncludeLoader, includeDirectives } from './parser.js';
import { buildTree } from './tree.js';

export interface CrossplaneStatement {
  directive: string;
  line: number;
  args: string[];
  includes?: number[];
  block?: CrossplaneStatement[];
  comment?: string;
}

export interface CrossplaneError {
  error: string;
  line: number | null;
}

export interface CrossplaneFileEntry {
  file: string;
  status: 'ok' | 'failed';
  errors: CrossplaneError[];
  parsed: CrossplaneStatement[];
}

export interface CrossplanePayload {
  status: 'ok' | 'failed';
  errors: Array<{ file: string; error: string; line: number | null }>;
  config: CrossplaneFileEntry[];
}

/** One file as crossplane sees it: our tree, or a crossplane-mode re-parse where the two differ. */
interface View {
  nodes: NginxNode[];
  fatal: CrossplaneFatal | undefined;
  /** For a re-parse: the original include directives by name offset, which hold the resolved includes. */
  originals: Map<number, NginxDirective> | null;
  /** The re-parse sees the BOM, so its offsets are one higher. */
  shift: number;
}

/** The files crossplane would open for one include statement, by index and by its spelling. */
interface Resolved {
  targets: Array<{ index: number; spelled: string }> | undefined;
  error: string | undefined;
}

/**
 * What `crossplane.parse(entry, comments=True, check_ctx=False, check_args=False)` returns for
 * this config. Files that crossplane would not have reached (included only after the error that
 * ended its parse of the including file) are left out, and entries follow crossplane's order.
 *
 * With `fs`, every include statement of crossplane's reading is resolved again, which also
 * covers statements crossplane reads differently from our tree (a `${x} ` glued into the path)
 * and files named two ways (`a.conf`, `./a.conf`), which crossplane lists twice. Without `fs`
 * the resolved includes of our tree are used.
 */
export function toCrossplanePayload(config: NginxConfig, fs?: WorkspaceFs, options: NginxParseOptions = {}): CrossplanePayload {
  const files = [...config.files];
  const includedAs = config.files.map((file, index) => config.includedAs?.[index] ?? file.file);
  const loader = fs ? new IncludeLoader(fs, files, includedAs, dirnameOf(config.entry), options.absoluteIncludePrefix) : undefined;
  const views = new Map<number, View>();
  const viewAt = (index: number): View => {
    let view = views.get(index);
    if (!view) {
      view = viewOf(files[index]!);
      views.set(index, view);
    }
    return view;
  };
  const resolved = new Map<NginxDirective, Resolved>();
  const resolve = (view: View, d: NginxDirective): Resolved => {
    let r = resolved.get(d);
    if (r) return r;
    const pattern = d.args[0]?.value;
    if (loader && pattern !== undefined) {
      const loaded = loader.load(pattern);
      r = { targets: loaded.includes.map((index, i) => ({ index, spelled: loaded.spelled[i]! })), error: loaded.error };
    } else {
      const original = originalOf(view, d);
      const sameArgument = original?.args[0]?.value === pattern;
      r = {
        targets: original?.includes === undefined ? undefined : sameArgument ? original.includes.map((index) => ({ index, spelled: includedAs[index]! })) : [],
        error: sameArgument ? original?.includeError : undefined,
      };
    }
    resolved.set(d, r);
    return r;
  };

  // crossplane's queue: one entry per distinct spelling, in the order include statements name them.
  const order: Array<{ index: number; name: string }> = files.length > 0 ? [{ index: 0, name: includedAs[0]! }] : [];
  const position = new Map<string, number>(order.map((entry) => [entry.name, 0]));
  for (let k = 0; k < order.length; k++) {
    const view = viewAt(order[k]!.index);
    for (const d of processedIncludes(view)) {
      for (const target of resolve(view, d).targets ?? []) {
        if (position.has(target.spelled) || !files[target.index]) continue;
        position.set(target.spelled, order.length);
        order.push({ index: target.index, name: target.spelled });
      }
    }
  }

  const payload: CrossplanePayload = { status: 'ok', errors: [], config: [] };
  for (const { index, name } of order) {
    const view = viewAt(index);
    const errors: CrossplaneError[] = [];
    for (const d of processedIncludes(view)) {
      const error = resolve(view, d).error;
      if (error !== undefined) errors.push({ error, line: d.line });
    }
    if (view.fatal) errors.push({ error: fatalMessage(view.fatal, name), line: view.fatal.line });
    const parsed = view.fatal ? [] : statements(view.nodes, (d) => resolve(view, d), position);
    payload.config.push({ file: name, status: errors.length > 0 ? 'failed' : 'ok', errors, parsed });
    for (const e of errors) payload.errors.push({ file: name, error: e.error, line: e.line });
  }
  if (payload.errors.length > 0) payload.status = 'failed';
  return payload;
}

function viewOf(file: NginxFile): View {
  if (!file.crossplane?.reparse) return { nodes: file.nodes, fatal: file.crossplane?.fatal, originals: null, shift: 0 };
  const shift = file.hadBom ? 1 : 0;
  const tree = buildTree(file.file, file.hadBom ? `\ufeff${file.text}` : file.text, true);
  const originals = new Map(includeDirectives(file.nodes).map((d) => [d.nameSpan.start, d] as const));
  return { nodes: tree.nodes, fatal: tree.fatal, originals, shift };
}

function originalOf(view: View, d: NginxDirective): NginxDirective | undefined {
  return view.originals ? view.originals.get(d.nameSpan.start - view.shift) : d;
}

/** Include directives crossplane finished reading before the error that ended the file, if any. */
function processedIncludes(view: View): NginxDirective[] {
  const all = includeDirectives(view.nodes);
  const fatal = view.fatal;
  if (!fatal) return all;
  return all.filter((d) => (d.blockOpen !== undefined ? d.blockOpen + 1 : d.span.end) <= fatal.offset);
}

function fatalMessage(fatal: CrossplaneFatal, file: string): string {
  if (fatal.format === 'bare') return fatal.reason;
  return `${fatal.reason} in ${fatal.format === 'none' ? 'None' : file}:${fatal.line}`;
}

function statements(nodes: NginxNode[], resolve: (d: NginxDirective) => Resolved, position: Map<string, number>): CrossplaneStatement[] {
  const out: CrossplaneStatement[] = [];
  let directiveLine = 0;
  for (const node of nodes) {
    if (node.type === 'comment') {
      // A comment between arguments gets its directive's line.
      out.push({ directive: '#', line: node.betweenArgs ? directiveLine : node.line, args: [], comment: node.text });
      continue;
    }
    directiveLine = node.line;
    const statement: CrossplaneStatement = { directive: node.name, line: node.line, args: node.args.map((a) => a.value) };
    const targets = node.name === 'include' ? resolve(node).targets : undefined;
    if (targets) statement.includes = targets.map((target) => position.get(target.spelled)!);
    if (node.block) statement.block = statements(node.block, resolve, position);
    out.push(statement);
  }
  return out;
}
