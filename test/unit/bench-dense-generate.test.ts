// The bench's dense profile: seeded, the sizes #19 names, every TypeScript file with calls, every YAML file a Kubernetes manifest.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { generateDenseWorkspace } from '../../bench/generate-dense.js';

const roots: string[] = [];
afterAll(() => {
  for (const root of roots) fs.rmSync(root, { recursive: true, force: true });
});

function generate(total: number, seed?: number) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tl-dense-'));
  roots.push(root);
  const ws = generateDenseWorkspace(root, total, seed);
  const texts = [...ws.files].map(([file, kind]) => ({ file, kind, text: fs.readFileSync(path.join(root, file), 'utf8') }));
  return { ws, texts };
}

describe('generateDenseWorkspace', () => {
  const { ws, texts } = generate(1000);

  it('writes 100 TypeScript files, 100 manifests and 20 nginx files at 1,000 (a tenth of the 10k size)', () => {
    expect(ws.counts).toMatchObject({ ts: 100, yaml: 100, nginx: 20 });
    const inputMB = (ws.bytes.ts + ws.bytes.yaml + ws.bytes.nginx) / 1e6;
    expect(inputMB).toBeGreaterThan(0.85);
    expect(inputMB).toBeLessThan(1.05);
  });

  it('is the same bytes for the same seed and different bytes for another', { timeout: 60_000 }, () => {
    const again = generate(1000).texts;
    expect(again.map((t) => [t.file, t.text])).toEqual(texts.map((t) => [t.file, t.text]));
    const other = generate(1000, 7).texts;
    expect(other.map((t) => t.text).join('')).not.toBe(texts.map((t) => t.text).join(''));
  });

  it('makes every TypeScript file about 3.5 KB of HTTP or SDK calls', () => {
    for (const { file, text } of texts.filter((t) => t.kind === 'ts')) {
      expect(text.length, file).toBeGreaterThan(3000);
      expect(text.length, file).toBeLessThan(4600);
      expect(text, file).toMatch(/\b(fetch|axios\.(get|post|create)|request|new Pool|new Redis|new OpenAI|Fastify)\(/);
    }
  });

  it('makes every YAML file one or more Kubernetes objects of 1–3 KB', { timeout: 60_000 }, () => {
    for (const { file, text } of texts.filter((t) => t.kind === 'yaml')) {
      expect(text.length, file).toBeGreaterThan(1000);
      expect(text.length, file).toBeLessThan(3200);
      const docs = parseAllDocuments(text);
      expect(docs.length, file).toBeGreaterThan(0);
      for (const doc of docs) {
        expect(doc.errors, file).toEqual([]);
        expect(doc.get('apiVersion'), file).toBeTypeOf('string');
        expect(doc.get('kind'), file).toBeTypeOf('string');
      }
    }
    expect(texts.some((t) => t.kind === 'yaml' && t.text.includes('\n---\n'))).toBe(true);
  });

  it('gives every nginx site many locations', () => {
    const sites = texts.filter((t) => t.kind === 'nginx' && t.file.includes('/conf.d/'));
    expect(sites.length).toBeGreaterThan(0);
    for (const { file, text } of sites) expect(text.match(/\blocation /g)?.length ?? 0, file).toBeGreaterThan(40);
    expect(ws.locations).toBeGreaterThan(sites.length * 40);
  });
});
