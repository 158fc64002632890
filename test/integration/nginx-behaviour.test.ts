// Behaviour suite: a real nginx and a slow Node upstream; each probe checks that the model predicts when nginx gives up and how many tries it makes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mayTake } from '../../server/src/engine/chain/budget.js';
import type { Hop } from '../../server/src/engine/chain/chain-types.js';
import { nginxLocationHop } from '../../server/src/engine/inputs/nginx/hops.js';
import { clientHeaderTimeout, noLiveUpstreamsWindowMs, servingLocation } from '../../server/src/engine/inputs/nginx/serving.js';
import { routeRequest } from '../../server/src/engine/inputs/nginx/routing.js';
import { buildNginxModel, effectiveValue, upstreamNamed, type NginxModel } from '../../server/src/engine/inputs/nginx/model.js';
import { parseNginxConfig } from '../../server/src/engine/inputs/nginx/parser.js';
import { MemoryFs } from '../../server/src/engine/workspace-fs.js';
import { INCLUDED, MAIN_CONF } from './nginx-behaviour-config.js';
import { ask, keepAliveIdle, requestWithoutReading, stallAndWaitForClose, type Answer } from './nginx-behaviour-clients.js';
import { Blackhole, freePorts, NGINX, PrivateNginx, SlowUpstream } from './nginx-behaviour-harness.js';

/** The machine is shared: timers fire late under load, never early; the bound is wide enough for that and narrow enough to tell 1 s from 2 s. */
const TOLERANCE_MS = 400;

if (!NGINX) console.warn('SKIPPED: the nginx behaviour suite, because no nginx binary is installed (CI installs the Debian nginx package).');

type Probe =
  /** The upstream never answers: nginx gives up after the model's time, with the model's number of tries. */
  | { id: string; kind: 'stall'; host: string; path: string; port?: 'P' | 'Q'; method?: string; why: string }
  /** The upstream answers with `action`: nginx passes it on because every silence is shorter than the model's idle timer. */
  | { id: string; kind: 'completes'; host: string; path: string; action: string; longestSilenceMs: number; why: string }
  /** Headers and one chunk, then silence: the response is cut after the model's idle timer. */
  | { id: string; kind: 'cut'; host: string; path: string; why: string }
  /** Two requests in a row to a group whose servers all time out: the second one fails at once when the model says the group is unavailable. */
  | { id: string; kind: 'no-live'; host: string; path: string; why: string }
  /** A request header that stalls after `Host:`: the connection closes after the model's client_header_timeout. */
  | { id: string; kind: 'header'; host: string; port: 'P' | 'Q'; why: string }
  /** A request body that stalls: the connection closes after the model's client_body_timeout. */
  | { id: string; kind: 'body'; host: string; port: 'P' | 'Q'; path: string; why: string }
  /** An upstream that answers no SYN: nginx gives up after the model's connect timeout, once per try. */
  | { id: string; kind: 'connect'; host: string; path: string; why: string }
  /** A large request body the upstream does not read: nginx gives up after the model's proxy_send_timeout (504). */
  | { id: string; kind: 'upstream-send'; host: string; path: string; why: string }
  /** A client that stops reading a large answer: nginx gives up after the model's send_timeout (read from its access log). */
  | { id: string; kind: 'client-send'; host: string; path: string; why: string }
  /** An idle pooled upstream connection: nginx closes it after the model's upstream keepalive_timeout. */
  | { id: string; kind: 'upstream-keepalive'; host: string; path: string; why: string }
  /** An idle kept-alive connection: nginx closes it after the model's keepalive_timeout. */
  | { id: string; kind: 'keepalive'; host: string; path: string; why: string };

const M = 'main.test';
const PROBES: Probe[] = [
  { id: 'inh-http', kind: 'stall', host: M, path: '/inh-http/', why: 'http-level proxy_read_timeout is inherited' },
  { id: 'inh-loc', kind: 'stall', host: M, path: '/inh-loc/', why: 'a location value overrides http' },
  { id: 'inh-nested', kind: 'stall', host: M, path: '/nest/in/', why: 'a nested location inherits from its parent location' },
  { id: 'inh-nested-over', kind: 'stall', host: M, path: '/nest/over/', why: 'a nested location overrides its parent' },
  { id: 'inh-server', kind: 'stall', host: 'srv.test', path: '/x', why: 'a server value overrides http' },
  { id: 'inc-loc', kind: 'stall', host: M, path: '/inc/', why: 'an included snippet sets the location value' },
  { id: 'inc-glob', kind: 'stall', host: 'glob.test', path: '/x', why: 'a server from a globbed include' },
  { id: 'unit-ms', kind: 'stall', host: M, path: '/unit-ms/', why: '1500ms' },
  { id: 'unit-lenient', kind: 'stall', host: M, path: '/unit-lenient/', why: '0m1 is 1 s (bare number after a unit)' },
  { id: 'unit-quoted', kind: 'stall', host: M, path: '/unit-quoted/', why: '"1s 300ms" quoted' },
  { id: 'sel-exact', kind: 'stall', host: M, path: '/sel/exact', why: '= location wins' },
  { id: 'sel-prefix', kind: 'stall', host: M, path: '/sel/other', why: 'the prefix location' },
  { id: 'sel-regex', kind: 'stall', host: M, path: '/sel/x.slow', why: 'a regex beats a prefix' },
  { id: 'sel-caret', kind: 'stall', host: M, path: '/sel/caret/x.slow', why: '^~ stops the regex search' },
  { id: 'sel-root', kind: 'stall', host: M, path: '/nothing/else', why: 'location / catches the rest' },
  { id: 'srv-wild', kind: 'stall', host: 'a.wild.test', path: '/x', why: 'a leading wildcard server_name' },
  { id: 'srv-unknown', kind: 'stall', host: 'nobody.test', path: '/x', why: 'an unknown Host is served by the default_server' },
  { id: 'srv-default-not-first', kind: 'stall', host: 'nobody.test', port: 'Q', path: '/x', why: 'default_server wins over the first server of the port' },
  { id: 'srv-first-by-name', kind: 'stall', host: 'first.test', port: 'Q', path: '/x', why: 'a name-based server on the second port' },
  { id: 'ep-named', kind: 'stall', host: M, path: '/ep/named/', why: 'error_page 504 = @fallback adds the fallback time' },
  { id: 'ep-uri', kind: 'stall', host: M, path: '/ep/uri/', why: 'error_page 504 /uri re-runs in the matched location' },
  { id: 'ep-502-only', kind: 'stall', host: M, path: '/ep/502/', why: 'error_page for 502 does not catch a timeout' },
  { id: 'ep-no-recursion', kind: 'stall', host: M, path: '/ep/chain/', why: "the fallback's own error_page is not followed" },
  { id: 'ep-recursive', kind: 'stall', host: M, path: '/ep/rec/', why: 'recursive_error_pages on where the first error_page is used: the fallback\'s own error_page runs too' },
  { id: 'ep-recursive-fallback-only', kind: 'stall', host: M, path: '/ep/rec-fb-only/', why: 'recursive_error_pages on in the fallback alone changes nothing' },
  { id: 'ep-server', kind: 'stall', host: 'ep.test', path: '/x', why: 'a server-level error_page is inherited' },
  { id: 'tf-named', kind: 'stall', host: M, path: '/tf/missing', why: 'try_files … @named proxies in the named location' },
  { id: 'if-only', kind: 'stall', host: M, path: '/if/', why: "proxy_pass only inside if uses the location's timeouts" },
  { id: 'if-server', kind: 'stall', host: 'ifs.test', path: '/x', why: "proxy_pass only inside if uses the server's timeouts" },
  { id: 'le-only', kind: 'stall', host: M, path: '/le/', why: "proxy_pass only inside limit_except uses the location's timeouts" },
  { id: 'nu-two', kind: 'stall', host: M, path: '/nu/two/', why: 'each server of the group is tried once' },
  { id: 'nu-tries', kind: 'stall', host: M, path: '/nu/tries/', why: 'proxy_next_upstream_tries 2 of 3 servers' },
  { id: 'nu-all', kind: 'stall', host: M, path: '/nu/all/', why: 'three servers, three tries' },
  { id: 'nu-gate', kind: 'stall', host: M, path: '/nu/gate/', why: 'proxy_next_upstream_timeout 1.5 s with 1 s tries: 2 tries' },
  { id: 'nu-gate2', kind: 'stall', host: M, path: '/nu/gate2/', why: 'proxy_next_upstream_timeout 3 s with 2 s tries: 4 s, not 3 s' },
  { id: 'nu-gate3', kind: 'stall', host: M, path: '/nu/gate3/', why: 'proxy_next_upstream_timeout 2.5 s with 1 s tries: 3 tries' },
  { id: 'nu-gate-big', kind: 'stall', host: M, path: '/nu/gate-big/', why: 'a gate above all tries changes nothing' },
  { id: 'nu-error', kind: 'stall', host: M, path: '/nu/error/', why: 'proxy_next_upstream error: a timeout is not passed on' },
  { id: 'nu-off', kind: 'stall', host: M, path: '/nu/off/', why: 'proxy_next_upstream off' },
  { id: 'nu-post', kind: 'stall', host: M, path: '/nu/post/', method: 'POST', why: 'a sent POST is not passed on' },
  { id: 'nu-post-ni', kind: 'stall', host: M, path: '/nu/post-ni/', method: 'POST', why: 'non_idempotent passes a POST on' },
  { id: 'nu-down', kind: 'stall', host: M, path: '/nu/down/', why: 'a down server is never tried' },
  { id: 'nu-backup', kind: 'stall', host: M, path: '/nu/backup/', why: 'a backup server is tried after the primary failed' },
  { id: 'nu-down-backup', kind: 'stall', host: M, path: '/nu/down-backup/', why: 'down skipped, backup tried' },
  { id: 't-zero', kind: 'stall', host: M, path: '/t/zero/', why: 'proxy_read_timeout 0 times out at once' },
  { id: 'mf-default', kind: 'no-live', host: M, path: '/mf/default/', why: 'after all servers failed, "no live upstreams" answers at once' },
  { id: 'mf-zero', kind: 'no-live', host: M, path: '/mf/zero/', why: 'max_fails=0 keeps the servers live' },
  { id: 'mf-single', kind: 'no-live', host: M, path: '/mf/single/', why: 'a one-server group is never unavailable' },
  { id: 't-headers-in-time', kind: 'completes', host: M, path: '/t/', action: 'hdr:500', longestSilenceMs: 500, why: 'headers before the read timeout' },
  { id: 't-idle-resets', kind: 'completes', host: M, path: '/t/', action: 'gap:600:600', longestSilenceMs: 600, why: 'the read timeout bounds each silence, not the total' },
  { id: 'st-off-flows', kind: 'completes', host: M, path: '/st/off/', action: 'stream:300:6', longestSilenceMs: 300, why: 'a stream with short gaps, buffering off' },
  { id: 'st-on-flows', kind: 'completes', host: M, path: '/st/on/', action: 'stream:300:6', longestSilenceMs: 300, why: 'a stream with short gaps, buffering on' },
  { id: 'st-off-cut', kind: 'cut', host: M, path: '/st/off/', why: 'a stalled stream is cut after the read timeout, buffering off' },
  { id: 'st-on-cut', kind: 'cut', host: M, path: '/st/on/', why: 'a stalled stream is cut after the read timeout, buffering on' },
  { id: 'ch-default-server', kind: 'header', host: 'first.test', port: 'Q', why: "client_header_timeout of the port's default server, not of the named server" },
  { id: 'ch-own-server', kind: 'header', host: M, port: 'P', why: 'client_header_timeout of the default server itself' },
  { id: 'cb-chosen-server', kind: 'body', host: 'first.test', port: 'Q', path: '/x', why: 'client_body_timeout follows the chosen server' },
  { id: 'cb-location', kind: 'body', host: M, port: 'P', path: '/cb/', why: 'client_body_timeout set in the location' },
  { id: 'cn-silent-peer', kind: 'connect', host: M, path: '/cn/', why: 'proxy_connect_timeout against a peer that answers no SYN' },
  { id: 'cn-two-tries', kind: 'connect', host: M, path: '/cn/two/', why: 'a connect timeout is passed to the next server' },
  { id: 'ps-upstream-not-reading', kind: 'upstream-send', host: M, path: '/ps/', why: 'proxy_send_timeout bounds a write to an upstream that does not read' },
  { id: 'send-client-not-reading', kind: 'client-send', host: M, path: '/big/file.bin', why: 'send_timeout bounds a write to a client that does not read' },
  { id: 'upka-pool-idle', kind: 'upstream-keepalive', host: M, path: '/upka/', why: 'upstream keepalive_timeout closes an idle pooled connection' },
  { id: 'ka-location', kind: 'keepalive', host: M, path: '/ka/', why: 'keepalive_timeout in the location' },
  { id: 'ka-server', kind: 'keepalive', host: 'ka.test', path: '/x', why: 'keepalive_timeout in the server' },
  { id: 'ka-zero', kind: 'keepalive', host: M, path: '/ka/zero/', why: 'keepalive_timeout 0 closes after the response' },
];

interface Outcome {
  /** What the model says, in the probe's terms. */
  expected: Record<string, number | boolean>;
  measured: Record<string, number | boolean>;
  /** Keys compared within TOLERANCE_MS; the others must be equal. */
  timed: string[];
}

describe.skipIf(!NGINX)(`nginx behaviour (${NGINX ?? 'no nginx'}) agrees with the model`, () => {
  const upstream = new SlowUpstream();
  const blackhole = new Blackhole();
  const nginx = NGINX ? new PrivateNginx() : undefined;
  const outcomes = new Map<string, Outcome | Error>();
  let model: NginxModel;
  let ports = { P: 0, Q: 0 };
  let startedAt = 0;

  beforeAll(async () => {
    startedAt = performance.now();
    await upstream.start(3);
    await blackhole.start();
    const [p, q] = await freePorts(2);
    ports = { P: p!, Q: q! };
    const fill = (text: string) => text.replaceAll('@P@', String(p)).replaceAll('@Q@', String(q))
      .replaceAll('@U1@', String(upstream.ports[0])).replaceAll('@U2@', String(upstream.ports[1])).replaceAll('@U3@', String(upstream.ports[2])).replaceAll('@B@', String(blackhole.port));
    const files: Record<string, string> = { 'nginx.conf': fill(MAIN_CONF).replace('@TEMPS@', nginx!.tempPaths()) };
    for (const [file, text] of Object.entries(INCLUDED)) files[file] = fill(text);
    model = buildNginxModel(parseNginxConfig(new MemoryFs(files), 'nginx.conf', { absoluteIncludePrefix: 'root' }));
    nginx!.write(files);
    const rejected = nginx!.check();
    if (rejected) throw new Error(`nginx -t rejects the suite's configuration:\n${rejected}`);
    await nginx!.start(p!);
    const run = async (probe: Probe) => {
      try {
        outcomes.set(probe.id, await runProbe(probe));
      } catch (error) {
        outcomes.set(probe.id, error as Error);
      }
    };
    // Independent probes run at once: the suite takes as long as its slowest probe. The large
    // upload runs alone afterwards: it keeps this process (the upstream's too) busy long enough
    // to delay the upstream's own timers.
    // Every probe first computes what the model says (synchronous work), then waits for `release`:
    // no request is on its way while the event loop is busy with the model.
    const running = PROBES.filter((p) => p.kind !== 'upstream-send').map(run);
    release();
    await Promise.all(running);
    for (const probe of PROBES.filter((p) => p.kind === 'upstream-send')) await run(probe);
  }, 60_000);

  afterAll(async () => {
    nginx?.stop();
    blackhole.stop();
    await upstream.stop();
    console.info(`nginx behaviour suite: ${PROBES.length} probes in ${((performance.now() - startedAt) / 1000).toFixed(1)} s`);
  });

  it('has at least 40 probes', () => {
    expect(PROBES.length).toBeGreaterThanOrEqual(40);
  });

  it.each(PROBES.map((p) => [p.id, p.why, p] as const))('%s: %s', (_id, _why, probe) => {
    const outcome = outcomes.get(probe.id);
    if (outcome instanceof Error) throw outcome;
    expect(outcome, 'probe did not run').toBeDefined();
    const { expected, measured, timed } = outcome!;
    if (process.env.SHOW_PROBES) console.log(probe.id, JSON.stringify({ expected, measured }));
    for (const key of Object.keys(expected)) {
      const detail = `${key}: model ${String(expected[key])}, nginx ${String(measured[key])}\n${JSON.stringify({ expected, measured })}`;
      if (timed.includes(key)) {
        expect(Math.abs(Number(measured[key]) - Number(expected[key])), detail).toBeLessThanOrEqual(TOLERANCE_MS);
      } else {
        expect(measured[key], detail).toBe(expected[key]);
      }
    }
  });

  let release: () => void = () => undefined;
  const released = new Promise<void>((resolve) => { release = resolve; });

  async function runProbe(probe: Probe): Promise<Outcome> {
    const port = 'port' in probe && probe.port ? ports[probe.port] : ports.P;
    switch (probe.kind) {
      case 'stall': {
        const want = stallOf(probe.host, port, probe.path, probe.method);
        await released;
        const answer = await ask(port, probe.host, `${probe.path}?a=hang&p=${probe.id}`, probe.method ?? 'GET', probe.method === 'POST' ? 'body' : undefined);
        // With a zero read timeout nginx gives up before the upstream reads the request (or just after): no try count to compare.
        return {
          expected: want.ms > 0 ? { ms: want.ms, tries: want.attempts, status: 504 } : { ms: want.ms, status: 504 },
          measured: { ms: answer.ms, tries: upstream.hitsOf(probe.id), status: answer.status },
          timed: ['ms'],
        };
      }
      case 'completes': {
        const want = stallOf(probe.host, port, probe.path, undefined);
        await released;
        const answer = await ask(port, probe.host, `${probe.path}?a=${probe.action}&p=${probe.id}`);
        return {
          expected: { status: 200, complete: probe.longestSilenceMs < want.idleMs },
          measured: { status: answer.status, complete: !answer.truncated && answer.bodyBytes > 0 },
          timed: [],
        };
      }
      case 'cut': {
        const want = stallOf(probe.host, port, probe.path, undefined);
        await released;
        const answer = await ask(port, probe.host, `${probe.path}?a=stall&p=${probe.id}`);
        // The chunk sent before the stall reaches the client only when the hop streams (buffering off, facts §1.3 s15).
        return {
          expected: { ms: want.idleMs, status: 200, truncated: true, firstChunkDelivered: want.streaming },
          measured: { ms: answer.ms, status: answer.status, truncated: answer.truncated, firstChunkDelivered: answer.bodyBytes > 0 },
          timed: ['ms'],
        };
      }
      case 'no-live': {
        const want = stallOf(probe.host, port, probe.path, undefined);
        const route = routeRequest(model, { host: probe.host, port, path: probe.path })!;
        const group = upstreamNamed(model, route.location!.proxyTarget!.host!)!;
        const window = noLiveUpstreamsWindowMs(group);
        await released;
        const first = await ask(port, probe.host, `${probe.path}?a=hang&p=${probe.id}`);
        const second: Answer = await ask(port, probe.host, `${probe.path}?a=hang&p=${probe.id}-2`);
        return {
          expected: { firstMs: want.ms, secondMs: window !== undefined ? 0 : want.ms, secondStatus: window !== undefined ? 502 : 504, secondTries: window !== undefined ? 0 : want.attempts },
          measured: { firstMs: first.ms, secondMs: second.ms, secondStatus: second.status, secondTries: upstream.hitsOf(`${probe.id}-2`) },
          timed: ['firstMs', 'secondMs'],
        };
      }
      case 'header': {
        const route = routeRequest(model, { host: probe.host, port, path: '/' })!;
        const want = clientHeaderTimeout(model, route.server, port)!;
        await released;
        const closed = await stallAndWaitForClose(port, `GET / HTTP/1.1\r\nHost: ${probe.host}\r\n`);
        return { expected: { ms: want.ms!, answered: false }, measured: { ms: closed.ms, answered: closed.answer !== '' }, timed: ['ms'] };
      }
      case 'body': {
        const route = routeRequest(model, { host: probe.host, port, path: probe.path })!;
        const want = effectiveValue(route.location!, 'client_body_timeout')!;
        await released;
        const closed = await stallAndWaitForClose(port, `POST ${probe.path}?p=${probe.id} HTTP/1.1\r\nHost: ${probe.host}\r\nContent-Length: 10\r\n\r\nx`);
        return { expected: { ms: want.ms!, answered: false }, measured: { ms: closed.ms, answered: closed.answer !== '' }, timed: ['ms'] };
      }
      case 'connect': {
        const route = routeRequest(model, { host: probe.host, port, path: probe.path })!;
        const hop = nginxLocationHop(model, route.server, route.location!, 'GET');
        const connect = hop.timeouts.find((t) => t.kind === 'connect')!;
        // Each try waits for the connect timer; a timed-out connect is passed on like any timeout.
        const tries = hop.attempts?.retriesTimeouts ? hop.attempts.count : 1;
        await released;
        const answer = await ask(port, probe.host, `${probe.path}?p=${probe.id}`);
        return { expected: { ms: connect.ms! * tries, status: 504 }, measured: { ms: answer.ms, status: answer.status }, timed: ['ms'] };
      }
      case 'upstream-send': {
        const route = routeRequest(model, { host: probe.host, port, path: probe.path })!;
        const want = effectiveValue(route.location!, 'proxy_send_timeout')!;
        // Far more than the socket buffers between nginx and the upstream hold, so nginx's writes stall.
        await released;
        const answer = await ask(port, probe.host, `${probe.path}?a=hang&p=${probe.id}`, 'POST', Buffer.alloc(32 * 1024 * 1024));
        return { expected: { ms: want.ms!, status: 504 }, measured: { ms: answer.ms, status: answer.status }, timed: ['ms'] };
      }
      case 'client-send': {
        const route = routeRequest(model, { host: probe.host, port, path: probe.path })!;
        const want = effectiveValue(route.location!, 'send_timeout')!;
        await released;
        await requestWithoutReading(port, probe.host, `${probe.path}?p=${probe.id}`, want.ms! + 2000);
        const logged = nginx!.logged(probe.id);
        return {
          expected: { ms: want.ms!, logged: true, cut: true },
          measured: { ms: logged?.ms ?? NaN, logged: logged !== undefined, cut: logged !== undefined && logged.bytes < 32 * 1024 * 1024 },
          timed: ['ms'],
        };
      }
      case 'upstream-keepalive': {
        const route = routeRequest(model, { host: probe.host, port, path: probe.path })!;
        const want = nginxLocationHop(model, route.server, route.location!, 'GET').keepAlive;
        await released;
        const answer = await ask(port, probe.host, `${probe.path}?a=ok&p=${probe.id}`);
        const idleMs = await upstream.idleAfterAnswer.get(probe.id);
        return { expected: { ms: want?.ms ?? NaN, status: 200 }, measured: { ms: idleMs ?? NaN, status: answer.status }, timed: ['ms'] };
      }
      case 'keepalive': {
        const route = routeRequest(model, { host: probe.host, port, path: probe.path })!;
        const want = effectiveValue(route.location!, 'keepalive_timeout')!;
        await released;
        const idle = await keepAliveIdle(port, probe.host, probe.path);
        return { expected: { ms: want.ms!, status: 200 }, measured: { ms: idle.ms, status: idle.status }, timed: ['ms'] };
      }
    }
  }

  /** What the chain model says for a request to a silent upstream: when nginx gives up, how many requests reach the upstream, and the idle timer. */
  function stallOf(host: string, port: number, path: string, method: string | undefined): { ms: number; attempts: number; idleMs: number; streaming: boolean } {
    const route = routeRequest(model, { host, port, path });
    if (!route?.location) throw new Error(`the model routes ${host}${path} nowhere: ${route?.reason ?? 'no server'}`);
    const location = servingLocation(route.server, route.location);
    if (!location) throw new Error(`the model finds no proxying block for ${host}${path} (${route.reason})`);
    const hop = nginxLocationHop(model, route.server, location, method);
    const idle = hop.timeouts.find((t) => t.kind === 'idle');
    const take = mayTake(hop);
    // A zero read timeout bounds nothing in the chain budget (it is a misconfiguration of its own), yet nginx gives up at once.
    return { ms: take?.ms ?? idle?.ms ?? NaN, attempts: attemptsOf(hop), idleMs: idle?.ms ?? NaN, streaming: hop.streaming === true };
  }
});

/** Requests that reach an upstream for one silent request: the tries that retry a timeout, then the fallback's. */
function attemptsOf(hop: Hop): number {
  const own = hop.attempts?.retriesTimeouts ? hop.attempts.count : 1;
  return own + (hop.fallback ? attemptsOf(hop.fallback) : 0);
}

