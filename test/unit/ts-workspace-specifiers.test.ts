// Non-relative specifiers that name workspace files: tsconfig paths aliases and workspace packages imported by name.
import { describe, expect, it } from 'vitest';
import { parseTsText } from '../../server/src/engine/inputs/ts/file.js';
import { extractTsFacts, type TsFileFacts, type TsOutboundCall } from '../../server/src/engine/inputs/ts/facts.js';
import { relinkImportedCallees } from '../../server/src/engine/inputs/ts/imports.js';
import { readCodePackages } from '../../server/src/engine/inputs/ts/packages.js';
import { resolveImportedValue } from '../../server/src/engine/inputs/ts/resolve.js';
import { resolveWorkspaceSpecifiers } from '../../server/src/engine/inputs/ts/workspace-specifiers.js';

function factsOf(files: Record<string, string>): Map<string, TsFileFacts> {
  const facts = new Map<string, TsFileFacts>();
  for (const [file, text] of Object.entries(files)) if (/\.[cm]?[jt]sx?$/.test(file)) facts.set(file, extractTsFacts(parseTsText(file, text)));
  const read = (f: string) => files[f];
  resolveWorkspaceSpecifiers(facts, readCodePackages(facts.keys(), read), read);
  relinkImportedCallees(facts, read);
  return facts;
}

const brief = (call: TsOutboundCall) => `${call.library} ${call.url?.text ?? '?'} ${call.timeouts.find((t) => t.source === 'set')?.ms ?? 'none'} via ${call.evidence?.map((e) => e.text).join('; ') ?? '-'}`;

describe('workspace specifiers', () => {
  it('follows a tsconfig paths alias (through extends and baseUrl) to a module re-exporting axios', () => {
    const facts = factsOf({
      'tsconfig.base.json': '{ "compilerOptions": { "baseUrl": ".", "paths": { "@web/*": ["apps/web/src/*"] } } }',
      'apps/web/package.json': '{ "name": "web", "dependencies": { "express": "4" } }',
      'apps/web/tsconfig.json': '{\n  // shared settings\n  "extends": "../../tsconfig.base.json",\n}',
      'apps/web/src/lib/http.ts': `import axios from 'axios';\nexport const http = axios.create({ timeout: 4000 });\n`,
      'apps/web/src/server.ts': `import { http } from '@web/lib/http';\nexport const h = () => http.get('http://users:8080/u');\n`,
    });
    expect(facts.get('apps/web/src/server.ts')!.moduleFiles).toEqual({ '@web/lib/http': 'apps/web/src/lib/http.ts' });
    expect(facts.get('apps/web/src/server.ts')!.calls.map(brief)).toEqual(['axios http://users:8080/u 4000 via axios.create client http created in apps/web/src/lib/http.ts']);
  });

  it('resolves a workspace package by name to its source entry, and a subpath under its src/', () => {
    const facts = factsOf({
      'packages/shared/package.json': '{ "name": "@acme/shared", "main": "dist/index.js", "types": "src/index.ts" }',
      'packages/shared/src/index.ts': `export const TIMEOUTS = { users: 2500 };\n`,
      'packages/shared/src/fetch.ts': `export { default } from 'node-fetch';\n`,
      'services/api/package.json': '{ "name": "api" }',
      'services/api/src/server.ts': `import { TIMEOUTS } from '@acme/shared';\nimport fetch from '@acme/shared/fetch';\nexport const h = () => fetch('http://users:8080/u', { timeout: TIMEOUTS.users });\n`,
    });
    expect(facts.get('services/api/src/server.ts')!.moduleFiles).toEqual({ '@acme/shared': 'packages/shared/src/index.ts', '@acme/shared/fetch': 'packages/shared/src/fetch.ts' });
    const call = facts.get('services/api/src/server.ts')!.calls[0]!;
    expect(call.library).toBe('node-fetch');
    const timeout = call.timeouts.find((t) => t.option === 'timeout')!;
    expect(resolveImportedValue(facts, 'services/api/src/server.ts', { module: '@acme/shared', name: 'TIMEOUTS', path: ['users'] })).toMatchObject({ kind: 'number', value: 2500 });
    expect(timeout.value?.kind).toBe('import');
  });

  it('leaves npm packages and aliases to missing files alone', () => {
    const facts = factsOf({
      'package.json': '{ "name": "svc" }',
      'tsconfig.json': '{ "compilerOptions": { "paths": { "~/*": ["./src/*"] } } }',
      'src/server.ts': `import express from 'express';\nimport { x } from '~/missing';\nexport const app = express();\n`,
    });
    expect(facts.get('src/server.ts')!.moduleFiles).toBeUndefined();
  });
});
