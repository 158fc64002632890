// Reports a call chain where several layers retry a timed-out request: attempts multiply from the client to the last dependency.
import { chainsOf, defineRule, type Fix, type Hop, type HopAttempts, type Related, type TextEdit, type WorkspaceModel } from '../server/src/engine/rule-api.js';
import { effectiveValue } from '../server/src/engine/inputs/nginx/api.js';
import { placeOf } from './util/places.js';
import { addPropertyEdit, callShape } from './util/ts-edits.js';

interface Options {
  maxRetryingLayers: number;
}

/** SDK clients whose retry count is the `maxRetries` constructor option (timeout-facts.md §13). */
const MAX_RETRIES_SDKS = new Set(['openai', 'anthropic', 'groq', 'langchain']);

/** Methods nginx does not retry once the request was sent (timeout-facts.md §14). */
const NON_IDEMPOTENT = new Set(['POST', 'PATCH', 'LOCK']);

type RetryingHop = Hop & { attempts: HopAttempts };

export default defineRule<Options>({
  id: 'retry-amplification',
  description: 'Along a call chain only one layer should retry a timed-out request, because the attempts of every retrying layer multiply.',
  defaultSeverity: 'warning',
  fixable: 'sometimes',
  inputs: ['nginx', 'k8s', 'ts'],
  options: {
    schema: {
      type: 'object',
      additionalProperties: false,
      properties: {
        maxRetryingLayers: { type: 'integer', minimum: 1, description: 'How many layers of one chain may retry a timed-out request before the chain is reported.' },
      },
    },
    defaults: { maxRetryingLayers: 1 },
  },
  messages: {
    attemptsMultiply:
      '{layers} layers retry: one request can reach {target} {product} times. {breakdown}; only one layer should retry a timeout.',
  },
  check(ctx) {
    const reported = new Set<string>();
    for (const chain of chainsOf(ctx.model).chains) {
      const retrying = chain.hops.filter((h, i): h is RetryingHop => h.attempts !== undefined && h.attempts.retriesTimeouts && h.attempts.count > 1 && !sentPostNotRetried(chain.hops, i));
      if (retrying.length <= ctx.options.maxRetryingLayers) continue;
      const key = retrying.map((h) => `${h.span.file}:${h.span.start}`).join('|');
      if (reported.has(key)) continue;
      reported.add(key);
      const outermost = retrying[0]!;
      const innermost = retrying.at(-1)!;
      const product = retrying.reduce((n, h) => n * h.attempts.count, 1);
      const related: Related[] = retrying.slice(1).map((h) => ({ span: h.attempts.span ?? h.span, message: `${h.label} retries too: ${h.attempts.count} attempts (${h.attempts.knob}${h.attempts.source === 'default' ? ', default' : ''})` }));
      if (outermost.attempts.span) related.unshift({ span: outermost.span, message: outermost.label });
      ctx.report({
        messageId: 'attemptsMultiply',
        data: {
          layers: retrying.length,
          product,
          target: targetOf(innermost),
          breakdown: retrying.map((h) => `${h.label} ${layerText(ctx.model, h)}`).join(' × '),
          outer: outermost.label,
          outerAttempts: outermost.attempts.count,
          outerKnob: outermost.attempts.knob,
          inner: innermost.label,
          innerAttempts: innermost.attempts.count,
          innerKnob: innermost.attempts.knob,
        },
        span: outermost.attempts.span ?? outermost.span,
        related,
        fixes: maxRetriesSuggestion(ctx.model, innermost),
      });
    }
  },
});

/**
 * A gateway at the start of a chain does not know the method; when the handler behind it takes a
 * POST, PATCH or LOCK, nginx and ingress-nginx do not retry it once sent (timeout-facts.md §14),
 * unless nginx's `proxy_next_upstream` lists `non_idempotent`.
 */
function sentPostNotRetried(hops: readonly Hop[], index: number): boolean {
  const hop = hops[index]!;
  if (hop.method || (hop.kind !== 'nginx-location' && hop.kind !== 'ingress-path')) return false;
  const handler = hops.slice(index + 1).find((h) => h.kind === 'route-handler');
  if (!handler || handler.ref.kind !== 'ts-route' || !NON_IDEMPOTENT.has(handler.ref.route.method)) return false;
  if (hop.ref.kind === 'nginx') {
    const family = hop.ref.location.proxyTarget?.via.replace(/_pass$/, '') ?? 'proxy';
    if (effectiveValue(hop.ref.location, `${family}_next_upstream`)?.text.split(/\s+/).includes('non_idempotent')) return false;
  }
  return true;
}

/** `3 attempts (maxRetries, default, timeout-facts §13, at src/llm.ts:4)`. */
function layerText(model: WorkspaceModel, hop: RetryingHop): string {
  const a = hop.attempts;
  const source = a.source === 'default' ? `default${a.factsRef ? `, timeout-facts ${a.factsRef}` : ''}` : 'set';
  return `${a.count} attempts (${a.knob}, ${source}, at ${placeOf(model, a.span ?? hop.span)})`;
}

function targetOf(hop: Hop): string {
  if (hop.llm) return 'the LLM provider';
  if (hop.kind === 'outbound-call' || hop.kind === 'client-call') return `the service ${hop.label} calls`;
  return `the backend of ${hop.label}`;
}

/**
 * A quick fix (never applied by --fix): `maxRetries: 0` on the innermost SDK client, so that the
 * outer layers' retries are the only ones. Replaces a written number or adds the option to the
 * constructor; undefined when the count is set per call, through a variable, or elsewhere.
 */
function maxRetriesSuggestion(model: WorkspaceModel, hop: RetryingHop): Fix[] {
  if (hop.ref.kind !== 'ts-call') return [];
  const { facts, call } = hop.ref;
  const client = call.clientIndex !== undefined ? facts.clients[call.clientIndex] : undefined;
  if (!client || !MAX_RETRIES_SDKS.has(client.library) || client.span.file !== facts.file) return [];
  let edit: TextEdit | undefined;
  const written = client.retries?.source === 'set' ? client.retries.value : undefined;
  if (written) {
    if (call.retries?.span && client.retries?.span && call.retries.span.start !== client.retries.span.start) return [];
    if (written.kind !== 'number' || written.span.file !== facts.file) return [];
    edit = { file: facts.file, start: written.span.start, end: written.span.end, newText: '0' };
  } else {
    if (call.retries?.source === 'set') return [];
    const shape = callShape(model, client.span);
    if (!shape) return [];
    const options = shape.args[0];
    if (!options) edit = { file: facts.file, start: shape.closeParen, end: shape.closeParen, newText: '{ maxRetries: 0 }' };
    else if (options.type === 'ObjectExpression') edit = addPropertyEdit(model, facts.file, options, 'maxRetries: 0');
  }
  return edit ? [{ title: `Set maxRetries: 0 on the ${client.constructorName} client so that only the outer layers retry`, safety: 'unsafe', edits: [edit], suggestion: true }] : [];
}
