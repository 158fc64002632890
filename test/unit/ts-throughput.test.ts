// Throughput of the TypeScript reader against raw @babel/parser, with and without the pre-scan; skipped unless TS_THROUGHPUT=1 (performance is not asserted in unit tests).
import { performance } from 'node:perf_hooks';
import { parse } from '@babel/parser';
import { describe, it } from 'vitest';
import { parseTsText } from '../../server/src/engine/inputs/ts/file.js';
import { shouldParseTs } from '../../server/src/engine/inputs/ts/select.js';
import { extractTsFacts } from '../../server/src/engine/inputs/ts/facts.js';

const enabled = process.env.TS_THROUGHPUT === '1';
const FILE_COUNT = 4000;

/** Ordinary application code with no HTTP, servers or timeouts: helpers, a React component, a class. */
function ordinaryFile(i: number): string {
  return `// util ${i}: formatting and validation helpers
import { z } from 'zod';
import type { User, Order } from '../types/model-${i % 13}';
import { clsx } from 'clsx';

export interface Props${i} { title: string; items: Array<{ id: number; label: string }>; onSelect?: (id: number) => void }

export function formatPrice${i}(cents: number, currency = 'EUR'): string {
  const value = (cents / 100).toFixed(2);
  return currency === 'EUR' ? value.replace('.', ',') + ' €' : '$' + value;
}

export const orderSchema${i} = z.object({ id: z.number(), lines: z.array(z.object({ sku: z.string(), qty: z.number().int().positive() })) });

export class Cart${i} {
  private readonly lines = new Map<string, number>();
  add(sku: string, qty = 1): this { this.lines.set(sku, (this.lines.get(sku) ?? 0) + qty); return this; }
  total(prices: Record<string, number>): number {
    let sum = 0;
    for (const [sku, qty] of this.lines) sum += (prices[sku] ?? 0) * qty;
    return sum;
  }
}

export function groupBy${i}<T, K extends string>(items: readonly T[], key: (item: T) => K): Record<K, T[]> {
  const out = {} as Record<K, T[]>;
  for (const item of items) (out[key(item)] ??= []).push(item);
  return out;
}

export function describeUser${i}(user: User, orders: Order[]): string {
  const recent = orders.filter((o) => o.userId === user.id).slice(0, ${3 + (i % 5)});
  return \`\${user.name} (\${recent.length} recent orders)\`;
}

export function classes${i}(active: boolean, size: 'sm' | 'lg'): string {
  return clsx('btn', { 'btn-active': active, [\`btn-\${size}\`]: true });
}
`;
}

/** A service file with an LLM client, an axios instance, fetch and an Express route. */
function serviceFile(i: number): string {
  return `import express from 'express';
import axios from 'axios';
import OpenAI from 'openai';
import { TIMEOUT_MS } from './config';

const openai = new OpenAI({ timeout: Number(process.env.LLM_TIMEOUT_MS ?? ${60_000 + i}), maxRetries: 1 });
const api = axios.create({ baseURL: process.env.API_URL, timeout: TIMEOUT_MS });
const app = express();

async function summarise(text: string) {
  const res = await openai.chat.completions.create({ model: 'gpt-4o', stream: ${i % 2 === 0}, max_tokens: 1024, messages: [{ role: 'user', content: text }] });
  return res;
}

app.post('/summarise/${i}', async (req, res) => {
  const doc = await api.get(\`/docs/\${req.body.id}\`);
  const page = await fetch('https://example.com/${i}', { signal: AbortSignal.timeout(${5000 + i}) });
  res.json({ summary: await summarise(doc.data + (await page.text())) });
});

const server = app.listen(${3000 + (i % 100)});
server.keepAliveTimeout = 65_000;
`;
}

describe.skipIf(!enabled)('TypeScript reader throughput', () => {
  it('measures raw parser, full read and pre-scanned read', () => {
    const files = Array.from({ length: FILE_COUNT }, (_, i) => ({ file: `src/m${i}.ts`, text: i % 10 === 0 ? serviceFile(i) : ordinaryFile(i) }));
    const bytes = files.reduce((sum, f) => sum + Buffer.byteLength(f.text), 0);
    const megabytes = bytes / 1e6;
    const time = (run: () => void): number => {
      run(); // Warm-up pass so the JIT settles.
      const start = performance.now();
      run();
      return (performance.now() - start) / 1000;
    };
    const raw = time(() => {
      for (const f of files) parse(f.text, { sourceType: 'module', errorRecovery: true, attachComment: false, plugins: ['typescript', 'decorators-legacy'] });
    });
    const parseOnly = time(() => {
      for (const f of files) parseTsText(f.file, f.text);
    });
    const full = time(() => {
      for (const f of files) extractTsFacts(parseTsText(f.file, f.text));
    });
    let kept = 0;
    const scanOnly = time(() => {
      kept = 0;
      for (const f of files) if (shouldParseTs(f.file, f.text)) kept++;
    });
    const prescanned = time(() => {
      for (const f of files) if (shouldParseTs(f.file, f.text)) extractTsFacts(parseTsText(f.file, f.text));
    });
    const rate = (seconds: number) => `${(megabytes / seconds).toFixed(1)} MB/s (${(seconds * 1000).toFixed(0)} ms)`;
    console.log([
      `${files.length} files, ${megabytes.toFixed(2)} MB, ${kept} kept by the pre-scan (${files.length - kept} skipped)`,
      `raw @babel/parser:            ${rate(raw)}`,
      `parseTsText only:             ${rate(parseOnly)}`,
      `parse + facts, no pre-scan:   ${rate(full)}`,
      `pre-scan alone:               ${rate(scanOnly)}`,
      `pre-scan + parse + facts:     ${rate(prescanned)}`,
    ].join('\n'));
  });
});
