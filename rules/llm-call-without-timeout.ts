// Reports LLM SDK calls on an SDK with no default timeout (Vercel AI SDK, @google/genai) where the code sets none: nothing bounds them.
import { defineRule, type Fix, type SeverityOrOff } from '../server/src/engine/rule-api.js';
import { callRuntimeOf, testCodeEvidence, type TsOutboundCall } from '../server/src/engine/inputs/ts/api.js';
import { addPropertyEdit, callShape, formatMs } from './util/ts-edits.js';
import { headlineName } from './util/places.js';
import { scriptEvidenceOf } from './util/script-importers.js';

interface Options {
  fixTimeoutMs: number;
  /** The severity of calls in code that runs in a browser (inputs/ts/runtime.ts decides), or `off` to leave them out. */
  browser: SeverityOrOff;
  /** The severity of calls in test code (`*.test.ts`, `e2e/`, …), or `off` to leave them out. */
  tests: SeverityOrOff;
  /** The severity of calls in scripts (a file under `scripts/`), or `off` to leave them out. */
  scripts: SeverityOrOff;
}

/** SDKs whose calls have no timer unless the code sets one (timeout-facts.md §13, §18); the OpenAI/Anthropic/Groq/Mistral defaults are defaults, not "none". */
const NO_DEFAULT = new Set(['ai', 'google-genai']);
const OPTION_WORDS: Record<string, string> = { ai: '`timeout` or `abortSignal`', 'google-genai': '`httpOptions.timeout`' };
const SDK_WORDS: Record<string, string> = { ai: 'the AI SDK (`ai`)', 'google-genai': '@google/genai' };

export default defineRule<Options>({
  id: 'llm-call-without-timeout',
  description: 'An LLM SDK call must set a timeout when its SDK has none by default (the AI SDK, @google/genai).',
  defaultSeverity: 'warning',
  fixable: 'sometimes',
  inputs: ['ts'],
  options: {
    schema: {
      type: 'object',
      additionalProperties: false,
      properties: {
        fixTimeoutMs: { type: 'integer', minimum: 1, description: 'The timeout in milliseconds the fix writes as `abortSignal: AbortSignal.timeout(N)` on AI SDK calls.' },
        browser: { enum: ['off', 'info', 'warning', 'error'], description: 'The severity of calls in code that runs in a browser (decided as for http-call-without-timeout), or `off` to leave them out. Calls on a server, or where the runtime is unknown, keep the rule\'s severity.' },
        tests: { enum: ['off', 'info', 'warning', 'error'], description: 'The severity of calls in test code (decided as for http-call-without-timeout: `*.test.*`, `*.spec.*`, `e2e/`, `test/`, …), or `off` to leave them out.' },
        scripts: { enum: ['off', 'info', 'warning', 'error'], description: 'The severity of calls in scripts (decided as for http-call-without-timeout: a file under `scripts/` or `script/` that is neither test code nor browser code), or `off` to leave them out.' },
      },
    },
    defaults: { fixTimeoutMs: 300_000, browser: 'info', tests: 'info', scripts: 'info' },
  },
  messages: {
    testCall:
      '`{callee}` in test code: no {option}, no {sdkName} default. The call is in test code ({evidence}): a stalled provider holds the test until the runner\'s own per-test timeout ends it, if one is set; a timeout on the call makes the failure name the call.',
    scriptCall:
      '`{callee}` in a script: no {option}, no {sdkName} default. The call is in a script ({evidence}), run from a command line or a job rather than in a request: a stalled provider holds the script until someone stops it; a timeout makes it fail and name the call.',
    browserCall:
      'Browser `{callee}`: no {option}, no {sdkName} default. It runs in the browser ({evidence}) and {sdk} has no default timeout, so a stalled provider keeps it open until the browser\'s own network limits end it or the page goes away.',
    unbounded:
      '`{callee}`: no {option}, no {sdkName} default. Nothing bounds the call: {sdk} has no default timeout, and a provider that stalls keeps the call (and the request waiting on it) open with no bound{retries}.',
  },
  check(ctx) {
    for (const [file, facts] of ctx.model.ts.files) {
      for (const call of facts.calls) {
        if (!NO_DEFAULT.has(call.library) || !unbounded(call)) continue;
        const shape = callShape(ctx.model, call.span);
        const callee = shape?.callee ?? call.method ?? call.library;
        // A test is bounded by its runner, and a call in it is no hop of the running system (as in http-call-without-timeout).
        const testEvidence = testCodeEvidence(file);
        if (testEvidence !== undefined) {
          if (ctx.options.tests === 'off') continue;
          ctx.report({ messageId: 'testCall', data: { callee, option: OPTION_WORDS[call.library]!, sdkName: headlineName(SDK_WORDS[call.library]!).replace(/^the /, ''), evidence: testEvidence }, span: call.span, fixes: fixesFor(ctx.model, call, shape, ctx.options.fixTimeoutMs), severity: ctx.options.tests });
          continue;
        }
        // A browser's limits, not the request a server holds open, end a stalled call there (as in http-call-without-timeout).
        const runtime = callRuntimeOf(ctx.model.ts.packages, file, facts, call);
        if (runtime.runtime === 'browser') {
          if (ctx.options.browser === 'off') continue;
          ctx.report({ messageId: 'browserCall', data: { callee, option: OPTION_WORDS[call.library]!, sdk: SDK_WORDS[call.library]!, sdkName: headlineName(SDK_WORDS[call.library]!).replace(/^the /, ''), evidence: runtime.evidence }, span: call.span, fixes: fixesFor(ctx.model, call, shape, ctx.options.fixTimeoutMs), severity: ctx.options.browser });
          continue;
        }
        // A script under `scripts/` runs from a command line, not in a request (as in http-call-without-timeout).
        const scriptEvidence = scriptEvidenceOf(ctx.model.ts.files, file, facts);
        if (scriptEvidence !== undefined) {
          if (ctx.options.scripts === 'off') continue;
          ctx.report({ messageId: 'scriptCall', data: { callee, option: OPTION_WORDS[call.library]!, sdkName: headlineName(SDK_WORDS[call.library]!).replace(/^the /, ''), evidence: scriptEvidence }, span: call.span, fixes: fixesFor(ctx.model, call, shape, ctx.options.fixTimeoutMs), severity: ctx.options.scripts });
          continue;
        }
        const retries = call.retries?.count ? `; each of its ${call.retries.count + 1} attempts (maxRetries ${call.retries.source === 'default' ? 'by default' : 'as set'}) may hang the same way` : '';
        ctx.report({
          messageId: 'unbounded',
          data: { callee, option: OPTION_WORDS[call.library]!, sdk: SDK_WORDS[call.library]!, sdkName: headlineName(SDK_WORDS[call.library]!).replace(/^the /, ''), library: call.library, retries },
          span: call.span,
          fixes: fixesFor(ctx.model, call, shape, ctx.options.fixTimeoutMs),
        });
      }
    }
  },
});

/** True when the facts say no timer bounds the call; options that cannot be read stay quiet. */
function unbounded(call: TsOutboundCall): boolean {
  if (call.optionsUnknown) return false;
  return call.timeouts.some((t) => t.source === 'none') && !call.timeouts.some((t) => t.source === 'set' || t.source === 'default');
}

/**
 * `abortSignal: AbortSignal.timeout(N)` in the AI SDK call's options object: it works on every AI SDK
 * version (the `timeout` option needs ai 6.0.14, facts §18). A timeout changes when the call fails: unsafe.
 */
function fixesFor(model: Parameters<typeof callShape>[0], call: TsOutboundCall, shape: ReturnType<typeof callShape>, ms: number): Fix[] {
  if (call.library !== 'ai' || !shape) return [];
  const options = shape.args[0];
  if (options?.type !== 'ObjectExpression') return [];
  const property = `abortSignal: AbortSignal.timeout(${formatMs(ms)})`;
  const edit = addPropertyEdit(model, call.span.file, options, property);
  return edit ? [{ title: `Add ${property}`, safety: 'unsafe', edits: [edit] }] : [];
}
