// The parse cache of long-lived runs (the language server): an nginx entry and its model are reused only while every file and folder listing the parse read is unchanged.
import { describe, expect, it } from 'vitest';
import { allRules } from '../../rules/index.js';
import { defaultConfig } from '../../server/src/engine/config.js';
import type { NginxModel } from '../../server/src/engine/model/nginx-model.js';
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
