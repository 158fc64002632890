// Resolves code values inside a chain: imported constants, and `process.env.X` from the container the code runs in.
import { resolveImportedValue } from './resolve.js';
import type { TsFileFacts, TsTimeout, TsValue } from './types.js';
import type { FileId, Span } from '../../types.js';
import type { HopTimeout } from '../../chain/chain-types.js';
import type { EnvContext } from '../../chain/environment.js';


export type TsLookup = ReadonlyMap<FileId, TsFileFacts>;

/** A number in milliseconds from a code value, following imports and the environment. */
export interface ResolvedNumber {
  value?: number;
  text: string;
  source: 'set' | 'env';
  env?: HopTimeout['env'];
  span: Span;
}

const MAX_DEPTH = 8;

export function resolveTsNumber(value: TsValue, file: FileId, lookup: TsLookup, env: EnvContext, depth = 0): ResolvedNumber | undefined {
  if (depth > MAX_DEPTH) return undefined;
  switch (value.kind) {
    case 'number':
      return { value: value.value, text: value.text, source: 'set', span: value.span };
    case 'import': {
      // An imported value read in another module (a client's options) resolves from the module that wrote it.
      const resolved = resolveImportedValue(lookup, value.span.file || file, value);
      if (resolved.kind === 'unknown') return { text: 'unknown', source: 'set', span: value.span };
      return resolveTsNumber(resolved, resolved.span.file || file, lookup, env, depth + 1);
    }
    case 'env': {
      const binding = env.get(value.name);
      const scale = (n: number) => n * (value.multiplier ?? 1);
      if (binding && !binding.unknown && binding.text !== undefined && binding.text.trim() !== '') {
        const parsed = Number(binding.text.trim());
        const out: ResolvedNumber = {
          text: binding.text,
          source: 'env',
          span: value.span,
          env: { name: value.name, declaredAt: binding.declaredAt, fallback: false, ...(binding.valueSpan ? { valueSpan: binding.valueSpan } : {}) },
        };
        if (Number.isFinite(parsed)) out.value = scale(parsed);
        return out;
      }
      if (binding) return { text: `$${value.name}`, source: 'env', span: value.span, env: { name: value.name, declaredAt: binding.declaredAt, fallback: false } };
      // Not set by the runtime: the code's `??`/`||` default applies.
      if (!value.default) return { text: `$${value.name}`, source: 'env', span: value.span, env: { name: value.name, fallback: true } };
      const fallback = resolveTsNumber(value.default, file, lookup, env, depth + 1);
      if (!fallback) return undefined;
      const out: ResolvedNumber = { text: fallback.text, source: 'env', span: value.span, env: { name: value.name, fallback: true, valueSpan: fallback.span } };
      if (fallback.value !== undefined) out.value = scale(fallback.value);
      return out;
    }
    case 'env-choice': {
      const binding = env.get(value.name);
      const unknown: ResolvedNumber = { text: 'unknown', source: 'set', span: value.span };
      if (binding && (binding.unknown || binding.text === undefined)) return unknown;
      let matches: boolean;
      let why: string;
      if (binding) {
        matches = binding.text!.trim() === value.equals;
        why = `$${value.name} is ${JSON.stringify(binding.text!.trim())}`;
      } else if (value.name === 'NODE_ENV' && value.equals === 'test') {
        // Test runners set NODE_ENV=test (Jest does when it is unset); a deployment that sets nothing is not one.
        matches = false;
        why = `$NODE_ENV is not set where this runs (test runners set it to "test")`;
      } else {
        // Which branch runs depends on a variable the deployment sets outside the workspace.
        return unknown;
      }
      const branch = matches !== value.negated ? value.then : value.else;
      const resolved = resolveTsNumber(branch, branch.span.file || file, lookup, env, depth + 1);
      if (!resolved || resolved.value === undefined || resolved.source === 'env') return resolved;
      const test = value.test;
      const evidence: NonNullable<ResolvedNumber['env']> = { name: value.name, fallback: !binding, valueSpan: resolved.span, choice: `${why}, so ${test} picks ${resolved.text}` };
      if (binding) evidence.declaredAt = binding.declaredAt;
      return { ...resolved, source: 'env', env: evidence };
    }
    case 'string': {
      const parsed = Number(value.value);
      return Number.isFinite(parsed) && value.value.trim() !== '' ? { value: parsed, text: JSON.stringify(value.value), source: 'set', span: value.span } : undefined;
    }
    default:
      return { text: 'unknown', source: 'set', span: value.span };
  }
}

/** A code timeout as a hop timeout: defaults keep their facts reference; written values are resolved in the chain's environment. */
export function resolveTsTimeout(timeout: TsTimeout, file: FileId, lookup: TsLookup, env: EnvContext): HopTimeout | undefined {
  const base: HopTimeout = { kind: timeout.kind, knob: timeout.option, text: '', source: 'default', factsRef: timeout.factsRef };
  if (timeout.perAttempt) base.perAttempt = true;
  if (timeout.disabled) base.disabled = true;
  if (timeout.mayNotApply) base.mayNotApply = timeout.mayNotApply;
  if (timeout.source === 'none') return undefined;
  if (timeout.source === 'default') {
    if (timeout.ms !== undefined) return { ...base, ms: timeout.ms, text: `${timeout.ms} ms` };
    if (timeout.versionDependentMs) return { ...base, text: Object.entries(timeout.versionDependentMs).map(([range, ms]) => `${ms} ms on Node ${range}`).join(', '), candidates: timeout.versionDependentMs };
    return { ...base, text: timeout.disabled ? 'none' : 'default' };
  }
  const set: HopTimeout = { ...base, source: 'set', ...(timeout.span ? { span: timeout.span } : {}) };
  if (timeout.value) set.tsValue = timeout.value;
  if (timeout.ms !== undefined && (!timeout.value || timeout.value.kind === 'number')) {
    return { ...set, ms: timeout.ms, text: timeout.value?.kind === 'number' ? timeout.value.text : `${timeout.ms}`, ...(timeout.value ? { span: timeout.value.span } : {}) };
  }
  if (!timeout.value) return { ...set, text: 'unknown' };
  const resolved = resolveTsNumber(timeout.value, file, lookup, env);
  if (!resolved) return { ...set, text: 'unknown' };
  const out: HopTimeout = { ...set, text: resolved.text, source: resolved.source, span: resolved.span };
  if (resolved.env) out.env = resolved.env;
  if (resolved.value !== undefined) out.ms = resolved.value;
  return out;
}
