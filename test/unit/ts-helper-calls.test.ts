// Fetch helpers that take the caller's init: each call site is read with its own arguments, in the same file and across files.
import { describe, expect, it } from 'vitest';
import { parseTsText } from '../../server/src/engine/inputs/ts/file.js';
import { extractTsFacts, type TsFileFacts, type TsOutboundCall } from '../../server/src/engine/inputs/ts/facts.js';
import { relinkImportedCallees } from '../../server/src/engine/inputs/ts/imports.js';

function callsOf(files: Record<string, string>, file: string): TsOutboundCall[] {
  const facts = new Map<string, TsFileFacts>(Object.entries(files).map(([f, text]) => [f, extractTsFacts(parseTsText(f, text))]));
  relinkImportedCallees(facts, (f) => files[f]);
  return facts.get(file)!.calls;
}

const brief = (call: TsOutboundCall) => {
  const signal = call.timeouts.find((t) => t.option.startsWith('signal'));
  const state = signal?.source === 'set' ? `signal ${signal.ms ?? '?'}` : call.optionsUnknown ? 'unknown' : 'no signal';
  return `${call.method ?? '?'} ${call.url?.text ?? '?'} ${state}${call.viaHelper ? ` via ${call.viaHelper.name}#${call.viaHelper.initIndex}` : ''}${call.initFrom ? ` init<-param${call.initFrom.param}` : ''}`;
};

const helper = `export async function getJson(url: string, init?: RequestInit) {\n  const res = await fetch(url, { ...init, headers: { accept: 'application/json' } });\n  return res.json();\n}\n`;

describe('fetch helpers taking the init of their caller', () => {
  it('reads each same-file call site with its own init', () => {
    const calls = callsOf({ 'src/api.ts': `${helper}export const a = () => getJson('http://users:8080/u', { signal: AbortSignal.timeout(5000) });\nexport const b = () => getJson('http://users:8080/v');\n` }, 'src/api.ts');
    expect(calls.map(brief)).toEqual([
      'GET ? unknown init<-param1',
      'GET http://users:8080/u signal 5000 via getJson#1',
      'GET http://users:8080/v no signal via getJson#1',
    ]);
  });

  it('follows a helper exported from another module, and a helper that passes its own init on', () => {
    const calls = callsOf({
      'src/lib/http.ts': helper,
      'src/lib/users.ts': `import { getJson } from './http';\nexport function loadUser(id: string, init?: RequestInit) {\n  return getJson(\`http://users:8080/users/\${id}\`, init);\n}\n`,
      'src/server.ts': `import { getJson } from './lib/http';\nexport async function h() {\n  await getJson('http://billing:8080/i', { signal: AbortSignal.timeout(2_000), method: 'POST' });\n  await getJson('http://billing:8080/j');\n}\n`,
    }, 'src/server.ts');
    expect(calls.map(brief)).toEqual(['POST http://billing:8080/i signal 2000 via getJson#1', 'GET http://billing:8080/j no signal via getJson#1']);
    const users = callsOf({ 'src/lib/http.ts': helper, 'src/lib/users.ts': `import { getJson } from './http';\nexport function loadUser(id: string, init?: RequestInit) {\n  return getJson(\`http://users:8080/users/\${id}\`, init);\n}\n` }, 'src/lib/users.ts');
    expect(users.map(brief)).toEqual(['GET ? unknown via getJson#1 init<-param1']);
  });

  it('leaves a helper that sets its own signal alone (it bounds every call through it)', () => {
    const calls = callsOf({ 'src/api.ts': `async function get(url: string, init?: RequestInit) {\n  return fetch(url, { ...init, signal: AbortSignal.timeout(3000) });\n}\nexport const a = () => get('http://x:1/a');\n` }, 'src/api.ts');
    expect(calls.map(brief)).toEqual(['GET ? signal 3000']);
  });
});
