// A workspace folder's URIs and FileIds in the language server, for a folder at the file system root (`/`) and for an ordinary temporary folder.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { discoverFiles } from '../../server/src/host/discover.js';
import { MemoryFs } from '../../server/src/engine/workspace-fs.js';
import { discoveryIgnores, FolderState, type FolderHost } from '../../server/src/lsp/folder.js';

const host: FolderHost = { openDocuments: () => new Map(), rules: [], unitBudgetMs: 1000, unitNotAnalysed: () => {} };

describe('a workspace folder at the file system root', () => {
  // Nothing here lists or reads the disk: only the mapping between URIs and FileIds is checked.
  const folder = new FolderState('file:///', '/', host);

  it.each([
    ['file:///etc/nginx/nginx.conf', 'etc/nginx/nginx.conf'],
    ['file:///nginx.conf', 'nginx.conf'],
    ['file:///srv/my%20site/conf.d/a%23b.conf', 'srv/my site/conf.d/a#b.conf'],
  ])('maps %s to the FileId %s and back', (uri, file) => {
    expect(folder.fileIdOf(uri)).toBe(file);
    expect(folder.uriOf(file)).toBe(uri);
  });

  it('has no FileId for the folder itself or for URIs that are not files', () => {
    expect(folder.fileIdOf('file:///')).toBeUndefined();
    expect(folder.fileIdOf('untitled:Untitled-1')).toBeUndefined();
    expect(folder.fileIdOf('https://example.com/nginx.conf')).toBeUndefined();
  });

  it('does not walk the kernel views (/proc, /sys, /dev, /run) there, and only there', () => {
    expect(discoveryIgnores('/', ['dist/'])).toEqual(['dist/', '/proc/', '/sys/', '/dev/', '/run/']);
    expect(discoveryIgnores('/srv/site', ['dist/'])).toEqual(['dist/']);
    const machine = new MemoryFs({ 'etc/nginx/nginx.conf': 'events {}\n', 'proc/1/nginx.conf': 'x', 'sys/a/b.yaml': 'x', 'srv/proc/nginx.conf': 'events {}\n' });
    expect(discoverFiles(machine, [''], discoveryIgnores('/', [])).files).toEqual(['etc/nginx/nginx.conf', 'srv/proc/nginx.conf']);
  });

  it('never spells a URI with an empty authority segment (file:////etc)', () => {
    expect(folder.uriOf('etc/hosts')).not.toMatch(/^file:\/\/\/\//);
  });
});

describe('a workspace folder in a temporary folder', () => {
  const base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'timeout-lint-folder-')));
  const root = path.join(base, 'ws');
  fs.mkdirSync(path.join(root, 'conf.d'), { recursive: true });
  fs.mkdirSync(path.join(base, 'ws-other'));
  fs.writeFileSync(path.join(root, 'conf.d', 'api.conf'), 'server { listen 80; }\n');
  fs.writeFileSync(path.join(base, 'ws-other', 'secret.conf'), 'secret\n');
  afterAll(() => fs.rmSync(base, { recursive: true, force: true }));
  const folder = new FolderState(pathToFileURL(root).toString(), root, host);

  it('maps a file inside to its FileId and reads it', () => {
    const uri = pathToFileURL(path.join(root, 'conf.d', 'api.conf')).toString();
    expect(folder.fileIdOf(uri)).toBe('conf.d/api.conf');
    expect(folder.uriOf('conf.d/api.conf')).toBe(uri);
    expect(folder.currentText('conf.d/api.conf')).toBe('server { listen 80; }\n');
  });

  it.each([
    ['a sibling folder whose name starts with the same letters', () => path.join(base, 'ws-other', 'secret.conf')],
    ['the parent folder', () => path.join(base, 'x.conf')],
    ['a path that climbs out', () => `${root}/../ws-other/secret.conf`],
  ])('has no FileId for %s', (_name, target) => {
    expect(folder.fileIdOf(pathToFileURL(target()).toString())).toBeUndefined();
  });

  it('does not read through a FileId that climbs out', () => {
    expect(folder.currentText('../ws-other/secret.conf')).toBeUndefined();
  });
});
