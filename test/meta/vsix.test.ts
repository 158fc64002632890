// The .vsix ships only the bundles, the grammar, the rule docs, the schema and the top-level documents.
// `vsce ls` checks what .vscodeignore lets through (needs only the dev build that `npm test` makes);
// the built package from `npm run package` is opened when present (the e2e run packages first).
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '../..');
const VSCE = path.join(ROOT, 'node_modules/@vscode/vsce/vsce');
const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { name: string; version: string };
const VSIX = path.join(ROOT, 'dist', `${manifest.name}-${manifest.version}.vsix`);
const built = ['client.js', 'server.js'].every((f) => fs.existsSync(path.join(ROOT, 'dist', f)));
if (!built) console.warn('SKIPPED: dist/client.js and dist/server.js are not built; `npm test` builds them first.');

const ruleDocs = fs.readdirSync(path.join(ROOT, 'rules')).filter((f) => f.endsWith('.md')).map((f) => `rules/${f}`);
const grammar = fs.readdirSync(path.join(ROOT, 'syntaxes')).map((f) => `syntaxes/${f}`);
// The walkthrough's pages (package.json contributes.walkthroughs).
const walkthrough = fs.readdirSync(path.join(ROOT, 'media/walkthrough')).map((f) => `media/walkthrough/${f}`);
const EXPECTED = [
  'package.json', 'README.md', 'CHANGELOG.md', 'LICENSE', 'timeout-lint.schema.json',
  'dist/client.js', 'dist/server.js', ...grammar, ...ruleDocs, ...walkthrough,
].sort();

/** The entries of a zip (enough for a .vsix: no zip64, stored or deflated), read from its central directory. */
function zipEntries(file: string): Map<string, () => Buffer> {
  const buf = fs.readFileSync(file);
  const eocd = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0) throw new Error(`${file} is not a zip`);
  const count = buf.readUInt16LE(eocd + 10);
  let at = buf.readUInt32LE(eocd + 16);
  const entries = new Map<string, () => Buffer>();
  for (let i = 0; i < count; i++) {
    if (buf.readUInt32LE(at) !== 0x02014b50) throw new Error(`bad central directory entry ${i} in ${file}`);
    const method = buf.readUInt16LE(at + 10);
    const compressedSize = buf.readUInt32LE(at + 20);
    const nameLength = buf.readUInt16LE(at + 28);
    const extraLength = buf.readUInt16LE(at + 30);
    const commentLength = buf.readUInt16LE(at + 32);
    const local = buf.readUInt32LE(at + 42);
    entries.set(buf.toString('utf8', at + 46, at + 46 + nameLength), () => {
      const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
      const data = buf.subarray(start, start + compressedSize);
      return method === 8 ? zlib.inflateRawSync(data) : Buffer.from(data);
    });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

// Judge the package only when it was built from the bundles now in dist/ (`npm test` rebuilds them afterwards).
const mtime = (f: string) => fs.statSync(f).mtimeMs;
const packaged = built && fs.existsSync(VSIX) && ['client.js', 'server.js'].every((f) => mtime(VSIX) >= mtime(path.join(ROOT, 'dist', f)));
if (built && !packaged) console.warn(`SKIPPED: ${path.relative(ROOT, VSIX)} is missing or older than dist/; \`npm run package\` builds it.`);

describe.skipIf(!built)('.vsix contents', () => {
  it('vsce ls lists exactly the bundles, grammar, rule docs, schema and top-level documents', () => {
    const out = execFileSync(process.execPath, [VSCE, 'ls', '--no-dependencies'], { cwd: ROOT, encoding: 'utf8', timeout: 30_000 });
    const files = out.split('\n').map((l) => l.trim()).filter(Boolean).sort();
    expect(files).toEqual(EXPECTED);
    expect(ruleDocs.length).toBeGreaterThan(10);
  }, 30_000);

  it.skipIf(!packaged)('the packaged .vsix holds those files, minified, without source maps', () => {
    const entries = zipEntries(VSIX);
    // vsce renames the top-level documents inside the package.
    const renamed: Record<string, string> = { 'README.md': 'readme.md', 'CHANGELOG.md': 'changelog.md', LICENSE: 'LICENSE.txt' };
    expect([...entries.keys()].sort()).toEqual(
      ['[Content_Types].xml', 'extension.vsixmanifest', ...EXPECTED.map((f) => `extension/${renamed[f] ?? f}`)].sort(),
    );
    for (const bundle of ['client.js', 'server.js']) {
      const text = entries.get(`extension/dist/${bundle}`)!().toString('utf8');
      expect(text, `dist/${bundle} should be the minified production build`).not.toMatch(/sourceMappingURL/);
      // Minified code keeps newlines only inside template literals, so lines are long on average.
      const averageLineLength = text.length / text.split('\n').length;
      expect(averageLineLength, `dist/${bundle} should be minified`).toBeGreaterThan(500);
    }
    const shipped = JSON.parse(entries.get('extension/package.json')!().toString('utf8')) as { main: string };
    expect(shipped.main).toBe('./dist/client.js');
    const size = fs.statSync(VSIX).size;
    console.log(`${path.relative(ROOT, VSIX)}: ${(size / 1024).toFixed(1)} KiB, ${entries.size} entries`);
    // The bundles hold the language client, server and engine; a jump usually means node_modules or maps leaked in.
    expect(size).toBeLessThan(1024 * 1024);
  });
});

