// The call-chain model: ordered hops from a client to its last dependency, each with the timeouts that bound the request there.
import type { TimeoutKind } from '../timeout-kind.js';
import type { FileId, Span } from '../types.js';

export type Runtime = 'browser' | 'server' | 'unknown';

/** Where a hop's code runs, and the evidence it rests on, in words with places: `'use client' at app/chat/page.tsx:1`. */
export interface RuntimeDecision {
  runtime: Runtime;
  evidence: string;
}

/** Where a hop's value comes from. */
export type HopValueSource =
  /** Written at this hop. */
  | 'set'
  /** Written in an enclosing block (nginx `http`/`server`) or a controller ConfigMap. */
  | 'inherited'
  /** The product's documented default: `factsRef` cites it. */
  | 'default'
  /** Read from an environment variable whose value the linked container (or the code's fallback) gives. */
  | 'env';

/** One timeout that bounds the request at a hop, with its provenance. */
export interface HopTimeout {
  kind: TimeoutKind;
  /** The knob as its product spells it: `proxy_read_timeout`, `nginx.ingress.kubernetes.io/proxy-read-timeout`, `timeout`. */
  knob: string;
  /** Milliseconds in effect; undefined when unknown (a template, a Secret, an expression). */
  ms?: number;
  /** True when the knob switches the timer off. */
  disabled?: boolean;
  /** The value as written, or the default's spelling. */
  text: string;
  source: HopValueSource;
  /** The token that holds the value (absent for defaults). */
  span?: Span;
  /** Section of reference/timeout-facts.md for defaults and semantics. */
  factsRef?: string;
  /** True when each retry of this hop gets a fresh timer (facts §14). */
  perAttempt?: boolean;
  /** For `env` values: the variable, and where its value is declared (container env, ConfigMap, or the code's `??` default). */
  /** `choice`: how an environment test picked the value (`$NODE_ENV is "production", so process.env.NODE_ENV === 'production' picks 90_000`). */
  env?: { name: string; declaredAt?: Span; valueSpan?: Span; fallback: boolean; choice?: string };
  /** Version-dependent defaults when the version is not known (Node `keepAliveTimeout`: `{ '<=25': 5000, '>=26': 65000 }`). */
  candidates?: Record<string, number>;
  /** True for a call with no timer at all on an SDK without a default (`ms` is then infinite): it may take forever. */
  unbounded?: boolean;
  /** Why a setting the workspace writes does not give the value (a variable the installed release does not read yet). */
  note?: string;
  /**
   * Why the timer may not apply to the request at all (a NestJS interceptor that a route may skip on
   * a flag not known here): budgets take the shorter of what the hop may take with it and without it.
   */
  mayNotApply?: string;
}

/** How often a hop sends the same request, by its own retries. */
export interface HopAttempts {
  /** Total attempts (retries + 1). */
  count: number;
  /** The knob (`maxRetries`, `proxy_next_upstream_tries`, `retries.attempts`). */
  knob: string;
  source: HopValueSource;
  span?: Span;
  factsRef?: string;
  /** True when a timed-out attempt is retried (a retry that only covers connect errors does not multiply timeouts). */
  retriesTimeouts: boolean;
  /**
   * A timer checked only before another attempt starts (nginx `proxy_next_upstream_timeout`): it
   * lowers `count` to the attempts that start before it runs out, never cuts a running attempt.
   */
  gate?: HopTimeout;
}

/**
 * The kinds of hop, by input: each input adds its own from its folder
 * (`declare module '../../chain/chain-types.js' { interface HopKinds { 'nginx-location': true } }`).
 */
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface HopKinds {}

export type HopKind = keyof HopKinds & string;

/**
 * The model objects behind a hop, for rules that need more than the summary (and for fixes): each
 * input adds its own, keyed by the ref's `kind`
 * (`declare module … { interface HopRefs { nginx: { kind: 'nginx'; model: NginxModel; … } } }`).
 */
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface HopRefs {}

export type HopRef = HopRefs[keyof HopRefs];

export interface Hop {
  kind: HopKind;
  /** Short words for messages: `nginx location /api/chat`, `Service default/chat-api`, `POST /api/chat handler`. */
  label: string;
  /** The place that stands for the hop in related information. */
  span: Span;
  /** Timeouts that bound the request while it is at (or beyond) this hop. */
  timeouts: HopTimeout[];
  attempts?: HopAttempts;
  /** The keep-alive idle time of pooled connections: the proxy side for gateways, the server side for code servers. */
  keepAlive?: HopTimeout;
  /** True when the response streams (SSE, `stream: true`, buffering off). */
  streaming?: boolean;
  /** For a route handler: the code evidence that it streams, or turns proxy buffering off (see {@link HandlerStreamEvidence}). */
  stream?: HandlerStreamEvidence;
  /** True when the hop is (or directly calls) an LLM provider. */
  llm?: boolean;
  /** Why a hop that is no LLM SDK call counts as one (a plain HTTP call to `/v1/chat/completions`). */
  llmEvidence?: HopEvidence;
  /** Why the hop's timers are not known (a client injected from elsewhere): shown instead of "no timeout of its own". */
  timeoutsUnknown?: HopEvidence;
  /** HTTP method, when known (a POST that times out is not retried by nginx once sent, facts §14). */
  method?: string;
  /** Why the linker connected this hop to the one before it, when that was inferred (a prefix, a mount, a placeholder default). */
  evidence?: HopEvidence[];
  /**
   * Where the same hop runs the request again after it gave up (nginx `error_page 504 = @fallback`):
   * the fallback's time adds to this hop's (facts §1.3, error_page row).
   */
  fallback?: Hop;
  /** For calls in code: whether the code runs in a browser or on a server, with the evidence (inputs/ts/runtime.ts). */
  runtime?: RuntimeDecision;
  ref: HopRef;
}

/** What a route handler's code (and the functions it calls) says about streaming, each piece with its place. */
export interface HandlerStreamEvidence {
  /** The response streams: `res.write`, an event-stream header, a streamed LLM call, … */
  streams: HopEvidence[];
  /** It sends `X-Accel-Buffering: no` itself, so nginx does not buffer it. */
  noBuffering: HopEvidence[];
  /** Headers that could be either but are set from values that are not static. */
  unknown: HopEvidence[];
  /** The streamed LLM SDK calls among {@link streams}: the route streams a model's answer. */
  llmStreams: HopEvidence[];
  /** The pieces of {@link streams} that make the response server-sent events (event-stream header, `streamSSE`, `@Sse`). */
  sse: HopEvidence[];
  /** Timers that write to the open stream while it is otherwise silent, with their interval when static (inputs/ts/heartbeats.ts). */
  heartbeats: Array<HopEvidence & { intervalMs?: number }>;
}

/** One fact an inferred link rests on: `prefix /api from app.setGlobalPrefix` and where it is written. */
export interface HopEvidence {
  text: string;
  span?: Span;
}

/** A link the linker could not make: reported as information so users see what is not connected. */
export interface UnresolvedLink {
  /** The hop the chain stopped at. */
  from: string;
  /** What could not be found, in words. */
  message: string;
  span: Span;
  /** A workload or compose service whose code was not found: the `chains.services` key that would link it, and the code folders that could be meant. */
  servicesEntry?: { name: string; candidates: string[] };
}

/** An ordered list of hops: `hops[0]` is the outermost (client or gateway), the last is the innermost dependency. */
export interface Chain {
  hops: Hop[];
  /** Why the chain ends where it ends, when that is not a natural end (an external provider, a call with no further link). */
  unresolved?: UnresolvedLink;
}

export interface ChainModel {
  chains: Chain[];
  /** Every distinct unresolved link. */
  unresolved: UnresolvedLink[];
  /** Set when the walk stopped at its bounds before following every chain: why. */
  truncated?: string;
}
