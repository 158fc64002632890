// Durations and counts read from manifests, each in the dialect of the field that holds it, with spans and effective values.
import type { Node } from 'yaml';
import type { ScalarFact, YamlView } from '../../yaml/view.js';
import type { Span } from '../../types.js';
import { parseGatewayApiDuration, parseGoDuration, parseIntegerSeconds, parseNginxTime, type DurationResult } from '../../units.js';

/**
 * How a duration is spelled where it was found. Each has its own parser, because the same text
 * means different things in different places: `"300"` is 300 s for ingress-nginx and 300 ms for Kong.
 */
export type K8sDurationDialect =
  /** ingress-nginx annotation or ConfigMap value: Go `strconv.Atoi` on a string, seconds (facts §2.1). */
  | 'ingress-nginx-seconds'
  /** NGINX Inc `nginx.org/*` annotation: nginx time syntax (facts §3). */
  | 'nginx-time'
  /** Kong `konghq.com/*` annotation: integer milliseconds as a string (facts §8). */
  | 'kong-milliseconds'
  /** AWS load balancer annotation or attribute: integer seconds in a string (facts §9). */
  | 'aws-seconds'
  /** A Kubernetes integer field in seconds (`timeoutSeconds`, `terminationGracePeriodSeconds`, `timeoutSec`): a YAML int (facts §10). */
  | 'k8s-int-seconds'
  /** Istio duration, Go style (facts §5). */
  | 'istio-duration'
  /** Gateway API duration, GEP-2257 (facts §6.1). */
  | 'gateway-api-duration'
  /** Contour duration: Go style or `infinity` (facts §6.3). */
  | 'contour-duration'
  /** The argument of `sleep` in a preStop command (coreutils: number with optional s/m/h/d suffix). */
  | 'shell-sleep';

/** A duration as written in a manifest. Exactly one of `ms`, `invalid`, `unresolved`, `infinite` describes its value. */
export interface K8sDuration {
  /** The value as written (quotes removed). */
  text: string;
  /** Milliseconds, when the owner of the field accepts the value. */
  ms?: number;
  /** Why the owner of the field rejects or ignores the value (the parser's reason code). */
  invalid?: string;
  /** True when the value is a template expression: unknown, never a default. */
  unresolved?: boolean;
  /** True for Contour's `infinity`. */
  infinite?: boolean;
  /** The token that holds the value (quotes included), or the part of it that holds the number. */
  span: Span;
  dialect: K8sDurationDialect;
}

/** An integer as written (retries, tries, thresholds, ports). */
export interface K8sInteger {
  text: string;
  value?: number;
  invalid?: string;
  unresolved?: boolean;
  span: Span;
}

/** A duration as the platform uses it: the written value, or the documented default when the field is absent. */
export interface EffectiveDuration {
  /** The written value; absent when the default applies. */
  written?: K8sDuration;
  /** Milliseconds in effect; undefined when unknown (invalid, unresolved) or when no timeout applies. */
  ms?: number;
  /** True when no timeout applies at all (Istio's absent route timeout, Contour's `infinity`, a `0` that disables). */
  disabled?: boolean;
  source: 'set' | 'default';
  /** Section of reference/timeout-facts.md that gives the default or the semantics. */
  factsRef: string;
}

/** A count as the platform uses it, with provenance like {@link EffectiveDuration}. */
export interface EffectiveCount {
  written?: K8sInteger;
  value?: number;
  source: 'set' | 'default';
  factsRef: string;
}

/** Reads the duration at `node` in `dialect`; undefined when the field is absent or null. */
export function readDuration(view: YamlView, node: Node | undefined, dialect: K8sDurationDialect): K8sDuration | undefined {
  if (!node) return undefined;
  const scalar = view.scalar(node);
  if (!scalar) {
    // A mapping or list where a duration belongs: the API server rejects the object.
    return view.asMap(node) || view.asSeq(node) ? { text: '', invalid: 'not-a-scalar', span: view.span(node), dialect } : undefined;
  }
  return durationFromScalar(scalar, dialect);
}

/** Parses a scalar's text in `dialect`. */
export function durationFromScalar(scalar: ScalarFact, dialect: K8sDurationDialect, span: Span = scalar.span): K8sDuration {
  const base: K8sDuration = { text: scalar.text, span, dialect };
  if (scalar.unresolved) return { ...base, unresolved: true };
  if (dialect === 'k8s-int-seconds' && scalar.yamlType !== 'int') {
    // An int32 field given a string (`"5"`) or a float fails to decode, so the object is rejected.
    return { ...base, invalid: scalar.yamlType === 'string' ? 'not-an-integer' : `yaml-${scalar.yamlType}` };
  }
  return { ...base, ...parseDurationText(scalar.text, dialect) };
}

/** Parses duration text in `dialect` (no template or YAML-type checks). */
export function parseDurationText(text: string, dialect: K8sDurationDialect): Pick<K8sDuration, 'ms' | 'invalid' | 'infinite'> {
  switch (dialect) {
    case 'ingress-nginx-seconds':
    case 'aws-seconds':
      return fromResult(parseIntegerSeconds(text));
    case 'k8s-int-seconds':
      return fromResult(parseYamlIntSeconds(text));
    case 'nginx-time':
      return fromResult(parseNginxTime(text, 'ms'));
    case 'kong-milliseconds':
      return parseKongMilliseconds(text);
    case 'istio-duration':
      return fromResult(parseGoDuration(text));
    case 'gateway-api-duration':
      return fromResult(parseGatewayApiDuration(text));
    case 'contour-duration':
      return text === 'infinity' ? { infinite: true } : fromResult(parseGoDuration(text));
    case 'shell-sleep':
      return parseSleepArgument(text);
  }
}

/**
 * Kong timeout annotations (facts §8): integer milliseconds read with `strconv.Atoi`; the Kong
 * Service entity accepts 1 … 2^31−2.
 */
export function parseKongMilliseconds(text: string): Pick<K8sDuration, 'ms' | 'invalid'> {
  const seconds = parseIntegerSeconds(text);
  if (!seconds.ok) return { invalid: seconds.reason };
  const ms = seconds.ms / 1000;
  if (ms < 1 || ms > 2 ** 31 - 2) return { ms, invalid: 'out-of-range' };
  return { ms };
}

/** `sleep N` as coreutils reads it: a decimal number with an optional `s`, `m`, `h` or `d` suffix. */
export function parseSleepArgument(text: string): Pick<K8sDuration, 'ms' | 'invalid'> {
  const match = /^(\d+(?:\.\d+)?|\.\d+)([smhd]?)$/.exec(text);
  if (!match) return { invalid: 'syntax' };
  const unitMs = { '': 1000, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[match[2] as '' | 's' | 'm' | 'h' | 'd'];
  return { ms: Math.round(Number(match[1]) * unitMs) };
}

/** Reads an integer field. `yaml-int` fields need a YAML int; `atoi-string` values are strings parsed like Go's `strconv.Atoi`. */
export function readInteger(view: YamlView, node: Node | undefined, mode: 'yaml-int' | 'atoi-string'): K8sInteger | undefined {
  if (!node) return undefined;
  const scalar = view.scalar(node);
  if (!scalar) return view.asMap(node) || view.asSeq(node) ? { text: '', invalid: 'not-a-scalar', span: view.span(node) } : undefined;
  return integerFromScalar(scalar, mode);
}

export function integerFromScalar(scalar: ScalarFact, mode: 'yaml-int' | 'atoi-string', span: Span = scalar.span): K8sInteger {
  const base: K8sInteger = { text: scalar.text, span };
  if (scalar.unresolved) return { ...base, unresolved: true };
  if (mode === 'yaml-int' && scalar.yamlType !== 'int') return { ...base, invalid: scalar.yamlType === 'string' ? 'not-an-integer' : `yaml-${scalar.yamlType}` };
  const value = mode === 'yaml-int' ? yamlIntValue(scalar.text) : atoi(scalar.text);
  return value === undefined ? { ...base, invalid: 'syntax' } : { ...base, value };
}

/** The effective duration: the written value when present, else the documented default. */
export function effectiveDuration(
  written: K8sDuration | undefined,
  fallback: { ms?: number; disabled?: boolean },
  factsRef: string,
  zero: 'value' | 'disables' | 'unset' = 'value',
): EffectiveDuration {
  if (!written) {
    const out: EffectiveDuration = { source: 'default', factsRef };
    if (fallback.ms !== undefined) out.ms = fallback.ms;
    if (fallback.disabled) out.disabled = true;
    return out;
  }
  const out: EffectiveDuration = { written, source: 'set', factsRef };
  if (zero === 'unset' && written.ms === 0 && written.invalid === undefined) {
    // Contour reads `0s` as "not set" (facts §6.3): the default applies though a value is written.
    if (fallback.ms !== undefined) out.ms = fallback.ms;
    if (fallback.disabled) out.disabled = true;
    return out;
  }
  if (written.infinite || (zero === 'disables' && written.ms === 0)) out.disabled = true;
  else if (written.ms !== undefined && written.invalid === undefined) out.ms = written.ms;
  return out;
}

export function effectiveCount(written: K8sInteger | undefined, fallback: number | undefined, factsRef: string): EffectiveCount {
  if (!written) return fallback === undefined ? { source: 'default', factsRef } : { value: fallback, source: 'default', factsRef };
  const out: EffectiveCount = { written, source: 'set', factsRef };
  if (written.value !== undefined && written.invalid === undefined) out.value = written.value;
  return out;
}

function fromResult(result: DurationResult<string>): Pick<K8sDuration, 'ms' | 'invalid'> {
  return result.ok ? { ms: result.ms } : { invalid: result.reason };
}

/** A YAML int (decimal, `0x`, `0o`/`0` octal, `0b`, `_` separators) counted as seconds. */
function parseYamlIntSeconds(text: string): DurationResult<string> {
  const value = yamlIntValue(text);
  return value === undefined ? { ok: false, reason: 'not-an-integer', offset: 0 } : { ok: true, ms: value * 1000 };
}

function yamlIntValue(text: string): number | undefined {
  const match = /^([-+]?)(0b[01_]+|0o[0-7_]+|0x[0-9a-fA-F_]+|0[0-7_]+|[0-9][0-9_]*)$/.exec(text);
  if (!match) return undefined;
  const digits = match[2]!.replace(/_/g, '');
  let value: number;
  if (/^0[box]/.test(digits)) value = Number(digits);
  else if (digits.length > 1 && digits.startsWith('0')) value = parseInt(digits, 8);
  else value = Number(digits);
  if (!Number.isSafeInteger(value)) return undefined;
  return match[1] === '-' ? -value : value;
}

function atoi(text: string): number | undefined {
  if (!/^[+-]?[0-9]+$/.test(text)) return undefined;
  const value = Number(text);
  return Number.isSafeInteger(value) ? value : undefined;
}
