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

  it('follows a package.json exports map: subpaths, conditions in map order, patterns, and build outputs traced to src/', () => {
    const facts = factsOf({
      'packages/llm/package.json': JSON.stringify({
        name: '@acme/llm',
        main: './dist/index.js',
        exports: {
          '.': { types: './dist/index.d.ts', import: './dist/index.mjs', require: './dist/index.cjs' },
          './client': { import: './src/client.ts', default: './dist/client.js' },
          './adapters/*': './src/adapters/*.ts',
          './internal/*': null,
        },
      }),
      'packages/llm/src/index.ts': `export const LLM_TIMEOUT_MS = 45_000;\n`,
      'packages/llm/src/client.ts': `export { default } from 'node-fetch';\n`,
      'packages/llm/src/adapters/openai.ts': `import OpenAI from 'openai';\nexport const openai = new OpenAI({ timeout: 30_000 });\n`,
      'packages/llm/src/internal/secret.ts': `export { default } from 'node-fetch';\n`,
      'packages/llm/src/extra.ts': `export { default } from 'node-fetch';\n`,
      'services/api/package.json': '{ "name": "api" }',
      'services/api/src/server.ts': [
        `import { LLM_TIMEOUT_MS } from '@acme/llm';`,
        `import fetch from '@acme/llm/client';`,
        `import { openai } from '@acme/llm/adapters/openai';`,
        `import hidden from '@acme/llm/internal/secret';`,
        `import extra from '@acme/llm/extra';`,
        `export const h = () => fetch('http://users:8080/u', { timeout: LLM_TIMEOUT_MS });`,
        `export const a = () => openai.chat.completions.create({ model: 'm', messages: [] });`,
      ].join('\n'),
    });
    const server = facts.get('services/api/src/server.ts')!;
    expect(server.moduleFiles).toEqual({
      '@acme/llm': 'packages/llm/src/index.ts',
      '@acme/llm/client': 'packages/llm/src/client.ts',
      '@acme/llm/adapters/openai': 'packages/llm/src/adapters/openai.ts',
    });
    expect(server.moduleEvidence).toEqual({
      '@acme/llm': '@acme/llm is packages/llm/src/index.ts by exports["."].types of packages/llm/package.json names ./dist/index.d.ts, a build output: read from its source packages/llm/src/index.ts',
      '@acme/llm/client': '@acme/llm/client is packages/llm/src/client.ts by exports["./client"].import of packages/llm/package.json',
      '@acme/llm/adapters/openai': '@acme/llm/adapters/openai is packages/llm/src/adapters/openai.ts by exports["./adapters/*"] of packages/llm/package.json',
    });
    expect(server.calls.map(brief)).toEqual([
      'node-fetch http://users:8080/u none via node-fetch re-exported by packages/llm/src/client.ts (@acme/llm/client is packages/llm/src/client.ts by exports["./client"].import of packages/llm/package.json)',
      'openai ? 30000 via OpenAI client openai created in packages/llm/src/adapters/openai.ts (@acme/llm/adapters/openai is packages/llm/src/adapters/openai.ts by exports["./adapters/*"] of packages/llm/package.json)',
    ]);
    expect(resolveImportedValue(facts, 'services/api/src/server.ts', { module: '@acme/llm', name: 'LLM_TIMEOUT_MS' })).toMatchObject({ kind: 'number', value: 45_000 });
  });

  it('traces a main entry that is a build output to its source, and a string exports to the package itself', () => {
    const facts = factsOf({
      'packages/a/package.json': '{ "name": "a", "main": "lib/index.js" }',
      'packages/a/src/index.ts': `export const A = 1;\n`,
      'packages/b/package.json': '{ "name": "b", "exports": "./dist/esm/main.mjs" }',
      'packages/b/src/main.ts': `export const B = 2;\n`,
      'app/package.json': '{ "name": "app" }',
      'app/server.ts': `import { A } from 'a';\nimport { B } from 'b';\nexport const x = A + B;\n`,
    });
    expect(facts.get('app/server.ts')!.moduleEvidence).toEqual({
      a: 'a is packages/a/src/index.ts by "main" of packages/a/package.json names lib/index.js, a build output: read from its source packages/a/src/index.ts',
      b: 'b is packages/b/src/main.ts by exports of packages/b/package.json names ./dist/esm/main.mjs, a build output: read from its source packages/b/src/main.ts',
    });
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
