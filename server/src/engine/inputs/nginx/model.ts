// The nginx model: context blocks with includes expanded, effective timeouts with provenance, upstreams.
import type { NginxConfig, NginxDirective } from './ast.js';
import { exactNginxRespelling, parseNginxTime } from '../../units.js';
import type { FileId, Span } from '../../types.js';
import { expandNginxConfig, guessRootContext, newBlock } from './expand.js';
import { NGINX_KNOBS_BY_NAME, UPSTREAM_KNOBS_BY_NAME, type NginxKnob } from './knobs.js';

export type { EffectiveValue, LocationMatch, LocationModifier, NginxBlock, NginxModel, NginxUpstream, UpstreamServer, ValueSource } from './blocks.js';
import type { EffectiveValue, NginxBlock, NginxModel, NginxUpstream, ValueSource } from './blocks.js';

/**
 * Builds the model of one parsed config (an entry file and everything it includes). Problems of the
 * expansion (too many statements, blocks nested too deep) are added to the config's problems, which
 * the runner reports with the parse problems.
 */
export function buildNginxModel(config: NginxConfig): NginxModel {
  const entryFile = config.files[0];
  const topNodes = entryFile?.nodes ?? [];
  const rootKind = guessRootContext(topNodes);
  const root = newBlock(rootKind, undefined, undefined);
  const model: NginxModel = {
    config, root, fragment: rootKind !== 'main', blocks: [], locations: [], servers: [], upstreams: [], problems: [],
  };
  model.problems = expandNginxConfig(model, topNodes);
  // A cached config is modelled once; a config modelled again must not report twice.
  for (const problem of model.problems) {
    if (!config.problems.some((p) => p.message === problem.message && p.span.file === problem.span.file && p.span.start === problem.span.start)) config.problems.push(problem);
  }
  return model;
}

// `limit_except` blocks are recognised where blocks are built (expand.ts); rules and linking ask here.
import { isLimitExcept } from './expand.js';
export { isLimitExcept };

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
    if (current.unknownStatement) return unknownValue(knob, current.unknownStatement, current);
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
  if (parsed.ok) return { ...value, ms: parsed.ms };
  const respelled = exactNginxRespelling(timeText, knob.value.resolution);
  const meant = respelled === undefined ? undefined : parseNginxTime(respelled, knob.value.resolution);
  return { ...value, invalid: parsed.reason, ...(meant?.ok ? { meantMs: meant.ms } : {}) };
}

/**
 * The value of a knob that an unknown statement may set: unresolved, with the statement as its
 * source (inherited, so that no rule edits it as if it were the knob's own directive).
 */
function unknownValue(knob: NginxKnob, statement: NginxDirective, from: NginxBlock): EffectiveValue {
  const text = statement.name === 'include' ? `whatever include ${statement.args[0]?.value ?? ''} sets` : `whatever ${statement.name} sets`;
  return { knob, text, unresolved: true, source: { kind: 'inherited', directive: statement, from } };
}

/** Where a value comes from, in words: "set here", "inherited from server at a.conf:3", "nginx default". */
export function describeSource(value: EffectiveValue, place: (span: Span) => string): string {
  switch (value.source.kind) {
    case 'set':
      return `set at ${place(value.source.directive.span)}${describeVariables(value.source.directive, place)}`;
    case 'inherited':
      return `inherited from ${blockLabel(value.source.from)} at ${place(value.source.directive.span)}${describeVariables(value.source.directive, place)}`;
    case 'default':
      return `nginx default; timeout-facts ${value.source.factsRef}`;
  }
}

/** `, with NGINX_PROXY_READ_TIMEOUT=30s from the environment of compose service nginx (docker-compose.yml:12)`: where the fix goes. */
function describeVariables(directive: NginxDirective, place: (span: Span) => string): string {
  const parts = directive.args.flatMap((arg) => arg.substituted ?? []).map((v) => `${v.name}=${v.value} from ${v.where}${v.span ? ` at ${place(v.span)}` : ''}`);
  return parts.length > 0 ? `, with ${parts.join(', ')}` : '';
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
