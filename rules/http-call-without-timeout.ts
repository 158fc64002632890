// Reports outbound HTTP calls on a library with no default timeout (fetch, axios, got, node:http, superagent) where none is set.
import { defineRule, type Fix, type Related, type SeverityOrOff, type Span, type TextEdit, type WorkspaceModel } from '../server/src/engine/rule-api.js';
import { callRuntimeOf, testCodeEvidence, type TsHttpLibrary, type TsOutboundCall, type TsTimeout } from '../server/src/engine/inputs/ts/api.js';
import { placeOf, urlHost } from './util/places.js';
import { addPropertyEdit, appendArgumentEdit, callShape, formatMs, objectAt, showMs, type CallArgument, type CallShape } from './util/ts-edits.js';
import { scriptEvidenceOf } from './util/script-importers.js';

interface Options {
  fixTimeoutMs: number;
  /** The severity of calls in code that runs in a browser (ts-runtime.ts decides), or `off` to leave them out. */
  browser: SeverityOrOff;
  /** The severity of calls in test code (`*.test.ts`, `e2e/`, …), or `off` to leave them out. */
  tests: SeverityOrOff;
  /** The severity of calls in scripts (a file under `scripts/`), or `off` to leave them out. */
  scripts: SeverityOrOff;
}

/** HTTP libraries whose calls can have no timeout at all (timeout-facts.md §12); ky has a 10 s default and LLM SDKs have their own. */
const CHECKED: ReadonlySet<string> = new Set<TsHttpLibrary>(['fetch', 'node-fetch', 'undici', 'axios', 'got', 'node-http', 'superagent']);
const FETCH: ReadonlySet<string> = new Set(['fetch', 'node-fetch', 'undici']);
const AXIOS_BODYLESS = new Set(['get', 'delete', 'head', 'options']);
const AXIOS_WITH_BODY = new Set(['post', 'put', 'patch', 'postForm', 'putForm', 'patchForm']);

export default defineRule<Options>({
  id: 'http-call-without-timeout',
  description: 'An outbound HTTP call must have a timeout when its library sets none by default.',
  defaultSeverity: 'warning',
  fixable: 'sometimes',
  inputs: ['ts'],
  options: {
    schema: {
      type: 'object',
      additionalProperties: false,
      properties: {
        fixTimeoutMs: { type: 'integer', minimum: 1, description: 'The timeout in milliseconds that the fix writes (AbortSignal.timeout for fetch and node:http, `timeout` for axios, `timeout.request` for got, `.timeout({ response, deadline })` for superagent).' },
        browser: { enum: ['off', 'info', 'warning', 'error'], description: 'The severity of calls in code that runs in a browser (a `\'use client\'` file, a front-end package, a service worker: see the rule\'s docs for the evidence), or `off` to leave them out. Calls on a server, or where the runtime is unknown, keep the rule\'s severity.' },
        tests: { enum: ['off', 'info', 'warning', 'error'], description: 'The severity of calls in test code (a file named `*.test.*`, `*.spec.*`, `*.e2e.*`, `*.e2e-spec.*` or `*.cy.*`, or under `__tests__/`, `__mocks__/`, `e2e/`, `test/`, `tests/`, `cypress/` or `playwright/`), or `off` to leave them out.' },
        scripts: { enum: ['off', 'info', 'warning', 'error'], description: 'The severity of calls in scripts (a file under a `scripts/` or `script/` folder that is neither test code nor browser code: what a developer or a job runs from a command line), or `off` to leave them out.' },
      },
    },
    defaults: { fixTimeoutMs: 30_000, browser: 'info', tests: 'info', scripts: 'info' },
  },
  messages: {
    fetchUndiciDefaults: '`{callee}`{targetHost}: no `signal`, only undici\'s {headersTimeout}/{bodyTimeout} limits. Nothing bounds the whole call{target}: undici waits {headersTimeout} for the response headers and {bodyTimeout} between body chunks.',
    noTimeout: '`{callee}`{targetHost} has no timeout, and {library} sets none by default. The call{target} waits for as long as the server keeps the connection open.',
    disabledExplicitly: '`{callee}`{targetHost}: `{setting}` switches its timeout off. {library} reads 0 as "no timeout", not as "use the default" ({place}), so the call{target} waits for as long as the server keeps the connection open.',
    disablesForCalls: '`{setting}` switches off the {library} timeout of {count} call(s). They set none, and {library} reads 0 as "no timeout", so each waits for as long as the server keeps the connection open: {calls}.',
    testCall: '`{callee}`{targetHost} in test code has no timeout. The call{target} is in test code ({evidence}): a stalled call holds the test until the runner\'s own per-test timeout ends it, if one is set; a timeout on the call makes the failure name the call.',
    scriptCall: '`{callee}`{targetHost} in a script has no timeout. The call{target} is in a script ({evidence}), run from a command line or a job rather than in a request: a stalled call holds the script until someone stops it; a timeout makes it fail and name the call.',
    browserCall: '`{callee}`{targetHost} runs in the browser with no timeout. The call{target} has none: {library} in a browser sets no overall limit of its own ({evidence}), so a stalled call waits until the browser\'s own network limits end it or the page goes away.',
  },
  check(ctx) {
    const fixMs = ctx.options.fixTimeoutMs;
    // Instance and library-wide settings that switch the timer off, with the calls they leave unbounded.
    const disablers = new Map<string, { timeout: TsTimeout; library: string; calls: TsOutboundCall[] }>();
    for (const [file, facts] of ctx.model.ts.files) {
      for (const call of facts.calls) {
        const missing = CHECKED.has(call.library) ? missingTimeout(call) : undefined;
        if (!missing) continue;
        // A test is bounded by its runner, and a call in it is no hop of the running system.
        const testEvidence = testCodeEvidence(file);
        // undici's defaults and "as long as the server keeps the connection open" describe Node; a browser's fetch is another program.
        const runtime = testEvidence === undefined ? callRuntimeOf(ctx.model.ts.packages, file, facts, call) : undefined;
        // Scripts under `scripts/` run from a command line; a browser's `public/scripts/` stays browser code, and a file that serves requests is no script.
        const scriptEvidence = testEvidence === undefined && runtime?.runtime !== 'browser' ? scriptEvidenceOf(ctx.model.ts.files, file, facts) : undefined;
        // Test code, browser code and scripts have a severity option of their own.
        const ownSeverity = testEvidence !== undefined ? ctx.options.tests : runtime?.runtime === 'browser' ? ctx.options.browser : scriptEvidence !== undefined ? ctx.options.scripts : undefined;
        if (ownSeverity === 'off') continue;
        const shape = callShape(ctx.model, call.span);
        const callee = shape ? shorten(shape.callee) : call.library;
        const target = call.url?.text ? ` to ${call.url.text}` : '';
        const targetHost = call.url?.text ? ` to ${urlHost(call.url.text)}` : '';
        if (ownSeverity !== undefined) {
          // A `timeout: 0` on the call itself is replaced, never joined by a second `timeout` key.
          const fixes = missing !== 'none' && missing.level === 'call' ? zeroFix(missing, fixMs) : shape ? fixesFor(ctx.model, call, shape, fixMs) : [];
          if (testEvidence !== undefined) ctx.report({ messageId: 'testCall', data: { callee, target, targetHost, evidence: testEvidence }, span: call.span, fixes, severity: ownSeverity });
          else if (runtime?.runtime === 'browser') ctx.report({ messageId: 'browserCall', data: { callee, target, targetHost, evidence: runtime.evidence, library: call.library }, span: call.span, fixes, severity: ownSeverity });
          else ctx.report({ messageId: 'scriptCall', data: { callee, target, targetHost, evidence: scriptEvidence! }, span: call.span, fixes, severity: ownSeverity });
          continue;
        }
        const headers = call.timeouts.find((t) => t.option === 'headersTimeout' && t.ms !== undefined && !t.disabled);
        const body = call.timeouts.find((t) => t.option === 'bodyTimeout' && t.ms !== undefined && !t.disabled);
        const fixes = shape ? fixesFor(ctx.model, call, shape, fixMs) : [];
        const helperRelated: Related[] = call.viaHelper ? [{ span: call.viaHelper.span, message: `fetch in ${call.viaHelper.name}, which takes this call's init` }] : [];
        if (missing !== 'none') {
          const setting = settingText(ctx.model, missing);
          if (missing.level !== 'call' && missing.span) {
            const key = `${missing.span.file}:${missing.span.start}`;
            const group = disablers.get(key) ?? { timeout: missing, library: libraryName(call), calls: [] };
            group.calls.push(call);
            disablers.set(key, group);
          }
          // The setting's own finding fixes the 0 where it is written; a per-call timeout is the other choice, offered as a suggestion.
          const own = missing.level === 'call' ? zeroFix(missing, fixMs) : fixes.map((f) => ({ ...f, preferred: false, suggestion: true }));
          ctx.report({ messageId: 'disabledExplicitly', data: { callee, target, targetHost, setting, place: missing.span ? placeOf(ctx.model, missing.span) : 'unknown', library: libraryName(call) }, span: call.span, related: missing.span && missing.level !== 'call' ? [{ span: missing.span, message: `${setting}: switches the timeout off` }] : [], fixes: own });
        } else if (FETCH.has(call.library) && headers && body) {
          ctx.report({ messageId: 'fetchUndiciDefaults', data: { callee, target, targetHost, headersTimeout: showMs(headers.ms!), bodyTimeout: showMs(body.ms!) }, span: call.span, related: helperRelated, fixes });
        } else {
          ctx.report({ messageId: 'noTimeout', data: { callee, target, targetHost, library: libraryName(call) }, span: call.span, related: helperRelated, fixes });
        }
      }
    }
    for (const { timeout, library, calls } of disablers.values()) {
      const related: Related[] = calls.map((call) => ({ span: call.span, message: `call left without a timeout (${placeOf(ctx.model, call.span)})` }));
      const places = calls.slice(0, 3).map((call) => placeOf(ctx.model, call.span)).join(', ') + (calls.length > 3 ? ', …' : '');
      ctx.report({ messageId: 'disablesForCalls', data: { setting: settingText(ctx.model, timeout), library, count: calls.length, calls: places }, span: timeout.span!, related, fixes: zeroFix(timeout, fixMs) });
    }
  },
});

function libraryName(call: TsOutboundCall): string {
  return call.library === 'node-http' ? 'node:http' : call.library;
}

/** The setting as written (`axios.defaults.timeout = 0`, `timeout: 0`), on one line. */
function settingText(model: WorkspaceModel, timeout: TsTimeout): string {
  const span = timeout.span;
  const text = span ? model.sources.get(span.file)?.text.slice(span.start, span.end) : undefined;
  const flat = (text ?? `${timeout.option}: 0`).replace(/\s+/g, ' ').trim();
  return flat.length > 60 ? `${flat.slice(0, 59)}…` : flat;
}

/** Replaces the written `0` with the configured timeout: unsafe, the call now fails after that time (STYLE §4). */
function zeroFix(timeout: TsTimeout, ms: number): Fix[] {
  const value: Span | undefined = timeout.value?.kind === 'number' ? timeout.value.span : undefined;
  if (!value) return [];
  return [{ title: `Set ${timeout.option} to ${formatMs(ms)} instead of 0 (unsafe: slow calls start to fail)`, safety: 'unsafe', edits: [{ file: value.file, start: value.start, end: value.end, newText: formatMs(ms) }] }];
}

/**
 * What the call lacks: `none` when the facts record "no timeout" and nothing set bounds it; the
 * disabling timeout when every timeout written for it is an explicit `0` that the library reads as
 * "no timeout" (axios, facts §12) and no default still bounds it; undefined otherwise. Unknown options,
 * a value set through a constant, an env var or a config object stay quiet; so does a `timeout` option
 * the library ignores (ignored-timeout-option reports and fixes that).
 */
function missingTimeout(call: TsOutboundCall): 'none' | TsTimeout | undefined {
  if (call.optionsUnknown || call.ignoredOptions.length > 0) return undefined;
  const set = call.timeouts.filter((t) => t.source === 'set');
  if (set.some((t) => !t.disabled)) return undefined;
  const disabled = set.find((t) => t.disabled);
  if (!disabled) return call.timeouts.some((t) => t.source === 'none') ? 'none' : undefined;
  // An undici dispatcher with `headersTimeout: 0` still has its body timeout by default: not unbounded.
  if (call.timeouts.some((t) => t.source === 'default' && t.ms !== undefined && t.kind !== 'keepalive' && t.kind !== 'connect')) return undefined;
  return disabled;
}

function fixesFor(model: WorkspaceModel, call: TsOutboundCall, shape: CallShape, ms: number): Fix[] {
  const file = call.span.file;
  const written = formatMs(ms);
  let property: string;
  let index: number | undefined;
  if (FETCH.has(call.library)) {
    property = `signal: AbortSignal.timeout(${written})`;
    // A helper's fetch read at this call site takes its init from the helper's argument at `initIndex`.
    index = call.viaHelper?.initIndex ?? 1;
  } else if (call.library === 'axios') {
    property = `timeout: ${written}`;
    index = axiosConfigIndex(shape);
  } else if (call.library === 'got') {
    return fix(`Add timeout: { request: ${written} }`, gotEdit(model, file, shape, written));
  } else if (call.library === 'node-http') {
    return fix(`Add signal: AbortSignal.timeout(${written})`, nodeHttpEdit(model, file, shape, `signal: AbortSignal.timeout(${written})`));
  } else if (call.library === 'superagent') {
    // Both limits get the configured value: `deadline` bounds the whole call like the other fixes, `response` names time-to-first-byte for the author to tighten (facts §12).
    const chained = `.timeout({ response: ${written}, deadline: ${written} })`;
    return fix(`Add ${chained}`, { file, start: call.span.end, end: call.span.end, newText: chained });
  } else return [];
  if (index === undefined) return [];
  const arg = shape.args[index];
  let edit: TextEdit | undefined;
  if (arg) edit = arg.type === 'ObjectExpression' ? addPropertyEdit(model, file, arg, property) : undefined;
  else if (shape.args.length === index) edit = appendArgumentEdit(file, shape, `{ ${property} }`);
  return fix(`Add ${property}`, edit);
}

/** Adding a timeout changes when the call fails, so every fix is unsafe (STYLE §4). */
function fix(title: string, edit: TextEdit | undefined): Fix[] {
  return edit ? [{ title, safety: 'unsafe', edits: [edit] }] : [];
}

/**
 * got reads options from `got(url, options)`, `got.post(url, options)` or `got({ url, … })`: adds
 * `timeout: { request: N }`, or `request: N` inside a `timeout` object that sets none of the limits.
 */
function gotEdit(model: WorkspaceModel, file: string, shape: CallShape, written: string): TextEdit | undefined {
  const first = shape.args[0];
  const index = first?.type === 'ObjectExpression' ? 0 : 1;
  const options = shape.args[index];
  if (!options) return shape.args.length === index ? appendArgumentEdit(file, shape, `{ timeout: { request: ${written} } }`) : undefined;
  if (options.type !== 'ObjectExpression') return undefined;
  const timeout = options.properties?.find((p) => p.key === 'timeout');
  if (!timeout) return addPropertyEdit(model, file, options, `timeout: { request: ${written} }`);
  const inner: CallArgument | undefined = timeout.value?.type === 'ObjectExpression' ? objectAt(model, file, timeout.value.start, timeout.value.end) : undefined;
  return inner ? addPropertyEdit(model, file, inner, `request: ${written}`) : undefined;
}

/** `http.request(options[, cb])`, `http.get(url[, options][, cb])`: adds `signal` to the options, or passes `{ signal }` before the callback. */
function nodeHttpEdit(model: WorkspaceModel, file: string, shape: CallShape, property: string): TextEdit | undefined {
  const [first, second] = shape.args;
  if (!first) return undefined;
  if (first.type === 'ObjectExpression') return addPropertyEdit(model, file, first, property);
  if (!second) return appendArgumentEdit(file, shape, `{ ${property} }`);
  if (second.type === 'ObjectExpression') return addPropertyEdit(model, file, second, property);
  if (second.type === 'ArrowFunctionExpression' || second.type === 'FunctionExpression') return { file, start: second.start, end: second.start, newText: `{ ${property} }, ` };
  return undefined;
}

/** Where axios reads the request config: `axios.get(url, config)`, `axios.post(url, data, config)`, `axios(config)` / `axios(url, config)`. */
function axiosConfigIndex(shape: CallShape): number | undefined {
  const name = shape.calleeName;
  if (name && AXIOS_BODYLESS.has(name)) return 1;
  if (name && AXIOS_WITH_BODY.has(name)) return shape.args.length >= 2 ? 2 : undefined;
  if (name === 'request') return shape.args[0]?.type === 'ObjectExpression' ? 0 : undefined;
  if (shape.args[0]?.type === 'ObjectExpression') return 0;
  return 1;
}

function shorten(text: string): string {
  const flat = text.replace(/\s+/g, '');
  return flat.length > 40 ? `${flat.slice(0, 39)}…` : flat;
}
