// Browser or server from the code that imports a file: the importer walk over a small workspace, and the text reader for files the facts pass skipped.
import { describe, expect, it } from 'vitest';
import { decideByImporters, importSpecifiers, textRuntime } from '../../server/src/engine/inputs/ts/runtime-importers.js';
import { readCodePackages } from '../../server/src/engine/inputs/ts/packages.js';
import { extractTsFacts } from '../../server/src/engine/inputs/ts/facts.js';
import { parseTsText } from '../../server/src/engine/inputs/ts/file.js';
import { runtimeOf, type RuntimeDecision } from '../../server/src/engine/inputs/ts/runtime.js';
import { workspaceSpecifierResolver } from '../../server/src/engine/inputs/ts/workspace-specifiers.js';

const NEXT = JSON.stringify({ dependencies: { next: '15', react: '19' } });

/** Decides every file of `files` that makes an HTTP call, as the TypeScript input does after reading. */
function decide(files: Record<string, string>): Record<string, RuntimeDecision> {
  const sources = Object.keys(files).filter((f) => /\.(tsx?|svelte|vue)$/.test(f));
  const facts = new Map(sources.filter((f) => !/\.(svelte|vue)$/.test(f)).map((f) => [f, extractTsFacts(parseTsText(f, files[f]!))] as const));
  const withCalls = [...facts.values()].filter((f) => f.calls.length > 0).map((f) => f.file);
  const packages = readCodePackages(facts.keys(), (f) => files[f]);
  const exists = new Set(sources);
  decideByImporters({ packages, targets: withCalls, sources, parsed: (f) => facts.get(f), text: (f) => files[f], resolveBare: workspaceSpecifierResolver(packages, (f) => files[f], (f) => exists.has(f)) });
  return Object.fromEntries(withCalls.map((f) => [f, runtimeOf(packages, f, facts.get(f))]));
}

const CALL = `export async function load() { return (await fetch('/api/x')).json(); }\n`;

describe('runtime by importers', () => {
  const cases: Array<[string, Record<string, string>, string, RuntimeDecision]> = [
    ['a module imported only by a client component runs in the browser', { 'package.json': NEXT, 'lib/a.ts': CALL, 'app/p.tsx': `'use client';\nimport { load } from '../lib/a';` }, 'lib/a.ts', { runtime: 'browser', evidence: "only browser code imports it: app/p.tsx ('use client' at app/p.tsx:1)" }],
    ['a module imported only by a route handler runs on the server', { 'package.json': NEXT, 'lib/a.ts': CALL, 'app/api/x/route.ts': `import { load } from '../../../lib/a';\nexport const GET = load;` }, 'lib/a.ts', { runtime: 'server', evidence: 'only server code imports it: app/api/x/route.ts (Next.js route handler app/api/x/route.ts)' }],
    ['a server component makes its imports server code', { 'package.json': NEXT, 'lib/a.ts': CALL, 'app/page.tsx': `import { load } from '@/lib/a';\nexport default async function Page() { return load(); }`, 'tsconfig.json': `{ "compilerOptions": { "paths": { "@/*": ["./*"] } } }` }, 'lib/a.ts', { runtime: 'server', evidence: "only server code imports it: app/page.tsx (Next.js server component app/page.tsx (no 'use client'))" }],
    ['through a file with no evidence of its own, named on the way', { 'package.json': NEXT, 'lib/a.ts': CALL, 'lib/b.ts': `export { load } from './a';`, 'app/p.tsx': `'use client';\nimport { load } from '../lib/b';` }, 'lib/a.ts', { runtime: 'browser', evidence: "only browser code imports it: lib/b.ts, imported by app/p.tsx ('use client' at app/p.tsx:1)" }],
    ['imported from both sides: unknown, naming one importer of each', { 'package.json': NEXT, 'lib/a.ts': CALL, 'app/p.tsx': `'use client';\nimport { load } from '../lib/a';`, 'app/api/x/route.ts': `import { load } from '../../../lib/a';` }, 'lib/a.ts', { runtime: 'unknown', evidence: "imported by browser code (app/p.tsx ('use client' at app/p.tsx:1)) and by server code (app/api/x/route.ts (Next.js route handler app/api/x/route.ts))" }],
    ['an importer of unknown side leaves it unknown', { 'package.json': NEXT, 'lib/a.ts': CALL, 'app/p.tsx': `'use client';\nimport { load } from '../lib/a';`, 'components/x.tsx': `import { load } from '../lib/a';` }, 'lib/a.ts', { runtime: 'unknown', evidence: 'the root package uses next, which runs a file on the server or in the browser by how it is imported (package.json)' }],
    ['a Svelte component importer renders on both sides: unknown', { 'package.json': JSON.stringify({ dependencies: { '@sveltejs/kit': '2' } }), 'src/lib/a.ts': CALL, 'src/routes/+page.svelte': `<script>\nimport { load } from '$lib/a';\n</script>`, 'src/routes/+page.server.ts': `import { load } from '../lib/a';` }, 'src/lib/a.ts', { runtime: 'unknown', evidence: 'the root package uses @sveltejs/kit, which runs a file on the server or in the browser by how it is imported (package.json)' }],
    ['type-only imports and tests do not count as importers', { 'package.json': NEXT, 'lib/a.ts': CALL, 'app/p.tsx': `'use client';\nimport { load } from '../lib/a';`, 'scripts/seed.ts': `import fs from 'node:fs';\nimport type { X } from '../lib/a';\nimport { type Y } from '../lib/a';`, 'lib/a.test.ts': `import { load } from './a';` }, 'lib/a.ts', { runtime: 'browser', evidence: "only browser code imports it: app/p.tsx ('use client' at app/p.tsx:1)" }],
    ['no importer: the file keeps its own evidence', { 'package.json': NEXT, 'lib/a.ts': CALL }, 'lib/a.ts', { runtime: 'unknown', evidence: 'the root package uses next, which runs a file on the server or in the browser by how it is imported (package.json)' }],
    ['own evidence wins over importers', { 'package.json': NEXT, 'lib/a.ts': `import 'server-only';\n${CALL}`, 'app/p.tsx': `'use client';\nimport { load } from '../lib/a';` }, 'lib/a.ts', { runtime: 'server', evidence: "imports 'server-only' at lib/a.ts:1" }],
    ['an importer skipped by the pre-scan is read from its text: a React hook makes it a client component', { 'package.json': NEXT, 'lib/a.ts': CALL, 'components/list.tsx': `import React, { useEffect } from 'react';\nimport { load } from '../lib/a';` }, 'lib/a.ts', { runtime: 'browser', evidence: "only browser code imports it: components/list.tsx (imports React's `useEffect` at components/list.tsx:1 (a client component: a server component cannot use it))" }],
    ['a Vite app that also depends on express (its proxy server): src/ is the bundle index.html loads', { 'package.json': JSON.stringify({ dependencies: { react: '18', express: '4' }, devDependencies: { vite: '5' } }), 'index.html': '<div id="root"></div>\n<script type="module" src="/src/main.tsx"></script>', 'src/api/client.ts': CALL, 'src/main.tsx': `import { load } from './api/client';`, 'proxy-server.ts': `import express from 'express';\n${CALL}` }, 'src/api/client.ts', { runtime: 'browser', evidence: 'Vite app bundle: index.html loads /src/main.tsx, and src/api/client.ts is under src/ (the express dependency of the root package runs outside src/)' }],
    ['the same app without index.html: unknown, the package depends on both', { 'package.json': JSON.stringify({ dependencies: { react: '18', express: '4' }, devDependencies: { vite: '5' } }), 'src/api/client.ts': CALL, 'src/main.tsx': `import { load } from './api/client';` }, 'src/api/client.ts', { runtime: 'unknown', evidence: 'the root package depends on both vite and express (package.json)' }],
  ];
  it.each(cases)('%s', (_name, files, file, expected) => {
    expect(decide(files)[file]).toEqual(expected);
  });
});

describe('import specifiers and text evidence', () => {
  it('lists static, dynamic, re-exported and required modules, not type-only ones', () => {
    const text = `import a from './a';\nimport { b,\n  c } from "./b";\nimport './side';\nexport * from './d';\nexport { e } from './e';\nconst f = await import('./f');\nconst g = require('./g');\nimport type { H } from './h';\nimport { type I } from './i';\nexport type { J } from './j';`;
    expect(importSpecifiers(text)).toEqual(['./a', './b', './side', './d', './e', './f', './g']);
  });

  it('reads a directive, markers, Node and server-framework imports and React hooks from text', () => {
    expect(textRuntime(`// banner\n"use client";\nimport { useState } from 'react';`)).toEqual({ directive: { value: 'use client', line: 2 }, clientHook: { name: 'useState', line: 3 } });
    expect(textRuntime(`import 'server-only';\nimport fs from 'node:fs';\nimport express from 'express';`)).toEqual({ marker: { module: 'server-only', line: 1 }, nodeImport: { module: 'node:fs', line: 2 }, serverImport: { module: 'express', line: 3 } });
    expect(textRuntime(`const x = 1;\n'use client';`)).toBeUndefined();
    expect(textRuntime(`import type { Server } from 'http';`)).toBeUndefined();
  });
});
