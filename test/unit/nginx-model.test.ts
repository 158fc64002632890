// The nginx model: includes expanded in place, effective values with provenance, upstreams and proxy targets.
import { describe, expect, it } from 'vitest';
import { blockLabel, buildNginxModel, effectiveValue, type NginxBlock } from '../../server/src/engine/inputs/nginx/model.js';
import { parseNginxConfig } from '../../server/src/engine/inputs/nginx/parser.js';
import { MemoryFs } from '../../server/src/engine/workspace-fs.js';

function modelOf(files: Record<string, string>, entry = 'nginx.conf') {
  return buildNginxModel(parseNginxConfig(new MemoryFs(files), entry, { absoluteIncludePrefix: 'root' }));
}

const location = (blocks: NginxBlock[], pattern: string) => blocks.find((b) => b.location?.pattern === pattern)!;

describe('effective values', () => {
  const model = modelOf({
    'nginx.conf': `events {}
http {
    proxy_read_timeout 120s;
    server {
        listen 80;
        proxy_connect_timeout 5s;
        location /a/ {
            proxy_read_timeout 300s;
            proxy_pass http://127.0.0.1:1;
            location /a/inner/ {
                proxy_pass http://127.0.0.1:2;
            }
        }
        location /b/ {
            include snippets/slow.conf;
            proxy_pass http://127.0.0.1:3;
            if ($x) {
                proxy_send_timeout 1s;
                proxy_pass http://127.0.0.1:4;
            }
        }
        location /c/ {
            proxy_read_timeout \${READ};
            keepalive_timeout 30s 25;
        }
    }
}
`,
    'snippets/slow.conf': 'proxy_read_timeout 10m;\n',
  });

  it.each([
    ['/a/', 'proxy_read_timeout', 'set', 300_000],
    ['/a/inner/', 'proxy_read_timeout', 'inherited', 300_000],
    ['/a/', 'proxy_connect_timeout', 'inherited', 5_000],
    ['/a/', 'proxy_send_timeout', 'default', 60_000],
    ['/b/', 'proxy_read_timeout', 'set', 600_000],
    ['/c/', 'keepalive_timeout', 'set', 30_000],
    ['/c/', 'client_body_timeout', 'default', 60_000],
  ])('%s %s is %s (%d ms)', (path, knob, kind, ms) => {
    const value = effectiveValue(location(model.locations, path), knob)!;
    expect(value.source.kind).toBe(kind);
    expect(value.ms).toBe(ms);
  });

  it('names the block a value is inherited from', () => {
    const value = effectiveValue(location(model.locations, '/a/inner/'), 'proxy_read_timeout')!;
    expect(value.source.kind === 'inherited' && blockLabel(value.source.from)).toBe('location /a/');
  });

  it('takes a value from an included file with the span in that file', () => {
    const value = effectiveValue(location(model.locations, '/b/'), 'proxy_read_timeout')!;
    expect(value.source.kind === 'set' && value.source.directive.span.file).toBe('snippets/slow.conf');
  });

  it('ignores timeouts inside if, which nginx rejects', () => {
    const ifBlock = location(model.locations, '/b/').children.find((c) => c.kind === 'if')!;
    expect(effectiveValue(ifBlock, 'proxy_send_timeout')!.source.kind).toBe('default');
    expect(ifBlock.proxyTarget?.port).toBe(4);
  });

  it('keeps an envsubst placeholder unresolved instead of using the default', () => {
    const value = effectiveValue(location(model.locations, '/c/'), 'proxy_read_timeout')!;
    expect(value).toMatchObject({ unresolved: true, text: '${READ}', source: { kind: 'set' } });
    expect(value.ms).toBeUndefined();
  });

  it('marks a rejected value invalid', () => {
    const bad = modelOf({ 'nginx.conf': 'http { server { location / { proxy_read_timeout 1.5s; } } }\n' });
    expect(effectiveValue(bad.locations[0]!, 'proxy_read_timeout')).toMatchObject({ invalid: 'fraction', source: { kind: 'set' } });
  });
});

describe('structure', () => {
  it('parses upstreams and proxy targets', () => {
    const model = modelOf({
      'nginx.conf': `http {
    upstream llm { server 10.0.0.1:8000 max_fails=3; server [::1]:8001; keepalive 8; keepalive_timeout 90s; }
    server {
        server_name api.example.com www.example.com;
        location = /exact { proxy_pass http://llm/v1; }
        location ~* \\.php$ { fastcgi_pass unix:/run/php.sock; }
        location /var { proxy_pass http://$backend; }
        location @fallback { proxy_pass https://example.org:8443; }
    }
}
`,
    });
    expect(model.upstreams[0]).toMatchObject({ name: 'llm', servers: [{ address: '10.0.0.1:8000', parameters: ['max_fails=3'] }, { address: '[::1]:8001' }] });
    expect(effectiveValue(model.upstreams[0]!.block, 'keepalive_timeout')).toMatchObject({ ms: 90_000, source: { kind: 'set' } });
    expect(model.servers[0]!.serverNames).toEqual(['api.example.com', 'www.example.com']);
    const targets = model.locations.map((l) => ({ match: `${l.location!.modifier}${l.location!.pattern}`, target: l.proxyTarget }));
    expect(targets[0]).toMatchObject({ match: '=/exact', target: { scheme: 'http', host: 'llm', path: '/v1', unresolved: false } });
    expect(targets[1]).toMatchObject({ match: '~*\\.php$', target: { via: 'fastcgi_pass', unixSocket: '/run/php.sock' } });
    expect(targets[2]).toMatchObject({ target: { unresolved: true } });
    expect(targets[3]).toMatchObject({ match: '@@fallback', target: { scheme: 'https', host: 'example.org', port: 8443 } });
  });

  it('treats a conf.d file of server blocks as an http-level fragment', () => {
    const model = modelOf({ 'conf.d/site.conf': 'server { location / { proxy_pass http://a; } }\n' }, 'conf.d/site.conf');
    expect(model.fragment).toBe(true);
    expect(model.root.kind).toBe('http');
    expect(model.locations).toHaveLength(1);
  });

  it('expands an include cycle once', () => {
    const model = modelOf({ 'nginx.conf': 'http { include a.conf; }\n', 'a.conf': 'include b.conf;\nserver { }\n', 'b.conf': 'include a.conf;\n' });
    expect(model.servers).toHaveLength(1);
  });
});
