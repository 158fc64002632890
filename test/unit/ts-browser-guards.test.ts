// Calls that run only in a browser, told by the code around them: guards, browser-only callbacks,
// JSX event handlers and page-relative URLs (browser-guards.ts), and how they decide a call's runtime.
import { describe, expect, it } from 'vitest';
import { extractTsFacts } from '../../server/src/engine/inputs/ts/facts.js';
import { parseTsText } from '../../server/src/engine/inputs/ts/file.js';
import { callRuntimeOf } from '../../server/src/engine/inputs/ts/runtime.js';

/** The browser-only words of each fetch in `source`, in order (undefined where the call has none). */
function evidenceOf(source: string, file = 'src/lib/store.ts'): Array<string | undefined> {
  const facts = extractTsFacts(parseTsText(file, source));
  return facts.calls.map((call) => call.browserOnly?.words);
}

const SVELTE = `import { browser } from '$app/environment';\nimport { base } from '$app/paths';\n`;

describe('guards', () => {
  it.each([
    ['SvelteKit browser', `${SVELTE}if (browser) fetch('https://a.example/x');`, 'inside `if (browser)` at src/lib/store.ts:3'],
    ['typeof window !==', `if (typeof window !== 'undefined') fetch('https://a.example/x');`, "inside `if (typeof window !== 'undefined')` at src/lib/store.ts:1"],
    ['loose, reversed', `if ('undefined' != typeof document) fetch('https://a.example/x');`, "inside `if ('undefined' != typeof document)`"],
    ['else of a server test', `if (typeof window === 'undefined') {} else { fetch('https://a.example/x'); }`, "in the else branch of `if (typeof window === 'undefined')`"],
    ['negated server test', `if (!process.server) fetch('https://a.example/x');`, 'inside `if (!process.server)`'],
    ['Nuxt import.meta.client', `if (import.meta.client) fetch('https://a.example/x');`, 'inside `if (import.meta.client)`'],
    ['&& with another condition', `${SVELTE}declare const ready: boolean;\nif (ready && browser) fetch('https://a.example/x');`, 'inside `if (ready && browser)`'],
    ['constant alias', `const isBrowser = typeof window !== 'undefined';\nconst onClient = isBrowser;\nif (onClient) fetch('https://a.example/x');`, 'inside `if (onClient)`'],
    ['ternary', `${SVELTE}export const p = browser ? fetch('https://a.example/x') : null;`, 'inside `if (browser)`'],
    ['&& expression', `${SVELTE}browser && fetch('https://a.example/x');`, 'inside `if (browser)`'],
    ['early return', `${SVELTE}export async function f() {\n  if (!browser) return;\n  await fetch('https://a.example/x');\n}`, 'after `if (!browser)` leaves on the server at src/lib/store.ts:4'],
    ['early throw in a block', `export function f() {\n  if (typeof window === 'undefined') { throw new Error('client only'); }\n  return fetch('https://a.example/x');\n}`, "after `if (typeof window === 'undefined')` leaves on the server"],
    ['nested function inside a guard', `${SVELTE}if (browser) { setTimeout(async () => { await fetch('https://a.example/x'); }, 10); }`, 'inside `if (browser)`'],
  ])('%s', (_name, source, words) => {
    expect(evidenceOf(source)[0]).toContain(words);
  });

  it.each([
    ['the server side of a guard', `if (typeof window === 'undefined') fetch('https://a.example/x');`],
    ['a condition that says nothing about the runtime', `declare const ready: boolean;\nif (ready) fetch('https://a.example/x');`],
    ['|| of a guard and anything', `${SVELTE}declare const ready: boolean;\nif (ready || browser) fetch('https://a.example/x');`],
    ['a local variable named browser', `const browser = Math.random() > 0.5;\nif (browser) fetch('https://a.example/x');`],
    ['a `browser` import from another module', `import { browser } from './flags';\nif (browser) fetch('https://a.example/x');`],
    ['an early return that does not always leave', `${SVELTE}export async function f() {\n  if (!browser) { console.log('server'); }\n  await fetch('https://a.example/x');\n}`],
    ['a guard with an else after an early return', `${SVELTE}export async function f() {\n  if (!browser) return; else console.log(1);\n  await fetch('https://a.example/x');\n}`],
    ['a typeof test of a global servers define too', `if (typeof fetch !== 'undefined') fetch('https://a.example/x');`],
  ])('no evidence: %s', (_name, source) => {
    expect(evidenceOf(source)).toEqual([undefined]);
  });
});

describe('browser-only callbacks and handlers', () => {
  it.each([
    ['React useEffect', `import { useEffect } from 'react';\nexport function C() { useEffect(() => { fetch('https://a.example/x'); }, []); return null; }`, 'in the callback of `useEffect` at src/lib/view.tsx:2'],
    ['React.useLayoutEffect on a namespace import', `import * as React from 'react';\nexport function C() { React.useLayoutEffect(() => { fetch('https://a.example/x'); }); return null; }`, 'in the callback of `useLayoutEffect`'],
    ['Svelte onMount', `import { onMount } from 'svelte';\nonMount(async () => { await fetch('https://a.example/x'); });`, 'in the callback of `onMount`'],
    ['Vue onMounted', `import { onMounted } from 'vue';\nonMounted(() => fetch('https://a.example/x'));`, 'in the callback of `onMounted`'],
    ['window.addEventListener', `window.addEventListener('online', () => fetch('https://a.example/x'));`, 'in the callback of `window.addEventListener`'],
    ['JSX onClick', `export const B = () => <button onClick={() => fetch('https://a.example/x')}>go</button>;`, 'in the JSX `onClick` handler'],
  ])('%s', (_name, source, words) => {
    expect(evidenceOf(source, 'src/lib/view.tsx')[0]).toContain(words);
  });

  it.each([
    ['a useEffect that is not React\'s', `import { useEffect } from './my-hooks';\nuseEffect(() => { fetch('https://a.example/x'); });`],
    ['a JSX attribute that is not a handler', `export const B = () => <img src={String(fetch('https://a.example/x'))} />;`],
    ['an addEventListener on any EventTarget (Node has them too)', `declare const emitter: EventTarget;\nemitter.addEventListener('x', () => fetch('https://a.example/x'));`],
  ])('no evidence: %s', (_name, source) => {
    expect(evidenceOf(source, 'src/lib/view.tsx')).toEqual([undefined]);
  });
});

describe('page-relative URLs on the global fetch', () => {
  it.each([
    ['root-relative string', `fetch('/api/config', { method: 'post' });`, 'fetches the page-relative URL `/api/config`'],
    ['dot-relative', `fetch('./plugins.json');`, 'fetches the page-relative URL `./plugins.json`'],
    ['a template starting with /', 'declare const id: string;\nfetch(`/api/users/${id}`);', 'fetches the page-relative URL `/api/users/${…}`'],
    ['SvelteKit base', `${SVELTE}declare const id: string;\nfetch(\`\${base}/conversation/\${id}/share\`);`, 'fetches the page-relative URL `${base}/conversation/${…}/share`'],
    ['a constant in the same file', `const UPLOAD = '/api/cache/upload';\nfetch(UPLOAD, { method: 'post' });`, 'fetches the page-relative URL `/api/cache/upload`'],
    ['window.fetch', `window.fetch('/api/x');`, 'fetches the page-relative URL `/api/x`'],
  ])('%s', (_name, source, words) => {
    expect(evidenceOf(source)[0]).toContain(words);
  });

  it.each([
    ['an absolute URL', `fetch('https://api.example.com/v1');`],
    ['a protocol-relative URL (names a host)', `fetch('//cdn.example.com/x.json');`],
    ['an unknown URL', `declare const url: string;\nfetch(url);`],
    ['a fetch passed in (SvelteKit load): resolves relative URLs on the server too', `export async function load({ fetch }: { fetch: typeof globalThis.fetch }) { return fetch('/api/x'); }`],
  ])('no evidence: %s', (_name, source) => {
    expect(evidenceOf(source).filter((w) => w !== undefined)).toEqual([]);
  });
});

describe('callRuntimeOf', () => {
  const facts = (source: string, file: string) => extractTsFacts(parseTsText(file, source));

  it('lets a call\'s own evidence decide only where its file\'s runtime is unknown', () => {
    const universal = facts(`${SVELTE}export function f() { if (browser) fetch('https://a.example/x'); fetch('https://a.example/y'); }`, 'src/lib/store.ts');
    const [guarded, plain] = universal.calls;
    expect(callRuntimeOf([], 'src/lib/store.ts', universal, guarded!)).toEqual({ runtime: 'browser', evidence: expect.stringContaining('inside `if (browser)`') });
    expect(callRuntimeOf([], 'src/lib/store.ts', universal, plain!).runtime).toBe('unknown');
  });

  it('keeps a server file\'s decision (a guard in Node code is dead code there, not a browser)', () => {
    const server = facts(`import * as fs from 'node:fs';\nif (typeof window !== 'undefined') fetch('/api/x');\nfs.existsSync('x');`, 'src/server.ts');
    expect(callRuntimeOf([], 'src/server.ts', server, server.calls[0]!).runtime).toBe('server');
  });
});
