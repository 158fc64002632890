// Reports timeout options a client library ignores or misreads: `timeout` on native/undici fetch, axios `timeout: "30s"` (parseInt), Mistral `timeoutMs: 0`.
import { defineRule, type Fix, type Span, type WorkspaceModel } from '../server/src/engine/rule-api.js';
import type { TsIgnoredOption, TsOutboundCall } from '../server/src/engine/inputs/ts/api.js';
import { formatMs, propertyValueText, showMs, within, writtenText } from './util/ts-edits.js';

const UNITS_MS: Record<string, number> = { ms: 1, s: 1000, sec: 1000, m: 60_000, min: 60_000, h: 3_600_000 };

export default defineRule<Record<string, never>>({
  id: 'ignored-timeout-option',
  description: 'A timeout option must be one the client library reads, in the form it reads it.',
  defaultSeverity: 'error',
  fixable: 'sometimes',
  inputs: ['ts'],
  options: { schema: { type: 'object', additionalProperties: false, properties: {} }, defaults: {} },
  messages: {
    fetchTimeout: '`{option}: {value}` is ignored: {library} has no `timeout` option. This call is not bounded by it.',
    stringParsedAsInt: 'axios reads `{option}: {value}` as {effective}, not the duration it looks like. axios parses the string with parseInt.',
    stringNotANumber: 'axios reads `{option}: {value}` as NaN; requests fail (ERR_BAD_OPTION_VALUE). axios parses the string with parseInt.',
    zeroMeansDefault: '`{option}: 0` means the {library} SDK\'s {default} default, not no timeout. The SDK reads 0 as unset and falls back to its default.',
  },
  check(ctx) {
    const seen = new Set<string>();
    for (const facts of ctx.model.ts.files.values()) {
      for (const call of facts.calls) {
        for (const ignored of call.ignoredOptions) {
          const key = `${ignored.span.file}:${ignored.span.start}:${ignored.option}`;
          if (seen.has(key)) continue; // one instance config read by several calls
          seen.add(key);
          report(ignored, call);
        }
        // Mistral's chat.complete falls back to 300 s through a logical OR, so `timeoutMs: 0` is not "disabled" (facts §13, P22).
        const mistral = call.library === 'mistral' ? call.timeouts.find((t) => t.option === 'timeoutMs' && t.source === 'set' && t.value?.kind === 'number' && t.value.value === 0 && t.ms !== undefined && t.ms > 0) : undefined;
        if (mistral?.span) {
          const key = `${mistral.span.file}:${mistral.span.start}:timeoutMs`;
          if (seen.has(key)) continue;
          seen.add(key);
          ctx.report({ messageId: 'zeroMeansDefault', data: { option: 'timeoutMs', library: 'Mistral', default: showMs(mistral.ms!) }, span: mistral.span });
        }
      }
    }

    function report(ignored: TsIgnoredOption, call: TsOutboundCall): void {
      const value = propertyValueText(ctx.model, ignored.span) ?? writtenText(ctx.model, ignored.value);
      if (ignored.reason === 'unsupported') {
        const library = call.library === 'undici' ? 'undici fetch' : 'native fetch';
        ctx.report({ messageId: 'fetchTimeout', data: { option: ignored.option, value, library }, span: ignored.span, fixes: fetchFix(ctx.model, ignored, call, value) });
        return;
      }
      if (ignored.effectiveMs === undefined) {
        ctx.report({ messageId: 'stringNotANumber', data: { option: ignored.option, value }, span: ignored.span, fixes: axiosFix(ctx.model, ignored) });
      } else {
        ctx.report({ messageId: 'stringParsedAsInt', data: { option: ignored.option, value, effective: `${ignored.effectiveMs} ms` }, span: ignored.span, fixes: axiosFix(ctx.model, ignored) });
      }
    }
  },
});

/** `timeout: N` → `signal: AbortSignal.timeout(N)`, when written in this call's own init object and no `signal` is set. */
function fetchFix(model: WorkspaceModel, ignored: TsIgnoredOption, call: TsOutboundCall, value: string): Fix[] {
  if (ignored.option !== 'timeout' || !within(ignored.span, call.span)) return [];
  if (call.timeouts.some((t) => t.option.startsWith('signal') && t.source === 'set')) return [];
  const text = model.sources.get(ignored.span.file)?.text;
  if (text === undefined || !/^timeout\b/.test(text.slice(ignored.span.start, ignored.span.end))) return [];
  const replacement = `signal: AbortSignal.timeout(${value})`;
  // The option written is what fetch accepts for it: the timeout the author wrote, now applied (#18).
  return [{ title: `Replace with ${replacement}`, safety: 'safe', edits: [{ file: ignored.span.file, start: ignored.span.start, end: ignored.span.end, newText: replacement }], preferred: true }];
}

/** `"30s"` → `30_000`: the duration the string spells, as a number of milliseconds. */
function axiosFix(model: WorkspaceModel, ignored: TsIgnoredOption): Fix[] {
  if (ignored.value.kind !== 'string') return [];
  const span: Span = ignored.value.span;
  const text = model.sources.get(span.file)?.text.slice(span.start, span.end) ?? '';
  if (!/^(['"]).*\1$/.test(text)) return []; // not a plain string literal here (a constant, a template)
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|sec|m|min|h)?\s*$/.exec(ignored.value.value);
  if (!match) return [];
  const ms = Number(match[1]) * (UNITS_MS[match[2] ?? 'ms'] ?? 1);
  if (!Number.isInteger(ms)) return [];
  // The duration the string spells, in the form axios reads: what the author wrote (a digits-only
  // string already means those milliseconds, so that one keeps behaviour too).
  const newText = formatMs(ms);
  return [{ title: `Write the timeout as the number ${newText}`, safety: 'safe', edits: [{ file: span.file, start: span.start, end: span.end, newText }], preferred: true }];
}
