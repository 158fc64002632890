// Outbound HTTP calls read from TypeScript: fetch, axios, got, undici, ky, node:http and superagent, with timeouts by kind and provenance.
import { describe, expect, it } from 'vitest';
import { parseTsText } from '../../server/src/engine/inputs/ts/file.js';
import { extractTsFacts, type TsOutboundCall, type TsTimeout } from '../../server/src/engine/inputs/ts/facts.js';

function callsOf(source: string, file = 'src/a.ts'): TsOutboundCall[] {
  return extractTsFacts(parseTsText(file, source)).calls;
}

/** A compact view of a timeout: kind, option, provenance and milliseconds (or a marker). */
function brief(t: TsTimeout): string {
  const value = t.disabled ? 'off' : t.ms !== undefined ? String(t.ms) : t.value ? t.value.kind : '-';
  return `${t.kind}:${t.option}:${t.source}:${value}`;
}

function only(source: string, file?: string): TsOutboundCall {
  const calls = callsOf(source, file);
  expect(calls).toHaveLength(1);
  return calls[0]!;
}

describe('fetch', () => {
  const cases: Array<[string, string, string[]]> = [
    ['no signal is no total timeout; undici defaults apply', `await fetch('https://api.example.com/x');`,
      ['total:signal:none:-', 'time-to-headers:headersTimeout:default:300000', 'idle:bodyTimeout:default:300000', 'connect:connectTimeout:default:10000', 'keepalive:keepAliveTimeout:default:4000']],
    ['AbortSignal.timeout with separators', `await fetch(url, { signal: AbortSignal.timeout(30_000) });`,
      ['total:signal (AbortSignal.timeout):set:30000']],
    ['AbortSignal.timeout through a const', `const T = 5 * 1000;\nexport async function f(){ const s = AbortSignal.timeout(T); return fetch(u, { signal: s }); }`,
      ['total:signal (AbortSignal.timeout):set:5000']],
    ['AbortSignal.any', `fetch(u, { signal: AbortSignal.any([req.signal, AbortSignal.timeout(2000)]) })`, ['total:signal (AbortSignal.timeout):set:2000']],
    ['AbortController aborted by setTimeout', `async function f() {\n const c = new AbortController();\n const t = setTimeout(() => c.abort(), 8000);\n return fetch(u, { signal: c.signal });\n}`,
      ['total:signal (setTimeout abort):set:8000']],
    ['a signal from a parameter is set but unknown, never none', `async function f(signal: AbortSignal) { return fetch(u, { signal }); }`, ['total:signal:set:unknown']],
  ];
  it.each(cases)('%s', (_name, source, expected) => {
    const call = only(source);
    expect(call.library).toBe('fetch');
    const briefs = call.timeouts.map(brief);
    for (const e of expected) expect(briefs).toContain(e);
  });

  it('records a timeout key in fetch init as an ignored option (P11)', () => {
    const call = only(`fetch('https://x', { method: 'post', timeout: 5000 })`);
    expect(call.ignoredOptions).toMatchObject([{ option: 'timeout', reason: 'unsupported', value: { kind: 'number', value: 5000 } }]);
    expect(call.method).toBe('POST');
    expect(call.url?.text).toBe('https://x');
  });

  it('marks options unknown when the init object cannot be read', () => {
    const call = only(`function f(init: RequestInit) { return fetch(u, init); }`);
    expect(call.optionsUnknown).toBe(true);
    expect(call.timeouts.some((t) => t.source === 'none')).toBe(false);
  });

  it('uses a setGlobalDispatcher Agent for fetch defaults', () => {
    const call = only(`import { Agent, setGlobalDispatcher } from 'undici';\nsetGlobalDispatcher(new Agent({ headersTimeout: 900_000, bodyTimeout: 0 }));\nawait fetch(u);`);
    const briefs = call.timeouts.map(brief);
    expect(briefs).toContain('time-to-headers:headersTimeout:set:900000');
    expect(briefs).toContain('idle:bodyTimeout:set:off');
  });

  it('keeps the URL as a template with an env part', () => {
    const call = only('fetch(`${process.env.API_URL}/v1/chat`)');
    expect(call.url?.value).toMatchObject({ kind: 'template', parts: [{ kind: 'env', name: 'API_URL' }, '/v1/chat'] });
  });
});

describe('axios', () => {
  const cases: Array<[string, string, string[], Partial<TsOutboundCall>?]> = [
    ['default export without timeout has none (idle kind on Node)', `import axios from 'axios';\naxios.get('https://x');`, ['idle:timeout:none:-'], { method: 'GET' }],
    ['per-call config', `import axios from 'axios';\naxios.post('/x', body, { timeout: 2500 });`, ['idle:timeout:set:2500'], { method: 'POST' }],
    ['config-object call', `import axios from 'axios';\naxios({ url: '/x', method: 'put', timeout: 100 });`, ['idle:timeout:set:100'], { method: 'PUT' }],
    ['instance from axios.create', `import axios from 'axios';\nconst api = axios.create({ baseURL: 'https://api', timeout: 4000 });\napi.get('/users');`, ['idle:timeout:set:4000']],
    ['per-call wins over the instance', `import axios from 'axios';\nconst api = axios.create({ timeout: 4000 });\napi.get('/u', { timeout: 10 });`, ['idle:timeout:set:10']],
    ['instance.defaults.timeout assignment', `import axios from 'axios';\nconst api = axios.create({ timeout: 4000 });\napi.defaults.timeout = 7000;\napi.get('/u');`, ['idle:timeout:set:7000']],
    ['global axios.defaults.timeout', `import axios from 'axios';\naxios.defaults.timeout = 1234;\naxios.get('/u');`, ['idle:timeout:set:1234']],
    ['0 disables', `import axios from 'axios';\naxios.get('/u', { timeout: 0 });`, ['idle:timeout:set:off']],
    ['config object through a const (trap)', `import axios from 'axios';\nconst cfg = { timeout: 5000 };\nconst api = axios.create(cfg);\napi.get('/u');`, ['idle:timeout:set:5000']],
    ['spread that overrides', `import axios from 'axios';\nconst base = { timeout: 5000 };\nconst api = axios.create({ ...base, timeout: 9000 });\napi.get('/u');`, ['idle:timeout:set:9000']],
    ['spread that drops', `import axios from 'axios';\nconst base = { timeout: 5000 };\nconst api = axios.create({ ...base, timeout: undefined });\napi.get('/u');`, ['idle:timeout:none:-']],
    ['rest destructuring drops the key', `import axios from 'axios';\nconst { timeout, ...rest } = { timeout: 5000, baseURL: 'x' };\naxios.get('/u', rest);`, ['idle:timeout:none:-']],
    ['require', `const axios = require('axios');\naxios.get('/u', { timeout: 5 });`, ['idle:timeout:set:5']],
  ];
  it.each(cases)('%s', (_name, source, expected, extra) => {
    const call = only(source);
    expect(call.library).toBe('axios');
    const briefs = call.timeouts.map(brief);
    for (const e of expected) expect(briefs).toContain(e);
    if (extra) expect(call).toMatchObject(extra);
  });

  it('records a string timeout and what axios makes of it (P11)', () => {
    const call = only(`import axios from 'axios';\naxios.get('/u', { timeout: '30s' });`);
    expect(call.ignoredOptions).toMatchObject([{ option: 'timeout', reason: 'string-parsed-as-int', effectiveMs: 30 }]);
    expect(call.timeouts[0]).toMatchObject({ ms: 30, value: { kind: 'string', value: '30s' } });
  });

  it('joins baseURL and path', () => {
    const call = only(`import axios from 'axios';\nconst api = axios.create({ baseURL: 'https://api.example.com/' });\napi.get('/v1/x');`);
    expect(call.url?.text).toBe('https://api.example.com/v1/x');
  });

  it('an unknown spread leaves the timeout unknown, not none', () => {
    const call = only(`import axios from 'axios';\nexport function f(opts: object) { return axios.get('/u', { ...opts, headers: {} }); }`);
    expect(call.optionsUnknown).toBe(true);
    expect(call.timeouts).toEqual([]);
  });
});

describe('got, ky, undici, node:http, superagent', () => {
  const cases: Array<[string, string, string, string[]]> = [
    ['got without timeout', `import got from 'got';\nawait got('https://x');`, 'got', ['total:timeout:none:-']],
    ['got timeout kinds', `import got from 'got';\nawait got.post('https://x', { timeout: { connect: 1000, response: 5000, request: 30000 } });`, 'got', ['connect:timeout.connect:set:1000', 'time-to-headers:timeout.response:set:5000', 'total:timeout.request:set:30000']],
    ['got.extend instance', `import got from 'got';\nconst client = got.extend({ prefixUrl: 'https://x', timeout: { request: 9000 } });\nawait client.get('a');`, 'got', ['total:timeout.request:set:9000']],
    ['ky default 10 s per attempt', `import ky from 'ky';\nawait ky.post('https://llm', { json });`, 'ky', ['total:timeout:default:10000']],
    ['ky timeout false', `import ky from 'ky';\nawait ky.get('https://x', { timeout: false });`, 'ky', ['total:timeout:set:off']],
    ['undici request', `import { request } from 'undici';\nawait request('https://x', { headersTimeout: 1000 });`, 'undici', ['time-to-headers:headersTimeout:set:1000', 'idle:bodyTimeout:default:300000']],
    ['node:http request timeout option', `import http from 'node:http';\nhttp.request('http://x', { timeout: 3000 });`, 'node-http', ['idle:timeout:set:3000']],
    ['node:https get without timeout', `import * as https from 'https';\nhttps.get('https://x', (res) => {});`, 'node-http', ['idle:timeout:none:-']],
    ['node:http signal AbortSignal.timeout', `import http from 'node:http';\nhttp.get('http://x', { signal: AbortSignal.timeout(4000) }, (res) => {});`, 'node-http', ['total:signal (AbortSignal.timeout):set:4000', 'idle:timeout:none:-']],
    ['req.setTimeout', `import { request } from 'node:http';\nconst req = request({ host: 'x' });\nreq.setTimeout(1500);`, 'node-http', ['idle:timeout:set:1500']],
    ['superagent timeout object', `import superagent from 'superagent';\nawait superagent.get('https://x').timeout({ response: 5000, deadline: 60000 }).retry(2);`, 'superagent', ['time-to-headers:timeout.response:set:5000', 'total:timeout.deadline:set:60000']],
    ['superagent without timeout', `import request from 'superagent';\nawait request.post('https://x').send(body);`, 'superagent', ['total:timeout:none:-']],
  ];
  it.each(cases)('%s', (_name, source, library, expected) => {
    const call = only(source);
    expect(call.library).toBe(library);
    const briefs = call.timeouts.map(brief);
    for (const e of expected) expect(briefs).toContain(e);
  });

  it('reads got and ky retries with their defaults', () => {
    expect(only(`import got from 'got';\nawait got('https://x');`).retries).toMatchObject({ source: 'default', count: 2 });
    expect(only(`import ky from 'ky';\nawait ky('https://x', { retry: { limit: 5 } });`).retries).toMatchObject({ source: 'set', count: 5 });
    expect(only(`import s from 'superagent';\nawait s.get('https://x').retry();`).retries).toMatchObject({ source: 'set', count: 1 });
  });

  it('marks got streams', () => {
    expect(only(`import got from 'got';\ngot.stream('https://x');`).streaming).toBe(true);
  });
});

describe('spans', () => {
  it('points a timeout at the property and its value at the literal, through a const', () => {
    const source = `const TIMEOUT_MS = 30_000;\nimport axios from 'axios';\naxios.get('/u', { timeout: TIMEOUT_MS });`;
    const call = only(source);
    const timeout = call.timeouts[0]!;
    expect(source.slice(timeout.span!.start, timeout.span!.end)).toBe('timeout: TIMEOUT_MS');
    expect(source.slice(timeout.value!.span.start, timeout.value!.span.end)).toBe('30_000');
    expect(source.slice(call.span.start, call.span.end)).toBe(`axios.get('/u', { timeout: TIMEOUT_MS })`);
  });
});
