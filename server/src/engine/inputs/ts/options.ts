// Library timeout and retry options as data, and how per-call, instance and global settings layer into effective values.
import type { TimeoutKind } from '../../timeout-kind.js';
import { lookupOption, writtenTimeout, type OptionLookup } from './context.js';
import type { TsIgnoredOption, TsProperty, TsRetries, TsTimeout, TsValue } from './types.js';

/** One timeout option of a library, as timeout-facts.md describes it. */
export interface OptionSpec {
  /** Dotted path inside the options object (`timeout.response`). */
  option: string;
  kind: TimeoutKind;
  factsRef: string;
  zeroDisables?: boolean;
  /** `false` switches the timer off (ky). */
  falseDisables?: boolean;
  /** Multiply the written number to get milliseconds. */
  scale?: number;
  /** The documented default in ms when the option is absent everywhere. */
  defaultMs?: number;
  /** When absent everywhere, the library applies no timeout: record a `none` entry. */
  noneWhenAbsent?: boolean;
  perAttempt?: boolean;
  /** axios reads strings with `parseInt(value, 10)`: `"30s"` is 30 ms (facts §12, P11). */
  stringParsedAsInt?: boolean;
  /** A written `0` falls back to the default (Mistral's logical-OR default, facts §13, P22). */
  zeroMeansDefault?: boolean;
}

/** Options at one level: call arguments, the client instance, or library-wide defaults. */
export interface OptionLayer {
  options: TsValue | undefined;
  level: NonNullable<TsTimeout['level']>;
  /** Single options assigned after creation (`instance.defaults.timeout = n`), which win over `options`. */
  overrides?: Map<string, TsProperty>;
}

export interface LayeredResult {
  timeouts: TsTimeout[];
  ignored: TsIgnoredOption[];
  /** True when some option could not be read at some level. */
  unknown: boolean;
}

export const UNDICI_DISPATCHER_SPECS: OptionSpec[] = [
  { option: 'headersTimeout', kind: 'time-to-headers', factsRef: '§12', defaultMs: 300_000, zeroDisables: true },
  { option: 'bodyTimeout', kind: 'idle', factsRef: '§12', defaultMs: 300_000, zeroDisables: true },
  { option: 'connectTimeout', kind: 'connect', factsRef: '§12', defaultMs: 10_000, zeroDisables: true },
  { option: 'connect.timeout', kind: 'connect', factsRef: '§12', zeroDisables: true },
  { option: 'keepAliveTimeout', kind: 'keepalive', factsRef: '§12', defaultMs: 4_000 },
];

/** Resolves every spec through the layers, first layer first. */
export function layeredTimeouts(specs: readonly OptionSpec[], layers: readonly OptionLayer[]): LayeredResult {
  const result: LayeredResult = { timeouts: [], ignored: [], unknown: false };
  for (const spec of specs) {
    let decided = false;
    for (const layer of layers) {
      const found = lookupLayer(layer, spec.option);
      if (found.state === 'absent') continue;
      decided = true;
      if (found.state === 'unknown') result.unknown = true;
      else result.timeouts.push(timeoutOf(spec, found.property, layer.level, result.ignored));
      break;
    }
    if (decided) continue;
    if (spec.defaultMs !== undefined) result.timeouts.push({ kind: spec.kind, option: spec.option, source: 'default', ms: spec.defaultMs, factsRef: spec.factsRef, ...(spec.perAttempt ? { perAttempt: true } : {}) });
    else if (spec.noneWhenAbsent) result.timeouts.push({ kind: spec.kind, option: spec.option, source: 'none', factsRef: spec.factsRef });
  }
  return result;
}

/** A retry count through the layers; `defaultCount` undefined means the library does not retry by default. */
export function layeredRetries(option: string, layers: readonly OptionLayer[], defaultCount: number | undefined, factsRef: string): TsRetries | undefined {
  for (const layer of layers) {
    const found = lookupLayer(layer, option);
    if (found.state === 'absent') continue;
    if (found.state === 'unknown') return undefined;
    const value = found.property.value;
    const retries: TsRetries = { source: 'set', value, span: found.property.span, factsRef };
    if (value.kind === 'number') retries.count = value.value;
    else if (value.kind === 'object') {
      // got and ky: `retry: { limit: n }`.
      const limit = lookupOption(value, 'limit');
      if (limit.state === 'present' && limit.property.value.kind === 'number') retries.count = limit.property.value.value;
    }
    return retries;
  }
  return defaultCount === undefined ? { source: 'none', count: 0, factsRef } : { source: 'default', count: defaultCount, factsRef };
}

/** Looks up a dotted option path in one layer. */
export function lookupLayer(layer: OptionLayer, path: string): OptionLookup {
  const override = layer.overrides?.get(path);
  if (override) return { state: 'present', property: override };
  let current: TsValue | undefined = layer.options;
  const parts = path.split('.');
  for (let i = 0; i < parts.length; i++) {
    const found = lookupOption(current, parts[i]!);
    if (found.state !== 'present' || i === parts.length - 1) return found;
    current = found.property.value;
    // A number where an object of sub-options belongs (`timeout: 5000` for got): no sub-option is set there.
    // An environment choice may be between imported objects: not known, never absent.
    if (current.kind !== 'object' && current.kind !== 'unknown' && current.kind !== 'import' && current.kind !== 'env-choice') return { state: 'absent' };
  }
  return { state: 'absent' };
}

function timeoutOf(spec: OptionSpec, property: TsProperty, level: NonNullable<TsTimeout['level']>, ignored: TsIgnoredOption[]): TsTimeout {
  const timeout = writtenTimeout(property, spec.kind, spec.option, level, spec.factsRef, { zeroDisables: !!spec.zeroDisables, scale: spec.scale ?? 1 });
  if (spec.perAttempt) timeout.perAttempt = true;
  const value = property.value;
  if (value.kind === 'string' && spec.stringParsedAsInt) {
    const parsed = parseInt(value.value, 10);
    const entry: TsIgnoredOption = { option: spec.option, value, span: property.span, reason: 'string-parsed-as-int' };
    if (!Number.isNaN(parsed)) {
      entry.effectiveMs = parsed;
      timeout.ms = parsed;
    }
    ignored.push(entry);
  }
  if (value.kind === 'boolean' && value.value === false && spec.falseDisables) timeout.disabled = true;
  if (spec.zeroMeansDefault && timeout.ms === 0 && spec.defaultMs !== undefined) timeout.ms = spec.defaultMs;
  return timeout;
}
