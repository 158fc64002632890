// Which files are HAProxy configurations: by name and folder, and by content.
import { describe, expect, it } from 'vitest';
import { isHaproxyConfig, isHaproxyPath, looksLikeHaproxy } from '../../server/src/engine/inputs/haproxy/detect.js';

const HAPROXY = 'defaults\n  mode http\n  timeout client 30s\n\nfrontend web\n  bind :80\n  default_backend api\n';

describe('isHaproxyPath', () => {
  it.each([
    ['haproxy.cfg', true],
    ['deploy/haproxy.cfg', true],
    ['lb/haproxy-prod.cfg', true],
    ['haproxy/conf.d/10-api.cfg', true],
    ['etc/haproxy/api.cfg', true],
    ['setup.cfg', false],
    ['config/app.cfg', false],
    ['haproxy.conf', false],
    ['myhaproxy/x.cfg', false],
    ['haproxy/readme.md', false],
  ])('%s → %s', (file, expected) => {
    expect(isHaproxyPath(file)).toBe(expected);
  });
});

describe('looksLikeHaproxy', () => {
  it.each([
    [HAPROXY, true],
    ['listen stats\n    bind *:8404\n    stats enable\n', true],
    ['backend api\n  server a1 10.0.0.1:3000 check\n', true],
    ['[metadata]\nname = x\n[options]\npackages = find:\n', false],
    ['backend = postgres\nserver = localhost\n', false],
    ['# frontend notes\nfrontend is the React app\n', false],
    ['server {\n  listen 80;\n}\n', false],
  ])('%j → %s', (text, expected) => {
    expect(looksLikeHaproxy(text)).toBe(expected);
  });
});

describe('isHaproxyConfig', () => {
  it('takes a file by its name unless it is an INI file, and any file by its content', () => {
    expect(isHaproxyConfig('haproxy.cfg', 'global\n  daemon\n')).toBe(true);
    expect(isHaproxyConfig('haproxy.cfg', '[haproxy]\nenabled = true\n')).toBe(false);
    expect(isHaproxyConfig('deploy/lb.conf', HAPROXY)).toBe(true);
    expect(isHaproxyConfig('setup.cfg', '[metadata]\nname = x\n')).toBe(false);
  });
});
