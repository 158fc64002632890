// Kong declarative configuration: services (url or protocol/host/port/path), millisecond timeouts, retries, routes and upstreams, and the hop they make (facts §8, §14).
import { describe, expect, it } from 'vitest';
import { parseYamlFile } from '../../server/src/engine/yaml/file.js';
import { looksLikeKong, readKongFile } from '../../server/src/engine/inputs/kong/config.js';
import { kongHop } from '../../server/src/engine/inputs/kong/hops.js';

const read = (text: string) => readKongFile(parseYamlFile('kong.yml', text));
const slice = (text: string, span: { start: number; end: number }) => text.slice(span.start, span.end);

const TEXT = [
  '_format_version: "3.0"',
  'services:',
  '  - name: chat',
  '    url: http://chat.internal:8080/v1',
  '    read_timeout: 300000',
  '    connect_timeout: "5000"',
  '    retries: 2',
  '    routes:',
  '      - name: chat',
  '        paths: [/chat]',
  '        methods: [POST]',
  '  - name: reports',
  '    protocol: https',
  '    host: reports-upstream',
  '    read_timeout: ${{ env "DECK_READ" }}',
  'routes:',
  '  - name: reports',
  '    service: { name: reports }',
  '    paths: [/reports]',
  'upstreams:',
  '  - name: reports-upstream',
  '    targets:',
  '      - target: reports-a:9000',
  '      - target: reports-b',
  '',
].join('\n');

describe('readKongFile', () => {
  const file = read(TEXT);
  const [chat, reports] = file.services;

  it('reads a url into protocol, host, port and path, and the long form with Kong\'s defaults', () => {
    expect([chat!.protocol, chat!.host?.text, chat!.port, chat!.path]).toStrictEqual(['http', 'chat.internal', 8080, '/v1']);
    expect([reports!.protocol, reports!.host?.text, reports!.port]).toStrictEqual(['https', 'reports-upstream', 443]);
    expect(file.upstreams.map((u) => [u.name, u.targets.map((t) => [t.host, t.port])])).toStrictEqual([['reports-upstream', [['reports-a', 9000], ['reports-b', 8000]]]]);
  });

  it('attaches top-level routes to the service they name', () => {
    expect(reports!.routes.map((r) => [r.name, r.paths])).toStrictEqual([['reports', ['/reports']]]);
    expect(chat!.routes.map((r) => [r.name, r.paths, r.methods])).toStrictEqual([['chat', ['/chat'], ['POST']]]);
  });

  it('builds a hop with read and connect timeouts per try in milliseconds, retries and the pooled idle time', () => {
    const hop = kongHop(file, chat!, chat!.routes[0]);
    expect(hop.label).toBe('Kong route chat (service chat)');
    expect(hop.timeouts.map((t) => [t.knob, t.kind, t.ms, t.source, t.perAttempt, t.span ? slice(TEXT, t.span) : null])).toStrictEqual([
      ['read_timeout', 'idle', 300_000, 'set', true, '300000'],
      ['connect_timeout', 'connect', 5_000, 'set', true, '5000'],
    ]);
    // A POST-only route: nginx does not retry a timed-out request once sent (facts §14).
    expect(hop.attempts).toMatchObject({ count: 3, source: 'set', retriesTimeouts: false });
    expect(hop.keepAlive).toMatchObject({ knob: 'upstream_keepalive_idle_timeout', ms: 60_000, source: 'default', factsRef: '§8' });
  });

  it('takes Kong\'s defaults where nothing is written, and leaves a decK placeholder unknown', () => {
    const hop = kongHop(file, reports!, reports!.routes[0]);
    expect(hop.timeouts.map((t) => [t.knob, t.ms, t.source])).toStrictEqual([['read_timeout', undefined, 'set'], ['connect_timeout', 60_000, 'default']]);
    expect(hop.attempts).toMatchObject({ count: 6, source: 'default', retriesTimeouts: true });
  });

  it('reports a file that is not YAML and never throws', () => {
    const broken = read('_format_version: "3.0"\nservices:\n  - name: a\n    url: [http://a\n');
    expect(broken.problems.length).toBeGreaterThan(0);
    expect(looksLikeKong('_format_version: "3.0"\n')).toBe(true);
    expect(looksLikeKong('services:\n  - name: a\n')).toBe(false);
  });
});
