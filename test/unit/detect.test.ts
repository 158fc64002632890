// Which files are nginx: by name, by folder, by content, and by configured globs.
import { describe, expect, it } from 'vitest';
import { compileGlobs, kindByPath, looksLikeNginx } from '../../server/src/engine/inputs/nginx/detect.js';

describe('kindByPath', () => {
  it.each([
    ['nginx.conf', 'nginx'],
    ['deploy/nginx/nginx.conf', 'nginx'],
    ['etc/nginx/conf.d/api.conf', 'nginx'],
    ['sites-enabled/default.conf', 'nginx'],
    ['gateway/site.nginx', 'nginx'],
    ['templates/default.conf.template', 'nginx-template'],
    ['app/settings.conf', 'maybe-nginx'],
    ['src/app.ts', 'unknown'],
    ['k8s/ingress.yaml', 'unknown'],
  ])('%s is %s', (file, kind) => {
    expect(kindByPath(file, undefined)).toBe(kind);
  });

  it('honours configured globs', () => {
    expect(kindByPath('deploy/gateway.tmpl', compileGlobs(['deploy/**/*.tmpl']))).toBe('nginx');
  });
});

describe('looksLikeNginx', () => {
  it.each([
    ['a server block', 'server {\n  listen 80;\n}\n', true],
    ['a snippet of proxy settings', 'proxy_read_timeout 300s;\nproxy_set_header Host $host;\n', true],
    ['an INI file', '[main]\nkey = value\n', false],
    ['a systemd drop-in', '[Service]\nTimeoutStartSec=30\n', false],
    ['a supervisord file', '[program:x]\ncommand=/bin/x\n', false],
    ['a resolv.conf', 'nameserver 1.1.1.1\nsearch example.com\n', false],
  ])('%s → %s', (_name, text, expected) => {
    expect(looksLikeNginx(text)).toBe(expected);
  });
});
