// Expands an nginx config's includes into the model's context tree, iteratively and within fixed bounds.
import { MAX_BLOCK_DEPTH, type NginxDirective, type NginxNode } from './ast.js';
import { checkStop } from '../../run-deadline.js';
import type { Problem, Span } from '../../types.js';
import { parseNginxTime } from '../../units.js';
import type { NginxContextKind } from './knobs.js';
import type { LocationMatch, LocationModifier, NginxBlock, NginxModel, NginxUpstream, UpstreamServer } from './blocks.js';
import { parseProxyTarget } from './proxy-target.js';
import { applySetVariables } from './set-variables.js';
import { includeIsUnknown } from './includes.js';

/**
 * Statements plus included files one entry may expand to, each counted every time it is expanded:
 * ten times what its files hold, and at least MIN_EXPANSION_BUDGET. A large gateway expands to tens
 * of thousands (a snippet of ten directives included in a thousand locations is ten thousand); a
 * config past this is hostile, most often an include graph whose paths multiply (thirteen files
 * including each other by glob have billions of include paths). A hundred thousand takes a few
 * hundred milliseconds to expand; the language server lints an entry between two requests, so this is
 * also how long one hostile entry can hold up a hover.
 */
export const MIN_EXPANSION_BUDGET = 100_000;
const EXPANSION_FACTOR = 10;

/** The expansion budget of a config: see MIN_EXPANSION_BUDGET. */
export function expansionBudget(files: readonly { nodes: NginxNode[] }[]): number {
  let written = 0;
  for (const file of files) {
    const stack: NginxNode[][] = [file.nodes];
    while (stack.length > 0) {
      for (const node of stack.pop()!) {
        if (node.type !== 'directive') continue;
        written++;
        if (node.block) stack.push(node.block);
      }
    }
  }
  return Math.max(MIN_EXPANSION_BUDGET, EXPANSION_FACTOR * written);
}

const BLOCK_KINDS: Record<string, NginxContextKind> = {
  http: 'http', server: 'server', location: 'location', if: 'if', upstream: 'upstream', stream: 'stream',
};

type Frame =
  /** Statements being added to `block`: a block's own, or an included file's (`file` set). */
  | { kind: 'nodes'; block: NginxBlock; serial: number; nodes: NginxNode[]; next: number; depth: number; file?: number; ownsBlock: boolean }
  /** The files of one `include` directive, expanded one after the other. */
  | { kind: 'include'; block: NginxBlock; serial: number; targets: number[]; next: number; depth: number };

/**
 * Fills `model` from the entry's statements, with `include`d files expanded in place, in the order
 * a recursive walk would (blocks depth first, a block listed before its children, locations,
 * servers and upstreams once their statements are known). An explicit stack: no nesting, however
 * deep, can overflow the call stack. Returns the problems of the expansion.
 *
 * A file that includes itself (directly or not) is expanded once per include path, never forever;
 * nginx itself recurses on such a config until it crashes. Once a cycle has been seen, each file is
 * expanded at most once per block, so the include paths of a cyclic graph cannot multiply.
 * Past its budget (expansionBudget) the expansion stops and the whole entry is reported not analysed:
 * a partial model would pass for a complete one (a location missing its statements looks like a
 * location without timeouts).
 */
export function expandNginxConfig(model: NginxModel, topNodes: NginxNode[]): Problem[] {
  const { root } = model;
  const files = model.config.files;
  const problems: Problem[] = [];
  const onPath = new Set<number>(files.length > 0 ? [0] : []);
  // (block serial, file) pairs already expanded, as `serial * files.length + file`: one Set, not one per block.
  const expandedInto = new Set<number>();
  let cycleSeen = false;
  let tooDeepReported = false;
  const budget = expansionBudget(files);
  let work = 0;
  const stack: Frame[] = [{ kind: 'nodes', block: root, serial: 0, nodes: topNodes, next: 0, depth: 0, ownsBlock: true }];
  while (stack.length > 0) {
    // Include expansion can grow far beyond the text read (a file included in many places): a time budget may stop it.
    checkStop();
    const frame = stack[stack.length - 1]!;
    if (frame.kind === 'include') {
      if (frame.next >= frame.targets.length) {
        stack.pop();
        continue;
      }
      const index = frame.targets[frame.next++]!;
      const file = files[index];
      if (!file) continue;
      if (onPath.has(index)) {
        cycleSeen = true;
        continue;
      }
      const key = frame.serial * files.length + index;
      if (cycleSeen && expandedInto.has(key)) continue;
      expandedInto.add(key);
      if (++work > budget) return overBudget(model, problems, budget);
      onPath.add(index);
      stack.push({ kind: 'nodes', block: frame.block, serial: frame.serial, nodes: file.nodes, next: 0, depth: frame.depth, file: index, ownsBlock: false });
      continue;
    }
    if (frame.next >= frame.nodes.length) {
      stack.pop();
      if (frame.file !== undefined) onPath.delete(frame.file);
      if (frame.ownsBlock) finishBlock(model, frame.block);
      continue;
    }
    const node = frame.nodes[frame.next++]!;
    if (node.type !== 'directive') continue;
    if (node.name === 'include' && node.includes) {
      // An include nobody can read may set anything in this block: its settings are unknown, not defaults.
      if (includeIsUnknown(node)) frame.block.unknownStatement ??= node;
      if (node.includes.length > 0) stack.push({ kind: 'include', block: frame.block, serial: frame.serial, targets: node.includes, next: 0, depth: frame.depth });
      continue;
    }
    if (++work > budget) return overBudget(model, problems, budget);
    if (node.block && frame.depth >= MAX_BLOCK_DEPTH) {
      // Only includes can nest this deep (the parser leaves out deeper blocks of one file).
      if (!tooDeepReported) {
        tooDeepReported = true;
        const message = `blocks nested more than ${MAX_BLOCK_DEPTH} levels deep (counting included files) are not analysed (the first is this "${node.name}" block and everything in it)`;
        problems.push({ kind: 'not-analysed', message, span: node.nameSpan });
      }
      continue;
    }
    frame.block.statements.push(node);
    if (node.placeholder) frame.block.unknownStatement ??= node;
    if (!node.block) continue;
    // Own keys only: a directive named `constructor` is not a block kind.
    const kind = (Object.hasOwn(BLOCK_KINDS, node.name) ? BLOCK_KINDS[node.name] : undefined) ?? 'other';
    const child = newBlock(kind, node, frame.block);
    if (kind === 'location') child.location = locationMatchOf(node);
    frame.block.children.push(child);
    model.blocks.push(child);
    stack.push({ kind: 'nodes', block: child, serial: model.blocks.length, nodes: node.block, next: 0, depth: frame.depth + 1, ownsBlock: true });
  }
  // Every block is finished (a server's `set`s may follow its locations in the text).
  applySetVariables(model);
  return problems;
}

/**
 * A standalone conf.d file that starts with `server`/`upstream` is an http-level fragment, and a
 * snippet of `location`s is a server-level one; that is how such files are included in practice.
 */
export function guessRootContext(nodes: NginxNode[]): NginxContextKind {
  const names = new Set(nodes.filter((n) => n.type === 'directive').map((n) => (n as NginxDirective).name));
  if (names.has('http') || names.has('events') || names.has('stream') || names.has('worker_processes')) return 'main';
  if (names.has('server') || names.has('upstream') || names.has('map')) return 'http';
  if (names.has('location')) return 'server';
  return 'http';
}

export function newBlock(kind: NginxContextKind, directive: NginxDirective | undefined, parent: NginxBlock | undefined): NginxBlock {
  return { kind, directive, parent, children: [], statements: [], serverNames: [] };
}

/** What a block's statements say about it, once they are all known; then it joins the model's lists. */
function finishBlock(model: NginxModel, block: NginxBlock): void {
  if (block.kind === 'server') {
    block.serverNames = block.statements.filter((d) => d.name === 'server_name').flatMap((d) => d.args.map((a) => a.value));
  }
  if (block.kind === 'location' || block.kind === 'if' || isLimitExcept(block)) {
    const pass = block.statements.find((d) => /^(proxy|grpc|fastcgi|uwsgi)_pass$/.test(d.name));
    if (pass) block.proxyTarget = parseProxyTarget(pass);
  }
  // A location whose `proxy_pass` sits only inside `if` or `limit_except` still proxies, with the
  // location's own timeouts: those directives are not allowed in either block (facts §1.2, measured
  // s10). Its children are finished before it, so their targets are known here.
  if (block.kind === 'location' && !block.proxyTarget) {
    const inner = block.children.find((c) => (c.kind === 'if' || isLimitExcept(c)) && c.proxyTarget);
    if (inner) block.proxyTarget = inner.proxyTarget;
  }
  if (block === model.root) return;
  if (block.kind === 'location') model.locations.push(block);
  if (block.kind === 'server' && block.parent?.kind !== 'upstream') model.servers.push(block);
  if (block.kind === 'upstream') model.upstreams.push(upstreamOf(block.directive!, block));
}

function overBudget(model: NginxModel, problems: Problem[], budget: number): Problem[] {
  discardExpansion(model);
  const span = { file: model.config.entry, start: 0, end: 0 };
  const limit = budget.toLocaleString('en-US');
  const message = `this config expands to more than ${limit} statements and included files once its includes are followed (includes that include each other multiply); it was not analysed`;
  problems.push({ kind: 'not-analysed', message, span });
  return problems;
}

function discardExpansion(model: NginxModel): void {
  model.root.statements = [];
  model.root.children = [];
  model.blocks = [];
  model.locations = [];
  model.servers = [];
  model.upstreams = [];
}

function locationMatchOf(directive: NginxDirective): LocationMatch {
  const [first, second] = directive.args;
  if (!first) return { modifier: '', pattern: '', span: directive.nameSpan };
  if (second && ['=', '^~', '~', '~*'].includes(first.value)) {
    return { modifier: first.value as LocationModifier, pattern: second.value, span: second.span };
  }
  // nginx also accepts the modifier glued to the pattern (`=/exact`, `~*\.php$`).
  const glued = /^(=|\^~|~\*|~)(.+)$/.exec(first.value);
  if (glued) return { modifier: glued[1] as LocationModifier, pattern: glued[2]!, span: first.span };
  if (first.value.startsWith('@')) return { modifier: '@', pattern: first.value, span: first.span };
  return { modifier: '', pattern: first.value, span: first.span };
}

/** `limit_except GET { … }`: its own context, where nginx takes `proxy_pass` but no timeout directive. */
export function isLimitExcept(block: NginxBlock): boolean {
  return block.kind === 'other' && block.directive?.name === 'limit_except';
}

function upstreamOf(directive: NginxDirective, block: NginxBlock): NginxUpstream {
  const servers = block.statements
    .filter((d) => d.name === 'server' && d.args.length > 0)
    .map((d) => upstreamServerOf(d.args[0]!.value, d.args[0]!.span, d.args.slice(1).map((a) => a.value)));
  return { name: directive.args[0]?.value ?? '', directive, block, servers };
}

function upstreamServerOf(address: string, span: Span, parameters: string[]): UpstreamServer {
  const server: UpstreamServer = { address, span, parameters, down: false, backup: false, maxFails: 1, failTimeoutMs: 10_000 };
  for (const parameter of parameters) {
    if (parameter === 'down') server.down = true;
    else if (parameter === 'backup') server.backup = true;
    else if (parameter.startsWith('max_fails=')) {
      const count = Number(parameter.slice('max_fails='.length));
      if (Number.isInteger(count) && count >= 0) server.maxFails = count;
    } else if (parameter.startsWith('fail_timeout=')) {
      const parsed = parseNginxTime(parameter.slice('fail_timeout='.length), 's');
      if (parsed.ok) server.failTimeoutMs = parsed.ms;
      else delete server.failTimeoutMs;
    }
  }
  return server;
}
