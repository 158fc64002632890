// Helm's own template functions (include, tpl, required, fail, toYaml, fromYaml, toJson, fromJson) and the ones whose result cannot be known offline (lookup, time, randomness).
import { toJson, toPrettyJson, toYaml } from './encode.js';
import type { CallContext, Ev, FunctionDef, TemplateEntry, TemplateLookup } from './render-types.js';
import { parseTemplate, type ParseResult } from './parser.js';
import { EvalError, Unresolved, type GoMap, type Value } from './values.js';
import { parseYamlValue } from './values-file.js';

/** Functions whose value depends on the cluster, the clock or randomness: always unresolved, never invented. */
const UNKNOWABLE: Record<string, string> = {
  lookup: 'reads live cluster state',
  now: 'reads the clock',
  date: 'formats a time',
  dateInZone: 'formats a time',
  date_in_zone: 'formats a time',
  dateModify: 'computes a time',
  unixEpoch: 'formats a time',
  ago: 'reads the clock',
  htmlDate: 'formats a time',
  toDate: 'parses a time',
  randAlphaNum: 'is random',
  randAlpha: 'is random',
  randNumeric: 'is random',
  randAscii: 'is random',
  randBytes: 'is random',
  randInt: 'is random',
  shuffle: 'is random',
  uuidv4: 'is random',
  genPrivateKey: 'generates a key',
  genCA: 'generates a certificate',
  genCAWithKey: 'generates a certificate',
  genSelfSignedCert: 'generates a certificate',
  genSelfSignedCertWithKey: 'generates a certificate',
  genSignedCert: 'generates a certificate',
  genSignedCertWithKey: 'generates a certificate',
  derivePassword: 'derives a secret',
  htpasswd: 'hashes with a random salt',
  bcrypt: 'hashes with a random salt',
  encryptAES: 'encrypts with a random IV',
  getHostByName: 'resolves DNS',
};

function unknowable(name: string, why: string): FunctionDef {
  // An unresolved argument's reason comes first (`now | date` is unknown because of now).
  return { params: [], variadic: 'any', call: () => new Unresolved(`${name} ${why}`) };
}

function fromStructured(text: string, wantList: boolean, name: string): Value {
  const parsed = parseYamlValue(text);
  const errorMap = (message: string): Value => (wantList ? [message] : new Map([['Error', message]]));
  if (!parsed.ok) return errorMap(parsed.error);
  const value = parsed.value;
  if (wantList) return Array.isArray(value) ? value : value === null ? [] : errorMap(`error unmarshaling JSON: json: cannot unmarshal into Go value of type []interface {} (${name})`);
  return value instanceof Map ? value : value === null ? new Map() : errorMap(`error unmarshaling JSON: json: cannot unmarshal into Go value of type map[string]interface {} (${name})`);
}

/**
 * Helm's toYaml/toJson swallow encoding errors and print nothing (NaN, a value that contains itself);
 * the must* variants fail. A value nested past this engine's own depth bound is unknown, not empty.
 */
function swallowed(encode: () => string): Value {
  try {
    return encode();
  } catch (error) {
    if (error instanceof EvalError && /nests deeper/.test(error.reason)) return new Unresolved(error.reason);
    if (error instanceof EvalError) return '';
    throw error;
  }
}

/** Helm's toRawJson: JSON without Go's HTML escaping. */
function rawJson(json: string): string {
  return json.replace(/\\u003c/g, '<').replace(/\\u003e/g, '>').replace(/\\u0026/g, '&');
}

function include(ctx: CallContext, name: string, data: Ev): Value {
  const entry = ctx.exec.templates.get(name);
  const unknown = entry ? undefined : ctx.exec.templates.unknownReason?.(name);
  // What an unknown template prints is the unresolved text, so that `include … | nindent 4` still
  // puts it on a line of its own, where the template author meant its output to go.
  if (unknown !== undefined) return new Unresolved(unknown, ctx.exec.unresolvedText);
  if (!entry) throw new EvalError(`error calling include: template: no template ${JSON.stringify(name)} associated with template "gotpl"`);
  return ctx.exec.capture(entry, data);
}

/** A lookup that sees a tpl string's own defines before the chart's. */
function overlay(base: TemplateLookup, defines: Map<string, TemplateEntry>): TemplateLookup {
  return { get: (name) => defines.get(name) ?? base.get(name), unknownReason: (name) => base.unknownReason?.(name) };
}

function tpl(ctx: CallContext, text: string, data: Ev): Value {
  const exec = ctx.exec;
  let parsed = exec.tplCache.get(text) as ParseResult | undefined;
  if (!parsed) {
    parsed = parseTemplate(`${exec.file} (tpl)`, text);
    if (exec.tplCache.size < 1000) exec.tplCache.set(text, parsed);
  }
  if (!parsed.ok) throw new EvalError(`error calling tpl: error during tpl function execution for ${JSON.stringify(text)}: parse error at offset ${parsed.offset}: ${parsed.reason}`);
  const file = `${exec.file} (tpl)`;
  const defines = new Map([...parsed.template.defines].map(([name, body]) => [name, { file, body }]));
  const saved = exec.templates;
  exec.templates = overlay(saved, defines);
  try {
    return exec.capture({ file, body: parsed.template.body }, data);
  } finally {
    exec.templates = saved;
  }
}

export const helmFunctions: [string, FunctionDef][] = [
  ['include', { params: ['string', 'any'], acceptsUnresolved: true, call: ([name, data], ctx) => (name!.v instanceof Unresolved ? name! : include(ctx, name!.v as string, data!)) }],
  ['tpl', { params: ['string', 'any'], acceptsUnresolved: true, pathFrom: 0, call: ([text, data], ctx) => (text!.v instanceof Unresolved ? text! : tpl(ctx, text!.v as string, data!)) }],
  [
    'required',
    {
      params: ['string', 'any'],
      acceptsUnresolved: true,
      pathFrom: 'last',
      call: ([message, value], ctx) => {
        if (value!.v instanceof Unresolved) return value!;
        if (value!.v === null || value!.v === '') ctx.exec.fail(typeof message!.v === 'string' ? message!.v : 'a required value is missing', 'required');
        return value!;
      },
    },
  ],
  ['fail', { params: ['string'], call: ([message], ctx) => ctx.exec.fail(message!.v as string, 'fail') }],
  ['toYaml', { params: ['any'], deep: true, pathFrom: 'last', call: ([v]) => swallowed(() => toYaml(v!.v)) }],
  ['mustToYaml', { params: ['any'], deep: true, pathFrom: 'last', call: ([v]) => toYaml(v!.v) }],
  ['toJson', { params: ['any'], deep: true, pathFrom: 'last', call: ([v]) => swallowed(() => toJson(v!.v)) }],
  ['mustToJson', { params: ['any'], deep: true, pathFrom: 'last', call: ([v]) => toJson(v!.v) }],
  ['toRawJson', { params: ['any'], deep: true, pathFrom: 'last', call: ([v]) => swallowed(() => rawJson(toJson(v!.v))) }],
  ['mustToRawJson', { params: ['any'], deep: true, pathFrom: 'last', call: ([v]) => rawJson(toJson(v!.v)) }],
  ['toPrettyJson', { params: ['any'], deep: true, pathFrom: 'last', call: ([v]) => swallowed(() => toPrettyJson(v!.v)) }],
  ['mustToPrettyJson', { params: ['any'], deep: true, pathFrom: 'last', call: ([v]) => toPrettyJson(v!.v) }],
  ['fromYaml', { params: ['string'], call: ([s]) => fromStructured(s!.v as string, false, 'fromYaml') }],
  ['fromYamlArray', { params: ['string'], call: ([s]) => fromStructured(s!.v as string, true, 'fromYamlArray') }],
  ['fromJson', { params: ['string'], call: ([s]) => fromStructured(s!.v as string, false, 'fromJson') }],
  ['fromJsonArray', { params: ['string'], call: ([s]) => fromStructured(s!.v as string, true, 'fromJsonArray') }],
  ...Object.entries(UNKNOWABLE).map(([name, why]): [string, FunctionDef] => [name, unknowable(name, why)]),
];

export type { GoMap };
