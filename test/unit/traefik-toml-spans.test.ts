// The TOML place finder: smol-toml keeps no positions, so every value's token is found by its key path (tables, array tables, dotted keys, inline tables, arrays).
import { describe, expect, it } from 'vitest';
import { tomlPathKey, tomlPlaces } from '../../server/src/engine/inputs/traefik/toml-spans.js';

/** The text at the place of each path, or undefined when it is not placed. */
function at(text: string, ...paths: Array<Array<string | number>>): Array<string | undefined> {
  const places = tomlPlaces(text);
  return paths.map((p) => {
    const place = places.get(tomlPathKey(p));
    return place ? text.slice(place.start, place.end) : undefined;
  });
}

describe('tomlPlaces', () => {
  it('places a string value inside its quotes, and other values as written', () => {
    const text = '[entryPoints.web]\n  address = ":80"\n  [entryPoints.web.transport.respondingTimeouts]\n    readTimeout = 600 # seconds\n    idleTimeout = \'3m\'\n';
    expect(at(text, ['entryPoints', 'web', 'address'], ['entryPoints', 'web', 'transport', 'respondingTimeouts', 'readTimeout'], ['entryPoints', 'web', 'transport', 'respondingTimeouts', 'idleTimeout'])).toStrictEqual([':80', '600', '3m']);
  });

  it('follows dotted keys and quoted key parts', () => {
    const text = 'serversTransport.forwardingTimeouts.responseHeaderTimeout = "45s"\n[http.routers."my.router"]\nrule = "PathPrefix(`/api`)"\n';
    expect(at(text, ['serversTransport', 'forwardingTimeouts', 'responseHeaderTimeout'], ['http', 'routers', 'my.router', 'rule'])).toStrictEqual(['45s', 'PathPrefix(`/api`)']);
  });

  it('numbers array tables in order and places their keys', () => {
    const text = '[[http.services.api.loadBalancer.servers]]\n  url = "http://a:1"\n[[http.services.api.loadBalancer.servers]]\n  url = "http://b:2"\n';
    const base = ['http', 'services', 'api', 'loadBalancer', 'servers'];
    expect(at(text, [...base, 0, 'url'], [...base, 1, 'url'])).toStrictEqual(['http://a:1', 'http://b:2']);
  });

  it('places items of inline arrays and keys of inline tables, across lines', () => {
    const text = '[http.services.api.loadBalancer]\nservers = [\n  { url = "http://a:1" },\n  { url = "http://b:2" }, # second\n]\nmiddlewares = ["retry", "auth"]\n';
    const base = ['http', 'services', 'api', 'loadBalancer'];
    expect(at(text, [...base, 'servers', 0, 'url'], [...base, 'servers', 1, 'url'], [...base, 'middlewares', 1])).toStrictEqual(['http://a:1', 'http://b:2', 'auth']);
  });

  it('places a table by its header and leaves paths it cannot read unplaced, without throwing', () => {
    const text = '[http.serversTransports.slow]\n= broken\nkey = """multi\nline"""\n[unclosed\n';
    expect(at(text, ['http', 'serversTransports', 'slow'], ['http', 'serversTransports', 'slow', 'key'])).toStrictEqual(['[http.serversTransports.slow]', 'multi\nline']);
    expect(() => tomlPlaces('a = [ { b = "c" ')).not.toThrow();
  });
});
