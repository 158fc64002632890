// Words and places shared by the chain formatters and the editor: where a hop is, what a timeout is set to, where that value comes from, and one-line chain summaries.
import { spokenDuration, giveUpAfter, mayTake, type GiveUp, type MayTake } from './budget.js';
import type { Chain, Hop, HopAttempts, HopTimeout, RuntimeDecision } from './chain-types.js';
import type { WorkspaceModel } from '../workspace-model.js';
import { LineIndex } from '../text.js';
import type { FileId, Span } from '../types.js';

/** What the formatters need of the workspace model: the analysed texts, to turn spans into lines. */
export type ChainSources = Pick<WorkspaceModel, 'sources' | 'placeSpan'>;

export interface ChainFormatOptions {
  /** Prepended to every printed path, as in the lint formatters (`examples/` turns `nginx.conf` into `examples/nginx.conf`). */
  cwdPrefix?: string;
}

/** A 1-based place of a span's start, with the path as printed. */
export interface Place {
  file: string;
  line: number;
  column: number;
}

/** Turns spans into printed places; lines and UTF-16 columns are 1-based, as in the lint output. */
export class ChainLocator {
  private readonly indexes = new Map<FileId, LineIndex>();
  private readonly prefix: string;

  constructor(private readonly model: ChainSources, cwdPrefix = '') {
    const slashed = cwdPrefix.replace(/\\/g, '/');
    this.prefix = slashed === '' || slashed.endsWith('/') ? slashed : `${slashed}/`;
  }

  /** Where a span is written in the workspace: a rendered template's span in the template, any other as it is. */
  placed(span: Span): Span {
    return this.model.placeSpan?.(span) ?? span;
  }

  place(written: Span): Place {
    // A hop in a rendered template is shown where the template writes it.
    const span = this.placed(written);
    let index = this.indexes.get(span.file);
    if (!index) {
      index = new LineIndex(this.model.sources.get(span.file)?.text ?? '');
      this.indexes.set(span.file, index);
    }
    const position = index.positionAt(span.start);
    return { file: this.prefix + span.file, line: position.line + 1, column: position.character + 1 };
  }

  /** `nginx/nginx.conf:5` */
  where(span: Span): string {
    const place = this.place(span);
    return `${place.file}:${place.line}`;
  }
}

/** The budget of every hop of a chain: when it gives up on what is behind it, and how long it may take itself. */
export interface HopBudget {
  giveUp?: GiveUp;
  mayTake?: MayTake;
}

export function budgetsOf(chain: Chain): HopBudget[] {
  return chain.hops.map((hop, index) => {
    // An idle timer only bounds a silent backend: once anything behind the hop streams, it is reset by every chunk.
    const innerStreams = chain.hops.slice(index + 1).some((inner) => inner.streaming === true);
    const budget: HopBudget = {};
    const giveUp = index < chain.hops.length - 1 ? giveUpAfter(hop, innerStreams) : undefined;
    if (giveUp) budget.giveUp = giveUp;
    const take = mayTake(hop);
    if (take) budget.mayTake = take;
    return budget;
  });
}

/** Who sets the documented default of a hop's timers, when the hop says so unambiguously. */
export function productOf(hop: Hop): string | undefined {
  switch (hop.ref.kind) {
    case 'nginx':
      return 'nginx';
    case 'ts-call':
      return hop.ref.call.library;
    case 'ts-server':
    case 'framework-server':
      return 'Node';
    case 'db-client':
      return hop.ref.use.client.library;
    default:
      return undefined;
  }
}

/** `60 s` for defaults; the value as written for the rest (`90s`, or `120_000 = 120 s` when the spelling hides the unit). */
export function valueWords(timeout: HopTimeout): string {
  if (timeout.candidates && timeout.source === 'default') {
    // The version is not known: `5 s (<=25) or 65 s (>=26)`.
    return Object.entries(timeout.candidates).map(([range, ms]) => `${spokenDuration(ms)} (${range})`).join(' or ');
  }
  if (timeout.ms === undefined) return timeout.disabled ? `${timeout.text} (timer off)` : timeout.text === 'unknown' ? 'unknown' : `${timeout.text} (value unknown)`;
  const normalized = spokenDuration(timeout.ms);
  const suffix = timeout.disabled ? ' (timer off)' : '';
  if (timeout.source === 'default') return `${timeout.disabled ? timeout.text : normalized}${suffix}`;
  const sameSpelling = timeout.text.replace(/\s+/g, '') === normalized.replace(/\s+/g, '');
  return `${sameSpelling ? timeout.text : `${timeout.text} = ${normalized}`}${suffix}`;
}

/** "set at nginx/api.conf:12", "inherited from nginx.conf:9", "nginx default, timeout-facts §1.3", "$LLM_TIMEOUT_MS = 90000 at k8s/app.yaml:30". */
export function sourceWords(hop: Hop, timeout: { source: HopTimeout['source']; span?: Span; factsRef?: string; env?: HopTimeout['env']; text?: string; note?: string; mayNotApply?: string }, locator: ChainLocator): string {
  const words = sourceOnlyWords(hop, timeout, locator);
  const noted = timeout.note ? `${words}; ${timeout.note}` : words;
  return timeout.mayNotApply ? `${noted}; ${timeout.mayNotApply}` : noted;
}

function sourceOnlyWords(hop: Hop, timeout: { source: HopTimeout['source']; span?: Span; factsRef?: string; env?: HopTimeout['env']; text?: string }, locator: ChainLocator): string {
  const facts = timeout.factsRef ? `timeout-facts ${timeout.factsRef}` : undefined;
  switch (timeout.source) {
    case 'set':
      return timeout.span ? `set at ${locator.where(timeout.span)}` : 'set';
    case 'inherited':
      return timeout.span ? `inherited from ${locator.where(timeout.span)}` : 'inherited';
    case 'default': {
      const product = productOf(hop);
      return [product ? `${product} default` : 'default', facts].filter(Boolean).join(', ');
    }
    case 'env': {
      const env = timeout.env;
      if (!env) return 'from the environment';
      if (env.choice) return `${env.choice}${env.valueSpan ? ` at ${locator.where(env.valueSpan)}` : ''}`;
      if (env.fallback) return `$${env.name} is not set, so the code's default${env.valueSpan ? ` at ${locator.where(env.valueSpan)}` : ''} applies`;
      if (env.valueSpan) return `$${env.name} = ${timeout.text ?? '?'} at ${locator.where(env.valueSpan)}`;
      return `$${env.name}${env.declaredAt ? ` declared at ${locator.where(env.declaredAt)}` : ''}`;
    }
  }
}

/** `maxRetries: 3 attempts (openai default, timeout-facts §13)`; notes when a timed-out attempt is not retried. */
export function attemptsWords(hop: Hop, attempts: HopAttempts, locator: ChainLocator): string {
  const retried = attempts.retriesTimeouts ? '' : ', a timed-out attempt is not retried';
  // proxy_next_upstream_timeout only stops new tries from starting (facts §1.3): say why the count is lower.
  const gated = attempts.gate ? `, no new try after ${attempts.gate.knob} ${attempts.gate.text}` : '';
  return `${attempts.knob}: ${attempts.count} attempt${attempts.count === 1 ? '' : 's'} (${sourceWords(hop, attempts, locator)}${retried}${gated})`;
}

/** `proxy_read_timeout 60 s`: the timer that makes a hop give up. */
export function giveUpWords(giveUp: GiveUp): string {
  return `gives up after ${spokenDuration(giveUp.ms)} (${giveUp.timeout.knob})`;
}

/** `may take 30 min (timeout 600 s × 3 attempts)`, or capped by a total timer. */
export function mayTakeWords(take: MayTake): string {
  const perAttempt = `${take.timeout.knob} ${spokenDuration(take.perAttemptMs)}${take.attempts > 1 ? ` × ${take.attempts} attempts` : ''}`;
  const capped = take.cap ? `${perAttempt}, capped by ${take.cap.knob} ${spokenDuration(take.cap.ms!)}` : perAttempt;
  // The fallback is an nginx error_page location or the fallback models of an LLM gateway.
  const detail = take.fallback ? `${capped}, then ${spokenDuration(take.fallback.ms)} in its fallback` : capped;
  return `may take ${spokenDuration(take.ms)} (${detail})`;
}

/** `runs in: browser ('use client' at app/chat/page.tsx:1)` for a call in code; undefined for other hops. */
export function runtimeWords(decision: RuntimeDecision): string {
  return `${decision.runtime} (${decision.evidence})`;
}

export function runtimeLine(hop: Hop): string | undefined {
  return hop.runtime ? `runs in: ${runtimeWords(hop.runtime)}` : undefined;
}

/** Flags of a hop, in a fixed order: `POST`, `LLM`, `streaming`. */
export function flagsOf(hop: Hop): string[] {
  const flags: string[] = [];
  if (hop.method) flags.push(hop.method);
  if (hop.llm) flags.push('LLM');
  if (hop.streaming === true || (hop.stream?.streams.length ?? 0) > 0) flags.push('streaming');
  return flags;
}

/** The key that makes a hop shared between chains one node in a graph: the same label at the same place. */
export function hopKey(hop: Hop): string {
  return `${hop.label}\u0000${hop.span.file}\u0000${hop.span.start}`;
}

/** `1 chain`, `12 chains`. */
export function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/**
 * One line for a code lens or a title: `nginx 60 s (default) → chat-api → POST /v1/chat → openai 2 min ×2`.
 * Each gateway or caller shows when it gives up, each outbound call what it may take per attempt and
 * how many attempts (or its total timer), a stream whose timers only bound silence `(stream)`;
 * workloads and servers are left out (the Service names the service); `?` marks where a chain stops.
 */
export function chainSummary(chain: Chain): string {
  const budgets = budgetsOf(chain);
  const parts: string[] = [];
  chain.hops.forEach((hop, index) => {
    const word = hopWord(hop);
    if (word === undefined) return;
    const { giveUp, mayTake: take } = budgets[index]!;
    let value = '';
    if ((hop.kind === 'outbound-call' || index === chain.hops.length - 1) && take) {
      // A total timer over all attempts is what the caller waits at most; else one attempt's timer × attempts.
      const timer = take.cap ?? take.timeout;
      const each = take.cap ? take.ms : take.perAttemptMs;
      value = ` ${spokenDuration(each)}${timer.source === 'default' ? ' (default)' : ''}${!take.cap && take.attempts > 1 ? ` ×${take.attempts}` : ''}`;
    } else if (giveUp) {
      value = ` ${spokenDuration(giveUp.ms)}${giveUp.timeout.source === 'default' ? ' (default)' : ''}`;
    }
    if (value === '' && hop.streaming === true) value = ' (stream)';
    parts.push(`${word}${value}`);
  });
  if (chain.unresolved) parts.push('?');
  return parts.join(' → ');
}

/** The short name of a hop in a summary; undefined for hops the neighbours already name. */
function hopWord(hop: Hop): string | undefined {
  switch (hop.ref.kind) {
    case 'nginx':
      return 'nginx';
    case 'ingress':
      return 'Ingress';
    case 'gateway-route':
      return hop.ref.route.kind;
    case 'virtual-service':
      return 'VirtualService';
    case 'knative':
      return `Knative ${hop.ref.service.object.name?.text ?? ''}`.trim();
    case 'k8s-service':
      return hop.ref.service.object.name?.text ?? 'Service';
    case 'compose':
      return hop.ref.service.name;
    case 'workload':
      return hop.ref.ingressController ? 'ingress-nginx' : undefined;
    case 'ts-server':
    case 'framework-server':
      return undefined;
    case 'ts-route':
      return `${hop.ref.route.method} ${hop.ref.route.path ?? '(dynamic path)'}`;
    case 'ts-call':
      return hop.kind === 'client-call' ? `client ${hop.ref.call.library}` : hop.ref.call.library;
    case 'db-client':
      return hop.ref.use.client.library;
    default:
      // Hops of other inputs (HAProxy, load balancers, LLM gateways) are named by their label: never left out of the summary.
      return hop.label;
  }
}
