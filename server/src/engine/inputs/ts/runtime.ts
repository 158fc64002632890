// Decides whether a source file runs in a browser, on a server, or cannot be told, from evidence in the file (directives, imports, path conventions) and in its package (dependencies, tsconfig, extension manifest).
import { unwrap, type AstNode } from './ast.js';
import type { FileId, Span } from '../../types.js';

export type { Runtime, RuntimeDecision } from '../../chain/chain-types.js';
import type { Runtime, RuntimeDecision } from '../../chain/chain-types.js';

/** Why one call runs only in a browser, whatever its file's runtime (browser-guards.ts). */
export interface BrowserOnlyEvidence {
  /** Words for messages and hover: "inside `if (browser)` at src/lib/settings.ts:53". */
  words: string;
  span: Span;
}

/** What one file says about where it runs; read in the per-file facts pass. */
export interface TsFileRuntime {
  /** A `'use client'` or `'use server'` directive at the top of the module, with its 1-based line. */
  directive?: { value: 'use client' | 'use server'; line: number };
  /** The first import (or top-level `require`) of a Node-only built-in module (`node:*`, `fs`, `http`, …). */
  nodeImport?: { module: string; line: number };
  /** The first import (or top-level `require`) of a server framework (express, koa, fastify, …): code that only a server runs. */
  serverImport?: { module: string; line: number };
  /** `import 'server-only'` / `import 'client-only'` (the React markers that make a bundler refuse the other side). */
  marker?: { module: 'server-only' | 'client-only'; line: number };
  /** The first React state or effect hook imported from `react` (`useState`, `useEffect`, …): only client components can call them. */
  clientHook?: { name: string; line: number };
  /** A read of `window`, `document` or `navigator` in code that runs when the module loads (not inside a function), with no `typeof` guard anywhere in the file: it would throw in Node. */
  browserGlobal?: { name: string; line: number };
}

/** What a package says about where its code runs; read where packages are read (packages.ts). */
export interface PackageRuntime {
  /** The manifest the dependencies were read from. */
  manifest?: FileId;
  /** Server frameworks among the dependencies (express, fastify, koa, hono, NestJS, …). */
  serverDeps: string[];
  /** Front-end bundlers and UI frameworks among the dependencies (vite, react-scripts, vue, svelte, Angular, …). */
  frontEndDeps: string[];
  /** Frameworks that run some files on a server and others in the browser, by convention (next, nuxt, SvelteKit, Remix, Astro). */
  fullStack: string[];
  /** True when the package depends on `@types/node` (Node types available to its code). */
  nodeTypes: boolean;
  /** A tsconfig whose `lib` has `dom` and whose `types` do not name `node`, when one was read. */
  domOnlyTsconfig?: FileId;
  /** A manifest.json that declares `manifest_version`: a browser extension. */
  extensionManifest?: FileId;
  /** A `react-router.config` that sets `ssr: false`: a single-page app whose code runs only in the browser. */
  spaConfig?: FileId;
  /** True when the package depends on `electron`: its main process runs in Node, its renderer in Chromium. */
  electron?: boolean;
  /** A Vite package's `index.html` and the module script under `src/` it loads: the browser bundle's entry. */
  viteEntry?: { html: FileId; script: string };
}

/** Node built-ins with no browser counterpart a bundler would supply (path, url, events, buffer are commonly polyfilled, so they prove nothing). */
const NODE_ONLY = new Set(['fs', 'fs/promises', 'http', 'https', 'http2', 'net', 'tls', 'dgram', 'child_process', 'cluster', 'worker_threads', 'readline', 'v8', 'vm', 'inspector', 'perf_hooks', 'async_hooks']);

export const SERVER_DEPS = ['express', 'fastify', 'koa', 'hono', '@hono/node-server', '@nestjs/core', '@hapi/hapi', 'restify', 'polka', '@apollo/server', 'apollo-server', 'elysia', '@adonisjs/core', 'micro', 'h3'];
const FRONT_END_DEPS = ['vite', 'react-scripts', '@vue/cli-service', 'vue', 'svelte', '@angular/core', 'parcel', 'preact', 'solid-js', '@builder.io/qwik', 'webpack-dev-server'];
const FULL_STACK_DEPS = ['next', 'nuxt', '@sveltejs/kit', '@remix-run/node', '@remix-run/react', '@react-router/node', '@react-router/dev', 'astro', '@analogjs/platform', '@tanstack/react-start', '@tanstack/start'];

/** React hooks a Server Component cannot call; code in their effects and the handlers they serve runs in the browser. */
export const CLIENT_HOOKS = new Set(['useState', 'useEffect', 'useLayoutEffect', 'useReducer']);

/** Reads the directives and imports of a parsed module. Only the top level: that is where both live. */
export function readFileRuntime(program: AstNode, text: string): TsFileRuntime | undefined {
  const out: TsFileRuntime = {};
  const lineOf = (offset: number | null | undefined) => (offset == null ? 1 : text.slice(0, offset).split('\n').length);
  for (const directive of (program.directives ?? []) as AstNode[]) {
    const value = directive.value?.value;
    if (value === 'use client' || value === 'use server') {
      out.directive = { value, line: lineOf(directive.start) };
      break;
    }
  }
  const seeModule = (module: unknown, at: AstNode) => {
    if (typeof module !== 'string') return;
    if ((module === 'server-only' || module === 'client-only') && !out.marker) out.marker = { module, line: lineOf(at.start) };
    if (!out.nodeImport && isNodeOnly(module)) out.nodeImport = { module, line: lineOf(at.start) };
    if (!out.serverImport && SERVER_DEPS.includes(module)) out.serverImport = { module, line: lineOf(at.start) };
  };
  for (const statement of (program.body ?? []) as AstNode[]) {
    if (statement.type === 'ImportDeclaration') {
      // A type-only import of a Node module brings no code.
      if (statement.importKind !== 'type') seeModule(statement.source?.value, statement);
      if (statement.importKind !== 'type' && statement.source?.value === 'react' && !out.clientHook) {
        for (const specifier of (statement.specifiers ?? []) as AstNode[]) {
          // `import * as React from 'react'` / `import React from 'react'`, then `React.useState(…)`.
          if (specifier.type === 'ImportNamespaceSpecifier' || specifier.type === 'ImportDefaultSpecifier') {
            const local = specifier.local?.name as string | undefined;
            const use = local ? new RegExp(`\\b${local.replace(/\$/g, '\\$')}\\.(useState|useEffect|useLayoutEffect|useReducer)\\s*[<(]`).exec(text) : null;
            if (use) {
              out.clientHook = { name: use[1]!, line: lineOf(use.index) };
              break;
            }
            continue;
          }
          const name = specifier.type === 'ImportSpecifier' && specifier.importKind !== 'type' ? specifier.imported?.name : undefined;
          if (typeof name === 'string' && CLIENT_HOOKS.has(name)) {
            out.clientHook = { name, line: lineOf(statement.start) };
            break;
          }
        }
      }
    } else if (statement.type === 'VariableDeclaration') {
      for (const declarator of (statement.declarations ?? []) as AstNode[]) {
        const init = unwrap(declarator.init);
        if (init?.type === 'CallExpression' && init.callee?.type === 'Identifier' && init.callee.name === 'require') seeModule(init.arguments?.[0]?.value, statement);
      }
    }
  }
  if (!/\btypeof\s+(window|document|navigator|globalThis)\b/.test(text)) {
    const found = topLevelGlobal(program);
    if (found) out.browserGlobal = { name: found.name, line: lineOf(found.start) };
  }
  return out.directive || out.nodeImport || out.serverImport || out.marker || out.clientHook || out.browserGlobal ? out : undefined;
}

const BROWSER_GLOBALS = new Set(['window', 'document', 'navigator']);
const FUNCTION_TYPES = new Set(['FunctionDeclaration', 'FunctionExpression', 'ArrowFunctionExpression', 'ObjectMethod', 'ClassMethod', 'ClassPrivateMethod', 'ClassBody']);

/**
 * The first browser global read by code that runs at module load: statements outside functions, and
 * the arguments of a call made there (`(window => { … })(window)`). Function bodies run later, maybe
 * never on this side, so they are not entered. A module-level binding of the same name shadows it.
 */
function topLevelGlobal(program: AstNode): { name: string; start: number } | undefined {
  const declared = new Set<string>();
  for (const statement of (program.body ?? []) as AstNode[]) {
    if (statement.type === 'VariableDeclaration') for (const d of (statement.declarations ?? []) as AstNode[]) if (d.id?.type === 'Identifier') declared.add(d.id.name);
    if (statement.id?.type === 'Identifier') declared.add(statement.id.name);
  }
  let budget = 20_000;
  const visit = (node: unknown): { name: string; start: number } | undefined => {
    if (!node || typeof node !== 'object' || --budget < 0) return undefined;
    if (Array.isArray(node)) {
      for (const item of node) {
        const hit = visit(item);
        if (hit) return hit;
      }
      return undefined;
    }
    const n = node as AstNode;
    if (typeof n.type !== 'string' || FUNCTION_TYPES.has(n.type) || n.type.startsWith('TS') || n.type === 'ImportDeclaration' || n.type.startsWith('Export') && n.type !== 'ExportNamedDeclaration' && n.type !== 'ExportDefaultDeclaration') return undefined;
    if (n.type === 'Identifier') return BROWSER_GLOBALS.has(n.name) && !declared.has(n.name) ? { name: n.name, start: n.start ?? 0 } : undefined;
    if (n.type === 'MemberExpression' || n.type === 'OptionalMemberExpression') return visit(n.object) ?? (n.computed ? visit(n.property) : undefined);
    if (n.type === 'ObjectProperty') return (n.computed ? visit(n.key) : undefined) ?? visit(n.value);
    // A declarator's name is no read; its initial value is.
    if (n.type === 'VariableDeclarator') return visit(n.init);
    for (const key of Object.keys(n)) {
      if (key === 'loc' || key === 'start' || key === 'end' || key === 'leadingComments' || key === 'trailingComments' || key === 'innerComments' || key === 'extra' || key === 'typeAnnotation') continue;
      const hit = visit(n[key]);
      if (hit) return hit;
    }
    return undefined;
  };
  return visit(program.body);
}

export function isNodeOnly(module: string): boolean {
  return module.startsWith('node:') || NODE_ONLY.has(module);
}

/** Reads small text files of the workspace; undefined when absent or unreadable. */
export type RuntimeReader = (file: FileId) => string | undefined;

/** The package-level evidence of the package in `dir` (its manifest text already read, when there is one). */
export function readPackageRuntime(dir: FileId, manifestText: string | undefined, read: RuntimeReader): PackageRuntime | undefined {
  const at = (name: string) => (dir === '' ? name : `${dir}/${name}`);
  const deps = manifestText !== undefined ? dependencyNames(manifestText) : new Set<string>();
  const pkg: PackageRuntime = {
    serverDeps: SERVER_DEPS.filter((d) => deps.has(d)),
    frontEndDeps: FRONT_END_DEPS.filter((d) => deps.has(d)),
    fullStack: FULL_STACK_DEPS.filter((d) => deps.has(d)),
    nodeTypes: deps.has('@types/node'),
  };
  if (manifestText !== undefined) pkg.manifest = at('package.json');
  if (deps.has('electron')) pkg.electron = true;
  for (const name of ['tsconfig.json', 'tsconfig.app.json']) {
    const config = parseJsonc(read(at(name)));
    if (config && isDomOnly(config)) {
      pkg.domOnlyTsconfig = at(name);
      break;
    }
  }
  for (const name of ['manifest.json', 'src/manifest.json', 'public/manifest.json']) {
    const manifest = parseJsonc(read(at(name)));
    if (manifest && typeof manifest === 'object' && 'manifest_version' in manifest) {
      pkg.extensionManifest = at(name);
      break;
    }
  }
  for (const name of ['react-router.config.ts', 'react-router.config.js', 'react-router.config.mjs']) {
    const text = read(at(name));
    // Only a literal `false` counts: `ssr: process.env.X === '1'` is unknown.
    if (text !== undefined && /^\s*ssr\s*:\s*false\b/m.test(text)) {
      pkg.spaConfig = at(name);
      break;
    }
  }
  if (pkg.frontEndDeps.includes('vite')) {
    const script = viteEntryScript(read(at('index.html')));
    if (script) pkg.viteEntry = { html: at('index.html'), script };
  }
  const says = pkg.serverDeps.length + pkg.frontEndDeps.length + pkg.fullStack.length > 0 || pkg.domOnlyTsconfig || pkg.extensionManifest || pkg.spaConfig || pkg.electron;
  return says ? pkg : undefined;
}

/**
 * The module script under `src/` that a Vite `index.html` loads (`<script type="module"
 * src="/src/main.tsx">`, attributes in any order): `src/main.tsx`. Vite bundles what it imports for
 * the browser.
 */
export function viteEntryScript(html: string | undefined): string | undefined {
  if (html === undefined) return undefined;
  for (const tag of html.matchAll(/<script\b([^>]*)>/gi)) {
    const attributes = tag[1]!;
    if (!/\btype\s*=\s*["']?module\b/i.test(attributes)) continue;
    const src = /\bsrc\s*=\s*["']([^"']+)["']/i.exec(attributes)?.[1];
    const inSrc = src !== undefined ? /^(?:\.?\/)?(src\/[^?#]+)$/.exec(src)?.[1] : undefined;
    if (inSrc) return inSrc;
  }
  return undefined;
}

function dependencyNames(text: string): Set<string> {
  const names = new Set<string>();
  const json = parseJsonc(text);
  if (!json || typeof json !== 'object') return names;
  for (const field of ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies']) {
    const block = (json as Record<string, unknown>)[field];
    if (block && typeof block === 'object') for (const name of Object.keys(block)) names.add(name);
  }
  return names;
}

/** `compilerOptions.lib` names the DOM and `compilerOptions.types` does not name `node`. */
function isDomOnly(config: unknown): boolean {
  const options = typeof config === 'object' && config !== null ? (config as { compilerOptions?: unknown }).compilerOptions : undefined;
  if (typeof options !== 'object' || options === null) return false;
  const { lib, types } = options as { lib?: unknown; types?: unknown };
  const strings = (value: unknown) => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string').map((v) => v.toLowerCase()) : []);
  return strings(lib).includes('dom') && !strings(types).some((t) => t === 'node' || t.startsWith('node/'));
}

/** JSON with comments and trailing commas (tsconfig's dialect); undefined when it still does not parse. */
export function parseJsonc(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"') {
      // Copy a string whole: `"@/*"` holds what looks like a comment opener.
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j;
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
      out += '\n';
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 1;
    } else out += c;
  }
  try {
    return JSON.parse(out.replace(/,(\s*[}\]])/g, '$1')) as unknown;
  } catch {
    return undefined;
  }
}

export interface RuntimeInput {
  file: FileId;
  facts?: TsFileRuntime;
  /** The file's package folder (`''` for the root) and its evidence. */
  pkg?: { dir: FileId; runtime?: PackageRuntime };
}

interface Evidence {
  runtime: 'browser' | 'server';
  words: string;
}

/**
 * The decision table, documented in rules/http-call-without-timeout.md. Evidence in the file itself
 * (directive, `server-only`, a server-only path convention, a Node-only import) outranks the package's;
 * browser and server evidence in the file at once is a conflict and gives `unknown`; so does a package
 * that depends on both a front-end bundler and a server framework.
 */
export function decideRuntime(input: RuntimeInput): RuntimeDecision {
  const { file, facts } = input;
  const pkgDir = input.pkg?.dir ?? '';
  const pkg = input.pkg?.runtime;
  const inPkg = pkgDir === '' ? file : file.startsWith(`${pkgDir}/`) ? file.slice(pkgDir.length + 1) : file;
  const label = pkgDir === '' ? 'the root package' : `package ${pkgDir}/`;
  const has = (list: string[] | undefined, name: string) => list?.includes(name) ?? false;

  const inFile: Evidence[] = [];
  if (facts?.directive) inFile.push({ runtime: facts.directive.value === 'use client' ? 'browser' : 'server', words: `'${facts.directive.value}' at ${file}:${facts.directive.line}` });
  if (facts?.marker) inFile.push({ runtime: facts.marker.module === 'client-only' ? 'browser' : 'server', words: `imports '${facts.marker.module}' at ${file}:${facts.marker.line}` });
  const next = has(pkg?.fullStack, 'next');
  if (next && /(^|\/)app\/(.+\/)?route\.[cm]?[jt]sx?$/.test(inPkg)) inFile.push({ runtime: 'server', words: `Next.js route handler ${file}` });
  if (next && /(^|\/)pages\/api\//.test(inPkg)) inFile.push({ runtime: 'server', words: `Next.js API route ${file}` });
  if (next && /^(src\/)?middleware\.[cm]?[jt]s$/.test(inPkg)) inFile.push({ runtime: 'server', words: `Next.js middleware ${file}` });
  if (has(pkg?.fullStack, '@sveltejs/kit') && /(^|\/)(\+server|\+page\.server|\+layout\.server|hooks\.server)\.[jt]s$|(^|\/)lib\/server\//.test(inPkg)) inFile.push({ runtime: 'server', words: `SvelteKit server module ${file}` });
  if ((pkg?.fullStack.length ?? 0) > 0 && /\.server\.[cm]?[jt]sx?$/.test(inPkg)) inFile.push({ runtime: 'server', words: `\`.server\` module ${file}` });
  if ((pkg?.fullStack.length ?? 0) > 0 && /\.client\.[cm]?[jt]sx?$/.test(inPkg)) inFile.push({ runtime: 'browser', words: `\`.client\` module ${file}` });
  if (has(pkg?.fullStack, 'nuxt') && /^server\//.test(inPkg)) inFile.push({ runtime: 'server', words: `Nuxt server folder ${file}` });
  // electron-vite and electron-forge keep the main process in `src/main/` (or `electron/`, `main.ts`) and the renderer in `src/renderer/`.
  if (pkg?.electron && ELECTRON_MAIN.test(inPkg)) inFile.push({ runtime: 'server', words: `Electron main-process file ${file} (runs in Node)` });
  if (pkg?.electron && ELECTRON_RENDERER.test(inPkg)) inFile.push({ runtime: 'browser', words: `Electron renderer file ${file}` });
  if (/(^|\/)public\/.+\.[cm]?js$/.test(inPkg)) inFile.push({ runtime: 'browser', words: `script served as is from ${pkgDir === '' ? '' : `${pkgDir}/`}public/` });
  else if (/(^|\/)(sw|service-worker)\.[cm]?[jt]s$/.test(inPkg)) inFile.push({ runtime: 'browser', words: `service worker ${file}` });
  // Weaker than a directive or a path convention: only counted when nothing else in the file speaks.
  const hook = facts?.clientHook ? { runtime: 'browser' as const, words: `imports React's \`${facts.clientHook.name}\` at ${file}:${facts.clientHook.line} (a client component: a server component cannot use it)` } : undefined;
  if (facts?.nodeImport) inFile.push({ runtime: 'server', words: `imports Node's \`${facts.nodeImport.module}\` at ${file}:${facts.nodeImport.line}` });
  if (facts?.serverImport) inFile.push({ runtime: 'server', words: `imports the server framework \`${facts.serverImport.module}\` at ${file}:${facts.serverImport.line}` });

  const global = facts?.browserGlobal ? { runtime: 'browser' as const, words: `reads \`${facts.browserGlobal.name}\` when the module loads at ${file}:${facts.browserGlobal.line} (it would throw on a server)` } : undefined;
  const weak = hook ?? global;
  if (weak && !inFile.some((e) => e.runtime === 'server' && !e.words.startsWith('imports ')) && !inFile.some((e) => e.runtime === 'browser')) inFile.push(weak);
  const browser = inFile.filter((e) => e.runtime === 'browser');
  const server = inFile.filter((e) => e.runtime === 'server');
  if (browser.length > 0 && server.length > 0) return { runtime: 'unknown', evidence: `conflicting: ${browser[0]!.words}, but ${server[0]!.words}` };
  if (browser.length > 0) return { runtime: 'browser', evidence: browser[0]!.words };
  // A Node-only import alone stays server even in a front-end package (such a file cannot be bundled for the browser), and the package's look is named.
  if (server.length > 0) {
    // An Electron package looks like a front end by design: its main process is no surprise.
    const front = pkg?.electron ? undefined : packageLooksFrontEnd(pkg, inPkg, label);
    return { runtime: 'server', evidence: front ? `${server[0]!.words}, although ${front}` : server[0]!.words };
  }

  if (!pkg) return { runtime: 'unknown', evidence: 'no evidence in the file or its package' };
  const manifest = pkg.manifest ?? `${pkgDir === '' ? '' : `${pkgDir}/`}package.json`;
  if (pkg.extensionManifest) {
    if (pkg.serverDeps.length > 0) return { runtime: 'unknown', evidence: `conflicting: ${pkg.extensionManifest} declares a browser extension, but ${label} depends on ${pkg.serverDeps[0]}` };
    return { runtime: 'browser', evidence: `browser extension: ${pkg.extensionManifest} declares manifest_version` };
  }
  if (pkg.spaConfig && pkg.serverDeps.length === 0 && !/(^|\/)scripts\/|\.config\.[cm]?[jt]s$/.test(inPkg)) {
    return { runtime: 'browser', evidence: `single-page app: ${pkg.spaConfig} sets ssr: false` };
  }
  if (next && /(^|\/)app\/(.+\/)?(page|layout|template|default|not-found)\.[cm]?[jt]sx?$/.test(inPkg)) {
    return { runtime: 'server', evidence: `Next.js server component ${file} (no 'use client')` };
  }
  if (pkg.fullStack.length > 0) return { runtime: 'unknown', evidence: `${label} uses ${pkg.fullStack[0]}, which runs a file on the server or in the browser by how it is imported (${manifest})` };
  // A Vite app that also depends on a server framework most often serves or proxies its build with
  // it from a file beside src/ (`server.js`); what is under src/ is what index.html's entry bundles.
  // Server-side rendering (an entry-server module, a server/ or ssr/ folder) leaves it unknown.
  if (pkg.viteEntry && pkg.serverDeps.length > 0 && inPkg.startsWith('src/') && !isTestFile(inPkg) && !VITE_SERVER_SIDE.test(inPkg)) {
    return { runtime: 'browser', evidence: `Vite app bundle: ${pkg.viteEntry.html} loads /${pkg.viteEntry.script}, and ${file} is under src/ (the ${pkg.serverDeps[0]} dependency of ${label} runs outside src/)` };
  }
  if (pkg.serverDeps.length > 0 && (pkg.frontEndDeps.length > 0 || pkg.domOnlyTsconfig)) {
    return { runtime: 'unknown', evidence: `${label} depends on both ${pkg.frontEndDeps[0] ?? `a DOM-only tsconfig (${pkg.domOnlyTsconfig})`} and ${pkg.serverDeps[0]} (${manifest})` };
  }
  if (pkg.serverDeps.length > 0) return { runtime: 'server', evidence: `${label} depends on ${pkg.serverDeps[0]} (${manifest})` };
  // A test runner (vitest, jest) runs tests in Node or in a simulated DOM: the package's bundler says nothing about them.
  if (isTestFile(inPkg)) return { runtime: 'unknown', evidence: `${file} is a test file: a test runner runs it in Node or in a simulated DOM` };
  const front = packageLooksFrontEnd(pkg, inPkg, label);
  if (front) return { runtime: 'browser', evidence: front };
  if (pkg.frontEndDeps.length === 0 && pkg.domOnlyTsconfig && pkg.nodeTypes) return { runtime: 'unknown', evidence: `${pkg.domOnlyTsconfig} has lib "dom", but ${label} also has Node types (@types/node)` };
  if (pkg.frontEndDeps.length > 0 || pkg.domOnlyTsconfig) return { runtime: 'unknown', evidence: `${inPkg} is outside src/ of front-end ${label} (a build script or config may run in Node)` };
  return { runtime: 'unknown', evidence: 'no evidence in the file or its package' };
}

/** Words for a front-end package's evidence when it covers this file (under `src/`, no server framework), else undefined. */
function packageLooksFrontEnd(pkg: PackageRuntime | undefined, inPkg: string, label: string): string | undefined {
  if (!pkg || pkg.serverDeps.length > 0 || pkg.fullStack.length > 0) return undefined;
  // Config files and scripts beside src/ run in Node at build time; tests run under a test runner.
  if (!inPkg.startsWith('src/') || /\.config\.[cm]?[jt]s$/.test(inPkg) || isTestFile(inPkg)) return undefined;
  const manifest = pkg.manifest ?? 'package.json';
  if (pkg.frontEndDeps.length > 0) return `${label} depends on ${pkg.frontEndDeps[0]} and no server framework (${manifest})`;
  if (pkg.domOnlyTsconfig && !pkg.nodeTypes) return `${pkg.domOnlyTsconfig} has lib "dom" and no Node types`;
  return undefined;
}

/** Files of a Vite app's src/ that may run on a server: server-side rendering entries, server folders, configs (`src/api/` is the browser's API client in a single-page app). */
const VITE_SERVER_SIDE = /(^|\/)(server|ssr)\/|(^|\/)entry[-.]server\.|\.server\.[cm]?[jt]sx?$|\.config\.[cm]?[jt]s$/;
const ELECTRON_MAIN = /^(src\/)?(main|electron)\/|^(src\/)?(main|electron)\.[cm]?[jt]s$/;
const ELECTRON_RENDERER = /^(src\/)?renderer\//;
const TEST_FILE = /(^|\/)(__tests__|__mocks__)\/|\.(test|spec)\.[cm]?[jt]sx?$/;

/** A test or mock file by the conventions of vitest, jest and playwright. */
export function isTestFile(file: FileId): boolean {
  return TEST_FILE.test(file);
}

/** Test code by the conventions of jest, vitest, mocha, NestJS, Playwright and Cypress: file names, then folders. */
const TEST_CODE_NAME = /\.(test|spec|e2e|e2e-spec|cy)\.[cm]?[jt]sx?$/;
const TEST_CODE_FOLDER = /(^|\/)(__tests__|__mocks__|e2e|tests?|cypress|playwright)\//;

/**
 * Why a file is test code, in words, or undefined: a name such as `*.test.ts`, `*.e2e-spec.ts` or
 * `*.cy.ts`, or a folder such as `__tests__/`, `e2e/`, `test/` or `cypress/`. Broader than
 * {@link isTestFile}: a helper under `test/` is test code, though its runtime is not decided by it.
 */
export function testCodeEvidence(file: FileId): string | undefined {
  const name = TEST_CODE_NAME.exec(file);
  if (name) return `its name ends in .${name[1]}.${file.slice(file.lastIndexOf('.') + 1)}`;
  const folder = TEST_CODE_FOLDER.exec(file);
  return folder ? `it is under ${file.slice(0, folder.index + folder[0].length)}` : undefined;
}

/** A folder of developer and operations scripts: `scripts/`, `script/` (a package named `scripts` too). */
export const SCRIPT_CODE_FOLDER = /(^|\/)scripts?\//;

/**
 * Why a file is a script, in words, or undefined: a file under a `scripts/` or `script/` folder, which
 * projects keep for what a developer or a job runs from a command line (seeding, code generation,
 * releases, data migrations), not for code that serves requests: a file there that starts a server
 * or declares routes (with its facts given) is no script. Test code is decided first.
 */
export function scriptCodeEvidence(file: FileId, facts?: { servers: readonly unknown[]; routes: readonly unknown[] }): string | undefined {
  // A file that starts a server or declares routes serves requests, wherever it is kept.
  if (facts && (facts.servers.length > 0 || facts.routes.length > 0)) return undefined;
  const folder = SCRIPT_CODE_FOLDER.exec(file);
  return folder ? `it is under ${file.slice(0, folder.index + folder[0].length)}` : undefined;
}

const memo = new WeakMap<readonly PackageLike[], Map<FileId, PackageLike>>();

/** What {@link runtimeOf} needs of a code package. */
export interface PackageLike {
  dir: FileId;
  files: readonly FileId[];
  runtime?: PackageRuntime;
  /** Decisions taken from the code that imports a file, for files whose own evidence leaves them unknown (runtime-importers.ts). */
  runtimeByImporters?: ReadonlyMap<FileId, RuntimeDecision>;
}

/** The decision for a file of the model (its facts and its package), memoised per list of packages. */
export function runtimeOf(packages: readonly PackageLike[], file: FileId, facts: { runtime?: TsFileRuntime } | undefined): RuntimeDecision {
  let byFile = memo.get(packages);
  if (!byFile) {
    byFile = new Map();
    for (const pkg of packages) for (const f of pkg.files) byFile.set(f, pkg);
    memo.set(packages, byFile);
  }
  const pkg = byFile.get(file);
  const own = decideRuntime({ file, facts: facts?.runtime, pkg: pkg ? { dir: pkg.dir, runtime: pkg.runtime } : undefined });
  return own.runtime === 'unknown' ? pkg?.runtimeByImporters?.get(file) ?? own : own;
}

/**
 * Where one call runs: its file's runtime, unless that is unknown and the code around the call runs
 * only in a browser (a guard, a browser-only callback, a page-relative URL: browser-guards.ts).
 */
export function callRuntimeOf(packages: readonly PackageLike[], file: FileId, facts: { runtime?: TsFileRuntime } | undefined, call: { browserOnly?: BrowserOnlyEvidence }): RuntimeDecision {
  const own = runtimeOf(packages, file, facts);
  return own.runtime === 'unknown' && call.browserOnly ? { runtime: 'browser', evidence: call.browserOnly.words } : own;
}

export { runtimeWords } from '../../chain/describe.js';
