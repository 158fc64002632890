// The `timeoutLint/routeChain` request: the hops of an nginx route and their effective timeouts, for the call-chain view.
import { NGINX_KNOBS_BY_NAME } from '../engine/inputs/nginx/knobs.js';
import { blockLabel, describeSource, effectiveValue, upstreamNamed, type NginxBlock, type NginxModel } from '../engine/inputs/nginx/model.js';
import type { Range } from 'vscode-languageserver/node';
import type { FileId, Span } from '../engine/types.js';

export const ROUTE_CHAIN_REQUEST = 'timeoutLint/routeChain';

export interface RouteChainParams {
  textDocument: { uri: string };
  position: { line: number; character: number };
}

export interface ChainTimeout {
  name: string;
  value: string;
  /** "set at nginx/api.conf:14", "inherited from server at …", "nginx default; timeout-facts §1.3". */
  source: string;
}

export interface ChainHop {
  title: string;
  detail: string;
  timeouts: ChainTimeout[];
  /** Where the hop is written, for the view's link that opens it. */
  location?: { uri: string; range: Range };
}

export interface RouteChain {
  route: string;
  hops: ChainHop[];
}

const CLIENT_SIDE = ['client_header_timeout', 'client_body_timeout', 'send_timeout', 'keepalive_timeout'];
const UPSTREAM_SIDE = ['connect_timeout', 'send_timeout', 'read_timeout', 'next_upstream_tries', 'next_upstream_timeout'];

/** The chains of the locations in `file` that contain `offset` (innermost first), one per including context. */
export function routeChainsAt(models: readonly NginxModel[], file: FileId, offset: number, place: (span: Span) => string): RouteChain[] {
  const chains: RouteChain[] = [];
  const seen = new Set<string>();
  for (const model of models) {
    const locations = model.locations
      .filter((b) => b.directive && b.directive.span.file === file && b.directive.span.start <= offset && offset <= b.directive.span.end)
      .sort((a, b) => b.directive!.span.start - a.directive!.span.start);
    const location = locations[0];
    if (!location) continue;
    const chain = chainOf(model, location, place);
    const key = JSON.stringify(chain);
    if (!seen.has(key)) {
      seen.add(key);
      chains.push(chain);
    }
  }
  return chains;
}

function chainOf(model: NginxModel, location: NginxBlock, place: (span: Span) => string): RouteChain {
  const server = ancestor(location, 'server');
  const timeouts = (names: string[]) =>
    names.flatMap((name): ChainTimeout[] => {
      const value = NGINX_KNOBS_BY_NAME.has(name) ? effectiveValue(location, name) : undefined;
      return value ? [{ name, value: value.text, source: describeSource(value, place) }] : [];
    });
  const hops: ChainHop[] = [
    { title: 'client', detail: 'the browser or API caller', timeouts: [] },
    {
      title: `nginx ${server ? blockLabel(server) : ''}`.trim(),
      detail: `${blockLabel(location)} (${place(location.directive!.span)})`,
      timeouts: timeouts(CLIENT_SIDE),
    },
  ];
  const target = location.proxyTarget;
  if (target) {
    const family = target.via.replace(/_pass$/, '');
    const upstream = target.host ? upstreamNamed(model, target.host) : undefined;
    hops.push({
      title: target.raw,
      detail: upstream ? `upstream ${upstream.name}: ${upstream.servers.map((s) => s.address).join(', ') || 'no servers'}` : `${target.via} at ${place(target.span)}`,
      timeouts: timeouts(UPSTREAM_SIDE.map((suffix) => `${family}_${suffix}`)),
    });
  }
  return { route: blockLabel(location), hops };
}

function ancestor(block: NginxBlock, kind: NginxBlock['kind']): NginxBlock | undefined {
  for (let current = block.parent; current; current = current.parent) if (current.kind === kind) return current;
  return undefined;
}
