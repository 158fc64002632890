// The HAProxy settings the model resolves: which statement sets each, which proxy side reads it, and HAProxy's default with its source.
import type { Span } from '../../types.js';
import type { HaproxyStatement, HaproxyWord } from './ast.js';
import { describeHaproxyTimeError, parseHaproxyTime, type HaproxyTimeWarning } from './duration.js';

/** Which side of a proxy a setting belongs to: HAProxy warns about and ignores it in a section without that side. */
export type HaproxySide = 'frontend' | 'backend' | 'both';

export const HAPROXY_TIMEOUT_NAMES = [
  'connect', 'client', 'server', 'tunnel', 'http-request', 'http-keep-alive', 'queue', 'client-fin', 'server-fin', 'check',
] as const;
export type HaproxyTimeoutName = (typeof HAPROXY_TIMEOUT_NAMES)[number];

export type HaproxyHttpConnectionMode = 'keep-alive' | 'server-close' | 'close';

export interface HaproxyRedispatch {
  enabled: boolean;
  /** `option redispatch <interval>`: -1 (the default) redispatches on the last retry only. */
  interval: number;
}

/** What one statement does to a setting. */
export type KnobRead<T> =
  | { kind: 'value'; value: T; text: string; valueSpan: Span; warning?: HaproxyTimeWarning }
  | { kind: 'unresolved'; text: string; valueSpan: Span }
  | { kind: 'invalid'; message: string; text: string; valueSpan: Span }
  /** `default option …`: back to HAProxy's built-in default, not the defaults section's value. */
  | { kind: 'reset'; valueSpan: Span };

export interface HaproxyKnob<T> {
  key: string;
  side: HaproxySide;
  matches(statement: HaproxyStatement): boolean;
  /** The statement's effect; `previous` is the value before it in the same proxy (for `no option …`). */
  read(statement: HaproxyStatement, previous: T | undefined): KnobRead<T>;
  /** HAProxy's value when nothing sets it; null for a timeout means none (infinite). */
  defaultValue: T;
  /** How the default reads in messages (`none: timeout client applies`). */
  defaultText: string;
  /** Where the default is documented. */
  factsRef: string;
  /** For timeouts: the timeout HAProxy uses when this one is unset. */
  fallsBackTo?: HaproxyTimeoutName;
}

const FACTS_20 = 'reference/timeout-facts.md §20';
const CONFIG_DOC = (keyword: string): string => `haproxy/haproxy:doc/configuration.txt "${keyword}"`;

function argsText(words: HaproxyWord[]): string {
  return words.map((w) => w.value).join(' ');
}

function wordsSpan(words: HaproxyWord[], fallback: Span): Span {
  if (words.length === 0) return fallback;
  return { file: fallback.file, start: words[0]!.span.start, end: words[words.length - 1]!.span.end };
}

/** HAProxy's sides for each timeout (proxy_parse_timeout() in src/proxy.c) and what stands in when it is unset (facts §20). */
const TIMEOUT_TABLE: Record<HaproxyTimeoutName, { side: HaproxySide; defaultText: string; fallsBackTo?: HaproxyTimeoutName }> = {
  connect: { side: 'backend', defaultText: 'none (no connect timeout)' },
  client: { side: 'frontend', defaultText: 'none (no client inactivity timeout)' },
  server: { side: 'backend', defaultText: 'none (no server inactivity timeout)' },
  tunnel: { side: 'backend', defaultText: 'none: timeout client and timeout server apply to tunnels' },
  'http-request': { side: 'both', defaultText: 'none: timeout client applies between reads', fallsBackTo: 'client' },
  'http-keep-alive': { side: 'both', defaultText: 'none: timeout http-request applies, then timeout client', fallsBackTo: 'http-request' },
  queue: { side: 'backend', defaultText: 'none: timeout connect applies', fallsBackTo: 'connect' },
  'client-fin': { side: 'frontend', defaultText: 'none: timeout client applies', fallsBackTo: 'client' },
  'server-fin': { side: 'backend', defaultText: 'none: timeout server applies', fallsBackTo: 'server' },
  check: { side: 'backend', defaultText: 'none: the check interval (inter) applies' },
};

function timeoutKnob(name: HaproxyTimeoutName): HaproxyKnob<number | null> {
  const row = TIMEOUT_TABLE[name];
  const knob: HaproxyKnob<number | null> = {
    key: `timeout ${name}`,
    side: row.side,
    matches: (s) => s.keyword === 'timeout' && s.modifier === null && s.args[0]?.value === name,
    read: (s) => {
      const valueWords = s.args.slice(1);
      const valueSpan = wordsSpan(valueWords, s.span);
      const value = valueWords[0];
      const text = argsText(valueWords);
      if (value?.unresolved) return { kind: 'unresolved', text, valueSpan };
      if (valueWords.length > 1) return { kind: 'invalid', message: `'timeout ${name}' takes one value, got '${text}'`, text, valueSpan };
      const parsed = parseHaproxyTime(value?.value ?? '');
      if (!parsed.ok) return { kind: 'invalid', message: `'timeout ${name}' value '${text}' ${describeHaproxyTimeError(parsed.reason)}`, text, valueSpan };
      // 0 is stored as TICK_ETERNITY: no timeout at all, like leaving it unset.
      const read: KnobRead<number | null> = { kind: 'value', value: parsed.ms === 0 ? null : parsed.ms, text, valueSpan };
      if (parsed.warning) read.warning = parsed.warning;
      return read;
    },
    defaultValue: null,
    defaultText: row.defaultText,
    factsRef: FACTS_20,
  };
  if (row.fallsBackTo) knob.fallsBackTo = row.fallsBackTo;
  return knob;
}

export const TIMEOUT_KNOBS: ReadonlyMap<HaproxyTimeoutName, HaproxyKnob<number | null>> = new Map(
  HAPROXY_TIMEOUT_NAMES.map((name) => [name, timeoutKnob(name)]),
);

/** `retries <n>`: connection attempts after the first (facts §20, default 3). HAProxy reads the number with atol(). */
export const RETRIES_KNOB: HaproxyKnob<number> = {
  key: 'retries',
  side: 'backend',
  matches: (s) => s.keyword === 'retries' && s.modifier === null,
  read: (s) => {
    const valueSpan = wordsSpan(s.args, s.span);
    const text = argsText(s.args);
    if (s.args[0]?.unresolved) return { kind: 'unresolved', text, valueSpan };
    if (!/^\d+$/.test(s.args[0]?.value ?? '') || s.args.length > 1) {
      return { kind: 'invalid', message: `'retries' expects an integer, got '${text}'`, text, valueSpan };
    }
    return { kind: 'value', value: Number(s.args[0]!.value), text, valueSpan };
  },
  defaultValue: 3,
  defaultText: '3',
  factsRef: FACTS_20,
};

const RETRY_ON_KEYWORDS = new Set([
  'none', 'conn-failure', 'empty-response', 'junk-response', 'response-timeout', '0rtt-rejected', 'all-retryable-errors',
  '401', '403', '404', '408', '421', '425', '429', '500', '501', '502', '503', '504',
]);

/** `retry-on <keywords…>`: replaces the list (not cumulative); default `conn-failure`; HTTP mode only. */
export const RETRY_ON_KNOB: HaproxyKnob<string[]> = {
  key: 'retry-on',
  side: 'backend',
  matches: (s) => s.keyword === 'retry-on' && s.modifier === null,
  read: (s) => {
    const valueSpan = wordsSpan(s.args, s.span);
    const text = argsText(s.args);
    if (s.args.some((w) => w.unresolved)) return { kind: 'unresolved', text, valueSpan };
    const unknown = s.args.find((w) => !RETRY_ON_KEYWORDS.has(w.value));
    if (s.args.length === 0 || unknown) {
      return { kind: 'invalid', message: unknown ? `'retry-on' does not know '${unknown.value}'` : `'retry-on' expects at least one keyword`, text, valueSpan };
    }
    return { kind: 'value', value: s.args.map((w) => w.value), text, valueSpan };
  },
  defaultValue: ['conn-failure'],
  defaultText: 'conn-failure',
  factsRef: CONFIG_DOC('retry-on'),
};

/** `option redispatch [<interval>]` / `no option redispatch` / `default option redispatch` (src/cfgparse-listen.c). */
export const REDISPATCH_KNOB: HaproxyKnob<HaproxyRedispatch> = {
  key: 'option redispatch',
  side: 'backend',
  matches: (s) => s.keyword === 'option' && s.args[0]?.value === 'redispatch',
  read: (s) => {
    const valueSpan = s.span;
    const text = s.words.map((w) => w.value).join(' ');
    if (s.modifier === 'default') return { kind: 'reset', valueSpan };
    if (s.modifier === 'no') return { kind: 'value', value: { enabled: false, interval: 0 }, text, valueSpan };
    const interval = s.args[1];
    if (!interval) return { kind: 'value', value: { enabled: true, interval: -1 }, text, valueSpan };
    if (interval.unresolved) return { kind: 'unresolved', text, valueSpan };
    if (!/^-?\d+$/.test(interval.value)) return { kind: 'invalid', message: `'option redispatch' expects an integer interval, got '${interval.value}'`, text, valueSpan };
    const n = Number(interval.value);
    return { kind: 'value', value: { enabled: n !== 0, interval: n }, text, valueSpan };
  },
  defaultValue: { enabled: false, interval: 0 },
  defaultText: 'off',
  factsRef: CONFIG_DOC('option redispatch'),
};

const HTTP_MODE_OPTIONS: ReadonlyMap<string, HaproxyHttpConnectionMode> = new Map([
  ['http-keep-alive', 'keep-alive'], ['http-server-close', 'server-close'], ['httpclose', 'close'],
]);

/**
 * `option http-keep-alive | http-server-close | httpclose`: one connection mode, the last one set
 * wins; `no option X` goes back to keep-alive only when X is the current mode (src/cfgparse-listen.c).
 */
export const HTTP_MODE_KNOB: HaproxyKnob<HaproxyHttpConnectionMode> = {
  key: 'http connection mode',
  side: 'both',
  matches: (s) => s.keyword === 'option' && HTTP_MODE_OPTIONS.has(s.args[0]?.value ?? ''),
  read: (s, previous) => {
    const mode = HTTP_MODE_OPTIONS.get(s.args[0]!.value)!;
    const text = s.words.map((w) => w.value).join(' ');
    if (s.modifier === 'default') return { kind: 'reset', valueSpan: s.span };
    if (s.modifier === 'no') return { kind: 'value', value: previous === mode ? 'keep-alive' : previous ?? 'keep-alive', text, valueSpan: s.span };
    return { kind: 'value', value: mode, text, valueSpan: s.span };
  },
  defaultValue: 'keep-alive',
  defaultText: 'keep-alive',
  factsRef: CONFIG_DOC('option http-keep-alive'),
};

/** `mode tcp|http|log|spop`; tcp when unset ("This is the default mode"). */
export const MODE_KNOB: HaproxyKnob<string> = singleWordKnob('mode', 'both', 'tcp', CONFIG_DOC('mode'), ['tcp', 'http', 'log', 'spop', 'haterm']);

/** `balance <algorithm> [args]`; roundrobin when unset. */
export const BALANCE_KNOB: HaproxyKnob<string> = singleWordKnob('balance', 'backend', 'roundrobin', CONFIG_DOC('balance'));

/** `default_backend <name>`: frontends, inherited from defaults (proxy_defproxy_cpy() copies it). */
export const DEFAULT_BACKEND_KNOB: HaproxyKnob<string | null> = {
  key: 'default_backend',
  side: 'frontend',
  matches: (s) => s.keyword === 'default_backend' && s.modifier === null,
  read: (s) => {
    const valueSpan = wordsSpan(s.args, s.span);
    const text = argsText(s.args);
    if (s.args[0]?.unresolved) return { kind: 'unresolved', text, valueSpan };
    if (s.args.length !== 1) return { kind: 'invalid', message: `'default_backend' expects one backend name`, text, valueSpan };
    return { kind: 'value', value: s.args[0]!.value, text, valueSpan };
  },
  defaultValue: null,
  defaultText: 'none',
  factsRef: CONFIG_DOC('default_backend'),
};

function singleWordKnob(keyword: string, side: HaproxySide, defaultValue: string, factsRef: string, allowed?: string[]): HaproxyKnob<string> {
  return {
    key: keyword,
    side,
    matches: (s) => s.keyword === keyword && s.modifier === null,
    read: (s) => {
      const valueSpan = wordsSpan(s.args, s.span);
      const text = argsText(s.args);
      if (s.args[0]?.unresolved) return { kind: 'unresolved', text, valueSpan };
      const first = s.args[0]?.value;
      if (!first || (allowed && (!allowed.includes(first) || s.args.length > 1))) {
        return { kind: 'invalid', message: `'${keyword}' does not accept '${text}'`, text, valueSpan };
      }
      return { kind: 'value', value: first, text, valueSpan };
    },
    defaultValue,
    defaultText: defaultValue,
    factsRef,
  };
}
