// Reports a hop that gives up before the hop behind it can finish: client > gateway > service > dependency, like with like, retries included.
import { chainsOf, defineRule, giveUpAfter, nextBoundedHop, type Chain, type Fix, type Hop, type MayTake, type Related } from '../server/src/engine/rule-api.js';
import { chainRelated, describeTimeout, hopHeadlineName, raisedSeconds, setTimeoutEdit, valueText } from './util/chain-hops.js';
import { isPlatformLimit } from './util/chain-platform.js';

interface Options {
  marginSeconds: number;
}

export default defineRule<Options>({
  id: 'outer-timeout-below-inner',
  description: 'Along a call chain every outer timeout must exceed the time the hop behind it may take, retries included.',
  defaultSeverity: 'warning',
  fixable: 'sometimes',
  inputs: ['nginx', 'k8s', 'ts', 'traefik', 'kong'],
  options: {
    schema: {
      type: 'object',
      additionalProperties: false,
      properties: {
        marginSeconds: { type: 'number', minimum: 0, description: 'How much longer than the inner hop the outer one must wait; equal timeouts pass with the default 0.' },
      },
    },
    defaults: { marginSeconds: 0 },
  },
  messages: {
    outerGivesUpFirst:
      '{outerName} gives up at {outerValue}; {innerName} may take {innerValue}. {outer}: {outerKnob}, {outerSource}; {inner}: {innerDetail}. The request fails at {outerKind} while the work behind it goes on.',
  },
  check(ctx) {
    const marginMs = ctx.options.marginSeconds * 1000;
    const reported = new Set<string>();
    for (const chain of chainsOf(ctx.model).chains) {
      for (let i = 0; i < chain.hops.length - 1; i++) {
        const outer = chain.hops[i]!;
        const pair = nextBoundedHop(chain, i);
        if (!pair) continue;
        const { inner, need } = pair;
        const giveUp = giveUpAfter(outer, inner.streaming === true);
        if (!giveUp || giveUp.ms >= need.ms + marginMs) continue;
        // A platform limit (Knative, GKE BackendConfig, maxDuration) is reported by platform-limit-below-code-budget.
        if (isPlatformLimit(outer, giveUp.timeout)) continue;
        // An LLM route left on the gateway's default read timeout has a rule of its own with the route in its words.
        if (giveUp.timeout.source === 'default' && (outer.kind === 'nginx-location' || outer.kind === 'ingress-path') && chain.hops.slice(i + 1).some((h) => h.llm)) continue;
        // An LLM gateway behind its caller, with its retries and fallback models, has a rule of its own (llm-gateway-retries-outlive-caller).
        if (inner.kind === 'llm-gateway' && inner === chain.hops[i + 1]) continue;
        // Route handlers bounded by one shared timer (an `app.use(timeout('120s'))` in front of all of them) are one problem, reported once.
        const innerBound = need.cap ?? need.timeout;
        const innerKey = inner.kind === 'route-handler' && innerBound.span ? innerBound.span : inner.span;
        const key = `${giveUp.timeout.span?.file ?? outer.span.file}:${giveUp.timeout.span?.start ?? outer.span.start}:${innerKey.file}:${innerKey.start}`;
        if (reported.has(key)) continue;
        reported.add(key);
        const innerTimer = need.cap ?? need.timeout;
        const related: Related[] = [
          { span: innerTimer.span ?? inner.span, message: `${inner.label}: ${innerTimer.knob} ${valueText(innerTimer.ms!)} (${describeTimeout(ctx.model, innerTimer)})` },
        ];
        if (giveUp.timeout.span) related.push({ span: outer.span, message: `${outer.label}` });
        if (need.attemptsInfo?.span) related.push({ span: need.attemptsInfo.span, message: `${need.attemptsInfo.knob}: ${need.attempts} attempts` });
        related.push(...chainRelated(ctx.model, chain, [outer, inner]));
        ctx.report({
          messageId: 'outerGivesUpFirst',
          data: {
            outer: outer.label,
            outerName: hopHeadlineName(outer),
            outerValue: valueText(giveUp.ms),
            outerMs: giveUp.ms,
            outerKnob: giveUp.timeout.knob,
            outerSource: describeTimeout(ctx.model, giveUp.timeout),
            inner: inner.label,
            innerName: hopHeadlineName(inner, true),
            innerValue: valueText(need.ms),
            ...(Number.isFinite(need.ms) ? { innerMs: need.ms } : {}),
            innerDetail: needDetail(ctx.model, need),
            outerKind: kindWord(outer),
          },
          span: giveUp.timeout.span ?? outer.span,
          related,
          fixes: fixesFor(outer, inner, giveUp.timeout, need, pair.longestMs ?? need.ms),
        });
      }
    }

    function fixesFor(outer: Hop, inner: Hop, outerTimeout: NonNullable<ReturnType<typeof giveUpAfter>>['timeout'], need: MayTake, longestMs: number): Fix[] {
      const fixes: Fix[] = [];
      // An unbounded inner hop (no timeout at all) has no value to raise the outer one to: bound the inner one instead.
      // Raised past the longest way the inner hop may go (a skippable timer skipped), or it still cuts that way.
      const raiseTo = raisedSeconds(longestMs + marginMs) * 1000;
      const raise = Number.isFinite(raiseTo) ? setTimeoutEdit(ctx.model, outer, outerTimeout, raiseTo) : undefined;
      if (raise) fixes.push({ title: `Raise ${outerTimeout.knob} of ${outer.label} to ${valueText(raiseTo)} (unsafe: holds connections longer)`, safety: 'unsafe', edits: [raise] });
      // Lowering the inner per-attempt timer so that all attempts fit: only when the outer leaves a real budget.
      const perAttempt = Math.floor((outerTimeoutMs(outerTimeout) - marginMs) / need.attempts / 1000) * 1000;
      if (perAttempt >= 1000 && !need.cap && longestMs === need.ms) {
        const lower = setTimeoutEdit(ctx.model, inner, need.timeout, perAttempt);
        if (lower) fixes.push({ title: `Lower ${need.timeout.knob} of ${inner.label} to ${valueText(perAttempt)}${need.attempts > 1 ? ` per attempt (${need.attempts} attempts)` : ''}`, safety: 'unsafe', edits: [lower], suggestion: true });
      }
      return fixes;
    }
  },
});

function outerTimeoutMs(timeout: { ms?: number }): number {
  return timeout.ms ?? 0;
}

function needDetail(model: Parameters<typeof describeTimeout>[0], need: MayTake): string {
  // An nginx error_page fallback runs after the hop gave up, with its own timers (facts §1.3).
  if (need.fallback) return `${ownDetail(model, need)}, then ${valueText(need.fallback.ms)} in the error_page fallback (${ownDetail(model, need.fallback)})`;
  return ownDetail(model, need);
}

function ownDetail(model: Parameters<typeof describeTimeout>[0], need: MayTake): string {
  const timer = need.cap ?? need.timeout;
  const source = describeTimeout(model, timer);
  if (need.cap) return `${timer.knob} ${valueText(timer.ms!)} caps all attempts, ${source}`;
  if (need.attempts > 1) return `${need.attempts} attempts × ${timer.knob} ${valueText(need.perAttemptMs)}, ${source}; ${need.attemptsInfo?.knob ?? 'retries'} ${need.attemptsInfo?.source === 'default' ? 'by default' : 'as set'}`;
  return `${timer.knob} ${valueText(timer.ms!)}, ${source}`;
}

function kindWord(hop: Hop): string {
  switch (hop.kind) {
    case 'client-call':
    case 'outbound-call':
      return 'the caller';
    case 'nginx-location':
    case 'haproxy-backend':
    case 'traefik-router':
    case 'kong-route':
    case 'ingress-path':
    case 'gateway-route':
    case 'virtual-service':
      return 'the gateway (504)';
    default:
      return 'this hop';
  }
}
