// Reports an OpenAI SDK `timeout` above undici's 300 s headersTimeout when the client runs on Node's built-in fetch.
import { defineRule, type WorkspaceModel } from '../server/src/engine/rule-api.js';
import { lookupOption, type TsClient, type TsFileFacts, type TsTimeout, type TsValue } from '../server/src/engine/inputs/ts/api.js';
import { knownNumber, showMs, writtenText } from './util/ts-edits.js';
import { placeOf } from './util/places.js';

/** undici's default dispatcher `headersTimeout` (timeout-facts.md §12). */
const HEADERS_TIMEOUT_MS = 300_000;

/** Client options that replace the transport: a custom `fetch`, undici `fetchOptions.dispatcher`, a `dispatcher`, a Node `httpAgent` (facts §13). */
const TRANSPORT_OPTIONS = ['fetch', 'dispatcher', 'httpAgent'];

export default defineRule<Record<string, never>>({
  id: 'sdk-timeout-above-transport-limit',
  description: 'An LLM SDK timeout must not exceed the headers timeout of the transport it runs on.',
  defaultSeverity: 'warning',
  fixable: 'never',
  inputs: ['ts'],
  options: { schema: { type: 'object', additionalProperties: false, properties: {} }, defaults: {} },
  messages: {
    aboveHeadersTimeout:
      '`{option}` ({sdkValue}) is above undici\'s 300 s headersTimeout. The built-in fetch `{constructor}` runs on (at {place}) has headersTimeout 300s (default, timeout-facts §12): a non-streaming request that waits longer than 300 s for response headers fails with UND_ERR_HEADERS_TIMEOUT before the SDK timeout of {sdkValue} fires.',
  },
  check(ctx) {
    const files = [...ctx.model.ts.files.values()];
    // A process-wide dispatcher (setGlobalDispatcher anywhere in the workspace) replaces the 300 s default: stay quiet.
    if (files.some(hasGlobalDispatcher)) return;
    for (const facts of files) {
      facts.clients.forEach((client, index) => {
        if (client.library !== 'openai' || !onDefaultTransport(client.config)) return;
        const timeout = timeoutAt(client.timeouts, 'instance');
        const ms = timeout && knownNumber(ctx.model, facts.file, timeout.value);
        if (!timeout?.span || ms === undefined || ms <= HEADERS_TIMEOUT_MS) return;
        // The instance timeout matters for calls that neither stream nor override it; with no call seen, assume non-streaming (the SDK default).
        const calls = facts.calls.filter((call) => call.clientIndex === index);
        if (calls.length > 0 && calls.every((call) => call.streaming === true || timeoutAt(call.timeouts, 'call') !== undefined)) return;
        ctx.report({ messageId: 'aboveHeadersTimeout', data: dataFor(ctx.model, client, timeout, ms), span: timeout.span });
      });
      for (const call of facts.calls) {
        if (call.library !== 'openai' || call.clientIndex === undefined || call.streaming !== false) continue;
        const client = facts.clients[call.clientIndex];
        if (!client || !onDefaultTransport(client.config)) continue;
        const timeout = timeoutAt(call.timeouts, 'call');
        const ms = timeout && knownNumber(ctx.model, facts.file, timeout.value);
        if (!timeout?.span || ms === undefined || ms <= HEADERS_TIMEOUT_MS) continue;
        ctx.report({ messageId: 'aboveHeadersTimeout', data: dataFor(ctx.model, client, timeout, ms), span: timeout.span });
      }
    }
  },
});

function timeoutAt(timeouts: TsTimeout[], level: TsTimeout['level']): TsTimeout | undefined {
  return timeouts.find((t) => t.option === 'timeout' && t.source === 'set' && t.level === level && !t.disabled);
}

function dataFor(model: WorkspaceModel, client: TsClient, timeout: TsTimeout, ms: number): Record<string, string> {
  const written = timeout.value ? writtenText(model, timeout.value) : String(ms);
  return { option: `timeout: ${written}`, sdkValue: showMs(ms), constructor: `new ${client.constructorName}`, place: placeOf(model, timeout.span!) };
}

/** True when the client config is fully known and supplies no transport of its own. */
function onDefaultTransport(config: TsValue): boolean {
  if (config.kind !== 'object' || config.openSpread) return false;
  if (TRANSPORT_OPTIONS.some((name) => lookupOption(config, name).state !== 'absent')) return false;
  const fetchOptions = lookupOption(config, 'fetchOptions');
  if (fetchOptions.state === 'unknown') return false;
  if (fetchOptions.state === 'present' && lookupOption(fetchOptions.property.value, 'dispatcher').state !== 'absent') return false;
  return true;
}

function hasGlobalDispatcher(facts: TsFileFacts): boolean {
  return facts.clients.some((client) => client.globalDispatcher) || facts.imports.some((i) => i.module === 'undici' && i.imported === 'setGlobalDispatcher');
}
