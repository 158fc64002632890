// The parse cache of long-lived runs (the language server): an nginx entry and its model are reused only while every file and folder listing the parse read is unchanged.
import { describe, expect, it } from 'vitest';
import { allRules } from '../../rules/index.js';
import { defaultConfig } from '../../server/src/engine/config.js';
import type { NginxModel } from '../../server/src/engine/inputs/nginx/model.js';
import { defineRule } from '../../server/src/engine/rule.js';
import { lint, ParseCache } from '../../server/src/engine/run.js';
import { MemoryFs } from '../../server/src/engine/workspace-fs.js';

const FILES = {
  'nginx.conf': 'events {}\nhttp {\n    include conf.d/*.conf;\n}\n',
  'conf.d/api.conf': 'server {\n    location /api/ {\n        proxy_pass http://api:8080;\n        proxy_read_timeout 1.5m;\n    }\n}\n',
};

function run(fs: MemoryFs, cache: ParseCache): { models: NginxModel[]; codes: string[] } {
  let models: NginxModel[] = [];
  const capture = defineRule<object>({
    id: 'capture', description: 'Captures the nginx models.', defaultSeverity: 'info', fixable: 'never', inputs: ['nginx'],
    options: { schema: { type: 'object', additionalProperties: false, properties: {} }, defaults: {} }, messages: {},
    check: (ctx) => {
      models = ctx.model.nginx;
    },
  });
  const files = ['nginx.conf', ...fs.readDirectory('conf.d')!.map((n) => `conf.d/${n}`)];
  const report = lint({ fs, files, config: defaultConfig(allRules), rules: [...allRules, capture], toolVersion: 'test', parseCache: cache });
  return { models, codes: report.findings.map((f) => f.ruleId).sort() };
}

describe('ParseCache for nginx entries', () => {
  it('reuses the parsed entry and its model while nothing it read changed', () => {
    const fs = new MemoryFs(FILES);
    const cache = new ParseCache();
    const first = run(fs, cache);
    const second = run(fs, cache);
    expect(second.models[0]).toBe(first.models[0]);
    expect(second.codes).toEqual(first.codes);
    expect(first.codes).toContain('invalid-timeout-value');
  });

  it('parses again when an included file changes', () => {
    const fs = new MemoryFs(FILES);
    const cache = new ParseCache();
    const first = run(fs, cache);
    fs.write('conf.d/api.conf', FILES['conf.d/api.conf'].replace('1.5m', '90s'));
    const second = run(fs, cache);
    expect(second.models[0]).not.toBe(first.models[0]);
    expect(second.codes).not.toContain('invalid-timeout-value');
  });

  it('parses again when a glob-included folder gains a file (the listing changed, no read text did)', () => {
    const fs = new MemoryFs(FILES);
    const cache = new ParseCache();
    const first = run(fs, cache);
    fs.write('conf.d/zz.conf', 'server {\n    location /x/ {\n        proxy_pass http://x:80;\n        proxy_connect_timeout 90s;\n    }\n}\n');
    const second = run(fs, cache);
    expect(second.models[0]).not.toBe(first.models[0]);
    expect(second.codes).toContain('connect-timeout-above-75s');
  });
});

describe('ParseCache for sources the pre-scan skips', () => {
  /** A MemoryFs with modification times (a counter per write) that counts reads and releases. */
  class StampedFs extends MemoryFs {
    readonly reads: string[] = [];
    readonly released: string[] = [];
    private readonly stamps = new Map<string, number>();
    private clock = 1;

    override write(file: string, content: string | Uint8Array): void {
      super.write(file, content);
      this.stamps?.set(file, this.clock++);
    }

    override readFile(file: string): Uint8Array | undefined {
      this.reads.push(file);
      return super.readFile(file);
    }

    override stat(file: string) {
      const stat = super.stat(file);
      return stat?.isFile ? { ...stat, mtimeMs: this.stamps.get(file) } : stat;
    }

    release(file: string): void {
      this.released.push(file);
    }
  }

  it('does not read a skipped source again while its size and modification time stay, and lets the file cache drop it', () => {
    const fs = new StampedFs();
    fs.write('src/util.ts', 'export function add(a: number, b: number) { return a + b; }\n');
    fs.write('src/client.ts', "export async function load() { return fetch('https://api.example.com/x'); }\n");
    const cache = new ParseCache();
    const files = ['src/util.ts', 'src/client.ts'];
    const run = () => lint({ fs, files, config: defaultConfig(allRules), rules: allRules, toolVersion: 'test', parseCache: cache });
    const first = run();
    expect(first.files.map((f) => f.file)).toEqual(['src/client.ts']);
    expect(fs.released).toEqual(['src/util.ts']);
    fs.reads.length = 0;
    const second = run();
    expect(fs.reads).not.toContain('src/util.ts');
    expect(second.findings.map((f) => f.ruleId)).toEqual(first.findings.map((f) => f.ruleId));
    // Changed (a new modification time): read again, and now it calls an HTTP API.
    fs.write('src/util.ts', "export const get = () => fetch('https://api.example.com/y');\n");
    const third = run();
    expect(fs.reads).toContain('src/util.ts');
    expect(third.files.map((f) => f.file).sort()).toEqual(['src/client.ts', 'src/util.ts']);
    expect(third.findings.filter((f) => f.span.file === 'src/util.ts').map((f) => f.ruleId)).toContain('http-call-without-timeout');
  });

  it('keeps no verdict without modification times (editor buffers, the CLI)', () => {
    const fs = new MemoryFs({ 'src/util.ts': 'export function add(a: number, b: number) { return a + b; }\n' });
    let reads = 0;
    const counting = { readFile: (f: string) => (reads++, fs.readFile(f)), stat: (f: string) => fs.stat(f), readDirectory: (d: string) => fs.readDirectory(d) };
    const cache = new ParseCache();
    for (let i = 0; i < 2; i++) lint({ fs: counting, files: ['src/util.ts'], config: defaultConfig(allRules), rules: allRules, toolVersion: 'test', parseCache: cache });
    expect(reads).toBe(2);
  });
});
