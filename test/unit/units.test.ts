// Duration parsers and formatters: nginx time (checked case by case against nginx 1.22 `nginx -t`), Go, Gateway API and integer seconds.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  exactNginxSpelling,
  formatDuration,
  parseGatewayApiDuration,
  parseGoDuration,
  parseIntegerSeconds,
  parseNginxTime,
  readIntendedNginxTime,
  type NginxTimeError,
  type NginxTimeResolution,
} from '../../server/src/engine/units.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** An expected result: milliseconds, or the reason nginx rejects the text. */
type Expected = number | NginxTimeError;

function outcome(result: { ok: true; ms: number } | { ok: false; reason: string }): number | string {
  return result.ok ? result.ms : result.reason;
}

describe('parseNginxTime at millisecond resolution (*_timeout directives)', () => {
  it.each<[string, Expected]>([
    ['60s', 60 * SECOND],
    ['60', 60 * SECOND],
    ['0', 0],
    ['0s', 0],
    ['05s', 5 * SECOND],
    ['500ms', 500],
    ['1s500ms', 1500],
    ['1h 30m', 90 * MINUTE],
    ['1h30m', 90 * MINUTE],
    ['90m', 90 * MINUTE],
    ['1h  30m', 90 * MINUTE],
    ['1h 30m 10s 500ms', HOUR + 30 * MINUTE + 10 * SECOND + 500],
    ['1w', 7 * DAY],
    ['1w1d', 8 * DAY],
    ['24d', 24 * DAY],
    ['1d1ms', DAY + 1],
    ['597h', 597 * HOUR],
    ['4294967296', 4294967296 * SECOND],
    // A bare number after the units is more seconds.
    ['30s 5', 35 * SECOND],
    ['500ms 1', 1500],
    ['500ms1', 1500],
    ['1s5', 6 * SECOND],
    ['5 6', 11 * SECOND],
    ['5 ', 5 * SECOND],
    [' 5', 5 * SECOND],
    // A unit letter with no digits adds zero, so nginx accepts these oddities.
    ['1hm', HOUR],
    ['1hms', HOUR],
    ['m5', 5 * SECOND],
    ['1m s', MINUTE],
    ['', 'empty'],
    [' ', 'empty'],
    ['s', 'empty'],
    ['ms', 'empty'],
    ['1.5s', 'fraction'],
    ['.5s', 'fraction'],
    ['1.5M', 'fraction'],
    ['-5s', 'negative'],
    ['1M', 'unit-not-allowed'],
    ['1y', 'unit-not-allowed'],
    ['1w 1M', 'unit-not-allowed'],
    ['30s 1m', 'unit-order'],
    ['30s1m', 'unit-order'],
    ['1m1h', 'unit-order'],
    ['1ss', 'unit-order'],
    ['5ms 5ms', 'unit-order'],
    ['1 1 1', 'unit-order'],
    ['1 30s', 'unit-order'],
    ['5 s', 'unit-order'],
    ['  5s  ', 'unit-order'],
    ['1ms1 2', 'unit-order'],
    ['1S', 'unknown-unit'],
    ['10sec', 'unknown-unit'],
    ['1x', 'unknown-unit'],
    ['+5s', 'unknown-unit'],
    ['1h\t30m', 'unknown-unit'],
    ['$timeout', 'unknown-unit'],
    ['9223372036854775807ms', Number(2n ** 63n - 1n)],
    ['9223372036854775808ms', 'overflow'],
    ['9223372036854775', Number(9223372036854775n * 1000n)],
    ['9223372036854776', 'overflow'],
    ['9223372036854775s', Number(9223372036854775n * 1000n)],
    ['9223372036854776s', 'overflow'],
    ['9223372036854775807s', 'overflow'],
    ['106751991167d', 106751991167 * DAY],
    ['106751991168d', 'overflow'],
    ['106751991167d 25975807ms', Number(2n ** 63n - 1n)],
    ['106751991167d 25975808ms', 'overflow'],
    ['106751991167d 23h', 'overflow'],
  ])('%j → %j', (text, expected) => {
    expect(outcome(parseNginxTime(text, 'ms'))).toBe(expected);
  });
});

describe('parseNginxTime at seconds resolution (keepalive_timeout header, fail_timeout)', () => {
  it.each<[string, Expected]>([
    ['75', 75 * SECOND],
    ['1y', 365 * DAY],
    ['1M', 30 * DAY],
    ['68y', 68 * 365 * DAY],
    ['1y1M1w1d1h1m1s', (365 + 30 + 7 + 1) * DAY + HOUR + MINUTE + SECOND],
    ['1h 30m', 90 * MINUTE],
    ['1s1', 2 * SECOND],
    ['m5', 5 * SECOND],
    ['292471208677y', 292471208677 * 365 * DAY],
    ['292471208678y', 'overflow'],
    ['9223372036854775807', Number(9223372036854775807n * 1000n)],
    ['9223372036854775808', 'overflow'],
    ['500ms', 'unit-not-allowed'],
    ['1ms', 'unit-not-allowed'],
    ['1s500ms', 'unit-not-allowed'],
    ['1y 1y', 'unit-order'],
    ['1M1y', 'unit-order'],
    ['1hms', 'unit-not-allowed'],
    ['1.5h', 'fraction'],
  ])('%j → %j', (text, expected) => {
    expect(outcome(parseNginxTime(text, 's'))).toBe(expected);
  });
});

describe('parseNginxTime offsets', () => {
  it.each<[string, NginxTimeResolution, number]>([
    ['30s 1m', 'ms', 5],
    ['1.5s', 'ms', 1],
    ['1M', 'ms', 1],
    ['500ms', 's', 3],
    ['', 'ms', 0],
    ['ms', 'ms', 2],
  ])('%j (%s) is rejected at offset %i', (text, resolution, offset) => {
    const result = parseNginxTime(text, resolution);
    expect(result.ok).toBe(false);
    expect(result.ok ? -1 : result.offset).toBe(offset);
  });
});

describe('formatDuration', () => {
  it.each<[number, string]>([
    [0, '0s'],
    [1, '1ms'],
    [500, '500ms'],
    [1500, '1500ms'],
    [1000, '1s'],
    [90_000, '90s'],
    [60_000, '1m'],
    [5_400_000, '90m'],
    [HOUR, '1h'],
    [DAY, '1d'],
    [7 * DAY, '1w'],
    [14 * DAY, '2w'],
    [30 * DAY, '30d'],
    [365 * DAY, '365d'],
    [-5000, '-5s'],
    [0.5, '0.5ms'],
  ])('%d → %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it('spells every whole millisecond count so that nginx reads it back exactly', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 53 - 1 }), (ms) => {
        expect(outcome(parseNginxTime(formatDuration(ms), 'ms'))).toBe(ms);
      }),
    );
  });
});

describe('exactNginxSpelling', () => {
  it.each<[number, NginxTimeResolution, string | undefined]>([
    [1500, 'ms', '1500ms'],
    [30 * DAY, 'ms', '30d'],
    [365 * DAY, 'ms', '365d'],
    [90_000, 's', '90s'],
    [1500, 's', undefined],
    [0, 's', '0s'],
    [-1000, 'ms', undefined],
    [0.5, 'ms', undefined],
    [Number.NaN, 'ms', undefined],
    [2 ** 60, 'ms', undefined],
  ])('%d at %s resolution → %s', (ms, resolution, text) => {
    expect(exactNginxSpelling(ms, resolution)).toBe(text);
  });

  it('returns a spelling nginx accepts whenever the value is representable', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Math.floor(Number.MAX_SAFE_INTEGER / 1000) }), (seconds) => {
        const spelling = exactNginxSpelling(seconds * 1000, 's');
        expect(spelling && outcome(parseNginxTime(spelling, 's'))).toBe(seconds * 1000);
      }),
    );
  });
});

describe('readIntendedNginxTime', () => {
  it.each<[string, number | undefined]>([
    ['1.5s', 1500],
    ['0.1h', 360_000],
    ['1M', 30 * DAY],
    ['1y', 365 * DAY],
    ['30s 1m', 90_000],
    ['1h 30m', 90 * MINUTE],
    ['2.5', 2500],
    ['0.5ms', 0.5],
    ['', undefined],
    ['-5s', undefined],
    ['5x', undefined],
    ['1hm', undefined],
  ])('%j → %j', (text, ms) => {
    expect(readIntendedNginxTime(text)).toBe(ms);
  });

  it('with exactNginxSpelling normalises the values nginx rejects', () => {
    const normalise = (text: string, resolution: NginxTimeResolution) => {
      const ms = readIntendedNginxTime(text);
      return ms === undefined ? undefined : exactNginxSpelling(ms, resolution);
    };
    expect(normalise('1.5s', 'ms')).toBe('1500ms');
    expect(normalise('1M', 'ms')).toBe('30d');
    expect(normalise('30s 1m', 'ms')).toBe('90s');
    expect(normalise('1.5s', 's')).toBeUndefined();
  });
});

describe('parseGoDuration', () => {
  it.each<[string, number | string]>([
    ['0', 0],
    ['-0', 0],
    ['+0', 0],
    ['0s', 0],
    ['5s', 5000],
    ['-5s', -5000],
    ['+5s', 5000],
    ['1.5s', 1500],
    ['.5s', 500],
    ['1.s', 1000],
    ['300ms', 300],
    ['1h30m', 90 * MINUTE],
    ['2h45m', 165 * MINUTE],
    ['-1.5h', -90 * MINUTE],
    ['1s1s', 2000],
    ['30m1h', 90 * MINUTE],
    ['1us', 0.001],
    ['1µs', 0.001],
    ['1μs', 0.001],
    ['1ns', 0.000001],
    ['1.000000001s', 1000 + 1e-6],
    // Go truncates a fraction finer than a nanosecond.
    ['1.0000000001s', 1000],
    ['2562047h47m16.854775807s', 9223372036854 + 0.775807],
    ['-2562047h47m16.854775808s', -9223372036854 - 0.775808],
    ['2562047h47m16.854775808s', 'overflow'],
    ['9223372036854775808ns', 'overflow'],
    ['', 'empty'],
    ['-', 'empty'],
    ['5', 'missing-unit'],
    ['1h5', 'missing-unit'],
    ['1d', 'unknown-unit'],
    ['5sec', 'unknown-unit'],
    ['5 s', 'unknown-unit'],
    ['.s', 'syntax'],
    ['s', 'syntax'],
    [' 5s', 'syntax'],
    ['--5s', 'syntax'],
  ])('%j → %j', (text, expected) => {
    expect(outcome(parseGoDuration(text))).toBe(expected);
  });
});

describe('parseGatewayApiDuration (GEP-2257 test vectors and more)', () => {
  it.each<[string, number | string]>([
    ['0h', 0],
    ['0s', 0],
    ['0h0m0s', 0],
    ['1h', HOUR],
    ['30m', 30 * MINUTE],
    ['10s', 10 * SECOND],
    ['500ms', 500],
    ['2h30m', 150 * MINUTE],
    ['150m', 150 * MINUTE],
    ['7230s', 7230 * SECOND],
    ['1h30m10s', HOUR + 30 * MINUTE + 10 * SECOND],
    ['10s30m1h', HOUR + 30 * MINUTE + 10 * SECOND],
    ['100ms200ms300ms', 600],
    ['1s500ms', 1500],
    ['01h', HOUR],
    ['00060m', HOUR],
    ['1h2h20m10m', 3 * HOUR + 30 * MINUTE],
    ['99999h', 99999 * HOUR],
    ['1', 'missing-unit'],
    ['1m1', 'missing-unit'],
    ['1d', 'unknown-unit'],
    ['1us', 'unknown-unit'],
    ['1h30m10s20ms50h', 'too-many-components'],
    ['999999h', 'too-many-digits'],
    ['1.5h', 'fraction'],
    ['-15m', 'negative'],
    ['', 'empty'],
    ['0', 'missing-unit'],
    [' 1s', 'syntax'],
    ['h', 'syntax'],
  ])('%j → %j', (text, expected) => {
    expect(outcome(parseGatewayApiDuration(text))).toBe(expected);
  });
});

describe('parseIntegerSeconds (strconv.Atoi)', () => {
  it.each<[string, number | string]>([
    ['120', 120 * SECOND],
    ['0', 0],
    ['007', 7 * SECOND],
    ['+5', 5 * SECOND],
    ['-1', -SECOND],
    ['9223372036854775807', Number(9223372036854775807n * 1000n)],
    ['-9223372036854775808', Number(-9223372036854775808n * 1000n)],
    ['9223372036854775808', 'overflow'],
    ['', 'empty'],
    ['60s', 'unit-not-allowed'],
    ['1m', 'unit-not-allowed'],
    ['5.5', 'fraction'],
    ['.5', 'fraction'],
    [' 60', 'syntax'],
    ['60 ', 'syntax'],
    ['1_000', 'syntax'],
    ['+', 'syntax'],
    ['0x10', 'syntax'],
  ])('%j → %j', (text, expected) => {
    expect(outcome(parseIntegerSeconds(text))).toBe(expected);
  });
});
