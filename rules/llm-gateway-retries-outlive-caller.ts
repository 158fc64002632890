// Reports an LLM gateway (a LiteLLM model) whose timeout times its attempts, plus its fallback models, outlasts the caller in front of it.
import { chainsOf, defineRule, giveUpAfter, mayTake, type Fix, type Hop, type MayTake, type Related, type TextEdit, type WorkspaceModel } from '../server/src/engine/rule-api.js';
import { chainRelated, describeTimeout, valueText } from './util/chain-hops.js';

export default defineRule({
  id: 'llm-gateway-retries-outlive-caller',
  description: 'An LLM gateway must give up on a model, retries and fallbacks included, before the caller in front of it does.',
  defaultSeverity: 'warning',
  fixable: 'sometimes',
  inputs: ['litellm'],
  options: { schema: { type: 'object', additionalProperties: false, properties: {} }, defaults: {} },
  messages: {
    gatewayOutlivesCaller:
      'The caller gives up at {callerValue}; the gateway may retry {model} for {gatewayValue}. {caller} ({callerKnob}, {callerSource}) fails while {gateway} still works and bills the provider: {detail}.',
  },
  check(ctx) {
    const reported = new Set<string>();
    for (const chain of chainsOf(ctx.model).chains) {
      chain.hops.forEach((gateway, index) => {
        if (gateway.kind !== 'llm-gateway' || index === 0) return;
        const caller = chain.hops[index - 1]!;
        const giveUp = giveUpAfter(caller, gateway.streaming === true);
        const need = mayTake(gateway);
        if (!giveUp || !need || giveUp.ms >= need.ms) return;
        const timer = need.cap ?? need.timeout;
        const span = timer.source === 'set' && timer.span ? timer.span : gateway.span;
        const key = `${giveUp.timeout.span?.file ?? caller.span.file}:${giveUp.timeout.span?.start ?? caller.span.start}:${gateway.span.file}:${gateway.span.start}`;
        if (reported.has(key)) return;
        reported.add(key);
        const related: Related[] = [{ span: giveUp.timeout.span ?? caller.span, message: `${caller.label}: ${giveUp.timeout.knob} ${valueText(giveUp.ms)} (${describeTimeout(ctx.model, giveUp.timeout)})` }];
        if (timer.span && timer.span !== span) related.push({ span: timer.span, message: `${gateway.label}: ${timer.knob} ${valueText(timer.ms!)} (${describeTimeout(ctx.model, timer)})` });
        if (need.attemptsInfo?.span) related.push({ span: need.attemptsInfo.span, message: `${need.attemptsInfo.knob}: ${need.attempts} attempts` });
        for (let fallback = gateway.fallback; fallback; fallback = fallback.fallback) related.push({ span: fallback.span, message: `fallback ${fallback.label}` });
        related.push(...chainRelated(ctx.model, chain, [caller, gateway]));
        ctx.report({
          messageId: 'gatewayOutlivesCaller',
          data: {
            caller: caller.label,
            callerValue: valueText(giveUp.ms),
            callerMs: giveUp.ms,
            callerKnob: giveUp.timeout.knob,
            callerSource: describeTimeout(ctx.model, giveUp.timeout),
            gateway: gateway.label,
            model: modelName(gateway),
            gatewayValue: valueText(need.ms),
            gatewayMs: need.ms,
            attempts: need.attempts,
            detail: detailOf(ctx.model, need),
          },
          span,
          related,
          fixes: fixesFor(ctx.model, gateway, need, giveUp.ms),
        });
      });
    }
  },
});

function modelName(hop: Hop): string {
  return hop.ref.kind === 'litellm' ? hop.ref.model.name : hop.label;
}

function detailOf(model: WorkspaceModel, need: MayTake): string {
  const timer = need.cap ?? need.timeout;
  let text = `${need.attempts} attempt${need.attempts === 1 ? '' : 's'} × ${timer.knob} ${valueText(need.perAttemptMs)} (${describeTimeout(model, timer)}${need.attemptsInfo ? `; ${need.attemptsInfo.knob} ${need.attemptsInfo.source === 'default' ? 'by default' : 'as set'}` : ''})`;
  for (let fallback = need.fallback; fallback; fallback = fallback.fallback) text += `, then ${valueText(fallback.ms)} on a fallback model`;
  return text;
}

/**
 * Lowers the model's own timeout so that every attempt fits in the caller's time: only for a
 * number written on the model (a router-wide value bounds other models too) and without fallbacks
 * (their time would still add up). It changes behaviour: unsafe.
 */
function fixesFor(model: WorkspaceModel, gateway: Hop, need: MayTake, callerMs: number): Fix[] {
  if (need.fallback || need.cap || gateway.ref.kind !== 'litellm') return [];
  const timer = need.timeout;
  if (timer.source !== 'set' || !timer.span || timer.knob !== 'litellm_params.timeout') return [];
  const seconds = Math.floor(callerMs / need.attempts / 1000);
  if (seconds < 1) return [];
  const source = model.sources.get(timer.span.file);
  const written = source?.text.slice(timer.span.start, timer.span.end) ?? '';
  if (!/^\d+(\.\d+)?$/.test(written)) return [];
  const edit: TextEdit = { file: timer.span.file, start: timer.span.start, end: timer.span.end, newText: String(seconds) };
  return [{ title: `Lower litellm_params.timeout of ${gateway.label} to ${seconds} s so ${need.attempts} attempts fit in the caller's ${valueText(callerMs)}`, safety: 'unsafe', edits: [edit] }];
}
