// HAProxy time values (configuration.txt §2.5): a bare number is milliseconds; units us, ms, s, m, h, d.

/** Why HAProxy rejects a time value (parse_time_err() in src/tools.c, 3.5-dev5). */
export type HaproxyTimeError =
  /** No value at all. */
  | 'empty'
  /** The value does not start with a digit: `-5s`, `.5s`, `${T}` left unresolved is not this (it is unresolved). */
  | 'not-a-number'
  /** A character where a unit belongs that is no unit: `1.5s` (`.`), `5x`, `5S`. */
  | 'unknown-unit'
  /** At least 2^31 ms (~24.8 days), HAProxy's "timer overflow". */
  | 'overflow';

/** Values HAProxy accepts but warns about. */
export type HaproxyTimeWarning =
  /** Characters after a valid unit (`10sec` is read as `10s`): HAProxy warns that a later version will refuse it. */
  | 'trailing-characters'
  /** A bare number from 1 to 99: "suspiciously small for a value in milliseconds" (warn_if_lower()). */
  | 'suspiciously-small';

export type HaproxyTimeResult =
  | { ok: true; ms: number; warning?: HaproxyTimeWarning }
  | { ok: false; reason: HaproxyTimeError; offset: number };

/** HAProxy's largest timer: `result >= 0x80000000` is an overflow. */
export const HAPROXY_MAX_TIMER_MS = 0x7fffffff;

const UNITS: ReadonlyArray<readonly [string, number, number]> = [
  // unit, multiplier, divisor (to milliseconds)
  ['us', 1, 1000],
  ['ms', 1, 1],
  ['s', 1000, 1],
  ['m', 60_000, 1],
  ['h', 3_600_000, 1],
  ['d', 86_400_000, 1],
];

/**
 * Parses a time argument to milliseconds exactly as HAProxy's parse_time_err() with a millisecond
 * default unit: digits, then an optional unit; a bare number is milliseconds (`timeout server 30`
 * is 30 ms, facts §20). Microseconds round up to the next millisecond, as HAProxy does.
 * `0` parses to 0, which HAProxy stores as "no timeout" (TICK_ETERNITY).
 */
export function parseHaproxyTime(text: string): HaproxyTimeResult {
  if (text.length === 0) return { ok: false, reason: 'empty', offset: 0 };
  let i = 0;
  let value = 0n;
  while (i < text.length && text.charCodeAt(i) >= 48 && text.charCodeAt(i) <= 57) {
    value = value * 10n + BigInt(text.charCodeAt(i) - 48);
    i++;
  }
  if (i === 0) return { ok: false, reason: 'not-a-number', offset: 0 };
  let ms: bigint;
  let warning: HaproxyTimeWarning | undefined;
  if (i === text.length) {
    ms = value;
    if (value > 0n && value < 100n) warning = 'suspiciously-small';
  } else {
    const rest = text.slice(i);
    // `ms` must be tried before `m`, as HAProxy does (an `m` followed by `s` is milliseconds).
    const unit = rest.startsWith('ms') ? UNITS[1]! : rest.startsWith('us') ? UNITS[0]! : UNITS.find(([u]) => u.length === 1 && rest[0] === u);
    if (!unit) return { ok: false, reason: 'unknown-unit', offset: i };
    const [name, multiplier, divisor] = unit;
    ms = (value * BigInt(multiplier) + BigInt(divisor - 1)) / BigInt(divisor);
    if (i + name.length < text.length) warning = 'trailing-characters';
  }
  if (ms > BigInt(HAPROXY_MAX_TIMER_MS)) return { ok: false, reason: 'overflow', offset: 0 };
  return warning ? { ok: true, ms: Number(ms), warning } : { ok: true, ms: Number(ms) };
}

/** Human wording of a rejected time value, for problems. */
export function describeHaproxyTimeError(reason: HaproxyTimeError): string {
  switch (reason) {
    case 'empty': return 'expects a time value';
    case 'not-a-number': return 'expects a number of milliseconds or a number with a unit (us, ms, s, m, h, d)';
    case 'unknown-unit': return 'has an unknown unit (HAProxy knows us, ms, s, m, h, d and no fractions)';
    case 'overflow': return 'is too large (HAProxy\'s maximum is 2147483647 ms, about 24.8 days)';
  }
}
