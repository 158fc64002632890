// The severity policy of nginx parse and include problems (rules/include-error.md "Severity policy").
import { describe, expect, it } from 'vitest';
import { problemPolicy } from '../../server/src/engine/inputs/nginx/problem-policy.js';
import type { Problem } from '../../server/src/engine/types.js';

const missing = (file: string, name: string): Problem => ({ kind: 'include', message: `[Errno 2] No such file or directory: '${name}'`, span: { file, start: 0, end: 1 } });

describe('include problems', () => {
  it.each([
    ['include mime.types;', 'mime.types', 'not-analysed', undefined],
    ['  include fastcgi_params;', 'fastcgi_params', 'not-analysed', undefined],
    ['include "uwsgi_params";', 'uwsgi_params', 'not-analysed', undefined],
    ['include scgi_params;', 'scgi_params', 'not-analysed', undefined],
    // Debian and Ubuntu only: the official image has no proxy_params, so nginx refuses to start there.
    ['include proxy_params;', 'proxy_params', 'include-error', undefined],
    // A folder in the name: nginx looks for /etc/nginx/conf/mime.types, which no package installs.
    ['include conf/mime.types;', 'conf/mime.types', 'include-error', undefined],
    ['include ../mime.types;', '../mime.types', 'include-error', undefined],
    ['include snippets/cors.conf;', 'snippets/cors.conf', 'include-error', undefined],
    ['include /etc/nginx/mime.types;', '/etc/nginx/mime.types', 'not-analysed', undefined],
  ])('%s in a plain nginx.conf: %s', (line, name, id, severity) => {
    const policy = problemPolicy(missing('nginx.conf', name), line);
    expect(policy.id).toBe(id);
    expect(policy.severity).toBe(severity);
  });

  it('says why a stock file it cannot read is no error', () => {
    expect(problemPolicy(missing('frontend/nginx.conf', 'mime.types'), 'include mime.types;').message).toMatch(/ships in its configuration folder.*no timeouts/);
  });

  it('keeps a missing file of the project a warning in a template', () => {
    expect(problemPolicy(missing('nginx.conf.template', 'snippets/cors.conf'), 'include snippets/cors.conf;')).toMatchObject({ id: 'include-error', severity: 'warning' });
  });
});
