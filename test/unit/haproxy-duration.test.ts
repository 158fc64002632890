// HAProxy time values (configuration.txt §2.5, parse_time_err()): a bare number is milliseconds.
import { describe, expect, it } from 'vitest';
import { HAPROXY_MAX_TIMER_MS, parseHaproxyTime } from '../../server/src/engine/inputs/haproxy/duration.js';

describe('parseHaproxyTime', () => {
  it.each([
    ['30', 30],
    ['30000', 30_000],
    ['0', 0],
    ['250ms', 250],
    ['30s', 30_000],
    ['5m', 300_000],
    ['2h', 7_200_000],
    ['1d', 86_400_000],
    ['1500us', 2],
    ['1us', 1],
    ['0us', 0],
    ['007s', 7_000],
    ['2147483647', HAPROXY_MAX_TIMER_MS],
    ['24d', 2_073_600_000],
  ])('reads %s as %d ms', (text, ms) => {
    const parsed = parseHaproxyTime(text);
    expect(parsed.ok && parsed.ms).toBe(ms);
  });

  it('reads a bare number as milliseconds, not seconds (facts §20): timeout server 30 is 30 ms', () => {
    expect(parseHaproxyTime('30')).toStrictEqual({ ok: true, ms: 30, warning: 'suspiciously-small' });
    expect(parseHaproxyTime('100')).toStrictEqual({ ok: true, ms: 100 });
    expect(parseHaproxyTime('30s')).toStrictEqual({ ok: true, ms: 30_000 });
  });

  it('accepts characters after a unit with a warning, as HAProxy does (10sec is 10 s)', () => {
    expect(parseHaproxyTime('10sec')).toStrictEqual({ ok: true, ms: 10_000, warning: 'trailing-characters' });
    expect(parseHaproxyTime('1min')).toStrictEqual({ ok: true, ms: 60_000, warning: 'trailing-characters' });
  });

  it.each([
    ['', 'empty', 0],
    ['s', 'not-a-number', 0],
    ['-5s', 'not-a-number', 0],
    ['.5s', 'not-a-number', 0],
    ['1.5s', 'unknown-unit', 1],
    ['5S', 'unknown-unit', 1],
    ['5x', 'unknown-unit', 1],
    ['5u', 'unknown-unit', 1],
    ['5 s', 'unknown-unit', 1],
    ['2147483648', 'overflow', 0],
    ['25d', 'overflow', 0],
    ['99999999999999999999999999h', 'overflow', 0],
  ])('rejects %j (%s)', (text, reason, offset) => {
    expect(parseHaproxyTime(text)).toStrictEqual({ ok: false, reason, offset });
  });
});
