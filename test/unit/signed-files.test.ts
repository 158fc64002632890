// A signed cache file is verified as text or as bytes alike: the bytes check (used to write a stored output out without decoding it) accepts exactly what the text check accepts.
import { describe, expect, it } from 'vitest';
import { signPayload, verifySigned, verifySignedBytes } from '../../server/src/host/signed-files.js';

const secret = new Uint8Array(32).fill(7);
const utf8 = (text: string) => new Uint8Array(Buffer.from(text, 'utf8'));

describe('verifySignedBytes', () => {
  const payload = '{"findings":[{"message":"nginx cuts LLM location /api/ after 60 s — “quoted” ✓"}]}\n';
  const signed = signPayload(secret, 'entry.output.txt', payload);

  it('gives the payload bytes of a file signed for this secret and name, as the text check gives the payload', () => {
    expect(verifySigned(secret, 'entry.output.txt', signed)).toBe(payload);
    expect(Buffer.from(verifySignedBytes(secret, 'entry.output.txt', utf8(signed))!).toString('utf8')).toBe(payload);
  });

  it.each([
    ['another name', (s: string) => s, 'other.output.txt', secret],
    ['another secret', (s: string) => s, 'entry.output.txt', new Uint8Array(32).fill(8)],
    ['a changed payload', (s: string) => s.replace('60 s', '61 s'), 'entry.output.txt', secret],
    ['a changed signature', (s: string) => s.replace(/:([0-9a-f])/, (_m, d: string) => `:${d === '0' ? '1' : '0'}`), 'entry.output.txt', secret],
    ['no signature line', () => payload, 'entry.output.txt', secret],
    ['an empty file', () => '', 'entry.output.txt', secret],
  ] as const)('refuses %s, as the text check does', (_what, change, name, key) => {
    const text = change(signed);
    expect(verifySigned(key, name, text)).toBeUndefined();
    expect(verifySignedBytes(key, name, utf8(text))).toBeUndefined();
  });

  it('reads a signature inside a larger buffer (a subarray with an offset)', () => {
    const backing = utf8(`xxxx${signed}`);
    expect(Buffer.from(verifySignedBytes(secret, 'entry.output.txt', backing.subarray(4))!).toString('utf8')).toBe(payload);
  });
});
