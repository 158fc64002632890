// Which nginx block really serves a request once a location is chosen (try_files @named, error_page re-runs), and values nginx takes from elsewhere (the default server's client_header_timeout, an upstream's failure window).
import { effectiveValue, firstDirective, type EffectiveValue, type NginxBlock, type NginxModel, type NginxUpstream } from './model.js';
import { listenPortsOf, selectLocation } from './routing.js';

/**
 * The location that proxies a request routed to `location`: the location itself when it proxies,
 * else the named location its `try_files … @name` falls back to (the files tried are not in the
 * workspace, so the fallback is where a proxied request ends up). Undefined when neither proxies.
 */
export function servingLocation(server: NginxBlock, location: NginxBlock): NginxBlock | undefined {
  if (location.proxyTarget) return location;
  const tryFiles = firstDirective(location, 'try_files');
  const last = tryFiles?.args.at(-1)?.value;
  if (!last?.startsWith('@')) return undefined;
  const named = namedLocation(server, last);
  return named?.proxyTarget ? named : undefined;
}

/** A named location (`@name`) of a server: named locations are only allowed at server level. */
export function namedLocation(server: NginxBlock, name: string): NginxBlock | undefined {
  return server.children.find((c) => c.kind === 'location' && c.location?.modifier === '@' && c.location.pattern === name);
}

/**
 * Where nginx runs the request again when the location fails with `status` (`error_page 504 =
 * @fallback`, or a local URI): a named or matched location of the same server, with that
 * location's own timeouts, so the waits add up (facts §1.3 error_page row, measured s11). Only the
 * innermost level that has `error_page` directives counts (nginx does not merge the lists), a
 * redirect to another site (`http://…`) re-runs nothing, and `recursive_error_pages` is off by
 * default, so the fallback's own `error_page` is not followed.
 */
export function errorPageFallback(server: NginxBlock, location: NginxBlock, status: number): NginxBlock | undefined {
  for (let block: NginxBlock | undefined = location; block; block = block.parent) {
    const pages = block.statements.filter((d) => d.name === 'error_page');
    if (pages.length === 0) continue;
    for (const page of pages) {
      const args = page.args.map((a) => a.value);
      const target = args.at(-1);
      const codes = args.slice(0, -1).filter((a) => /^\d{3}$/.test(a)).map(Number);
      if (!target || !codes.includes(status)) continue;
      if (target.startsWith('@')) return namedLocation(server, target);
      if (target.startsWith('/')) return selectLocation(server, target.split('?')[0]!);
      return undefined;
    }
    return undefined;
  }
  return undefined;
}

/**
 * The server whose settings a connection on `port` starts with: the `default_server` of the port,
 * else the first server listening on it (nginx-routing's rule). nginx reads the request header
 * with these settings before the Host header picks a name-based server.
 */
export function defaultServerOf(model: NginxModel, port: number): NginxBlock | undefined {
  const onPort = model.servers.filter((s) => s.parent?.kind === 'http' && listenPortsOf(s).some((l) => l.port === port));
  return onPort.find((s) => listenPortsOf(s).some((l) => l.port === port && l.defaultServer)) ?? onPort[0];
}

/**
 * `client_header_timeout` for a request that lands in `server` on `port`: the value of the port's
 * default server, not of `server` (facts §1.2: the timer is armed when the connection is accepted,
 * measured s24). `port` defaults to the server's first listen port.
 */
export function clientHeaderTimeout(model: NginxModel, server: NginxBlock, port?: number): EffectiveValue | undefined {
  const listenPort = port ?? listenPortsOf(server)[0]?.port;
  const base = listenPort === undefined ? server : (defaultServerOf(model, listenPort) ?? server);
  return effectiveValue(base, 'client_header_timeout');
}

/**
 * How long every server of the group stays unavailable after a request in which each of them
 * failed (timed out or refused): nginx then answers 502 "no live upstreams" at once, without a
 * try (facts §1.3, measured s20). Undefined when one failed request does not take the whole group
 * out: a group with one server (never unavailable), or a server with `max_fails` other than 1
 * (`0` turns the accounting off; more needs more failures).
 */
export function noLiveUpstreamsWindowMs(upstream: NginxUpstream): number | undefined {
  const live = upstream.servers.filter((s) => !s.down);
  if (upstream.servers.length <= 1 || live.length === 0) return undefined;
  // With max_fails=N a server needs N failures inside the window; one failed request marks it only at N = 1 (the default).
  if (live.some((s) => s.maxFails !== 1 || s.failTimeoutMs === undefined)) return undefined;
  return Math.min(...live.map((s) => s.failTimeoutMs!));
}
