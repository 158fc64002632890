// Fetch functions callers supply (`options.fetch(url)`, `this.fetch(url)`, a `fetchFn` parameter), and the wrapper callers pass in.
import { describe, expect, it } from 'vitest';
import { parseTsText } from '../../server/src/engine/inputs/ts/file.js';
import { extractTsFacts, type TsFileFacts, type TsOutboundCall } from '../../server/src/engine/inputs/ts/facts.js';
import { relinkImportedCallees } from '../../server/src/engine/inputs/ts/imports.js';
import { createModelCapture } from '../../server/src/host/model-capture.js';
import { allRules } from '../../rules/index.js';
import { chainsOf } from '../../server/src/engine/chain/chains.js';
import { defaultConfig } from '../../server/src/engine/config.js';
import { lint } from '../../server/src/engine/run.js';
import { MemoryFs } from '../../server/src/engine/workspace-fs.js';

function factsOf(files: Record<string, string>): Map<string, TsFileFacts> {
  const facts = new Map<string, TsFileFacts>();
  for (const [file, text] of Object.entries(files)) facts.set(file, extractTsFacts(parseTsText(file, text)));
  relinkImportedCallees(facts, (f) => files[f]);
  return facts;
}

/** `library path: option=ms|unknown, …`; `?` marks a call whose options may be set elsewhere. */
const brief = (call: TsOutboundCall) =>
  `${call.library} ${call.suppliedFetch?.path ?? '-'}: ${call.timeouts.filter((t) => t.source !== 'none').map((t) => `${t.option}=${t.ms ?? (t.value?.kind === 'number' ? t.value.value : 'unknown')}`).join(', ') || 'none'}${call.optionsUnknown ? ' ?' : ''}`;

const callsOf = (files: Record<string, string>, file = Object.keys(files)[0]!) => factsOf(files).get(file)!.calls.map(brief);

describe('fetch functions callers supply', () => {
  it.each([
    ['an options member of a constructor parameter property', `export class Api {\n  constructor(private readonly options: { fetch: typeof fetch; baseUrl: string }) {}\n  get(p: string) { return this.options.fetch(this.options.baseUrl + p, { method: 'GET' }); }\n}\n`, ['fetch this.options.fetch: this.options.fetch (supplied by callers)=unknown ?']],
    ['a this member assigned from the options', `export class Api {\n  private fetch: typeof fetch;\n  constructor(opts: { fetch?: typeof fetch }) { this.fetch = opts.fetch ?? globalThis.fetch; }\n  get(url: string) { return this.fetch(url); }\n}\n`, ['fetch this.fetch: this.fetch (supplied by callers)=unknown ?']],
    ['a private field set from a destructured option', `type FetchFn = typeof fetch;\nexport class ApiClient {\n  #fetch: FetchFn;\n  constructor({ fetch }: { fetch: FetchFn }) { this.#fetch = fetch; }\n  ping() { return this.#fetch('/ping'); }\n}\n`, ['fetch this.fetch: this.fetch (supplied by callers)=unknown ?']],
    ['a customFetch member', `export default class ApiClient {\n  customFetch?: typeof fetch;\n  constructor(baseUrl: string, options?: { customFetch?: typeof fetch }) { this.customFetch = options?.customFetch; }\n  run(url: string, init?: RequestInit) { return this.customFetch!(url, init); }\n}\n`, ['fetch this.customFetch: this.customFetch (supplied by callers)=unknown ?']],
    ['a parameter defaulting to fetch', `export async function getJson(url: string, fetchFn = fetch) {\n  return (await fetchFn(url)).json();\n}\n`, ['fetch fetchFn: fetchFn (supplied by callers)=unknown ?']],
    ['a config object parameter with a signal in the call', `export function make(config: { fetchImpl: typeof fetch }) {\n  return (url: string) => config.fetchImpl(url, { signal: AbortSignal.timeout(5_000) });\n}\n`, ['fetch config.fetchImpl: signal (AbortSignal.timeout)=5000 ?']],
    ['an LRU cache fetch is not an HTTP call', `import { LRUCache } from 'lru-cache';\nconst cache = new LRUCache({ max: 10 });\nexport class Users {\n  private cache = new LRUCache({ max: 5 });\n  get(id: string) { return this.cache.fetch(id); }\n}\nexport const f = (store: any) => store.fetch('k');\nexport const g = (k: string) => cache.fetch(k);\n`, []],
    ['a method of the class named fetch is the method', `export class Repo {\n  async fetch(id: string) { return id; }\n  async load(id: string) { return this.fetch(id); }\n}\n`, []],
  ])('%s', (_name, source, expected) => {
    expect(callsOf({ 'src/client.ts': source })).toEqual(expected);
  });

  it('keeps a supplied function unknown when a same-file caller passes an init without a signal, bounded when it passes one', () => {
    const source = `export class Api {\n  constructor(private readonly options: { fetch: typeof fetch }) {}\n  private send(url: string, init?: RequestInit) { return this.options.fetch(url, init); }\n  slow() { return this.send('http://reports:8080/r', { method: 'POST' }); }\n  fast() { return this.send('http://reports:8080/f', { signal: AbortSignal.timeout(2_000) }); }\n}\n`;
    expect(callsOf({ 'src/api.ts': source })).toEqual([
      'fetch this.options.fetch: this.options.fetch (supplied by callers)=unknown ?',
      'fetch this.options.fetch: this.options.fetch (supplied by callers)=unknown ?',
      'fetch this.options.fetch: signal (AbortSignal.timeout)=2000 ?',
    ]);
  });

  const client = `export class ApiClient {\n  constructor(private readonly options: { fetch: typeof fetch; baseUrl: string }) {}\n  quote(body: unknown) {\n    return this.options.fetch(this.options.baseUrl + '/quote', { method: 'POST', body: JSON.stringify(body) });\n  }\n}\n`;
  const wrapper = `export function fetchWithTimeout(input: RequestInfo, init?: RequestInit) {\n  return fetch(input, { ...init, signal: AbortSignal.timeout(12_000) });\n}\nexport function plainFetch(input: RequestInfo, init?: RequestInit) {\n  return fetch(input, init);\n}\n`;

  it('takes the timeout of the project wrapper every caller passes, with that evidence', () => {
    const facts = factsOf({
      'src/sdk/client.ts': client,
      'src/lib/http.ts': wrapper,
      'src/app.ts': `import { ApiClient } from './sdk/client';\nimport { fetchWithTimeout } from './lib/http';\nexport const api = new ApiClient({ baseUrl: 'http://pricing:8080', fetch: fetchWithTimeout });\n`,
    });
    const call = facts.get('src/sdk/client.ts')!.calls[0]!;
    expect(brief(call)).toBe('fetch this.options.fetch: signal (AbortSignal.timeout)=12000');
    expect(call.evidence?.map((e) => `${e.text} @${e.span.file}`)).toEqual([
      'this.options.fetch is a fetch function its callers supply @src/sdk/client.ts',
      'this.options.fetch is fetchWithTimeout (src/lib/http.ts), passed as fetch: fetchWithTimeout at src/app.ts; it sets its own signal @src/app.ts',
    ]);
  });

  it('follows a positional customFetch read through an alias (`const fetchFn = this.customFetch || fetch`) to the wrapper passed in that position', () => {
    const router = `export class OpenRouterClient {\n  private customFetch?: typeof fetch;\n  constructor(private apiKey: string, private baseURL: string, customFetch?: typeof fetch) {\n    this.customFetch = customFetch;\n  }\n  async complete(body: unknown) {\n    const fetchFn = this.customFetch || fetch;\n    return fetchFn(this.baseURL + '/chat/completions', { method: 'POST', body: JSON.stringify(body) });\n  }\n}\n`;
    const facts = factsOf({
      'src/llm/openrouter.ts': router,
      'src/lib/http.ts': wrapper,
      'src/app.ts': `import { OpenRouterClient } from './llm/openrouter';\nimport { fetchWithTimeout, plainFetch } from './lib/http';\nexport const client = new OpenRouterClient(process.env.KEY!, 'https://openrouter.ai/api/v1', fetchWithTimeout);\nexport const other = { fetch: plainFetch };\n`,
    });
    const call = facts.get('src/llm/openrouter.ts')!.calls[0]!;
    expect(brief(call)).toBe('fetch this.customFetch: signal (AbortSignal.timeout)=12000');
    expect(call.suppliedFetch?.viaParam).toEqual({ index: 2 });
    expect(call.evidence?.at(-1)?.text).toBe('this.customFetch is fetchWithTimeout (src/lib/http.ts), passed as fetchWithTimeout at src/app.ts; it sets its own signal');
  });

  it('stays unknown when callers pass different functions, a wrapper without a signal, or something not known', () => {
    const unknownWith = (app: string) => brief(factsOf({ 'src/sdk/client.ts': client, 'src/lib/http.ts': wrapper, 'src/app.ts': app }).get('src/sdk/client.ts')!.calls[0]!);
    const imports = `import { ApiClient } from './sdk/client';\nimport { fetchWithTimeout, plainFetch } from './lib/http';\n`;
    expect(unknownWith(`${imports}export const a = new ApiClient({ baseUrl: '', fetch: fetchWithTimeout });\nexport const b = new ApiClient({ baseUrl: '', fetch: plainFetch });\n`)).toBe('fetch this.options.fetch: this.options.fetch (supplied by callers)=unknown ?');
    expect(unknownWith(`${imports}export const a = new ApiClient({ baseUrl: '', fetch: plainFetch });\n`)).toBe('fetch this.options.fetch: this.options.fetch (supplied by callers)=unknown ?');
    expect(unknownWith(`${imports}declare const custom: typeof fetch;\nexport const a = new ApiClient({ baseUrl: '', fetch: custom });\n`)).toBe('fetch this.options.fetch: this.options.fetch (supplied by callers)=unknown ?');
  });
});

describe('handlers reaching SDK-like clients', () => {
  const chainLabels = (files: Record<string, string>) => {
    const capture = createModelCapture();
    lint({ fs: new MemoryFs(files), files: Object.keys(files), config: defaultConfig(allRules), rules: [capture.rule], toolVersion: 'test' });
    return chainsOf(capture.model()!).chains.filter((c) => c.hops[0]!.label.startsWith('nginx')).map((c) => c.hops.map((h) => h.label).join(' > '));
  };
  const nginx = `events {}\nhttp {\n  server {\n    listen 80;\n    location /api/ { proxy_pass http://127.0.0.1:3000; }\n  }\n}\n`;
  const client = `export class Pricing {\n  constructor(private readonly options: { fetch: typeof fetch }) {}\n  quote() { return this.options.fetch('http://pricing.example.com/quote', { method: 'POST' }); }\n}\n`;

  it.each([
    ['a class declared in the handler\'s file', { 'src/server.ts': `import express from 'express';\n${client}const pricing = new Pricing({ fetch });\nconst app = express();\napp.post('/api/quote', async (req, res) => res.json(await pricing.quote()));\napp.listen(3000);\n` }],
    ['a class another module exports', { 'src/pricing.ts': client, 'src/server.ts': `import express from 'express';\nimport { Pricing } from './pricing';\nconst pricing = new Pricing({ fetch });\nconst app = express();\napp.post('/api/quote', async (req, res) => res.json(await pricing.quote()));\napp.listen(3000);\n` }],
  ])('follows a method called on an instance of %s', (_name, files) => {
    expect(chainLabels({ 'nginx.conf': nginx, 'package.json': '{ "name": "svc", "dependencies": { "express": "4" } }', ...files })).toEqual([
      'nginx location /api/ > express server in the workspace root > POST /api/quote handler > fetch POST http://pricing.example.com/quote',
    ]);
  });
});
