// The language server reads its configuration through its cached view of the disk: a configuration
// symlinked out of the root must be reported as refused (with the reason), as the CLI reports it,
// not silently taken as "no configuration".
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readConfigFile } from '../../server/src/host/config-file.js';
import { NodeWorkspaceFs } from '../../server/src/host/node-workspace-fs.js';
import { CachedFs } from '../../server/src/lsp/cached-fs.js';

const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function workspaceWithOutsideConfig(): { root: string } {
  const base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'tl-lsp-config-')));
  made.push(base);
  const root = path.join(base, 'workspace');
  fs.mkdirSync(root);
  fs.writeFileSync(path.join(base, 'secret.json'), '{"token": "TOPSECRET"}\n');
  fs.symlinkSync(path.join(base, 'secret.json'), path.join(root, 'timeout-lint.config.json'));
  return { root };
}

describe('language server configuration read', () => {
  it('reports a configuration symlinked out of the root as refused, through the cache', () => {
    const { root } = workspaceWithOutsideConfig();
    const cached = new CachedFs(new NodeWorkspaceFs(root));
    const read = readConfigFile({ fs: cached, file: 'timeout-lint.config.json' });
    expect(read.status).toBe('refused');
    expect(read.status === 'refused' ? read.reason : '').toMatch(/symlink/);
    expect(JSON.stringify(read)).not.toContain('TOPSECRET');
  });

  it('reads a plain configuration through the cache', () => {
    const base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'tl-lsp-config-')));
    made.push(base);
    fs.writeFileSync(path.join(base, 'timeout-lint.config.json'), '{"rules": {}}\n');
    const read = readConfigFile({ fs: new CachedFs(new NodeWorkspaceFs(base)), file: 'timeout-lint.config.json' });
    expect(read.status).toBe('read');
  });
});
