// Code that runs only in a browser, told by the code around a call rather than by its file: a guard
// (`if (browser)`, `typeof window !== 'undefined'`), a callback only a browser runs (`useEffect`,
// `onMount`, a JSX event handler), or a page-relative URL given to the global fetch. Universal
// modules (SvelteKit stores, Next.js shared utilities) run on both sides, so their file's runtime is
// unknown; these guards say which of their calls never leave the browser. Read in the one facts walk.
import { memberPath, spanOf, unwrap, type AstNode } from './ast.js';
import type { Scope } from './scope.js';
import type { FileId } from '../../types.js';
import type { BrowserOnlyEvidence, TsValue } from './types.js';

/** Why the code at a place runs only in a browser, before it is put into words (facts.ts does that, with the line). */
export type BrowserOnlyReason =
  | { kind: 'guard'; test: AstNode; branch: 'then' | 'else' }
  | { kind: 'early-return'; test: AstNode }
  | { kind: 'callback'; name: string }
  | { kind: 'jsx-handler'; attribute: string };

/** A reason with the node it was read at (for the line in messages). */
export interface BrowserOnlyContext {
  reason: BrowserOnlyReason;
  at: AstNode;
}

type Side = 'browser' | 'server';

/** Globals only a browser (or a web worker) defines: `typeof window !== 'undefined'` holds only there. */
const BROWSER_GLOBALS = new Set(['window', 'document', 'navigator', 'localStorage', 'sessionStorage']);

/** How deep a guard follows constants (`const isBrowser = typeof window !== 'undefined'`). */
const MAX_ALIAS_DEPTH = 3;

/**
 * Which side a condition holds on: 'browser' when it is true only in a browser, 'server' when it is
 * true only on a server, undefined when it says nothing about where the code runs.
 */
export function guardSide(test: AstNode | undefined, scope: Scope, depth = 0): Side | undefined {
  const node = unwrap(test);
  if (!node) return undefined;
  switch (node.type) {
    case 'UnaryExpression':
      return node.operator === '!' ? flip(guardSide(node.argument, scope, depth)) : undefined;
    case 'BinaryExpression':
      return typeofGuard(node);
    case 'LogicalExpression': {
      const left = guardSide(node.left, scope, depth);
      const right = guardSide(node.right, scope, depth);
      // `a && b` is true only where both hold; `a || b` only where either does.
      if (node.operator === '&&') return left && right && left !== right ? undefined : (left ?? right);
      if (node.operator === '||') return left === right ? left : undefined;
      return undefined;
    }
    case 'Identifier': {
      const binding = scope.lookup(node.name);
      if (!binding) return undefined;
      // SvelteKit: `import { browser } from '$app/environment'` is true only in the browser.
      if (binding.kind === 'import') return binding.import?.module === '$app/environment' && binding.import.name === 'browser' ? 'browser' : undefined;
      if (binding.kind === 'const' && binding.init && depth < MAX_ALIAS_DEPTH) return guardSide(binding.init, binding.scope, depth + 1);
      return undefined;
    }
    case 'MemberExpression':
    case 'OptionalMemberExpression': {
      const path = memberPath(node)?.join('.');
      // Nuxt (`process.client`, `import.meta.client`), webpack's `process.browser`, Vite's `import.meta.env.SSR`.
      if (path === 'process.client' || path === 'process.browser' || path === 'import.meta.client' || path === 'import.meta.browser') return 'browser';
      if (path === 'process.server' || path === 'import.meta.server' || path === 'import.meta.env.SSR') return 'server';
      return undefined;
    }
    default:
      return undefined;
  }
}

function flip(side: Side | undefined): Side | undefined {
  return side === 'browser' ? 'server' : side === 'server' ? 'browser' : undefined;
}

/** `typeof window !== 'undefined'` (either order, loose or strict). */
function typeofGuard(node: AstNode): Side | undefined {
  const negated = node.operator === '!==' || node.operator === '!=';
  if (!negated && node.operator !== '===' && node.operator !== '==') return undefined;
  const [typeofSide, other] = isTypeofGlobal(node.left) ? [node.left, node.right] : isTypeofGlobal(node.right) ? [node.right, node.left] : [undefined, undefined];
  if (!typeofSide) return undefined;
  const literal = unwrap(other);
  if (literal?.type !== 'StringLiteral' || literal.value !== 'undefined') return undefined;
  return negated ? 'browser' : 'server';
}

function isTypeofGlobal(node: AstNode | undefined): boolean {
  const unwrapped = unwrap(node);
  if (unwrapped?.type !== 'UnaryExpression' || unwrapped.operator !== 'typeof') return false;
  const argument = unwrap(unwrapped.argument);
  return argument?.type === 'Identifier' && BROWSER_GLOBALS.has(argument.name);
}

/** True when a statement always leaves its function or block (`return`, `throw`, or a block ending so). */
export function alwaysExits(statement: AstNode | undefined): boolean {
  const node = unwrap(statement);
  if (!node) return false;
  if (node.type === 'ReturnStatement' || node.type === 'ThrowStatement') return true;
  if (node.type === 'BlockStatement') return alwaysExits((node.body as AstNode[]).at(-1));
  return false;
}

/** Lifecycle hooks whose callback a framework runs only in the browser, by the module that exports them. */
const BROWSER_CALLBACKS: Record<string, ReadonlySet<string>> = {
  react: new Set(['useEffect', 'useLayoutEffect']),
  'preact/hooks': new Set(['useEffect', 'useLayoutEffect']),
  svelte: new Set(['onMount']),
  vue: new Set(['onMounted', 'onBeforeMount', 'onUpdated']),
  'solid-js': new Set(['onMount']),
  '@angular/core': new Set(['afterNextRender', 'afterRender']),
};

/** Browser-only APIs that take a callback: `window.addEventListener(…)`, `requestAnimationFrame(…)`. */
const BROWSER_CALLBACK_APIS = new Set(['window.addEventListener', 'document.addEventListener', 'requestAnimationFrame', 'window.requestAnimationFrame', 'requestIdleCallback', 'window.requestIdleCallback']);

/** The name of the hook or API when `call`'s function arguments run only in a browser (`useEffect`), else undefined. */
export function browserCallbackOf(call: AstNode, scope: Scope): string | undefined {
  const path = memberPath(unwrap(call.callee));
  if (!path) return undefined;
  const binding = scope.lookup(path[0]!);
  if (!binding) return path.length <= 2 && BROWSER_CALLBACK_APIS.has(path.join('.')) ? path.join('.') : undefined;
  if (binding.kind !== 'import' || !binding.import) return undefined;
  const hooks = BROWSER_CALLBACKS[binding.import.module];
  if (!hooks) return undefined;
  // `import { useEffect } from 'react'`, or `import React from 'react'` / `* as React` with `React.useEffect`.
  const name = path.length === 1 ? binding.import.name : (binding.import.name === 'default' || binding.import.name === '*') && path.length === 2 ? path[1]! : undefined;
  return name !== undefined && hooks.has(name) ? name : undefined;
}

/** The attribute name when a JSX attribute is an event handler (`onClick={…}`): its functions run in the browser. */
export function jsxHandlerName(attribute: AstNode): string | undefined {
  if (attribute.type !== 'JSXAttribute' || attribute.name?.type !== 'JSXIdentifier') return undefined;
  const name = attribute.name.name as string;
  return /^on[A-Z]/.test(name) ? name : undefined;
}

/**
 * The page-relative start of a URL given to the global fetch (`/api/config`, `./plugins.json`,
 * `${base}/settings` with SvelteKit's `base`), or undefined. A server's fetch (Node, Deno, Bun,
 * workers) refuses a URL without a scheme and host; only a page resolves it.
 */
export function pageRelativeUrl(url: TsValue | undefined): string | undefined {
  if (!url) return undefined;
  if (url.kind === 'string') return isPageRelative(url.value) ? url.value : undefined;
  if (url.kind !== 'template') return undefined;
  const first = url.parts[0];
  if (typeof first === 'string') return isPageRelative(first) ? templateText(url.parts) : undefined;
  // SvelteKit's `base` is '' or a path starting with '/' (its config refuses anything else).
  if (first?.kind === 'import' && first.module === '$app/paths' && first.name === 'base' && !first.path) {
    const next = url.parts[1];
    return next === undefined || (typeof next === 'string' && (next === '' || next.startsWith('/'))) ? templateText(url.parts) : undefined;
  }
  return undefined;
}

function isPageRelative(text: string): boolean {
  // '//host/…' is protocol-relative: it names a host, so it is no evidence either way.
  return (text.startsWith('/') && !text.startsWith('//')) || text.startsWith('./') || text.startsWith('../');
}

function templateText(parts: Array<string | TsValue>): string {
  return parts.map((part) => (typeof part === 'string' ? part : part.kind === 'import' ? `\${${part.name}}` : '${…}')).join('');
}

/** The words and place of a reason, for messages, chains and hover. */
export function browserOnlyEvidence(file: FileId, text: string, context: BrowserOnlyContext): BrowserOnlyEvidence {
  const span = spanOf(file, context.at);
  const at = `${file}:${lineAt(text, span.start)}`;
  const { reason } = context;
  switch (reason.kind) {
    case 'guard':
      return { words: `${reason.branch === 'then' ? 'inside' : 'in the else branch of'} \`if (${conditionText(text, reason.test)})\` at ${at}`, span };
    case 'early-return':
      return { words: `after \`if (${conditionText(text, reason.test)})\` leaves on the server at ${at}`, span };
    case 'callback':
      return { words: `in the callback of \`${reason.name}\` at ${at}, which only a browser runs`, span };
    case 'jsx-handler':
      return { words: `in the JSX \`${reason.attribute}\` handler at ${at}, which only a browser runs`, span };
  }
}

/** Evidence for a page-relative URL given to the global fetch. */
export function pageRelativeEvidence(file: FileId, text: string, url: string, span: BrowserOnlyEvidence['span']): BrowserOnlyEvidence {
  return { words: `fetches the page-relative URL \`${url}\` at ${file}:${lineAt(text, span.start)}, which a server's fetch refuses`, span };
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/** A short source text for a guard condition in messages (`browser`, `typeof window !== 'undefined'`). */
function conditionText(text: string, test: AstNode): string {
  const raw = text.slice(test.start ?? 0, test.end ?? 0).replace(/\s+/g, ' ').trim();
  return raw.length > 40 ? `${raw.slice(0, 39)}…` : raw;
}
