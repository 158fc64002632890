// Effective timeouts of a database client from its options object, its connection string and its defaults, each with provenance.
import { lookupLayer } from '../options.js';
import type { Span } from '../../../types.js';
import type { TsValue } from '../types.js';
import { maskCredentials, postgresDurationMs, urlParameters } from './connection-string.js';
import type { DbKnob } from './specs.js';
import type { DbTimeout } from './types.js';

const FACTS_REF = '§17';

/** A connection string as far as it is known where the client is made (or where a chain resolves its environment). */
export interface ConnectionString {
  /** The text, when known; `${…}` stands for parts that are not. */
  text?: string;
  /** Where its first character sits in the file, when the text is a plain string literal (for parameter spans). */
  textStart?: number;
  /** The literal (or the env value) that holds it. */
  span?: Span;
  /** The variable it comes from, when the environment gives it and its value is not known here. */
  env?: string;
  /** The code's `??`/`||` default for `env`. */
  fallback?: string;
  /** True when something is passed that cannot be read. */
  unknown?: boolean;
  /** Where an env value comes from, set by the chain: `env` for a container's env entry. */
  source?: 'set' | 'env';
}

/** Every knob's effective value: the options object first, then the connection string, then the client's default. */
export function effectiveTimeouts(knobs: readonly DbKnob[], options: TsValue | undefined, url: ConnectionString | undefined): DbTimeout[] {
  const parameters = url?.text !== undefined ? urlParameters(url.text) : [];
  const out: DbTimeout[] = [];
  for (const knob of knobs) {
    const option = knob.option ? readOption(knob, options) : undefined;
    if (option && option !== 'absent') {
      out.push(option);
      continue;
    }
    const parameter = knob.urlParameter ? parameters.filter((p) => p.name === knob.urlParameter).at(-1) : undefined;
    if (parameter) {
      const timeout = fromText(knob, parameter.text, url?.source === 'env' ? 'env' : 'set', 'url');
      timeout.text = maskCredentials(parameter.text);
      const span = url?.textStart !== undefined && url.span ? { file: url.span.file, start: url.textStart + parameter.offset, end: url.textStart + parameter.offset + parameter.length } : url?.span;
      if (span) timeout.span = span;
      if (url?.env) timeout.envName = url.env;
      out.push(timeout);
      continue;
    }
    // Unreadable options, or a connection string whose parameters come from the environment: not "none".
    const urlUnknown = knob.urlParameter !== undefined && (url?.unknown === true || (url?.env !== undefined && url.text === undefined) || url?.text?.includes('${…}') === true);
    if (option === undefined || urlUnknown) {
      out.push({ role: knob.role, option: knob.option ?? knob.urlParameter!, source: url?.env && urlUnknown ? 'env' : 'unknown', text: 'unknown', factsRef: FACTS_REF, ...(url?.env && urlUnknown ? { envName: url.env } : {}), ...(knob.clientOnly ? { clientOnly: true } : {}) });
      continue;
    }
    out.push(defaultOf(knob));
  }
  return out;
}

/** The knob's value when nothing sets it. */
export function defaultOf(knob: DbKnob): DbTimeout {
  const base = { role: knob.role, option: knob.option ?? knob.urlParameter!, factsRef: FACTS_REF, ...(knob.clientOnly ? { clientOnly: true } : {}) };
  if (knob.defaultMs !== undefined) return { ...base, source: 'default', ms: knob.defaultMs, text: `${knob.defaultMs} ms` };
  if (knob.noneByDefault) return { ...base, source: 'none', text: 'none' };
  return { ...base, source: 'unknown', text: 'unknown default' };
}

/** `absent` when the options (read completely) do not set it; undefined when they cannot be read. */
function readOption(knob: DbKnob, options: TsValue | undefined): DbTimeout | 'absent' | undefined {
  if (!options) return 'absent';
  const found = lookupLayer({ options, level: 'instance' }, knob.option!);
  if (found.state === 'absent') return 'absent';
  if (found.state === 'unknown') return undefined;
  const value = found.property.value;
  const base = { role: knob.role, option: knob.option!, via: 'options' as const, span: found.property.span, factsRef: FACTS_REF, ...(knob.clientOnly ? { clientOnly: true } : {}) };
  if (value.kind === 'number') return withMs(knob, { ...base, source: 'set', text: value.text }, value.value * (knob.scale ?? 1));
  if (value.kind === 'string') return fromText(knob, value.value, 'set', 'options', base.span);
  if (value.kind === 'env') return { ...base, source: 'env', text: `$${value.name}`, envName: value.name };
  return { ...base, source: 'unknown', text: 'unknown' };
}

function fromText(knob: DbKnob, text: string, source: 'set' | 'env', via: 'options' | 'url', span?: Span): DbTimeout {
  const base: DbTimeout = { role: knob.role, option: knob.option && via === 'options' ? knob.option : knob.urlParameter ?? knob.option!, source, text, via, factsRef: FACTS_REF, ...(span ? { span } : {}), ...(knob.clientOnly ? { clientOnly: true } : {}) };
  const number = knob.postgresUnits ? postgresDurationMs(text) : /^\s*\d+(?:\.\d+)?\s*$/.test(text) ? Number(text) * (knob.scale ?? 1) : undefined;
  return number === undefined ? { ...base, source: 'unknown' } : withMs(knob, base, number);
}

function withMs(knob: DbKnob, timeout: DbTimeout, ms: number): DbTimeout {
  if (knob.zeroDisables && ms === 0) return { ...timeout, disabled: true };
  return { ...timeout, ms };
}
