// The nginx model: context blocks with includes expanded, effective timeouts with provenance, upstreams.
import { checkStop } from '../run-deadline.js';
import type { NginxConfig, NginxDirective, NginxNode } from '../parse/nginx/ast.js';
import { parseNginxTime, type NginxTimeError } from '../units.js';
import type { FileId, Span } from '../types.js';
import { NGINX_KNOBS_BY_NAME, UPSTREAM_KNOBS_BY_NAME, type NginxContextKind, type NginxKnob } from './nginx-knobs.js';
import { parseProxyTarget, type ProxyTarget } from './nginx-proxy-target.js';

export type ValueSource =
  | { kind: 'set'; directive: NginxDirective }
  | { kind: 'inherited'; directive: NginxDirective; from: NginxBlock }
  | { kind: 'default'; factsRef: string };

/** Shared between every block that has the same value (values are cached per directive): never mutated. */
export interface EffectiveValue {
  readonly knob: NginxKnob;
  /** Arguments joined by one space, as written (or the default's text). */
  readonly text: string;
  /** Milliseconds, for duration knobs whose value nginx accepts. */
  readonly ms?: number;
  /** Why nginx would reject the value (duration knobs only). */
  readonly invalid?: NginxTimeError;
  /** True when the value is an envsubst placeholder such as `${READ_TIMEOUT}`: never a default. */
  readonly unresolved?: boolean;
  readonly source: ValueSource;
}

export type LocationModifier = '=' | '^~' | '~' | '~*' | '' | '@';

export interface LocationMatch {
  modifier: LocationModifier;
  pattern: string;
  span: Span;
}

export interface NginxBlock {
  kind: NginxContextKind;
  /** The block directive (`server`, `location …`); undefined for the top level of a config. */
  directive?: NginxDirective;
  parent?: NginxBlock;
  children: NginxBlock[];
  /** Direct statements in order, with `include`d files expanded in place. */
  statements: NginxDirective[];
  location?: LocationMatch;
  /** For `server` blocks: the `server_name` values. */
  serverNames: string[];
  /** For `location`/`if` blocks: where `proxy_pass`/`grpc_pass`/… sends requests. */
  proxyTarget?: ProxyTarget;
}

export interface UpstreamServer {
  address: string;
  span: Span;
  parameters: string[];
  /** `down`: never tried (facts §1.3, measured s19). */
  down: boolean;
  /** `backup`: tried only once the primaries are unavailable or failed for this request; counts as a try. */
  backup: boolean;
  /** `max_fails=` (default 1; 0 turns the failure accounting off). */
  maxFails: number;
  /** `fail_timeout=` in ms (default 10 s; seconds resolution). Undefined when nginx would reject the value. */
  failTimeoutMs?: number;
}

export interface NginxUpstream {
  name: string;
  directive: NginxDirective;
  block: NginxBlock;
  servers: UpstreamServer[];
}

export interface NginxModel {
  config: NginxConfig;
  root: NginxBlock;
  /** True when the entry is a fragment (conf.d file) rather than a full nginx.conf. */
  fragment: boolean;
  /** Every block, depth first. */
  blocks: NginxBlock[];
  locations: NginxBlock[];
  servers: NginxBlock[];
  upstreams: NginxUpstream[];
}

const BLOCK_KINDS: Record<string, NginxContextKind> = {
  http: 'http', server: 'server', location: 'location', if: 'if', upstream: 'upstream', stream: 'stream',
};

/** Builds the model of one parsed config (an entry file and everything it includes). */
export function buildNginxModel(config: NginxConfig): NginxModel {
  const entryFile = config.files[0];
  const topNodes = entryFile?.nodes ?? [];
  const rootKind = guessRootContext(topNodes);
  const root = newBlock(rootKind, undefined, undefined);
  const model: NginxModel = {
    config, root, fragment: rootKind !== 'main', blocks: [], locations: [], servers: [], upstreams: [],
  };
  fillBlock(model, root, topNodes, new Set(entryFile ? [0] : []));
  return model;
}

/**
 * A standalone conf.d file that starts with `server`/`upstream` is an http-level fragment, and a
 * snippet of `location`s is a server-level one; that is how such files are included in practice.
 */
function guessRootContext(nodes: NginxNode[]): NginxContextKind {
  const names = new Set(nodes.filter((n) => n.type === 'directive').map((n) => (n as NginxDirective).name));
  if (names.has('http') || names.has('events') || names.has('stream') || names.has('worker_processes')) return 'main';
  if (names.has('server') || names.has('upstream') || names.has('map')) return 'http';
  if (names.has('location')) return 'server';
  return 'http';
}

function newBlock(kind: NginxContextKind, directive: NginxDirective | undefined, parent: NginxBlock | undefined): NginxBlock {
  return { kind, directive, parent, children: [], statements: [], serverNames: [] };
}

function fillBlock(model: NginxModel, block: NginxBlock, nodes: NginxNode[], includeStack: Set<number>): void {
  for (const node of nodes) {
    // Include expansion can grow far beyond the text read (a file included in many places): a time budget may stop it.
    checkStop();
    if (node.type !== 'directive') continue;
    if (node.name === 'include' && node.includes) {
      for (const index of node.includes) {
        // A file that includes itself (directly or not) is expanded once per chain, never forever.
        if (includeStack.has(index)) continue;
        const file = model.config.files[index];
        if (!file) continue;
        includeStack.add(index);
        fillBlock(model, block, file.nodes, includeStack);
        includeStack.delete(index);
      }
      continue;
    }
    block.statements.push(node);
    if (node.block) addChildBlock(model, block, node, includeStack);
  }
  if (block.kind === 'server') {
    block.serverNames = block.statements.filter((d) => d.name === 'server_name').flatMap((d) => d.args.map((a) => a.value));
  }
  if (block.kind === 'location' || block.kind === 'if' || isLimitExcept(block)) {
    const pass = block.statements.find((d) => /^(proxy|grpc|fastcgi|uwsgi)_pass$/.test(d.name));
    if (pass) block.proxyTarget = parseProxyTarget(pass);
  }
  // A location whose `proxy_pass` sits only inside `if` or `limit_except` still proxies, with the
  // location's own timeouts: those directives are not allowed in either block (facts §1.2, measured s10).
  if (block.kind === 'location' && !block.proxyTarget) {
    const inner = block.children.find((c) => (c.kind === 'if' || isLimitExcept(c)) && c.proxyTarget);
    if (inner) block.proxyTarget = inner.proxyTarget;
  }
}

/** `limit_except GET { … }`: its own context, where nginx takes `proxy_pass` but no timeout directive. */
export function isLimitExcept(block: NginxBlock): boolean {
  return block.kind === 'other' && block.directive?.name === 'limit_except';
}

function addChildBlock(model: NginxModel, parent: NginxBlock, directive: NginxDirective, includeStack: Set<number>): void {
  const kind = (Object.hasOwn(BLOCK_KINDS, directive.name) ? BLOCK_KINDS[directive.name] : undefined) ?? 'other';
  const child = newBlock(kind, directive, parent);
  if (kind === 'location') child.location = locationMatchOf(directive);
  parent.children.push(child);
  model.blocks.push(child);
  fillBlock(model, child, directive.block ?? [], includeStack);
  if (kind === 'location') model.locations.push(child);
  if (kind === 'server' && parent.kind !== 'upstream') model.servers.push(child);
  if (kind === 'upstream') model.upstreams.push(upstreamOf(directive, child));
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

const ENVSUBST_PLACEHOLDER = /\$\{[A-Za-z_][A-Za-z0-9_]*\}|^\$[A-Z_][A-Z0-9_]*$/;

/**
 * The value nginx uses for `knobName` in `block`: the innermost explicit setting wins, otherwise
 * the built-in default (facts §1.2: there is no "max of levels").
 */
const upstreamIndexes = new WeakMap<NginxModel, Map<string, NginxUpstream>>();

/** The first upstream of that name (as nginx takes it), looked up by name rather than scanned. */
export function upstreamNamed(model: NginxModel, name: string): NginxUpstream | undefined {
  let index = upstreamIndexes.get(model);
  if (!index) {
    index = new Map();
    for (const upstream of model.upstreams) if (!index.has(upstream.name)) index.set(upstream.name, upstream);
    upstreamIndexes.set(model, index);
  }
  return index.get(name);
}

const directiveIndexes = new WeakMap<NginxBlock, Map<string, NginxDirective>>();
const SCAN_LIMIT = 16;

/**
 * The first directive of that name among a block's own statements. Indexed per block: an http or
 * server block of a large gateway holds thousands of statements, and every knob of every location
 * climbs through it.
 */
export function firstDirective(block: NginxBlock, name: string): NginxDirective | undefined {
  // Most blocks (locations) hold a handful of statements: a scan is as fast, and a Map per block costs memory.
  if (block.statements.length <= SCAN_LIMIT) return block.statements.find((d) => d.name === name);
  let index = directiveIndexes.get(block);
  if (!index) {
    index = new Map();
    for (const directive of block.statements) if (!index.has(directive.name)) index.set(directive.name, directive);
    directiveIndexes.set(block, index);
  }
  return index.get(name);
}

export function effectiveValue(block: NginxBlock, knobName: string): EffectiveValue | undefined {
  const knob = (block.kind === 'upstream' ? UPSTREAM_KNOBS_BY_NAME : NGINX_KNOBS_BY_NAME).get(knobName);
  if (!knob) return undefined;
  for (let current: NginxBlock | undefined = block; current; current = current.parent) {
    // Timeouts in `if` and `limit_except` are rejected by nginx (facts §1.2), so they never take effect there.
    if ((current.kind === 'if' || isLimitExcept(current)) && knob.value.type === 'duration') continue;
    const directive = firstDirective(current, knobName);
    if (directive) return directiveValue(knob, directive, current, current === block);
    if (current.kind === 'upstream') break;
  }
  let value = defaultValues.get(knob);
  if (!value) {
    value = valueFrom(knob, [knob.defaultText], { kind: 'default', factsRef: knob.factsRef });
    defaultValues.set(knob, value);
  }
  return value;
}

// Every location under a server asks for the same inherited directives, most often for defaults:
// values are computed once per directive (as set, and as inherited from its block) and per default.
// (A snippet included in two blocks puts the same directive in both: an inherited value remembers its block.)
const directiveValues = new WeakMap<NginxDirective, { knob: NginxKnob; set?: EffectiveValue; inherited?: EffectiveValue; inheritedFrom?: NginxBlock }>();
const defaultValues = new Map<NginxKnob, EffectiveValue>();

function directiveValue(knob: NginxKnob, directive: NginxDirective, from: NginxBlock, set: boolean): EffectiveValue {
  let known = directiveValues.get(directive);
  if (!known || known.knob !== knob) {
    known = { knob };
    directiveValues.set(directive, known);
  }
  const cached = set ? known.set : known.inheritedFrom === from ? known.inherited : undefined;
  if (cached) return cached;
  const value = valueFrom(knob, directive.args.map((a) => a.value), set ? { kind: 'set', directive } : { kind: 'inherited', directive, from });
  if (set) known.set = value;
  else {
    known.inherited = value;
    known.inheritedFrom = from;
  }
  return value;
}

function valueFrom(knob: NginxKnob, args: string[], source: ValueSource): EffectiveValue {
  const text = args.join(' ');
  const value: EffectiveValue = { knob, text, source };
  if (knob.value.type !== 'duration') return value;
  // keepalive_timeout's optional second argument is the Keep-Alive header value; the first is the timeout.
  const timeText = knob.name === 'keepalive_timeout' ? (args[0] ?? '') : text;
  if (ENVSUBST_PLACEHOLDER.test(timeText)) return { ...value, unresolved: true };
  const parsed = parseNginxTime(timeText, knob.value.resolution);
  return parsed.ok ? { ...value, ms: parsed.ms } : { ...value, invalid: parsed.reason };
}

/** Where a value comes from, in words: "set here", "inherited from server at a.conf:3", "nginx default". */
export function describeSource(value: EffectiveValue, place: (span: Span) => string): string {
  switch (value.source.kind) {
    case 'set':
      return `set at ${place(value.source.directive.span)}`;
    case 'inherited':
      return `inherited from ${blockLabel(value.source.from)} at ${place(value.source.directive.span)}`;
    case 'default':
      return `nginx default; timeout-facts ${value.source.factsRef}`;
  }
}

export function blockLabel(block: NginxBlock): string {
  if (!block.directive) return block.kind === 'main' ? 'main context' : `${block.kind} context`;
  const args = block.directive.args.map((a) => a.value).join(' ');
  return args ? `${block.directive.name} ${args}` : block.directive.name;
}

/** The file that holds a block's directive (the entry file for the top level). */
export function fileOfBlock(model: NginxModel, block: NginxBlock): FileId {
  return block.directive?.span.file ?? model.config.entry;
}
