// Reports a platform limit (Knative timeoutSeconds, GKE BackendConfig timeoutSec, Next.js/Vercel maxDuration) below what the code behind it may take.
import { chainsOf, defineRule, giveUpAfter, nextBoundedHop, type Chain, type Fix, type Hop, type HopTimeout, type MayTake, type Related, type WorkspaceModel } from '../server/src/engine/rule-api.js';
import { chainRelated, describeTimeout, hopHeadlineName, raisedSeconds, valueText } from './util/chain-hops.js';
import { platformLimitOf, setPlatformLimitEdit, type PlatformLimit } from './util/chain-platform.js';
import { headlineName, placeOf } from './util/places.js';

interface Options {
  marginSeconds: number;
}

export default defineRule<Options>({
  id: 'platform-limit-below-code-budget',
  description: 'A platform request limit (Knative timeoutSeconds, GKE BackendConfig timeoutSec, Next.js/Vercel maxDuration) must exceed the time the code behind it may take.',
  defaultSeverity: 'warning',
  fixable: 'sometimes',
  inputs: ['k8s', 'ts'],
  options: {
    schema: {
      type: 'object',
      additionalProperties: false,
      properties: {
        marginSeconds: { type: 'number', minimum: 0, description: 'How much longer than the code behind it the platform limit must be; equal values pass with the default 0.' },
      },
    },
    defaults: { marginSeconds: 0 },
  },
  messages: {
    limitBelowCode:
      '{platformName} gives up at {limitValue}; {innerName} may take {innerValue}. {platform}: the limit is {limitKnob} ({limitSource}); {inner} at {innerPlace}: {innerDetail}. The platform answers 5xx while the code keeps working.',
    limitBelowCodeAboveMax:
      '{platformName} gives up at {limitValue}; {innerName} may take {innerValue}. {platform}: the limit is {limitKnob} ({limitSource}); {inner} at {innerPlace}: {innerDetail}, more than the platform accepts ({maxKnob} {maxValue}): lower the code\'s budget instead.',
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
        const limit = platformLimitOf(outer, giveUp.timeout);
        if (!limit) continue;
        const key = `${giveUp.timeout.span?.file ?? outer.span.file}:${giveUp.timeout.span?.start ?? outer.span.start}:${inner.span.file}:${inner.span.start}`;
        if (reported.has(key)) continue;
        reported.add(key);
        const innerTimer = need.cap ?? need.timeout;
        const innerSpan = innerTimer.span ?? inner.span;
        const related: Related[] = [
          { span: innerSpan, message: `${inner.label}: ${innerTimer.knob} ${valueText(innerTimer.ms!)} (${describeTimeout(ctx.model, innerTimer)})` },
        ];
        if (innerTimer.span) related.push({ span: inner.span, message: inner.label });
        if (giveUp.timeout.span) related.push({ span: outer.span, message: outer.label });
        if (need.attemptsInfo?.span) related.push({ span: need.attemptsInfo.span, message: `${need.attemptsInfo.knob}: ${need.attempts} attempts` });
        related.push(...chainRelated(ctx.model, chain, [outer, inner]));
        const longestMs = pair.longestMs ?? need.ms;
        const aboveMax = limit.maxMs !== undefined && longestMs + marginMs > limit.maxMs;
        ctx.report({
          messageId: aboveMax ? 'limitBelowCodeAboveMax' : 'limitBelowCode',
          data: {
            platform: limit.platform,
            platformName: headlineName(limit.platform),
            limitKnob: giveUp.timeout.knob,
            limitValue: valueText(giveUp.ms),
            limitMs: giveUp.ms,
            limitPlace: placeOf(ctx.model, giveUp.timeout.span ?? outer.span),
            limitSource: giveUp.timeout.span ? describeTimeout(ctx.model, giveUp.timeout) : `${describeTimeout(ctx.model, giveUp.timeout)}, for ${outer.label} at ${placeOf(ctx.model, outer.span)}`,
            inner: inner.label,
            innerName: hopHeadlineName(inner, true),
            innerPlace: placeOf(ctx.model, inner.span),
            innerValue: valueText(need.ms),
            ...(Number.isFinite(need.ms) ? { innerMs: need.ms } : {}),
            innerDetail: needDetail(ctx.model, need),
            ...(aboveMax ? { maxKnob: limit.maxKnob ?? 'maximum', maxValue: valueText(limit.maxMs!) } : {}),
          },
          span: giveUp.timeout.span ?? outer.span,
          related,
          fixes: aboveMax || !Number.isFinite(longestMs) ? [] : raiseFix(ctx.model, outer, giveUp.timeout, limit, longestMs + marginMs),
        });
      }
    }
  },
});

/** Raises the limit to the code's worst case plus headroom, never above the platform's maximum. */
function raiseFix(model: WorkspaceModel, hop: Hop, timeout: HopTimeout, limit: PlatformLimit, needMs: number): Fix[] {
  let seconds = raisedSeconds(needMs);
  if (limit.maxMs !== undefined) seconds = Math.min(seconds, limit.maxMs / 1000);
  const edit = setPlatformLimitEdit(model, hop, timeout, seconds);
  if (!edit) return [];
  return [{ title: `Raise ${timeout.knob} of ${hop.label} to ${valueText(seconds * 1000)} (unsafe: runs and bills longer)`, safety: 'unsafe', edits: [edit] }];
}

function needDetail(model: WorkspaceModel, need: MayTake): string {
  const timer = need.cap ?? need.timeout;
  const source = describeTimeout(model, timer);
  if (need.cap) return `${timer.knob} ${valueText(timer.ms!)} caps all attempts, ${source}`;
  if (need.attempts > 1) return `${need.attempts} attempts × ${timer.knob} ${valueText(need.perAttemptMs)}, ${source}; ${need.attemptsInfo?.knob ?? 'retries'} ${need.attemptsInfo?.source === 'default' ? 'by default' : 'as set'}`;
  return `${timer.knob} ${valueText(timer.ms!)}, ${source}`;
}
