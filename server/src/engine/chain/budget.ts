// Compares hops like with like (timeout-facts.md §0, §14): when an outer hop gives up, and how long an inner hop may take with its retries.
import type { Chain, Hop, HopAttempts, HopTimeout } from './chain-types.js';

/** When a hop stops waiting for what is behind it. */
export interface GiveUp {
  ms: number;
  timeout: HopTimeout;
}

/** How long a hop may legitimately take: its per-attempt bound times the attempts that retry a timeout. */
export interface MayTake {
  ms: number;
  perAttemptMs: number;
  attempts: number;
  /** The timer that bounds one attempt. */
  timeout: HopTimeout;
  attemptsInfo?: HopAttempts;
  /** A total timer that caps all attempts together, when it is what bounds the hop. */
  cap?: HopTimeout;
  /** What the hop's fallback (nginx `error_page 504 = @fallback`) may take on top; included in `ms`. */
  fallback?: MayTake;
}

/**
 * The earliest moment the hop surely gives up on a silent answer. An idle (read) timer counts only when
 * the answer does not stream: a non-streaming backend stays silent until it is done, so the idle
 * timer then bounds the whole wait; a stream resets it with every chunk (facts §0, rule 3).
 */
export function giveUpAfter(hop: Hop, innerStreams: boolean): GiveUp | undefined {
  let best: GiveUp | undefined;
  for (const timeout of hop.timeouts) {
    // A timer the request may skip is no sure moment of giving up.
    if (timeout.mayNotApply !== undefined || !bounds(timeout, innerStreams)) continue;
    if (!best || timeout.ms! < best.ms) best = { ms: timeout.ms!, timeout };
  }
  return best;
}

/**
 * A timer the workspace sets on the hop whose value cannot be known here (a template, a Secret, an
 * expression, a decorator that is not read): it may end the hop at any time, so how long the hop may
 * take is unknown, not the bound of its other timers. Version-dependent and unknown documented
 * defaults are not such timers: nothing written says that they end the hop sooner.
 */
export function unknownBound(hop: Hop, streams = hop.streaming === true): HopTimeout | undefined {
  return hop.timeouts.find((t) => t.ms === undefined && !t.disabled && t.source !== 'default' && !t.candidates && boundsKind(t.kind, streams));
}

/**
 * The longest a hop may take before its own timers end it; undefined when nothing bounds it, or when
 * a timer of unknown value may (`unknownBound`). A timer the request may skip (`mayNotApply`) does
 * not bound it: skipped, the hop takes as long as its other timers allow.
 */
export function mayTake(hop: Hop): MayTake | undefined {
  return mayTakeOf(hop, false);
}

/** `mayTake`, or with `withSkippable` what the hop may take when its skippable timers do apply. */
function mayTakeOf(hop: Hop, withSkippable: boolean): MayTake | undefined {
  if (unknownBound(hop)) return undefined;
  const streams = hop.streaming === true;
  const timers = hop.timeouts.filter((t) => bounds(t, streams) && (withSkippable || t.mayNotApply === undefined));
  if (timers.length === 0) return undefined;
  const perAttempt = timers.filter((t) => t.perAttempt || t.kind !== 'total');
  const caps = timers.filter((t) => !t.perAttempt && t.kind === 'total');
  const attempts = hop.attempts?.retriesTimeouts ? hop.attempts.count : 1;
  const attemptTimer = minBy(perAttempt.length > 0 ? perAttempt : caps);
  const cap = minBy(caps);
  if (!attemptTimer) return undefined;
  let ms = attemptTimer.ms! * (perAttempt.length > 0 ? attempts : 1);
  const out: MayTake = { ms, perAttemptMs: attemptTimer.ms!, attempts: perAttempt.length > 0 ? attempts : 1, timeout: attemptTimer };
  if (hop.attempts && out.attempts > 1) out.attemptsInfo = hop.attempts;
  if (cap && cap.ms! < ms) {
    ms = cap.ms!;
    out.ms = ms;
    out.cap = cap;
  }
  // The fallback starts once this hop has given up, with timers of its own: the times add up.
  const fallback = hop.fallback ? mayTakeOf(hop.fallback, withSkippable) : undefined;
  if (fallback) {
    out.fallback = fallback;
    out.ms += fallback.ms;
  }
  return out;
}

/**
 * The first hop after `index` whose own timers bound it, with what it surely may take. Hops without
 * timers are passed through (what they wait for bounds them); a hop with a timer of unknown value
 * ends the search: whatever is behind it, what reaches the hop before it is unknown.
 *
 * A hop with a timer the request may skip (a NestJS interceptor a route may leave out) counts as
 * the shorter of the two ways (applied, or skipped: the hop's other timers, else what is behind it),
 * which is what surely holds; `longestMs` is the longer one, what a raised outer timer must cover
 * (infinite when, skipped, nothing bounds the request).
 */
export function nextBoundedHop(chain: Chain, index: number): { inner: Hop; need: MayTake; longestMs?: number } | undefined {
  const found = boundBehind(chain, index);
  return found === 'none' || found === 'unknown' ? undefined : found;
}

type Behind = { inner: Hop; need: MayTake; longestMs?: number } | 'none' | 'unknown';

function boundBehind(chain: Chain, index: number): Behind {
  for (let j = index + 1; j < chain.hops.length; j++) {
    const inner = chain.hops[j]!;
    // An idle timer does not end a wait that a stream behind it keeps busy.
    if (unknownBound(inner, chain.hops.slice(j).some((h) => h.streaming === true))) return 'unknown';
    const sure = mayTake(inner);
    if (!inner.timeouts.some((t) => t.mayNotApply !== undefined)) {
      if (sure) return { inner, need: sure };
      continue;
    }
    const applied = mayTakeOf(inner, true);
    const skipped: Behind = sure ? { inner, need: sure } : boundBehind(chain, j);
    if (skipped === 'unknown') return 'unknown';
    if (!applied) return skipped;
    if (skipped === 'none') return { inner, need: applied, longestMs: Number.POSITIVE_INFINITY };
    const longestMs = Math.max(applied.ms, skipped.longestMs ?? skipped.need.ms);
    return applied.ms <= skipped.need.ms ? { inner, need: applied, longestMs } : { ...skipped, longestMs };
  }
  return 'none';
}

function bounds(timeout: HopTimeout, streams: boolean): boolean {
  if (timeout.disabled || timeout.ms === undefined || timeout.ms <= 0) return false;
  return boundsKind(timeout.kind, streams);
}

/** Whether a timer of this kind ends the hop's wait: a total always; time-to-headers and idle only while nothing streams. */
function boundsKind(kind: HopTimeout['kind'], streams: boolean): boolean {
  if (kind === 'total') return true;
  if (kind === 'time-to-headers') return !streams;
  if (kind === 'idle') return !streams;
  return false;
}

function minBy(timeouts: HopTimeout[]): HopTimeout | undefined {
  let best: HopTimeout | undefined;
  for (const t of timeouts) if (!best || t.ms! < best.ms!) best = t;
  return best;
}

/** `600 s`, `1.5 s`, `250 ms`, `30 min` — for messages. */
export function spokenDuration(ms: number): string {
  if (!Number.isFinite(ms)) return 'unbounded';
  if (ms < 1000) return `${ms} ms`;
  const seconds = ms / 1000;
  if (seconds >= 120 && seconds % 60 === 0) return `${seconds / 60} min`;
  return `${Number.isInteger(seconds) ? seconds : seconds.toFixed(1)} s`;
}
