// An nginx time value rejected only for its spelling (`1.5m`) counts as what it means in chains, so
// invalid-timeout-value's safe fix (`90s`) reveals no finding that was not already reported (#18).
import { describe, expect, it } from 'vitest';
import { allRules } from '../../rules/index.js';
import { defaultConfig } from '../../server/src/engine/config.js';
import { fixToFixpoint } from '../../server/src/engine/fix.js';
import { lint } from '../../server/src/engine/run.js';
import { MemoryFs, OverlayFs, type WorkspaceFs } from '../../server/src/engine/workspace-fs.js';

const K8S = [
  'apiVersion: v1\nkind: Service\nmetadata:\n  name: chat-api\n  namespace: default\nspec:\n  selector:\n    app: chat-api\n  ports:\n    - port: 8080\n',
  'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: chat-api\n  namespace: default\nspec:\n  selector:\n    matchLabels:\n      app: chat-api\n  template:\n    metadata:\n      labels:\n        app: chat-api\n    spec:\n      terminationGracePeriodSeconds: 300\n      containers:\n        - name: chat-api\n          image: chat:1\n',
].join('---\n');
const SERVER = "import express from 'express';\nimport OpenAI from 'openai';\nconst openai = new OpenAI({ timeout: 120_000, maxRetries: 0 });\nconst app = express();\napp.post('/api/chat', async (req, res) => res.json(await openai.chat.completions.create({ model: 'm', messages: [] })));\napp.listen(8080);\n";

function workspace(readTimeout: string): Record<string, string> {
  return {
    'nginx.conf': `events {}\nhttp {\n  server {\n    listen 80;\n    server_name api.example.com;\n    location /api/ {\n      proxy_read_timeout ${readTimeout};\n      proxy_pass http://chat-api:8080;\n    }\n  }\n}\n`,
    'k8s/chat.yaml': K8S,
    'chat-api/package.json': '{ "name": "chat-api" }',
    'chat-api/src/server.ts': SERVER,
  };
}

function linter(files: Record<string, string>) {
  const memory = new MemoryFs(files);
  return (fs: WorkspaceFs = memory) => lint({ fs, files: Object.keys(files), config: defaultConfig(allRules), rules: allRules, toolVersion: 'test' });
}

const ruleLines = (findings: ReadonlyArray<{ ruleId: string; span: { file: string } }>) => findings.map((f) => `${f.ruleId} ${f.span.file}`).sort();

describe('an nginx timeout nginx rejects only for its spelling', () => {
  it('is compared in chains as the value it means, next to the finding about its spelling', () => {
    const findings = linter(workspace('1.5m'))().findings;
    expect(ruleLines(findings)).toEqual(['invalid-timeout-value nginx.conf', 'outer-timeout-below-inner nginx.conf']);
    expect(findings.find((f) => f.ruleId === 'outer-timeout-below-inner')!.message).toMatch(/^nginx gives up at 90 s; .* may take 2 min\. nginx location \/api\/:/);
  });

  it('is fixed by --fix to its exact spelling, and the fix adds no finding', () => {
    const files = workspace('1.5m');
    const memory = new MemoryFs(files);
    const run = linter(files);
    const result = fixToFixpoint((overrides) => run(new OverlayFs(memory, overrides)), { unsafe: false });
    expect(result.changed.get('nginx.conf')).toContain('proxy_read_timeout 90s;');
    expect(result.passes).toBe(1);
    const before = new Set(ruleLines(run().findings));
    expect(ruleLines(result.report.findings)).toEqual(['outer-timeout-below-inner nginx.conf']);
    expect(ruleLines(result.report.findings).filter((line) => !before.has(line))).toEqual([]);
  });

  it('stays unknown when no exact spelling exists', () => {
    // 0.5ms has no whole-millisecond spelling: no fix, and no value for the chain to compare.
    expect(ruleLines(linter(workspace('0.5ms'))().findings)).toEqual(['invalid-timeout-value nginx.conf']);
  });
});
