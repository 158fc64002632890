// Hover on an nginx timeout directive or location: the effective value, where it comes from, and the route (findings are the editor's diagnostics).
import { MarkupKind, type Hover } from 'vscode-languageserver/node';
import { blockLabel, describeSource, type NginxBlock, type NginxModel } from '../engine/inputs/nginx/model.js';
import { callRuntimeOf, runtimeWords } from '../engine/inputs/ts/runtime.js';
import type { Chain, Hop, HopAttempts, HopTimeout } from '../engine/chain/chain-types.js';
import type { WorkspaceModel } from '../engine/workspace-model.js';
import type { FileId, Span } from '../engine/types.js';
import { blocksOpenedBy, directiveSitesAt, knobValueAt, routeSummary, type DirectiveSite } from './nginx-sites.js';

export interface HoverInput {
  models: readonly NginxModel[];
  file: FileId;
  offset: number;
  /** `nginx/conf.d/api.conf:14` for a span. */
  place(span: Span): string;
}

/** At most this many including blocks are listed for a snippet directive; the rest are counted. */
const MAX_SITES = 5;

export function hoverAt(raw: HoverInput): Hover | null {
  // Paths can hold Markdown characters (`my_site.conf`): every place is escaped once, here.
  const input: HoverInput = { ...raw, place: (span) => escape(raw.place(span)) };
  const sites = directiveSitesAt(input.models, input.file, input.offset);
  const sections: string[] = [];
  const knobSites = sites.filter((s) => knobValueAt(s) !== undefined);
  for (const site of knobSites.slice(0, MAX_SITES)) sections.push(knobSection(site, input));
  if (knobSites.length > MAX_SITES) sections.push(`…and ${knobSites.length - MAX_SITES} more blocks include this directive.`);
  if (knobSites.length === 0) {
    const location = sites.find((s) => s.directive.name === 'location');
    if (location) sections.push(...locationSections(location, input));
  }
  if (sections.length === 0) return null;
  // Findings are not listed: the editor shows each diagnostic in the hover already, with its
  // headline, its details and its chain (lsp/convert.ts), so listing them here showed them twice (#18).
  // No range: the client highlights the word under the cursor, which is what was hovered.
  return { contents: { kind: MarkupKind.Markdown, value: sections.join('\n\n---\n\n') } };
}

function knobSection(site: DirectiveSite, input: HoverInput): string {
  const value = knobValueAt(site)!;
  const where = blockWhere(site.block, input);
  const lines = [`**${site.directive.name}** in ${where}`];
  const shown = value.unresolved ? `\`${value.text}\` (an envsubst placeholder, resolved when the container starts)` : `\`${value.text}\``;
  const takesEffect = value.source.kind !== 'default' && value.source.directive === site.directive;
  let source = describeSource(value, input.place);
  if (value.source.kind === 'set' && takesEffect) source = `set here (${input.place(value.source.directive.span)})`;
  lines.push(`Effective value: ${shown} — ${source}`);
  if (value.invalid) lines.push(`nginx rejects this value (${value.invalid}); \`nginx -t\` fails.`);
  if (!takesEffect) {
    const why = site.block.kind === 'if'
      ? 'nginx rejects timeouts inside `if`, so this one never takes effect'
      : 'another occurrence of this directive in the block is the one nginx uses';
    lines.push(`This occurrence does not take effect: ${why}.`);
  }
  const route = routeOf(site.block);
  if (route) lines.push(`Route: ${route.summary} (${escape(blockLabel(route.block))})`);
  return lines.join('  \n');
}

function locationSections(site: DirectiveSite, input: HoverInput): string[] {
  return blocksOpenedBy(input.models, site.directive).flatMap((block) => {
    const summary = routeSummary(block);
    return summary ? [`**${escape(blockLabel(block))}** in ${blockWhere(block.parent ?? block, input)}  \nRoute: ${summary}`] : [];
  });
}

/** The route of the nearest enclosing location (or `if`) that proxies somewhere. */
function routeOf(block: NginxBlock): { summary: string; block: NginxBlock } | undefined {
  for (let current: NginxBlock | undefined = block; current; current = current.parent) {
    const summary = routeSummary(current);
    if (summary) return { summary, block: current };
    if (current.kind === 'server' || current.kind === 'http') return undefined;
  }
  return undefined;
}

function blockWhere(block: NginxBlock, input: HoverInput): string {
  const label = `\`${escape(blockLabel(block))}\``;
  return block.directive ? `${label} (${input.place(block.directive.span)})` : label;
}

/**
 * Markdown for a hover over an outbound HTTP call in code: where the code runs, with the evidence
 * (`runs in: browser ('use client' at app/chat/page.tsx:1)`), so a browser-level finding explains itself.
 */
export function runtimeHoverAt(models: readonly WorkspaceModel[], file: FileId, offset: number): string | undefined {
  for (const model of models) {
    const facts = model.ts.files.get(file);
    const call = facts?.calls.find((c) => c.span.start <= offset && offset <= c.span.end);
    if (!facts || !call) continue;
    return `**${escape(call.library)} call** runs in: ${escape(runtimeWords(callRuntimeOf(model.ts.packages, file, facts, call)))}`;
  }
  return undefined;
}

/** What a timer of each kind bounds (timeout-facts.md §0): the same words for every hop kind. */
const KIND_MEANING: Record<HopTimeout['kind'], string> = {
  connect: 'bounds setting up a connection to the next hop',
  idle: 'bounds each silence of the next hop (reset by every byte it sends)',
  'time-to-headers': 'bounds the wait for the response headers (or first chunk of a stream)',
  total: 'bounds the whole request, however much the next hop sends',
  'request-receive': 'bounds receiving the request from the client',
  keepalive: 'how long an idle pooled connection is kept for reuse',
};

/**
 * The meaning of a hop's value in words, for hovers on any hop's value (HAProxy, Terraform,
 * LiteLLM, Kubernetes, code, …): what the timer bounds, per attempt or for all of them, and
 * the section of timeout-facts.md that gives its default and semantics.
 */
export function hopValueMeaning(value: HopTimeout | HopAttempts): string {
  if (!('kind' in value)) {
    const retried = value.retriesTimeouts ? 'a timed-out attempt is tried again' : 'only connection failures are tried again, not a timed-out attempt';
    return `Meaning: how many times the hop sends the request (retries + 1); ${retried}${value.factsRef ? ` (timeout-facts ${value.factsRef})` : ''}.`;
  }
  const scope = value.perAttempt ? ', for each attempt' : '';
  const off = value.disabled ? ' This value switches the timer off.' : '';
  return `Meaning: ${value.kind} timeout, ${KIND_MEANING[value.kind]}${scope}${value.factsRef ? ` (timeout-facts ${value.factsRef})` : ''}.${off}`;
}

/** Where a hop stands in a chain: `hop 2 of 3`. */
export function hopPosition(chain: Chain, hop: Hop): string {
  return `hop ${chain.hops.indexOf(hop) + 1} of ${chain.hops.length}`;
}

function escape(text: string): string {
  return text.replace(/([\\`*_[\]<>])/g, '\\$1');
}
