// Connection strings: credentials masked in every form, timeout parameters read with their offsets, Postgres durations.
import { describe, expect, it } from 'vitest';
import { maskCredentials, postgresDurationMs, urlParameters } from '../../server/src/engine/inputs/ts/db/connection-string.js';

describe('maskCredentials', () => {
  it.each([
    ['postgres://app:s3cret@db:5432/app', 'postgres://app:****@db:5432/app'],
    ['postgresql://app:p@ss@word@db/app?sslmode=require', 'postgresql://app:****@db/app?sslmode=require'],
    ['mongodb+srv://svc:Zx9%40q@cluster0.example.net/shop?retryWrites=true', 'mongodb+srv://svc:****@cluster0.example.net/shop?retryWrites=true'],
    ['redis://:hunter2@cache:6379/0', 'redis://:****@cache:6379/0'],
    ['mysql://root:toor@127.0.0.1/db?password=again', 'mysql://root:****@127.0.0.1/db?password=****'],
    ['host=db user=app password=letmein dbname=app', 'host=db user=app password=**** dbname=app'],
    ['url: "postgres://a:b@h/d" and "mongodb://c:d@e/f"', 'url: "postgres://a:****@h/d" and "mongodb://c:****@e/f"'],
  ])('masks %s', (input, masked) => {
    expect(maskCredentials(input)).toBe(masked);
  });

  it('leaves strings without credentials alone', () => {
    for (const text of ['postgres://db:5432/app', 'redis://cache:6379', 'mongodb://user@host/db', 'https://example.com/a?b=c', 'SELECT 1']) expect(maskCredentials(text)).toBe(text);
  });
});

describe('urlParameters', () => {
  it('reads timeout parameters with the offset of their value', () => {
    const url = 'postgresql://u:p@db/app?connect_timeout=10&pool_timeout=30&sslmode=require&socket_timeout=5';
    const parameters = urlParameters(url);
    expect(parameters.map((p) => [p.name, p.text])).toEqual([['connect_timeout', '10'], ['pool_timeout', '30'], ['socket_timeout', '5']]);
    for (const p of parameters) expect(url.slice(p.offset, p.offset + p.length)).toBe(p.text);
  });

  it('reads -c settings of a libpq options parameter, encoded or not', () => {
    expect(urlParameters('postgres://db/app?options=-c%20statement_timeout%3D5s').map((p) => [p.name, p.text])).toEqual([['statement_timeout', '5s']]);
    const plain = 'postgres://db/app?options=-c statement_timeout=30000 -c lock_timeout=2s';
    const parameters = urlParameters(plain);
    expect(parameters.map((p) => [p.name, p.text])).toEqual([['statement_timeout', '30000'], ['lock_timeout', '2s']]);
    expect(plain.slice(parameters[0]!.offset, parameters[0]!.offset + parameters[0]!.length)).toBe('30000');
  });

  it('never returns credentials or unrelated parameters', () => {
    expect(urlParameters('mongodb://u:secret@h/db?password=x&authSource=admin&serverSelectionTimeoutMS=5000')).toEqual([expect.objectContaining({ name: 'serverSelectionTimeoutMS', text: '5000' })]);
  });
});

describe('postgresDurationMs', () => {
  it.each([['30000', 30_000], ['30s', 30_000], ['2min', 120_000], ['1h', 3_600_000], ['250ms', 250], ["'5s'", 5000]])('reads %s', (text, ms) => expect(postgresDurationMs(text)).toBe(ms));
  it('rejects what Postgres would not read', () => expect(postgresDurationMs('soon')).toBeUndefined());
});
