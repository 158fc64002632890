// Browser or server: the evidence a file and its package give, and the decision table over it (conflicts included).
import { describe, expect, it } from 'vitest';
import { readCodePackages } from '../../server/src/engine/inputs/ts/packages.js';
import { extractTsFacts } from '../../server/src/engine/inputs/ts/facts.js';
import { decideRuntime, parseJsonc, readFileRuntime, readPackageRuntime, runtimeOf, type PackageRuntime } from '../../server/src/engine/inputs/ts/runtime.js';
import { parseTsText } from '../../server/src/engine/inputs/ts/file.js';

function fileRuntime(source: string, file = 'src/a.ts') {
  const parsed = parseTsText(file, source);
  return readFileRuntime(parsed.program!, parsed.text);
}

function pkgOf(files: Record<string, string>, dir = ''): PackageRuntime | undefined {
  const at = (name: string) => (dir === '' ? name : `${dir}/${name}`);
  return readPackageRuntime(dir, files[at('package.json')], (f) => files[f]);
}

const manifest = (deps: Record<string, string>, dev: Record<string, string> = {}) => JSON.stringify({ name: 'x', dependencies: deps, devDependencies: dev });

describe('file evidence', () => {
  it('reads the use client / use server directive with its line', () => {
    expect(fileRuntime(`'use client';\nimport x from 'y';\nfetch('/a');`)?.directive).toEqual({ value: 'use client', line: 1 });
    expect(fileRuntime(`// header\n\n"use server"\nexport async function act() {}`)?.directive).toEqual({ value: 'use server', line: 3 });
  });

  it('ignores a directive-like string that is not a directive', () => {
    expect(fileRuntime(`const a = 1;\n'use client';\nfetch('/a');`)?.directive).toBeUndefined();
  });

  it('reads Node-only imports (node: prefix, fs, http, require) but not polyfilled ones or type imports', () => {
    expect(fileRuntime(`import { readFile } from 'node:fs/promises';`)?.nodeImport).toEqual({ module: 'node:fs/promises', line: 1 });
    expect(fileRuntime(`import path from 'path';\nimport http from 'http';`)?.nodeImport).toEqual({ module: 'http', line: 2 });
    expect(fileRuntime(`const fs = require('fs');`)?.nodeImport?.module).toBe('fs');
    expect(fileRuntime(`import { EventEmitter } from 'events';\nimport { URL } from 'url';`)).toBeUndefined();
    expect(fileRuntime(`import type { Server } from 'http';`, 'src/a.ts')).toBeUndefined();
  });

  it('reads an import of a server framework, not of its browser client', () => {
    expect(fileRuntime(`import express from 'express';`)?.serverImport).toEqual({ module: 'express', line: 1 });
    expect(fileRuntime(`const Koa = require('koa');`)?.serverImport?.module).toBe('koa');
    expect(fileRuntime(`import { hc } from 'hono/client';`)).toBeUndefined();
  });

  it('reads the server-only and client-only markers', () => {
    expect(fileRuntime(`import 'server-only';`)?.marker).toEqual({ module: 'server-only', line: 1 });
    expect(fileRuntime(`import 'client-only';`)?.marker?.module).toBe('client-only');
  });

  it('reads React state and effect hooks imported from react, not other hooks or type imports', () => {
    expect(fileRuntime(`import React, { useMemo, useEffect } from 'react';`)?.clientHook).toEqual({ name: 'useEffect', line: 1 });
    expect(fileRuntime(`import { useMemo, cache } from 'react';`)).toBeUndefined();
    expect(fileRuntime(`import * as React from 'react';\n\nexport function useGpus() {\n  const [n] = React.useState<number>(0);\n}`)?.clientHook).toEqual({ name: 'useState', line: 4 });
    expect(fileRuntime(`import React from 'react';\nexport const x = React.useMemo;`)).toBeUndefined();
    expect(fileRuntime(`import { useState } from 'preact/hooks';`)).toBeUndefined();
  });

  it('reads a browser global used when the module loads, not inside functions, not behind a typeof guard', () => {
    expect(fileRuntime(`import x from 'y';\n(window => {\n  fetch('/api/send');\n})(window);`)?.browserGlobal).toEqual({ name: 'window', line: 4 });
    expect(fileRuntime(`const { currentScript } = document;`)?.browserGlobal).toEqual({ name: 'document', line: 1 });
    expect(fileRuntime(`export function track() { return window.location.href; }\nexport const f = () => document.title;`)).toBeUndefined();
    expect(fileRuntime(`const base = typeof window === 'undefined' ? 'http://api' : window.location.origin;`)).toBeUndefined();
    expect(fileRuntime(`const config = { window: 5, document: 'a' };\nconst n = config.window;`)).toBeUndefined();
    expect(fileRuntime(`class Tracker { send() { return navigator.sendBeacon('/x'); } }`)).toBeUndefined();
  });

  it('is kept in the per-file facts', () => {
    expect(extractTsFacts(parseTsText('app/p.tsx', `'use client';\nexport const f = () => fetch('/api/x');`)).runtime?.directive?.value).toBe('use client');
    expect(extractTsFacts(parseTsText('app/p.ts', `export const f = () => fetch('/api/x');`)).runtime).toBeUndefined();
  });
});

describe('package evidence', () => {
  it('sorts dependencies into server frameworks, front-end bundlers and full-stack frameworks', () => {
    const pkg = pkgOf({ 'web/package.json': manifest({ react: '18' }, { vite: '5', '@types/node': '20' }) }, 'web')!;
    expect(pkg).toMatchObject({ manifest: 'web/package.json', frontEndDeps: ['vite'], serverDeps: [], fullStack: [], nodeTypes: true });
    expect(pkgOf({ 'package.json': manifest({ express: '4', next: '14' }) })).toMatchObject({ serverDeps: ['express'], fullStack: ['next'] });
    expect(pkgOf({ 'package.json': manifest({ lodash: '4' }) })).toBeUndefined();
    expect(pkgOf({ 'package.json': manifest({}, { electron: '26' }) })).toMatchObject({ electron: true, frontEndDeps: [] });
  });

  it('reads a tsconfig with comments and trailing commas: lib dom without node types', () => {
    const tsconfig = `{\n  // the app\n  "compilerOptions": { "lib": ["DOM", "ES2022",], "paths": { "@/*": ["./src/*"] }, /* no types */ },\n}`;
    expect(pkgOf({ 'package.json': manifest({}), 'tsconfig.json': tsconfig })?.domOnlyTsconfig).toBe('tsconfig.json');
    const withNode = `{ "compilerOptions": { "lib": ["dom"], "types": ["node"] } }`;
    expect(pkgOf({ 'package.json': manifest({}), 'tsconfig.json': withNode })).toBeUndefined();
    expect(pkgOf({ 'package.json': manifest({}), 'tsconfig.app.json': `{ "compilerOptions": { "lib": ["es2020", "dom"] } }` })?.domOnlyTsconfig).toBe('tsconfig.app.json');
  });

  it('reads a browser extension manifest', () => {
    expect(pkgOf({ 'ext/package.json': manifest({}), 'ext/manifest.json': `{ "manifest_version": 3, "name": "x" }` }, 'ext')?.extensionManifest).toBe('ext/manifest.json');
    // A web app manifest (PWA) is no extension.
    expect(pkgOf({ 'package.json': manifest({}), 'public/manifest.json': `{ "name": "x", "display": "standalone" }` })).toBeUndefined();
  });

  it('reads a React Router config that turns server rendering off, and only a literal false', () => {
    const deps = manifest({ '@react-router/node': '7' });
    expect(pkgOf({ 'web/package.json': deps, 'web/react-router.config.ts': `export default {\n  // client only\n  ssr: false,\n};` }, 'web')?.spaConfig).toBe('web/react-router.config.ts');
    expect(pkgOf({ 'web/package.json': deps, 'web/react-router.config.ts': `export default { ssr: true };` }, 'web')?.spaConfig).toBeUndefined();
    expect(pkgOf({ 'web/package.json': deps, 'web/react-router.config.ts': `export default {\n  ssr: process.env.SSR === '1',\n};` }, 'web')?.spaConfig).toBeUndefined();
  });

  it("reads a Vite app's index.html entry under src/, in either attribute order, only for a vite package", () => {
    const deps = manifest({ react: '18', express: '4' }, { vite: '5' });
    expect(pkgOf({ 'web/package.json': deps, 'web/index.html': '<body>\n  <div id="root"></div>\n  <script type="module" src="/src/main.tsx"></script>\n</body>' }, 'web')?.viteEntry).toEqual({ html: 'web/index.html', script: 'src/main.tsx' });
    expect(pkgOf({ 'package.json': deps, 'index.html': "<script src='./src/index.ts' type=module></script>" })?.viteEntry).toEqual({ html: 'index.html', script: 'src/index.ts' });
    // A classic script, or a module outside src/, is no bundle entry under src/.
    expect(pkgOf({ 'package.json': deps, 'index.html': '<script src="/src/main.js"></script>' })?.viteEntry).toBeUndefined();
    expect(pkgOf({ 'package.json': deps, 'index.html': '<script type="module" src="/app/main.ts"></script>' })?.viteEntry).toBeUndefined();
    expect(pkgOf({ 'package.json': manifest({ express: '4' }), 'index.html': '<script type="module" src="/src/main.ts"></script>' })?.viteEntry).toBeUndefined();
  });

  it('parses JSON with comments without eating comment-like text in strings', () => {
    expect(parseJsonc(`{ "a": "//not a comment", "b": "/* nor this */", // real\n "c": 1, }`)).toEqual({ a: '//not a comment', b: '/* nor this */', c: 1 });
    expect(parseJsonc('{ broken')).toBeUndefined();
  });
});

describe('decision table', () => {
  const vite = { frontEndDeps: ['vite'], serverDeps: [], fullStack: [], nodeTypes: false, manifest: 'web/package.json' } satisfies PackageRuntime;
  const express = { frontEndDeps: [], serverDeps: ['express'], fullStack: [], nodeTypes: true, manifest: 'api/package.json' } satisfies PackageRuntime;
  const next = { frontEndDeps: [], serverDeps: [], fullStack: ['next'], nodeTypes: true, manifest: 'package.json' } satisfies PackageRuntime;
  const electron = { frontEndDeps: ['vite'], serverDeps: [], fullStack: [], nodeTypes: true, manifest: 'package.json', electron: true } satisfies PackageRuntime;
  const decide = (file: string, source: string | undefined, dir: string, runtime?: PackageRuntime) =>
    decideRuntime({ file, facts: source === undefined ? undefined : fileRuntime(source, file), pkg: { dir, runtime } });

  const cases: Array<[string, ReturnType<typeof decide>, string, string]> = [
    ["'use client'", decide('app/chat/page.tsx', `'use client';\nfetch('/x')`, '', next), 'browser', "'use client' at app/chat/page.tsx:1"],
    ["'use server'", decide('app/actions.ts', `'use server';\nfetch('/x')`, '', next), 'server', "'use server' at app/actions.ts:1"],
    ['server-only marker', decide('lib/db.ts', `import 'server-only';`, '', next), 'server', "imports 'server-only' at lib/db.ts:1"],
    ['Next.js route handler', decide('app/api/chat/route.ts', '', '', next), 'server', 'Next.js route handler app/api/chat/route.ts'],
    ['Next.js API route', decide('src/pages/api/x.ts', '', '', next), 'server', 'Next.js API route src/pages/api/x.ts'],
    ['Next.js server component', decide('app/dash/page.tsx', '', '', next), 'server', "Next.js server component app/dash/page.tsx (no 'use client')"],
    ['Next.js component of unknown side', decide('components/list.tsx', '', '', next), 'unknown', 'the root package uses next, which runs a file on the server or in the browser by how it is imported (package.json)'],
    ['SvelteKit server module', decide('src/routes/api/+server.ts', '', '', { ...next, fullStack: ['@sveltejs/kit'] }), 'server', 'SvelteKit server module src/routes/api/+server.ts'],
    ['Remix .client module', decide('app/x.client.ts', '', '', { ...next, fullStack: ['@remix-run/react'] }), 'browser', '`.client` module app/x.client.ts'],
    ['Vite package, file under src/', decide('web/src/api.ts', '', 'web', vite), 'browser', 'package web/ depends on vite and no server framework (web/package.json)'],
    ['Vite package, config beside src/', decide('web/vite.config.ts', '', 'web', vite), 'unknown', 'vite.config.ts is outside src/ of front-end package web/ (a build script or config may run in Node)'],
    ['express package', decide('api/src/chat.ts', '', 'api', express), 'server', 'package api/ depends on express (api/package.json)'],
    ['vite and express in one package', decide('src/a.ts', '', '', { ...vite, serverDeps: ['express'], manifest: 'package.json' }), 'unknown', 'the root package depends on both vite and express (package.json)'],
    ['Vite app, its server folder under src/', decide('src/server/render.ts', '', '', { ...vite, serverDeps: ['express'], manifest: 'package.json', viteEntry: { html: 'index.html', script: 'src/main.tsx' } }), 'unknown', 'the root package depends on both vite and express (package.json)'],
    ['Vite app bundle, file under src/', decide('web/src/lib/client.ts', '', 'web', { ...vite, serverDeps: ['express'], viteEntry: { html: 'web/index.html', script: 'src/main.tsx' } }), 'browser', 'Vite app bundle: web/index.html loads /src/main.tsx, and web/src/lib/client.ts is under src/ (the express dependency of package web/ runs outside src/)'],
    ['Vite app, server-rendering entry', decide('src/entry-server.tsx', '', '', { ...vite, serverDeps: ['express'], manifest: 'package.json', viteEntry: { html: 'index.html', script: 'src/main.tsx' } }), 'unknown', 'the root package depends on both vite and express (package.json)'],
    ['Vite app, file beside src/', decide('proxy-server.ts', '', '', { ...vite, serverDeps: ['express'], manifest: 'package.json', viteEntry: { html: 'index.html', script: 'src/main.tsx' } }), 'unknown', 'the root package depends on both vite and express (package.json)'],
    ['Vite app, file under src/ that imports express', decide('src/dev.ts', `import express from 'express';`, '', { ...vite, serverDeps: ['express'], manifest: 'package.json', viteEntry: { html: 'index.html', script: 'src/main.tsx' } }), 'server', 'imports the server framework `express` at src/dev.ts:1'],
    ['DOM-only tsconfig', decide('src/a.ts', '', '', { frontEndDeps: [], serverDeps: [], fullStack: [], nodeTypes: false, domOnlyTsconfig: 'tsconfig.json' }), 'browser', 'tsconfig.json has lib "dom" and no Node types'],
    ['DOM-only tsconfig but @types/node', decide('src/a.ts', '', '', { frontEndDeps: [], serverDeps: [], fullStack: [], nodeTypes: true, domOnlyTsconfig: 'tsconfig.json' }), 'unknown', 'tsconfig.json has lib "dom", but the root package also has Node types (@types/node)'],
    ['public/ script', decide('public/sw.js', '', '', next), 'browser', 'script served as is from public/'],
    ['service worker by name', decide('src/service-worker.ts', '', ''), 'browser', 'service worker src/service-worker.ts'],
    ['browser extension', decide('ext/src/content.ts', '', 'ext', { frontEndDeps: [], serverDeps: [], fullStack: [], nodeTypes: false, extensionManifest: 'ext/manifest.json' }), 'browser', 'browser extension: ext/manifest.json declares manifest_version'],
    ['Node import in a server package', decide('api/src/a.ts', `import fs from 'node:fs';`, 'api', express), 'server', "imports Node's `node:fs` at api/src/a.ts:1"],
    ['Node import in a front-end package', decide('web/src/a.ts', `import fs from 'fs';`, 'web', vite), 'server', "imports Node's `fs` at web/src/a.ts:1, although package web/ depends on vite and no server framework (web/package.json)"],
    ["conflict: 'use client' and a Node import", decide('app/p.tsx', `'use client';\nimport fs from 'fs';`, '', next), 'unknown', "conflicting: 'use client' at app/p.tsx:1, but imports Node's `fs` at app/p.tsx:2"],
    ["conflict: 'use client' in a route handler file", decide('app/api/x/route.ts', `'use client';`, '', next), 'unknown', "conflicting: 'use client' at app/api/x/route.ts:1, but Next.js route handler app/api/x/route.ts"],
    ['React hook in a Next.js component', decide('components/list.tsx', `import { useEffect } from 'react';`, '', next), 'browser', "imports React's `useEffect` at components/list.tsx:1 (a client component: a server component cannot use it)"],
    ['React hook in a route handler file stays server', decide('app/api/x/route.ts', `import { useState } from 'react';`, '', next), 'server', 'Next.js route handler app/api/x/route.ts'],
    ['conflict: React hook and a Node import', decide('lib/a.tsx', `import { useState } from 'react';\nimport fs from 'fs';`, '', next), 'unknown', "conflicting: imports React's `useState` at lib/a.tsx:1 (a client component: a server component cannot use it), but imports Node's `fs` at lib/a.tsx:2"],
    ['browser global at module load', decide('src/tracker/index.js', `(window => { fetch('/api/send'); })(window);`, '', next), 'browser', 'reads `window` when the module loads at src/tracker/index.js:1 (it would throw on a server)'],
    ['React Router single-page app', decide('web/core/api.ts', '', 'web', { ...next, fullStack: ['@react-router/node'], spaConfig: 'web/react-router.config.ts' }), 'browser', 'single-page app: web/react-router.config.ts sets ssr: false'],
    ['React Router single-page app, server module', decide('web/app/x.server.ts', '', 'web', { ...next, fullStack: ['@react-router/node'], spaConfig: 'web/react-router.config.ts' }), 'server', '`.server` module web/app/x.server.ts'],
    ['no package evidence', decide('lib/a.ts', '', ''), 'unknown', 'no evidence in the file or its package'],
    ['server framework import in a full-stack package', decide('app/api/[[...route]]/hono.ts', `import { Hono } from 'hono';`, '', next), 'server', 'imports the server framework `hono` at app/api/[[...route]]/hono.ts:1'],
    ['hono/client is no server framework', decide('lib/rpc.ts', `import { hc } from 'hono/client';`, '', next), 'unknown', 'the root package uses next, which runs a file on the server or in the browser by how it is imported (package.json)'],
    ['Electron main process', decide('src/main/updater.ts', '', '', electron), 'server', 'Electron main-process file src/main/updater.ts (runs in Node)'],
    ['Electron main entry', decide('electron/main.ts', '', '', electron), 'server', 'Electron main-process file electron/main.ts (runs in Node)'],
    ['Electron renderer', decide('src/renderer/api.ts', '', '', electron), 'browser', 'Electron renderer file src/renderer/api.ts'],
    ['Electron main file with a Node import names Electron first', decide('src/main/parse.ts', `import fs from 'node:fs';`, '', electron), 'server', 'Electron main-process file src/main/parse.ts (runs in Node)'],
    ['test file of a Vite package', decide('web/src/api.test.ts', '', 'web', vite), 'unknown', 'web/src/api.test.ts is a test file: a test runner runs it in Node or in a simulated DOM'],
    ['__tests__ folder of a Vite package', decide('web/src/__tests__/api.ts', '', 'web', vite), 'unknown', 'web/src/__tests__/api.ts is a test file: a test runner runs it in Node or in a simulated DOM'],
  ];
  it.each(cases)('%s', (_name, decision, runtime, evidence) => {
    expect(decision).toEqual({ runtime, evidence });
  });

  it('finds a file\'s package through the code packages read from the workspace', () => {
    const files: Record<string, string> = {
      'web/package.json': manifest({ react: '18' }, { vite: '5' }),
      'api/package.json': manifest({ fastify: '4' }),
    };
    const packages = readCodePackages(['web/src/api.ts', 'api/src/server.ts'], (f) => files[f]);
    expect(runtimeOf(packages, 'web/src/api.ts', undefined).runtime).toBe('browser');
    expect(runtimeOf(packages, 'api/src/server.ts', undefined)).toEqual({ runtime: 'server', evidence: 'package api/ depends on fastify (api/package.json)' });
  });
});
