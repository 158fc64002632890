// The URL a call's chain hop shows and links by: what is known of it, and nothing when nothing is.
import { describe, expect, it } from 'vitest';
import { NO_ENV, envContextOf } from '../../server/src/engine/chain/environment.js';
import { callUrlOf } from '../../server/src/engine/inputs/ts/call-urls.js';
import { parseTsText } from '../../server/src/engine/inputs/ts/file.js';
import { extractTsFacts } from '../../server/src/engine/inputs/ts/facts.js';

function urlOf(source: string, env = NO_ENV) {
  const facts = extractTsFacts(parseTsText('src/s.ts', source));
  const call = facts.calls[0]!;
  return callUrlOf(call, 'src/s.ts', new Map([['src/s.ts', facts]]), env);
}

describe('call URLs', () => {
  it.each([
    ['a literal', "export const f = () => fetch('http://billing:8080/charge');", { text: 'http://billing:8080/charge', host: 'billing', port: 8080, path: '/charge' }],
    ['a template with an unknown id', 'export const f = (id: string) => fetch(`http://billing:8080/charge/${id}`);', { text: 'http://billing:8080/charge/{}', host: 'billing' }],
    ['a template with an unknown host', 'export const f = (host: string) => fetch(`https://${host}/v1/x`);', { text: 'https://{}/v1/x' }],
    ['the root path', "export const f = () => fetch('/');", { text: '/' }],
    ['host and port both unknown', 'export const f = (h: string, p: string) => fetch(`${h}:${p}`);', { text: '{}:{}' }],
  ])('%s', (_, source, expected) => {
    expect(urlOf(source)).toMatchObject(expected);
  });

  it.each([
    ['a parameter', 'export class S { async upload(param: { url: string }) { const { url } = param; return fetch(url); } }'],
    ['a parameter joined to an unknown base', 'export const f = (base: string, path: string) => fetch(`${base}/${path}`);'],
    ['an environment variable the deployment does not set', 'export const f = () => fetch(process.env.WEBHOOK_URL!);'],
  ])('nothing when nothing of it is known: %s', (_, source) => {
    expect(urlOf(source)).toBeUndefined();
  });

  it('the environment fills what the code leaves open', () => {
    const env = envContextOf('Deployment default/api', new Map([['WEBHOOK_URL', { text: 'http://hooks:9000/in' } as never]]));
    expect(urlOf('export const f = () => fetch(process.env.WEBHOOK_URL!);', env)).toMatchObject({ text: 'http://hooks:9000/in', host: 'hooks', port: 9000 });
  });
});
