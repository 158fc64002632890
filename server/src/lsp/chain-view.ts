// Call chains in the editor: code lenses on the routes and handlers chains pass through, the chains at a position for the Show call chain view, and a hover section.
import { chainsOf } from '../engine/chain/chains.js';
import type { Chain, Hop, HopKind } from '../engine/chain/chain-types.js';
import { hopPosition, hopValueMeaning } from './hover.js';
import { attemptsWords, budgetsOf, ChainLocator, chainSummary, flagsOf, giveUpWords, mayTakeWords, sourceWords, valueWords } from '../engine/chain/describe.js';
import type { WorkspaceModel } from '../engine/workspace-model.js';
import type { FileId, Span } from '../engine/types.js';
import type { LensItem } from './code-lens.js';
import type { RangeMaker } from './convert.js';
import type { ChainHop, RouteChain } from './route-chain.js';

/** Hops a user reads as "the route": a lens sits on each, and the chain view opens from each. */
const ROUTE_HOPS: ReadonlySet<HopKind> = new Set(['nginx-location', 'ingress-path', 'gateway-route', 'virtual-service', 'knative-service', 'route-handler', 'database']);

/** At most this many chains are drawn for one position; the title says how many there are. */
const MAX_VIEW_CHAINS = 12;

interface HopChains {
  hop: Hop;
  model: WorkspaceModel;
  chains: Chain[];
  /** Where the hop is written: in the template for a hop of a rendered Helm or Ansible template. */
  span: Span;
}

/** A span where the workspace writes it (a rendered template's span in the template). */
function placedIn(model: WorkspaceModel, span: Span): Span {
  return model.placeSpan?.(span) ?? span;
}

/** Route hops written in `file`, each with every chain through it (deduplicated over the units that share a model). */
export function routeHopsIn(models: readonly WorkspaceModel[], file: FileId): HopChains[] {
  const byKey = new Map<string, HopChains>();
  for (const model of new Set(models)) {
    for (const chain of chainsOf(model).chains) {
      // A lone gateway is no chain: the nginx lens and route view already show it.
      if (chain.hops.length < 2) continue;
      for (const hop of chain.hops) {
        if (!ROUTE_HOPS.has(hop.kind)) continue;
        const span = placedIn(model, hop.span);
        if (span.file !== file) continue;
        const key = `${hop.kind}:${span.start}`;
        const entry = byKey.get(key) ?? { hop, model, chains: [], span };
        if (!entry.chains.includes(chain)) entry.chains.push(chain);
        byKey.set(key, entry);
      }
    }
  }
  return [...byKey.values()];
}

/**
 * One lens per route hop in the file, summarising the chain through it
 * (`chain: nginx 60 s (default) → chat-api → POST /v1/chat → openai 2 min ×2`); the longest chain
 * stands for the rest, which are counted. The title is worded on resolve. Clicking opens the call-chain view.
 */
export function chainLensItems(models: readonly WorkspaceModel[], file: FileId, ranges: RangeMaker): LensItem[] {
  return routeHopsIn(models, file).map(({ hop, chains, span }) => ({
    range: ranges.of(file, span.start, span.start),
    title: () => `chain: ${chainSummary(representative(hop, chains))}${chains.length > 1 ? ` (+${chains.length - 1} more)` : ''}`,
  }));
}

/** The chains through the route hop on `line` (the innermost one when several enclose it), drawn hop by hop. */
export function chainRoutesAt(models: readonly WorkspaceModel[], file: FileId, line: number, ranges: RangeMaker, locate?: (span: Span) => ChainHop['location']): RouteChain[] {
  const candidates = routeHopsIn(models, file).filter(({ hop, span }) => {
    const extent = extentOf(hop, span);
    const start = ranges.of(file, extent.start, extent.start).start.line;
    const end = ranges.of(file, extent.end, extent.end).start.line;
    return start <= line && line <= end;
  });
  const size = (h: HopChains) => extentOf(h.hop, h.span).end - extentOf(h.hop, h.span).start;
  const found = candidates.sort((a, b) => size(a) - size(b))[0];
  if (!found) return [];
  const locator = new ChainLocator(found.model);
  const chains = sortChains(found.hop, found.chains);
  return chains.slice(0, MAX_VIEW_CHAINS).map((chain, i) => {
    const route = `${chainSummary(chain)}${i === 0 && chains.length > MAX_VIEW_CHAINS ? ` (${MAX_VIEW_CHAINS} of ${chains.length} chains)` : ''}`;
    return { route, hops: viewHops(chain, locator, locate) };
  });
}

/** Markdown for a hover over a route hop: the chains through it, one summary line each. */
export function chainHoverSection(models: readonly WorkspaceModel[], file: FileId, line: number, ranges: RangeMaker): string | undefined {
  const chains = chainRoutesAt(models, file, line, ranges);
  if (chains.length === 0) return undefined;
  const lines = chains.slice(0, 5).map((c) => `- ${escapeMarkdown(c.route)}`);
  if (chains.length > 5) lines.push(`- …and ${chains.length - 5} more (timeout-lint: Show call chain)`);
  return [`**Call chain${chains.length > 1 ? 's' : ''} through this hop**`, ...lines].join('\n');
}

function viewHops(chain: Chain, locator: ChainLocator, locate?: (span: Span) => ChainHop['location']): RouteChain['hops'] {
  const budgets = budgetsOf(chain);
  return chain.hops.map((hop, index) => {
    const flags = flagsOf(hop);
    const timeouts = hop.timeouts.map((t) => ({ name: t.knob, value: valueWords(t), source: sourceWords(hop, t, locator) }));
    if (hop.attempts) timeouts.push({ name: 'attempts', value: String(hop.attempts.count), source: attemptsWords(hop, hop.attempts, locator) });
    if (hop.runtime) timeouts.push({ name: 'runs in', value: hop.runtime.runtime, source: hop.runtime.evidence });
    if (hop.keepAlive) timeouts.push({ name: `keep-alive ${hop.keepAlive.knob}`, value: valueWords(hop.keepAlive), source: sourceWords(hop, hop.keepAlive, locator) });
    const { giveUp, mayTake } = budgets[index]!;
    if (giveUp) timeouts.push({ name: 'gives up', value: giveUpWords(giveUp).replace(/^gives up after /, ''), source: 'stops waiting for the hops behind it' });
    if (mayTake) timeouts.push({ name: 'may take', value: mayTakeWords(mayTake).replace(/^may take /, ''), source: 'its own timers, times its attempts' });
    const stop = index === chain.hops.length - 1 && chain.unresolved ? ` — the chain stops here: ${chain.unresolved.message}` : '';
    // How an inferred link was made (a mount prefix, a placeholder default), as in `timeout-lint chains`.
    const linked = (hop.evidence ?? []).map((e) => ` — linked by ${e.text}${e.span ? ` (${locator.where(e.span)})` : ''}`).join('');
    const location = hop.span.file !== '' ? locate?.(locator.placed(hop.span)) : undefined;
    return { title: hop.label, detail: `${locator.where(hop.span)}${flags.length > 0 ? ` [${flags.join(', ')}]` : ''}${linked}${stop}`, timeouts, ...(location ? { location } : {}) };
  });
}

/**
 * The text a hop stands for: an nginx location's whole block (the hop's own span is its header), else
 * the hop's span; for a hop of a rendered template, where the template writes it.
 */
function extentOf(hop: Hop, placed: Span): { start: number; end: number } {
  if (placed !== hop.span) return placed;
  const block = hop.ref.kind === 'nginx' ? hop.ref.location.directive?.span : undefined;
  return block && block.file === hop.span.file ? block : hop.span;
}

/** The chain a lens names: one that links to its end before one that stops, then one that starts at this hop, then the longest. */
function representative(hop: Hop, chains: Chain[]): Chain {
  return sortChains(hop, chains)[0]!;
}

function sortChains(hop: Hop, chains: readonly Chain[]): Chain[] {
  const startsHere = (chain: Chain) => Number(chain.hops[0]!.span.file === hop.span.file && chain.hops[0]!.span.start === hop.span.start);
  const linked = (chain: Chain) => Number(chain.unresolved === undefined);
  return [...chains].sort((a, b) => linked(b) - linked(a) || startsHere(b) - startsHere(a) || b.hops.length - a.hops.length);
}

function escapeMarkdown(text: string): string {
  return text.replace(/([\\`*_[\]<>])/g, '\\$1');
}

/**
 * Markdown for a hover over a timeout value that takes part in a call chain, wherever it is written
 * (an Ingress annotation, a ConfigMap key, a VirtualService field, an SDK option, a container env
 * value the code reads): the knob, its effective value and source, and the chains through its hop.
 */
export function timeoutHoverAt(models: readonly WorkspaceModel[], file: FileId, offset: number): string | undefined {
  const found = new Map<string, { hop: Hop; knob: string; value: string; source: string; meaning: string; chains: Chain[]; model: WorkspaceModel }>();
  for (const model of new Set(models)) {
    const locator = new ChainLocator(model);
    // A value a rendered template prints is hovered where the template (or its values file) writes it.
    const within = (written: Span | undefined) => {
      const span = written && locator.placed(written);
      return span !== undefined && span.file === file && span.start <= offset && offset <= span.end;
    };
    for (const chain of chainsOf(model).chains) {
      for (const hop of chain.hops) {
        const timeouts = [...hop.timeouts, ...(hop.keepAlive ? [hop.keepAlive] : [])];
        for (const t of timeouts) {
          if (!within(t.span) && !within(t.env?.valueSpan)) continue;
          const key = `${hop.label}\0${t.knob}`;
          const entry = found.get(key) ?? { hop, knob: t.knob, value: valueWords(t), source: sourceWords(hop, t, locator), meaning: hopValueMeaning(t), chains: [], model };
          if (!entry.chains.includes(chain)) entry.chains.push(chain);
          found.set(key, entry);
        }
        if (hop.attempts && within(hop.attempts.span)) {
          const key = `${hop.label}\0${hop.attempts.knob}`;
          const entry = found.get(key) ?? { hop, knob: hop.attempts.knob, value: `${hop.attempts.count} attempts`, source: attemptsWords(hop, hop.attempts, locator), meaning: hopValueMeaning(hop.attempts), chains: [], model };
          if (!entry.chains.includes(chain)) entry.chains.push(chain);
          found.set(key, entry);
        }
      }
    }
  }
  if (found.size === 0) return undefined;
  return [...found.values()].slice(0, 4).map(({ hop, knob, value, source, meaning, chains }) => {
    const sorted = sortChains(hop, chains);
    const lines = [`**${escapeMarkdown(knob)}** of ${escapeMarkdown(hop.label)}`, `Effective value: \`${value}\` — ${escapeMarkdown(source)}`, escapeMarkdown(meaning), `In ${chains.length} call chain${chains.length === 1 ? '' : 's'}:`];
    // The hop's place in each chain: the same hop (a gateway) is the first of one chain and the second of another.
    lines.push(...sorted.slice(0, 3).map((c) => `- ${hopPosition(c, hop)}: ${escapeMarkdown(chainSummary(c))}`));
    if (sorted.length > 3) lines.push(`- …and ${sorted.length - 3} more`);
    return lines.join('  \n');
  }).join('\n\n---\n\n');
}
