// `chains --format json`: a stable, versioned document of the chains for scripts; plain data, no model objects (they have cycles).
import type { ChainModel, Hop, HopAttempts, HopKind, HopTimeout, HopValueSource, UnresolvedLink } from '../../../engine/chain/chain-types.js';
import type { TimeoutKind } from '../../../engine/timeout-kind.js';
import type { Span } from '../../../engine/types.js';
import { budgetsOf, ChainLocator, type ChainFormatOptions, type ChainSources } from '../../../engine/chain/describe.js';

/** Bumped whenever a field is renamed or removed; adding a field does not bump it. */
export const CHAINS_JSON_VERSION = 1;

export interface JsonChains {
  version: number;
  chains: JsonChain[];
  /** Every distinct link the linker could not make. */
  unresolved: JsonUnresolved[];
}

export interface JsonChain {
  /** Outermost (client or gateway) first, innermost dependency last. */
  hops: JsonHop[];
  /** Why this chain ends where it ends, when that is not a natural end. */
  unresolved?: JsonUnresolved;
}

export interface JsonHop {
  kind: HopKind;
  label: string;
  /** Path as printed by the lint formatters (workspace-relative, after the caller's prefix); 1-based line and UTF-16 column. */
  file: string;
  line: number;
  column: number;
  timeouts: JsonTimeout[];
  attempts?: JsonAttempts;
  keepAlive?: JsonTimeout;
  streaming?: boolean;
  llm?: boolean;
  /** Why a hop that is no LLM SDK call counts as one (a plain HTTP call to an LLM endpoint). */
  llmEvidence?: { text: string; file?: string; line?: number };
  /** Why the hop's timers are not known (a client injected from elsewhere). */
  timeoutsUnknown?: JsonEvidence;
  method?: string;
  /** For a route handler: what its code says about streaming, each piece with its place (absent when it says nothing). */
  stream?: JsonStream;
  /** For a websocket server hop: the library, the path it answers, and socket.io's ping settings in ms (null when not static). */
  websocket?: { library: string; path?: string; pingIntervalMs?: number | null; pingTimeoutMs?: number | null };
  /** Why the linker connected this hop to the one before it, when inferred. */
  evidence?: Array<{ text: string; file?: string; line?: number }>;
  /** When the hop stops waiting for the hops behind it (budget.ts `giveUpAfter`); absent for the last hop and unbounded hops. */
  givesUpAfterMs?: number;
  /** How long the hop may take with its retries (budget.ts `mayTake`); absent when nothing known bounds it. */
  mayTakeMs?: number;
  /** True when nothing bounds the hop at all (an AI SDK call with no timeout): `mayTakeMs` is absent then. */
  mayTakeUnbounded?: boolean;
}

export interface JsonEvidence {
  text: string;
  file?: string;
  line?: number;
}

/** A route handler's streaming evidence: see `HandlerStreamEvidence` in chain-types.ts. */
export interface JsonStream {
  streams: JsonEvidence[];
  /** `X-Accel-Buffering: no` sent by the code (or its framework). */
  noBuffering: JsonEvidence[];
  /** Headers that could make it a stream, set from values that are not static. */
  unknown: JsonEvidence[];
  llmStreams: JsonEvidence[];
  /** The pieces that make it server-sent events. */
  sse: JsonEvidence[];
  /** Timers that write to the open stream; `intervalMs` when the interval is static. */
  heartbeats: Array<JsonEvidence & { intervalMs?: number }>;
}

export interface JsonTimeout {
  kind: TimeoutKind;
  knob: string;
  /** Milliseconds in effect; null when unknown (a template, a Secret, an expression). */
  ms: number | null;
  /** The value as written, or the default's spelling. */
  text: string;
  source: HopValueSource;
  /** Where the value is written (absent for defaults). */
  file?: string;
  line?: number;
  /** Section of reference/timeout-facts.md. */
  factsRef?: string;
  disabled?: boolean;
  perAttempt?: boolean;
  /** Why a setting the workspace writes does not give the value, or a condition on it. */
  note?: string;
  /** Why the timer may not apply to the request at all (budgets take the shorter of with and without it). */
  mayNotApply?: string;
  /** For `env` values: the variable, whether the code's fallback applies, and how an environment test picked the value (`choice`). */
  env?: { name: string; fallback: boolean; file?: string; line?: number; choice?: string };
  /** Version-dependent defaults, by version range. */
  candidates?: Record<string, number>;
  /** True for a call on an SDK with no default timer and none set: `ms` is null, and the call has no bound. */
  unbounded?: boolean;
}

export interface JsonAttempts {
  count: number;
  knob: string;
  source: HopValueSource;
  retriesTimeouts: boolean;
  file?: string;
  line?: number;
  factsRef?: string;
}

export interface JsonUnresolved {
  from: string;
  message: string;
  file: string;
  line: number;
  column: number;
}

export function toJsonChains(chains: ChainModel, model: ChainSources, options: ChainFormatOptions = {}): JsonChains {
  const locator = new ChainLocator(model, options.cwdPrefix);
  const unresolved = (link: UnresolvedLink): JsonUnresolved => ({ from: link.from, message: link.message, ...locator.place(link.span) });
  const timeout = (t: HopTimeout): JsonTimeout => {
    const out: JsonTimeout = { kind: t.kind, knob: t.knob, ms: t.ms !== undefined && Number.isFinite(t.ms) ? t.ms : null, text: t.text, source: t.source };
    if (t.unbounded) out.unbounded = true;
    if (t.span) Object.assign(out, lineOf(locator, t.span));
    if (t.factsRef) out.factsRef = t.factsRef;
    if (t.disabled) out.disabled = true;
    if (t.perAttempt) out.perAttempt = true;
    if (t.env) {
      const at = t.env.valueSpan ?? t.env.declaredAt;
      out.env = { name: t.env.name, fallback: t.env.fallback, ...(at ? lineOf(locator, at) : {}), ...(t.env.choice ? { choice: t.env.choice } : {}) };
    }
    if (t.candidates) out.candidates = { ...t.candidates };
    if (t.note) out.note = t.note;
    if (t.mayNotApply) out.mayNotApply = t.mayNotApply;
    return out;
  };
  const attempts = (a: HopAttempts): JsonAttempts => ({
    count: a.count, knob: a.knob, source: a.source, retriesTimeouts: a.retriesTimeouts,
    ...(a.span ? lineOf(locator, a.span) : {}), ...(a.factsRef ? { factsRef: a.factsRef } : {}),
  });
  const evidence = (e: { text: string; span?: Span }): JsonEvidence => ({ text: e.text, ...(e.span ? lineOf(locator, e.span) : {}) });
  const hop = (h: Hop, giveUpMs: number | undefined, mayTakeMs: number | undefined): JsonHop => {
    const out: JsonHop = { kind: h.kind, label: h.label, ...locator.place(h.span), timeouts: h.timeouts.map(timeout) };
    if (h.attempts) out.attempts = attempts(h.attempts);
    if (h.keepAlive) out.keepAlive = timeout(h.keepAlive);
    if (h.streaming !== undefined) out.streaming = h.streaming;
    if (h.llm) out.llm = true;
    if (h.llmEvidence) out.llmEvidence = evidence(h.llmEvidence);
    if (h.timeoutsUnknown) out.timeoutsUnknown = evidence(h.timeoutsUnknown);
    if (h.method) out.method = h.method;
    if (h.evidence?.length) out.evidence = h.evidence.map(evidence);
    if (h.ref.kind === 'ts-websocket') {
      const server = h.ref.server;
      out.websocket = { library: server.library, ...(server.path !== undefined ? { path: server.path } : {}) };
      if (server.pingInterval) out.websocket.pingIntervalMs = server.pingInterval.ms ?? null;
      if (server.pingTimeout) out.websocket.pingTimeoutMs = server.pingTimeout.ms ?? null;
    }
    if (h.stream) {
      const s = h.stream;
      out.stream = {
        streams: s.streams.map(evidence), noBuffering: s.noBuffering.map(evidence), unknown: s.unknown.map(evidence), llmStreams: s.llmStreams.map(evidence), sse: s.sse.map(evidence),
        heartbeats: s.heartbeats.map((e) => ({ ...evidence(e), ...(e.intervalMs !== undefined ? { intervalMs: e.intervalMs } : {}) })),
      };
    }
    if (giveUpMs !== undefined) out.givesUpAfterMs = giveUpMs;
    if (mayTakeMs !== undefined && Number.isFinite(mayTakeMs)) out.mayTakeMs = mayTakeMs;
    else if (mayTakeMs !== undefined) out.mayTakeUnbounded = true;
    return out;
  };
  return {
    version: CHAINS_JSON_VERSION,
    chains: chains.chains.map((chain) => {
      const budgets = budgetsOf(chain);
      const out: JsonChain = { hops: chain.hops.map((h, i) => hop(h, budgets[i]!.giveUp?.ms, budgets[i]!.mayTake?.ms)) };
      if (chain.unresolved) out.unresolved = unresolved(chain.unresolved);
      return out;
    }),
    unresolved: chains.unresolved.map(unresolved),
  };
}

export function formatChainsJson(chains: ChainModel, model: ChainSources, options: ChainFormatOptions = {}): string {
  return `${JSON.stringify(toJsonChains(chains, model, options), null, 2)}\n`;
}

function lineOf(locator: ChainLocator, span: Parameters<ChainLocator['place']>[0]): { file: string; line: number } {
  const place = locator.place(span);
  return { file: place.file, line: place.line };
}
