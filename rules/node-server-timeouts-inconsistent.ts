// Reports Node http.createServer options with headersTimeout above requestTimeout, which Node rejects at start-up.
import { defineRule, type Fix } from '../server/src/engine/rule-api.js';
import type { TsTimeout } from '../server/src/engine/inputs/ts/api.js';
import { placeOf } from './util/places.js';
import { knownNumber, propertyValueText, within, writtenText } from './util/ts-edits.js';

export default defineRule<Record<string, never>>({
  id: 'node-server-timeouts-inconsistent',
  description: 'A Node HTTP server\'s headersTimeout must not exceed its requestTimeout, or createServer throws at start-up.',
  defaultSeverity: 'error',
  fixable: 'sometimes',
  inputs: ['ts'],
  options: { schema: { type: 'object', additionalProperties: false, properties: {} }, defaults: {} },
  messages: {
    headersAboveRequest: 'headersTimeout {headersValue} > requestTimeout {requestValue}: start-up fails. `{factory}` throws ERR_OUT_OF_RANGE (headersTimeout at {headersPlace}, requestTimeout at {requestPlace}).',
  },
  check(ctx) {
    for (const [file, facts] of ctx.model.ts.files) {
      for (const server of facts.servers) {
        if (server.kind !== 'node-http' && server.kind !== 'node-https') continue;
        // Only constructor options are validated (facts §11.1, `storeHTTPOptions`); later assignments are not.
        const constructorOption = (name: string): TsTimeout | undefined =>
          server.timeouts.find((t) => t.option === name && t.source === 'set' && t.span !== undefined && within(t.span, server.span));
        const headers = constructorOption('headersTimeout');
        const request = constructorOption('requestTimeout');
        if (!headers?.value || !request?.value) continue;
        const headersMs = knownNumber(ctx.model, file, headers.value);
        const requestMs = knownNumber(ctx.model, file, request.value);
        if (headersMs === undefined || requestMs === undefined || headersMs <= 0 || requestMs <= 0 || headersMs <= requestMs) continue;
        const requestText = propertyValueText(ctx.model, request.span!) ?? writtenText(ctx.model, request.value);
        const headersText = propertyValueText(ctx.model, headers.span!) ?? writtenText(ctx.model, headers.value);
        const fixes: Fix[] = [];
        const headersSource = ctx.model.sources.get(file)?.text.slice(headers.span!.start, headers.span!.end) ?? '';
        if (/^headersTimeout\s*:/.test(headersSource)) {
          // Headers can never take longer than the whole request, so capping headersTimeout at
          // requestTimeout keeps what the pair means in the form Node accepts: safe.
          fixes.push({ title: `Set headersTimeout to requestTimeout (${requestText})`, safety: 'safe', edits: [{ file, start: headers.span!.start, end: headers.span!.end, newText: `headersTimeout: ${requestText}` }], preferred: true });
        }
        ctx.report({
          messageId: 'headersAboveRequest',
          data: {
            headersValue: headersText,
            headersPlace: placeOf(ctx.model, headers.span!),
            requestValue: requestText,
            requestPlace: placeOf(ctx.model, request.span!),
            factory: server.kind === 'node-https' ? 'https.createServer' : 'http.createServer',
          },
          span: headers.span!,
          related: [{ span: request.span!, message: `requestTimeout ${requestText}` }],
          fixes,
        });
      }
    }
  },
});
