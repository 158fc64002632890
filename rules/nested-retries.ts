// Reports an outbound call whose library already retries, wrapped in an explicit retry (p-retry, async-retry, retry, a retry loop): attempts multiply.
import { defineRule, type Fix, type Related, type TextEdit, type WorkspaceModel } from '../server/src/engine/rule-api.js';
import type { TsClient, TsFileFacts, TsOutboundCall, TsRetryWrapper, TsTimeout } from '../server/src/engine/inputs/ts/api.js';
import { placeOf } from './util/places.js';
import { addPropertyEdit, callShape, showMs } from './util/ts-edits.js';

/** LLM SDKs whose retry count is the `maxRetries` constructor option (timeout-facts.md §13). */
const MAX_RETRIES_SDKS = new Set(['openai', 'anthropic', 'groq', 'langchain']);
const WRAPPER_NAMES: Record<TsRetryWrapper['kind'], string> = { 'p-retry': 'p-retry', 'async-retry': 'async-retry', retry: '`retry` operation', loop: 'retry loop' };

export default defineRule<Record<string, never>>({
  id: 'nested-retries',
  description: 'A call whose client library already retries must not be wrapped in another retry in the same service.',
  defaultSeverity: 'warning',
  fixable: 'sometimes',
  inputs: ['ts'],
  options: { schema: { type: 'object', additionalProperties: false, properties: {} }, defaults: {} },
  messages: {
    known: '{attempts} attempts: `{callee}` retries {innerRetries}×, its {wrapper} {outerRetries}×. The call at {callPlace} retries ({innerSource}), and the {wrapper} at {wrapperPlace} retries it again; worst case {worstCase} ({attempts} × {perAttempt} per attempt, backoff not counted).',
    unknownOuter: '`{callee}` retries {innerRetries}× in a {wrapper} that retries it again. The call at {callPlace} ({innerSource}) is wrapped at {wrapperPlace} (count not known here): every outer attempt is up to {innerAttempts} attempts, {innerWorstCase} ({innerAttempts} × {perAttempt}).',
  },
  check(ctx) {
    for (const facts of ctx.model.ts.files.values()) {
      for (const call of facts.calls) {
        const innerRetries = call.retries?.count;
        if (!call.retryWrappers || innerRetries === undefined || innerRetries < 1 || call.retries!.source === 'none') continue;
        const client = call.clientIndex !== undefined ? facts.clients[call.clientIndex] : undefined;
        const perAttemptMs = perAttemptTimeout(call)?.ms;
        const perAttempt = perAttemptMs === undefined ? 'no timeout' : showMs(perAttemptMs);
        const innerAttempts = innerRetries + 1;
        const innerSource = call.retries!.source === 'set' && call.retries!.span ? `set at ${placeOf(ctx.model, call.retries!.span)}` : `${libraryName(call)} default, reference/timeout-facts.md ${call.retries!.factsRef}`;
        const related = innerRelated(ctx.model, call, client, innerRetries);
        const fixes = maxRetriesFix(ctx.model, facts, call, client);
        for (const wrapper of call.retryWrappers) {
          const base = { callee: calleeOf(call), callPlace: placeOf(ctx.model, call.span), innerRetries, innerSource, wrapper: WRAPPER_NAMES[wrapper.kind], wrapperPlace: placeOf(ctx.model, wrapper.span), perAttempt };
          const wrapperRelated: Related = { span: wrapper.span, message: `${WRAPPER_NAMES[wrapper.kind]}${wrapper.count !== undefined ? ` retries ${wrapper.count} times` : ''} around the call` };
          if (wrapper.count !== undefined) {
            const attempts = innerAttempts * (wrapper.count + 1);
            const worstCase = perAttemptMs === undefined ? 'unbounded' : showMs(attempts * perAttemptMs);
            ctx.report({ messageId: 'known', data: { ...base, outerRetries: wrapper.count, attempts, worstCase }, span: call.span, related: [wrapperRelated, ...related], fixes });
          } else {
            const innerWorstCase = perAttemptMs === undefined ? 'unbounded' : showMs(innerAttempts * perAttemptMs);
            ctx.report({ messageId: 'unknownOuter', data: { ...base, innerAttempts, innerWorstCase }, span: call.span, related: [wrapperRelated, ...related], fixes });
          }
        }
      }
    }
  },
});

/** The timer each attempt gets afresh: a per-attempt timeout first (facts §14), else the shortest total or time-to-headers limit. */
function perAttemptTimeout(call: TsOutboundCall): TsTimeout | undefined {
  const usable = call.timeouts.filter((t) => t.ms !== undefined && t.ms > 0 && !t.disabled && (t.kind === 'total' || t.kind === 'time-to-headers'));
  return usable.find((t) => t.perAttempt) ?? usable.sort((a, b) => a.ms! - b.ms!)[0];
}

function innerRelated(model: WorkspaceModel, call: TsOutboundCall, client: TsClient | undefined, retries: number): Related[] {
  if (call.retries!.source === 'set' && call.retries!.span) return [{ span: call.retries!.span, message: `${libraryName(call)} retries ${retries} times, set here` }];
  if (client) return [{ span: client.span, message: `${client.constructorName} created here without a retry setting: ${libraryName(call)} retries ${retries} times by default` }];
  return [];
}

/**
 * `maxRetries: 0` on the SDK client, so that only the explicit wrapper retries: replaces a written
 * `maxRetries` value, or adds the option to the constructor's object literal (or `new X()`).
 */
function maxRetriesFix(model: WorkspaceModel, facts: TsFileFacts, call: TsOutboundCall, client: TsClient | undefined): Fix[] {
  if (!client || !MAX_RETRIES_SDKS.has(client.library) || client.span.file !== facts.file) return [];
  let edit: TextEdit | undefined;
  const written = client.retries?.source === 'set' ? client.retries.value : undefined;
  if (written) {
    if (call.retries?.span && client.retries?.span && call.retries.span.start !== client.retries.span.start) return []; // the call overrides it
    if (written.kind !== 'number' || written.span.file !== facts.file) return [];
    edit = { file: facts.file, start: written.span.start, end: written.span.end, newText: '0' };
  } else {
    if (call.retries?.source === 'set') return [];
    const shape = callShape(model, client.span);
    const options = shape?.args[0];
    if (!shape) return [];
    if (!options) edit = { file: facts.file, start: shape.closeParen, end: shape.closeParen, newText: '{ maxRetries: 0 }' };
    else if (options.type === 'ObjectExpression') edit = addPropertyEdit(model, facts.file, options, 'maxRetries: 0');
  }
  // Every call through this client stops retrying, including calls without a wrapper: unsafe.
  return edit ? [{ title: `Set maxRetries: 0 on the ${client.constructorName} client`, safety: 'unsafe', edits: [edit] }] : [];
}

function calleeOf(call: TsOutboundCall): string {
  return call.method && call.library !== 'got' && call.library !== 'ky' && call.library !== 'superagent' ? `${libraryName(call)} ${call.method}` : libraryName(call);
}

function libraryName(call: TsOutboundCall): string {
  return { openai: 'OpenAI', anthropic: 'Anthropic', groq: 'Groq', langchain: 'LangChain', ai: 'AI SDK', mistral: 'Mistral', 'google-genai': '@google/genai' }[call.library as 'openai'] ?? call.library;
}
