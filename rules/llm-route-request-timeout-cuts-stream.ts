// Reports a total request timeout in front of a streamed LLM answer, on a Gateway API route (HTTPRoute, Envoy AI Gateway AIGatewayRoute) or a serverless route handler's platform limit (Next.js `maxDuration`): the stream is cut when the timer runs out, however healthy it is.
import { chainsOf, defineRule, mayTake, spokenDuration, type Chain, type Hop, type HopTimeout, type Related, type Span } from '../server/src/engine/rule-api.js';
import { headlineName } from './util/places.js';
import { chainRelated, describeTimeout } from './util/chain-hops.js';

export default defineRule({
  id: 'llm-route-request-timeout-cuts-stream',
  description: 'A route in front of a streamed LLM answer must not end every request after a fixed total time.',
  defaultSeverity: 'warning',
  fixable: 'never',
  inputs: ['k8s', 'ts'],
  options: { schema: { type: 'object', additionalProperties: false, properties: {} }, defaults: {} },
  messages: {
    totalTimeoutCutsStream:
      '{routeName} cuts the LLM stream of {streamName} at {routeValue}. {route}: {knob} ({source}) counts the whole response of {stream}, which streams {streamValue}, so a long generation is cut mid-stream with a 504: {evidence}.',
  },
  check(ctx) {
    const reported = new Set<string>();
    for (const chain of chainsOf(ctx.model).chains) {
      chain.hops.forEach((route, index) => {
        // A gateway route's total timer, or a handler's platform limit (`maxDuration`), which also counts the whole streamed response.
        if (route.kind !== 'gateway-route' && route.kind !== 'route-handler') return;
        const total = totalTimeoutOf(route);
        if (!total) return;
        const stream = streamEvidence(chain, index, route.kind === 'route-handler');
        if (!stream) return;
        // Code between the route and the stream that ends the whole exchange first (a fetch with
        // `AbortSignal.timeout` no longer than the route's) ends the stream itself: no cut by the route.
        const ownBound = totalBoundBetween(chain, index, stream.hop);
        if (ownBound !== undefined && ownBound <= total.ms!) return;
        const span = total.span ?? route.span;
        const key = `${span.file}:${span.start}`;
        if (reported.has(key)) return;
        reported.add(key);
        const related: Related[] = [{ span: stream.span, message: `${stream.hop.label}: ${stream.text}` }];
        if (total.span) related.push({ span: route.span, message: route.label });
        related.push(...chainRelated(ctx.model, chain, [route, stream.hop]));
        ctx.report({
          messageId: 'totalTimeoutCutsStream',
          data: {
            route: route.label,
            routeName: headlineName(route.label),
            // maxDuration is a bare number of seconds: say it with its unit.
            routeValue: route.kind === 'route-handler' ? spokenDuration(total.ms!) : total.text,
            routeMs: total.ms!,
            knob: total.knob,
            source: describeTimeout(ctx.model, total),
            stream: stream.hop.label,
            // The URL stays in the details: the headline names the call.
            streamName: headlineName(stream.hop.label.replace(/\s+https?:\/\/\S+/g, '')),
            streamValue: stream.mayTakeMs !== undefined ? `for up to ${spokenDuration(stream.mayTakeMs)}` : 'with no total limit of its own',
            evidence: stream.text,
          },
          span,
          related,
        });
      });
    }
  },
});

/** The route's total timer over the whole response (not per attempt), when it is on and known. */
function totalTimeoutOf(hop: Hop): HopTimeout | undefined {
  return hop.timeouts.find((t) => t.kind === 'total' && !t.perAttempt && !t.disabled && t.ms !== undefined && t.ms > 0);
}

/**
 * Evidence that the request streams an LLM answer: a handler behind the route that streams a
 * model's answer (its code's own evidence), a streamed LLM call behind it, or a client in front of
 * it streaming a completion. Nothing else counts: a route to an LLM that is never streamed is quiet.
 */
function streamEvidence(chain: Chain, routeIndex: number, includeRoute: boolean): { hop: Hop; text: string; span: Span; mayTakeMs?: number } | undefined {
  // A route handler's own code evidence counts for its own limit.
  for (const hop of chain.hops.slice(includeRoute ? routeIndex : routeIndex + 1)) {
    const llm = hop.stream?.llmStreams[0];
    if (llm) return { hop, text: llm.text, span: llm.span ?? hop.span, ...bound(chain, routeIndex) };
  }
  for (const hop of [...chain.hops.slice(routeIndex + 1), ...chain.hops.slice(0, routeIndex)]) {
    if (hop.streaming === true && hop.llm === true) return { hop, text: 'a streamed LLM call', span: hop.span, ...bound(chain, routeIndex) };
  }
  return undefined;
}

/** The shortest total timer (over a whole exchange, not per attempt) of the hops after the route, up to the streaming hop. */
function totalBoundBetween(chain: Chain, routeIndex: number, streamHop: Hop): number | undefined {
  const end = chain.hops.indexOf(streamHop);
  if (end <= routeIndex) return undefined;
  let shortest: number | undefined;
  for (const hop of chain.hops.slice(routeIndex + 1, end + 1)) {
    const total = totalTimeoutOf(hop);
    if (total && (shortest === undefined || total.ms! < shortest)) shortest = total.ms!;
  }
  return shortest;
}

/** The longest a streamed LLM call after the route may take by its own timers (a total one; idle timers do not end a stream). */
function bound(chain: Chain, routeIndex: number): { mayTakeMs?: number } {
  for (const hop of chain.hops.slice(routeIndex + 1)) {
    if (hop.llm !== true || hop.streaming !== true) continue;
    const need = mayTake(hop);
    if (need && Number.isFinite(need.ms)) return { mayTakeMs: need.ms };
  }
  return {};
}
