// Recognises LLM and streaming routes from location paths and proxy targets (patterns are configurable).
import { compileJsPattern, type SafeRegex, type SharedSettings } from '../../server/src/engine/rule-api.js';
import { upstreamNamed, type NginxBlock, type NginxDirective, type NginxModel } from '../../server/src/engine/inputs/nginx/api.js';

export interface RouteMatch {
  /** What matched: the location path or the upstream host, for the message. */
  evidence: string;
  /** The directive that is the evidence, when a statement of the config is. */
  directive?: NginxDirective;
}

const compiledPatterns = new Map<string, SafeRegex[]>();
const compiledLists = new WeakMap<readonly string[], SafeRegex[]>();

/**
 * Compiles configured patterns once per distinct list (case-insensitive). They are matched in linear
 * time (a committed config is as untrusted as the rest of the workspace); a pattern that is invalid,
 * or that only a backtracking engine can run (lookahead, backreferences), is skipped here.
 */
export function compilePatterns(patterns: readonly string[]): SafeRegex[] {
  // By list first: the same configured list is asked for once per location.
  const known = compiledLists.get(patterns);
  if (known) return known;
  const key = patterns.join('\u0000');
  let list = compiledPatterns.get(key);
  if (!list) {
    list = patterns.flatMap((p) => {
      const compiled = compileJsPattern(p, { caseInsensitive: true });
      return compiled.ok ? [compiled.regex] : [];
    });
    compiledPatterns.set(key, list);
  }
  compiledLists.set(patterns, list);
  return list;
}

const regexes = compilePatterns;

/**
 * Answers per compiled list and text: a large gateway asks the same few location paths and hosts
 * thousands of times, and a linear-time match is far slower than a lookup. Bounded, so that a
 * workspace of unique paths cannot grow it without limit.
 */
const answers = new WeakMap<readonly SafeRegex[], Map<string, boolean>>();
const ANSWERS_PER_LIST = 20_000;

/** True when one of the compiled `list` matches `text`. */
export function anyMatches(list: readonly SafeRegex[], text: string): boolean {
  let known = answers.get(list);
  if (!known) answers.set(list, (known = new Map()));
  const answer = known.get(text);
  if (answer !== undefined) return answer;
  const matched = list.some((r) => r.test(text));
  if (known.size >= ANSWERS_PER_LIST) known.clear();
  known.set(text, matched);
  return matched;
}

/** True when one of `patterns` (regular expressions, case-insensitive, compiled once) matches `text`; shared by the nginx and Kubernetes rules. */
export function matchesAnyPattern(patterns: string[], text: string): boolean {
  return anyMatches(regexes(patterns), text);
}

/** The hosts a location sends to: the proxy_pass host and, for an upstream group, its servers. */
export function upstreamHostsOf(model: NginxModel, block: NginxBlock): string[] {
  const target = block.proxyTarget;
  if (!target?.host) return target ? [target.raw] : [];
  const upstream = upstreamNamed(model, target.host);
  return [target.host, ...(upstream ? upstream.servers.map((s) => s.address) : [])];
}

export function matchLlmRoute(model: NginxModel, block: NginxBlock, settings: SharedSettings['llm']): RouteMatch | undefined {
  const path = block.location?.pattern ?? '';
  if (anyMatches(regexes(settings.pathPatterns), path)) return { evidence: `path ${path}` };
  for (const host of upstreamHostsOf(model, block)) {
    if (anyMatches(regexes(settings.upstreamPatterns), hostToMatch(host))) return { evidence: `upstream ${host}` };
  }
  return undefined;
}

/**
 * The part of an upstream host that says which service it is. For a Kubernetes Service DNS name
 * (`name.ns.svc`, `name.ns.svc.cluster.local`) that is the Service name alone: a namespace such as
 * `llm-platform` holds ordinary services too, and must not make every one of them an LLM upstream.
 */
export function hostToMatch(host: string): string {
  const cluster = /^([^.:]+)\.[^.:]+\.svc(?:\.cluster\.local)?\.?(?::\d+)?$/i.exec(host);
  return cluster ? cluster[1]! : host;
}

export function matchStreamingRoute(block: NginxBlock, settings: SharedSettings['llm']): RouteMatch | undefined {
  if (websocketUpgrade(block)) return undefined;
  const path = block.location?.pattern ?? '';
  return anyMatches(regexes(settings.streamingPathPatterns), path) ? { evidence: `path ${path}` } : configStreamEvidence(block);
}

/**
 * What the location's own statements say about streaming responses: `sub_filter_types text/event-stream`
 * (the author filters event streams through it), `add_header X-Accel-Buffering …` (the author meant to
 * stream; nginx reads that header only from the upstream's response, so adding it to the client's
 * response turns no buffering off), and an explicit `chunked_transfer_encoding on`. Only the location
 * itself (and `if` blocks in it) counts: a server-wide setting says nothing about one route.
 * `proxy_set_header Connection ""` with `proxy_http_version 1.1` is no evidence: it is also the
 * recipe for keep-alive connections to an upstream, on routes of every kind.
 */
export function configStreamEvidence(block: NginxBlock): RouteMatch | undefined {
  const own = streamEvidenceIn(block.statements);
  if (own) return own;
  for (const child of block.children) {
    if (child.kind !== 'if') continue;
    const inIf = streamEvidenceIn(child.statements);
    if (inIf) return inIf;
  }
  return undefined;
}

function streamEvidenceIn(statements: readonly NginxDirective[]): RouteMatch | undefined {
  for (const directive of statements) {
    // Names first: every proxying location is asked, and few of its statements are one of these three.
    const name = directive.name;
    if (name !== 'sub_filter_types' && name !== 'add_header' && name !== 'chunked_transfer_encoding') continue;
    const args = directive.args.map((a) => a.value.toLowerCase());
    if (name === 'sub_filter_types' && args.includes('text/event-stream')) return { evidence: 'sub_filter_types text/event-stream', directive };
    if (name === 'add_header' && args[0] === 'x-accel-buffering') return { evidence: `add_header X-Accel-Buffering ${directive.args[1]?.value ?? ''}: nginx reads that header only from the upstream's response`, directive };
    if (name === 'chunked_transfer_encoding' && args[0] === 'on') return { evidence: 'chunked_transfer_encoding on', directive };
  }
  return undefined;
}

/**
 * The `proxy_set_header Upgrade $http_upgrade` that makes a location a websocket hop, or undefined.
 * proxy_set_header is inherited only by blocks that set none of their own, so the nearest block
 * with any proxy_set_header decides. A websocket is never a buffered stream: once upgraded, nginx
 * relays frames as they come, whatever proxy_buffering says.
 */
export function websocketUpgrade(block: NginxBlock): NginxDirective | undefined {
  for (let current: NginxBlock | undefined = block; current; current = current.parent) {
    let setsHeaders = false;
    for (const d of current.statements) {
      if (d.name !== 'proxy_set_header') continue;
      setsHeaders = true;
      if (d.args[0]?.value.toLowerCase() === 'upgrade' && /\$http_upgrade\b/i.test(d.args[1]?.value ?? '')) return d;
    }
    if (setsHeaders) return undefined;
  }
  return undefined;
}

/** Locations that proxy somewhere themselves (directly or in an `if` inside them). */
export function* proxyingLocations(model: NginxModel): Generator<NginxBlock> {
  for (const block of model.locations) {
    if (block.location?.modifier === '@' && !block.proxyTarget) continue;
    if (block.proxyTarget) yield block;
    else {
      const inIf = block.children.find((c) => c.kind === 'if' && c.proxyTarget);
      if (inIf) yield { ...block, proxyTarget: inIf.proxyTarget };
    }
  }
}
