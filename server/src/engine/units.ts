// Duration parsing and formatting for the dialects the linter reads: nginx time, Go and Gateway API durations, and bare integer seconds.

/**
 * How an nginx time argument is stored: `'ms'` for `ngx_parse_time(..., 0)` (every `*_timeout`
 * directive via `ngx_conf_set_msec_slot`, and the 1st argument of `keepalive_timeout`), `'s'` for
 * `ngx_parse_time(..., 1)` (`ngx_conf_set_sec_slot`, the 2nd argument of `keepalive_timeout`,
 * `server ... fail_timeout=`). See reference/timeout-facts.md §1.1.
 */
export type NginxTimeResolution = 'ms' | 's';

/** Why nginx rejects a time value; nginx itself only says "invalid value". */
export type NginxTimeError =
  /** No digits at all: `""`, `" "`, `"ms"`. */
  | 'empty'
  /** A decimal point: `1.5s`. */
  | 'fraction'
  /** A minus sign: `-5s`. */
  | 'negative'
  /** A character that is not a digit, a space or a unit: `5S`, `5sec`, `+5s`, a tab, `$var`. */
  | 'unknown-unit'
  /** `M` or `y` at millisecond resolution, `ms` at seconds resolution. */
  | 'unit-not-allowed'
  /** A unit not smaller than the one before it (`30s 1m`, `1h1h`), or a bare number that is not last (`1 30s`). */
  | 'unit-order'
  /** A component or the total exceeds nginx's 64-bit limit. */
  | 'overflow';

/** Why a Go `time.ParseDuration` string is rejected. */
export type GoDurationError = 'empty' | 'syntax' | 'missing-unit' | 'unknown-unit' | 'overflow';

/** Why a Gateway API (GEP-2257) duration is rejected. */
export type GatewayApiDurationError =
  | 'empty'
  | 'syntax'
  | 'fraction'
  | 'negative'
  | 'missing-unit'
  | 'unknown-unit'
  | 'too-many-digits'
  | 'too-many-components';

/** Why an integer-seconds string (Go `strconv.Atoi`) is rejected. */
export type IntegerSecondsError = 'empty' | 'syntax' | 'fraction' | 'unit-not-allowed' | 'overflow';

/**
 * A parsed duration in milliseconds, or the reason it is invalid and the UTF-16 offset into the
 * input where the parser gave up (the input's length when it ran out of text).
 */
export type DurationResult<E extends string> =
  | { ok: true; ms: number }
  | { ok: false; reason: E; offset: number };

/**
 * Parses an nginx time value exactly as `ngx_parse_time` in nginx ≥ 1.11 (src/core/ngx_parse.c)
 * does on a 64-bit build.
 *
 * Units `y M w d h m s ms` go from most to least significant, each at most once; a bare number
 * means seconds and may also follow the units (`30s 5` is 35 s); spaces may separate components.
 * A value with spaces must be quoted in a config file (`"1h 30m"`), otherwise nginx sees two
 * arguments. Results above 2^53 ms lose precision (nginx accepts up to 2^63 − 1).
 */
export function parseNginxTime(text: string, resolution: NginxTimeResolution): DurationResult<NginxTimeError> {
  // Configs repeat a handful of values (60s, 75s, 300s) across thousands of statements; the exact
  // parse below works in BigInt, so each distinct spelling is parsed once (bounded: cleared when full).
  const cache = resolution === 'ms' ? NGINX_TIME_MS_CACHE : NGINX_TIME_S_CACHE;
  let result = cache.get(text);
  if (result === undefined) {
    if (cache.size >= NGINX_TIME_CACHE_LIMIT) cache.clear();
    result = Object.freeze(parseNginxTimeExactly(text, resolution));
    cache.set(text, result);
  }
  return result;
}

const NGINX_TIME_CACHE_LIMIT = 4096;
const NGINX_TIME_MS_CACHE = new Map<string, DurationResult<NginxTimeError>>();
const NGINX_TIME_S_CACHE = new Map<string, DurationResult<NginxTimeError>>();

function parseNginxTimeExactly(text: string, resolution: NginxTimeResolution): DurationResult<NginxTimeError> {
  const inMs = resolution === 'ms';
  // nginx starts a millisecond-resolution parse as if a month had been seen; that is what rejects y and M.
  let rank: number = inMs ? NGINX_RANK.M : NGINX_RANK.start;
  let value = 0n;
  let total = 0n;
  let sawDigit = false;
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (ch >= '0' && ch <= '9') {
      value = value * 10n + BigInt(ch.charCodeAt(0) - 48);
      if (value > INT64_MAX) return fail('overflow', i);
      sawDigit = true;
      i++;
      continue;
    }
    const unitOffset = i;
    let unit: NginxUnit;
    if (ch === 'm' && text[i + 1] === 's') {
      unit = 'ms';
      i += 2;
    } else if (ch === ' ') {
      // A space directly after digits ends a bare-seconds component; after a unit it was skipped below.
      unit = 'bare';
      i++;
    } else if (NGINX_UNIT_SECONDS.has(ch)) {
      unit = ch as NginxUnit;
      i++;
    } else {
      return fail(classifyNginxCharacter(ch), unitOffset);
    }
    if (unit === 'ms' && !inMs) return fail('unit-not-allowed', unitOffset);
    // Every unit must be smaller than the one before; a space-ended bare number may not follow s, ms or
    // another bare number (digits at the very end may follow anything, see below).
    if (rank >= (unit === 'bare' ? NGINX_RANK.s : NGINX_RANK[unit])) {
      const notAllowed = inMs && (unit === 'y' || unit === 'M');
      return fail(notAllowed ? 'unit-not-allowed' : 'unit-order', unitOffset);
    }
    rank = NGINX_RANK[unit];
    const scale = unit === 'ms' ? 1n : NGINX_UNIT_SECONDS.get(unit === 'bare' ? 's' : unit)! * (inMs ? 1000n : 1n);
    if (value > INT64_MAX / scale) return fail('overflow', unitOffset);
    total += value * scale;
    if (total > INT64_MAX) return fail('overflow', unitOffset);
    value = 0n;
    while (text[i] === ' ') i++;
  }
  if (!sawDigit) return fail('empty', text.length);
  // Trailing digits without a unit are seconds.
  const trailingScale = inMs ? 1000n : 1n;
  if (value > INT64_MAX / trailingScale) return fail('overflow', text.length);
  total += value * trailingScale;
  if (total > INT64_MAX) return fail('overflow', text.length);
  return { ok: true, ms: Number(inMs ? total : total * 1000n) };
}

/**
 * Spells milliseconds as a short nginx time: the largest of `w d h m s` that divides the value
 * exactly (`90000` → `90s`, `5400000` → `90m`, `2592000000` → `30d`), else `ms`.
 *
 * `M` and `y` are never used: nginx rejects them at millisecond resolution and readers misjudge
 * them (a month is 30 days). Zero is `0s`; negative and fractional values are spelled for
 * messages only (`-5s`, `0.5ms`) and are not valid nginx.
 */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  if (ms < 0) return `-${formatDuration(-ms)}`;
  if (ms === 0) return '0s';
  if (Number.isInteger(ms)) {
    for (const [unit, unitMs] of FORMAT_UNITS) {
      if (ms % unitMs === 0) return `${ms / unitMs}${unit}`;
    }
  }
  return `${ms}ms`;
}

/**
 * The {@link formatDuration} spelling of `ms` if nginx reads it back as exactly `ms` at the given
 * resolution, else `undefined` (negative, fractional, sub-second at seconds resolution, too big).
 * Fixes use it to normalise a rejected value, e.g. `1.5s` → `1500ms`, or `1M` in a `*_timeout` → `30d`.
 */
export function exactNginxSpelling(ms: number, resolution: NginxTimeResolution): string | undefined {
  if (!Number.isSafeInteger(ms) || ms < 0) return undefined;
  if (resolution === 's' && ms % 1000 !== 0) return undefined;
  const spelling = formatDuration(ms);
  const reread = parseNginxTime(spelling, resolution);
  return reread.ok && reread.ms === ms ? spelling : undefined;
}

/**
 * The same duration spelled so nginx accepts it (`1.5s` → `1500ms`, `1M` → `30d`, `30s 1m` → `1m30s`)
 * when nginx rejects `text` only for its spelling (a fraction, a unit not allowed at this resolution,
 * units out of order); undefined otherwise, or when no exact spelling exists (rounding would change it).
 */
export function exactNginxRespelling(text: string, resolution: NginxTimeResolution): string | undefined {
  const parsed = parseNginxTime(text, resolution);
  if (parsed.ok || (parsed.reason !== 'fraction' && parsed.reason !== 'unit-not-allowed' && parsed.reason !== 'unit-order')) return undefined;
  const ms = readIntendedNginxTime(text);
  return ms === undefined ? undefined : exactNginxSpelling(ms, resolution);
}

/**
 * What an nginx time value nginx rejects most plausibly meant, in milliseconds: components may
 * have fractions, use any unit of either resolution and come in any order (`1.5s` → 1500,
 * `30s 1m` → 90000, `1M` → 2592000000). Returns `undefined` for anything else (`-5s`, `5x`).
 * The result may be fractional (`0.5ms`); pass it to {@link exactNginxSpelling} before offering a fix.
 */
export function readIntendedNginxTime(text: string): number | undefined {
  const component = /\s*(\d+(?:\.\d*)?|\.\d+)(ms|[smhdwMy])?\s*/y;
  let numerator = 0n;
  let denominator = 1n;
  let matched = false;
  while (component.lastIndex < text.length) {
    const match = component.exec(text);
    if (!match) return undefined;
    matched = true;
    const [whole = '', fraction = ''] = match[1]!.split('.');
    const unitMs = match[2] === 'ms' ? 1n : NGINX_UNIT_SECONDS.get(match[2] ?? 's')! * 1000n;
    const scale = 10n ** BigInt(fraction.length);
    // Exact rational sum, so that 0.1h is 360000 ms and not 360000.00000000006.
    numerator = numerator * scale + BigInt(whole + fraction || '0') * unitMs * denominator;
    denominator *= scale;
  }
  if (!matched) return undefined;
  return numerator % denominator === 0n ? Number(numerator / denominator) : Number(numerator) / Number(denominator);
}

/**
 * Parses a Go `time.ParseDuration` string (src/time/format.go): an optional sign, then one or more
 * decimal numbers with optional fraction and a unit (`ns us µs μs ms s m h`), units in any order
 * and repeatable; `0` alone is valid. Results keep sub-millisecond precision (`1us` → 0.001).
 */
export function parseGoDuration(text: string): DurationResult<GoDurationError> {
  let i = 0;
  let negative = false;
  if (text[0] === '-' || text[0] === '+') {
    negative = text[0] === '-';
    i = 1;
  }
  if (text.slice(i) === '0') return { ok: true, ms: 0 };
  if (i === text.length) return fail('empty', i);
  let totalNs = 0n;
  while (i < text.length) {
    const componentStart = i;
    if (!(text[i] === '.' || isDigit(text[i]))) return fail('syntax', i);
    let integer = 0n;
    while (isDigit(text[i])) {
      integer = integer * 10n + BigInt(text.charCodeAt(i) - 48);
      if (integer > TWO_POW_63) return fail('overflow', i);
      i++;
    }
    const hadInteger = i > componentStart;
    let fraction = 0n;
    let fractionScale = 1;
    let hadFraction = false;
    if (text[i] === '.') {
      i++;
      const fractionStart = i;
      let saturated = false;
      for (; isDigit(text[i]); i++) {
        // Go stops accumulating precision on overflow but keeps consuming digits.
        const next = fraction * 10n + BigInt(text.charCodeAt(i) - 48);
        if (saturated || next > TWO_POW_63) {
          saturated = true;
          continue;
        }
        fraction = next;
        fractionScale *= 10;
      }
      hadFraction = i > fractionStart;
    }
    if (!hadInteger && !hadFraction) return fail('syntax', componentStart);
    const unitStart = i;
    while (i < text.length && text[i] !== '.' && !isDigit(text[i])) i++;
    if (i === unitStart) return fail('missing-unit', i);
    const unitNs = GO_UNIT_NS.get(text.slice(unitStart, i));
    if (unitNs === undefined) return fail('unknown-unit', unitStart);
    if (integer > TWO_POW_63 / unitNs) return fail('overflow', unitStart);
    let componentNs = integer * unitNs;
    if (fraction > 0n) {
      // Go computes the fractional part in float64 and truncates; doing the same keeps results bit-identical.
      componentNs += BigInt(Math.trunc(Number(fraction) * (Number(unitNs) / fractionScale)));
      if (componentNs > TWO_POW_63) return fail('overflow', unitStart);
    }
    totalNs += componentNs;
    if (totalNs > TWO_POW_63) return fail('overflow', unitStart);
  }
  if (!negative && totalNs > INT64_MAX) return fail('overflow', text.length);
  return { ok: true, ms: nanosToMs(negative ? -totalNs : totalNs) };
}

/**
 * Parses a Gateway API duration (GEP-2257, reference/timeout-facts.md §6.1): it must match
 * `^([0-9]{1,5}(h|m|s|ms)){1,4}$` and means the sum of its components (`1s500ms` → 1500).
 */
export function parseGatewayApiDuration(text: string): DurationResult<GatewayApiDurationError> {
  if (!GEP_2257_PATTERN.test(text)) return diagnoseGatewayApiDuration(text);
  let ms = 0;
  for (const [, digits, unit] of text.matchAll(/(\d+)(ms|h|m|s)/g)) {
    ms += Number(digits) * GATEWAY_UNIT_MS.get(unit!)!;
  }
  return { ok: true, ms };
}

/**
 * Parses unitless integer seconds as Go's `strconv.Atoi` does (ingress-nginx timeout annotations,
 * reference/timeout-facts.md §2.1): optional `+`/`-`, ASCII digits only, no spaces, 64-bit range.
 * A negative value is accepted, as Atoi accepts it.
 */
export function parseIntegerSeconds(text: string): DurationResult<IntegerSecondsError> {
  if (/^[+-]?[0-9]+$/.test(text)) {
    const seconds = BigInt(text);
    if (seconds > INT64_MAX || seconds < -TWO_POW_63) return fail('overflow', 0);
    return { ok: true, ms: Number(seconds * 1000n) };
  }
  if (text === '') return fail('empty', 0);
  const withUnit = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(\p{L}+)$/u.exec(text);
  if (withUnit) return fail('unit-not-allowed', text.length - withUnit[1]!.length);
  if (/^[+-]?(?:\d+\.\d*|\.\d+)$/.test(text)) return fail('fraction', text.indexOf('.'));
  const bad = /^[+-]?\d*/.exec(text)![0].length;
  return fail('syntax', bad);
}

type NginxUnit = 'y' | 'M' | 'w' | 'd' | 'h' | 'm' | 's' | 'ms' | 'bare';

const INT64_MAX = (1n << 63n) - 1n;
const TWO_POW_63 = 1n << 63n;

// The order of nginx's `step` states; a unit is accepted only while the current rank is below its own.
const NGINX_RANK = { start: 0, y: 1, M: 2, w: 3, d: 4, h: 5, m: 6, s: 7, ms: 8, bare: 9 } as const;

const NGINX_UNIT_SECONDS: ReadonlyMap<string, bigint> = new Map([
  ['y', 365n * 86400n],
  ['M', 30n * 86400n],
  ['w', 7n * 86400n],
  ['d', 86400n],
  ['h', 3600n],
  ['m', 60n],
  ['s', 1n],
]);

const FORMAT_UNITS: ReadonlyArray<readonly [string, number]> = [
  ['w', 604_800_000],
  ['d', 86_400_000],
  ['h', 3_600_000],
  ['m', 60_000],
  ['s', 1000],
];

const GO_UNIT_NS: ReadonlyMap<string, bigint> = new Map([
  ['ns', 1n],
  ['us', 1000n],
  ['\u00b5s', 1000n], // U+00B5 micro sign
  ['\u03bcs', 1000n], // U+03BC Greek small letter mu
  ['ms', 1_000_000n],
  ['s', 1_000_000_000n],
  ['m', 60_000_000_000n],
  ['h', 3_600_000_000_000n],
]);

const GEP_2257_PATTERN = /^([0-9]{1,5}(h|m|s|ms)){1,4}$/;

const GATEWAY_UNIT_MS: ReadonlyMap<string, number> = new Map([
  ['h', 3_600_000],
  ['m', 60_000],
  ['s', 1000],
  ['ms', 1],
]);

function fail<E extends string>(reason: E, offset: number): { ok: false; reason: E; offset: number } {
  return { ok: false, reason, offset };
}

function isDigit(ch: string | undefined): boolean {
  return ch !== undefined && ch >= '0' && ch <= '9';
}

function classifyNginxCharacter(ch: string): NginxTimeError {
  if (ch === '.') return 'fraction';
  if (ch === '-') return 'negative';
  return 'unknown-unit';
}

function nanosToMs(ns: bigint): number {
  // Split so whole milliseconds stay exact even when the nanosecond count exceeds 2^53.
  return Number(ns / 1_000_000n) + Number(ns % 1_000_000n) / 1e6;
}

/** Names the first GEP-2257 rule a non-matching string breaks, scanning it component by component. */
function diagnoseGatewayApiDuration(text: string): { ok: false; reason: GatewayApiDurationError; offset: number } {
  if (text === '') return fail('empty', 0);
  let i = 0;
  for (let components = 1; i < text.length; components++) {
    const start = i;
    if (text[i] === '-') return fail('negative', i);
    while (isDigit(text[i])) i++;
    if (text[i] === '.') return fail('fraction', i);
    if (i === start) return fail('syntax', i);
    if (i - start > 5) return fail('too-many-digits', start);
    const unitStart = i;
    while (i < text.length && text[i] !== '.' && text[i] !== '-' && !isDigit(text[i])) i++;
    if (i === unitStart) return fail('missing-unit', i);
    if (!['h', 'm', 's', 'ms'].includes(text.slice(unitStart, i))) return fail('unknown-unit', unitStart);
    if (components > 4) return fail('too-many-components', start);
  }
  return fail('syntax', i);
}
