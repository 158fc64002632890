// The language server's folder state lints Ansible templates: a `.j2` is a candidate, rendered with the vars files, and an edit of group_vars re-lints it.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lintFolderOnDisk, settle } from '../helpers/lsp-folder.js';

const base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'timeout-lint-ansible-lsp-')));
afterAll(() => fs.rmSync(base, { recursive: true, force: true }));

describe('Ansible templates in the language server', () => {
  it('reports on the template with the vars line related, and follows an edit of group_vars/all', () => {
    const root = path.join(base, 'w0');
    const files: Record<string, string> = {
      'roles/lb/templates/haproxy.cfg.j2': 'defaults\n    mode tcp\n    timeout connect 5s\n    timeout client 10s\n    timeout server {{ lb_server_timeout }}\n\nfrontend fe\n    bind :443\n    default_backend be\n\nbackend be\n    server a 10.0.0.1:443 check\n',
      'group_vars/all.yml': 'lb_server_timeout: 60s\n',
    };
    const folder = lintFolderOnDisk(root, files);
    const finding = folder.findingsFor('roles/lb/templates/haproxy.cfg.j2').find((f) => f.finding.ruleId === 'haproxy-server-timeout-above-client');
    expect(finding, JSON.stringify(folder.findingsFor('roles/lb/templates/haproxy.cfg.j2').map((f) => f.finding.ruleId))).toBeDefined();
    expect(finding!.finding.related.some((r) => r.span.file === 'group_vars/all.yml')).toBe(true);

    fs.writeFileSync(path.join(root, 'group_vars/all.yml'), 'lb_server_timeout: 5s\n');
    // As the session does on a watched-file event: forget the cached bytes, then re-lint what read them.
    folder.cache.invalidate('group_vars/all.yml', false);
    folder.fileChanged('group_vars/all.yml');
    settle(folder);
    expect(folder.findingsFor('roles/lb/templates/haproxy.cfg.j2').filter((f) => f.finding.ruleId === 'haproxy-server-timeout-above-client')).toEqual([]);
  });
});
