// File discovery honours nested .gitignore files and configured ignores, and keeps explicit files.
import { expect, it } from 'vitest';
import { discoverFiles } from '../../server/src/host/discover.js';
import { MemoryFs } from '../../server/src/engine/workspace-fs.js';

const fs = new MemoryFs({
  '.gitignore': 'build/\n*.bak\n',
  'nginx.conf': 'x',
  'nginx.conf.bak': 'x',
  'build/nginx.conf': 'x',
  'deploy/.gitignore': 'generated.conf\n',
  'deploy/generated.conf': 'x',
  'deploy/site.conf': 'x',
  'legacy/old.conf': 'x',
  'node_modules/pkg/nginx.conf': 'x',
});

it('skips ignored files, node_modules and configured ignores', () => {
  expect(discoverFiles(fs, [''], ['legacy/']).files).toEqual(['.gitignore', 'deploy/.gitignore', 'deploy/site.conf', 'nginx.conf']);
});

it('keeps a file named explicitly even when it is ignored, and reports missing paths', () => {
  const result = discoverFiles(fs, ['build/nginx.conf', 'nope.conf'], []);
  expect(result).toEqual({ files: ['build/nginx.conf'], missing: ['nope.conf'], notAnalysed: [] });
});

it('applies .gitignore files above a folder that is linted on its own', () => {
  expect(discoverFiles(fs, ['deploy'], []).files).toEqual(['deploy/.gitignore', 'deploy/site.conf']);
});
