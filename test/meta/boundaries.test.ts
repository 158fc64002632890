// Enforces the architecture's import boundaries: the engine knows nothing of VS Code, LSP, the disk or the console.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { listFilesRecursively } from '../helpers/fixture-fs.js';

const ROOT = path.resolve(__dirname, '../..');

function sourcesUnder(dir: string): string[] {
  const absolute = path.join(ROOT, dir);
  if (!fs.existsSync(absolute)) return [];
  // test/e2e has its own node_modules (code-server): never walk installed packages.
  return listFilesRecursively(absolute, (f) => /(^|\/)node_modules$/.test(f)).filter((f) => f.endsWith('.ts')).map((f) => `${dir}/${f}`);
}

const importsOf = (file: string) =>
  [...fs.readFileSync(path.join(ROOT, file), 'utf8').matchAll(/(?:from\s+|import\s*\(|require\()\s*['"]([^'"]+)['"]/g)].map((m) => m[1]!);

describe('import boundaries', () => {
  const engine = [...sourcesUnder('server/src/engine'), ...sourcesUnder('rules')];

  it.each(engine)('%s imports no vscode, LSP, fs, child_process or network module', (file) => {
    const forbidden = importsOf(file).filter((m) => /^(vscode|vscode-languageserver.*|vscode-languageclient.*|(node:)?(fs|fs\/promises|child_process|net|http|https|worker_threads))$/.test(m));
    expect(forbidden).toEqual([]);
  });

  it.each(engine)('%s never writes to the console or exits the process', (file) => {
    const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
    expect(text).not.toMatch(/\bconsole\.|process\.(exit|stdout|stderr)|process\.exitCode/);
  });

  it('runs no workspace code, so untrusted workspaces are declared supported', () => {
    const shipped = ['server/src', 'rules', 'client/src'].flatMap(sourcesUnder);
    const offenders = shipped.filter((f) => {
      const text = fs.readFileSync(path.join(ROOT, f), 'utf8');
      return importsOf(f).some((m) => /^(node:)?(child_process|vm|worker_threads)$/.test(m)) || /\beval\(|new Function\(/.test(text);
    });
    expect(offenders).toEqual([]);
    const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { capabilities?: { untrustedWorkspaces?: { supported?: unknown } } };
    expect(manifest.capabilities?.untrustedWorkspaces?.supported).toBe(true);
  });

  it('imports vscode only in client/', () => {
    const everything = ['server/src', 'rules', 'bench', 'test'].flatMap(sourcesUnder).filter((f) => !f.startsWith('test/e2e/'));
    const offenders = everything.filter((f) => importsOf(f).includes('vscode'));
    expect(offenders).toEqual([]);
  });

  it('sets the exit code only in the CLI entry point', () => {
    const cli = sourcesUnder('server/src/cli').filter((f) => /process\.(exit\(|exitCode)/.test(fs.readFileSync(path.join(ROOT, f), 'utf8')));
    expect(cli).toEqual(['server/src/cli/bin.ts']);
  });
});
