// Reports a workload whose shutdown grace period ends before the longest request it serves can finish (preStop sleep included).
import { chainsOf, defineRule, giveUpAfter, mayTake, type Chain, type Fix, type GiveUp, type Hop, type HopTimeout, type MayTake, type Related, type Span, type TextEdit, type WorkspaceModel } from '../server/src/engine/rule-api.js';
import type { ContainerFacts, WorkloadFacts } from '../server/src/engine/inputs/k8s/api.js';
import { chainRelated, describeTimeout, valueText } from './util/chain-hops.js';
import { headlineName, placeOf } from './util/places.js';
import { insertMapEntryEdit, replaceScalarEdit } from './util/yaml-edits.js';

/** Hops that run inside the workload's pods: the calls after them are requests the pod serves. */
const INSIDE = new Set<Hop['kind']>(['code-server', 'route-handler', 'outbound-call']);
/** Headroom the fix adds on top of the request and the preStop sleep. */
const FIX_MARGIN_MS = 5000;

/** The longest request a workload serves along one chain. */
interface Longest {
  chain: Chain;
  workloadHop: Hop;
  call: Hop;
  need: MayTake;
  /** The hop in front of the workload that gives up sooner than the call may take. */
  cutBy?: { hop: Hop; giveUp: GiveUp };
  /** What the pod must wait for: the call's time, or the gateway's when that is shorter. */
  ms: number;
}

export default defineRule({
  id: 'termination-grace-below-request-time',
  description: 'A workload\'s terminationGracePeriodSeconds must exceed the longest request it serves plus its preStop sleep.',
  defaultSeverity: 'warning',
  fixable: 'sometimes',
  inputs: ['k8s', 'ts'],
  options: { schema: { type: 'object', additionalProperties: false, properties: {} }, defaults: {} },
  messages: {
    graceBelowRequest:
      '{workloadName} gets {graceValue} to shut down; its requests may take {requestValue}. Workload: {workload}. terminationGracePeriodSeconds: {graceSource}; the longest request: {requestDetail}{preStop}. A pod stopped by a rollout or scale-down is killed with such requests still running.',
  },
  check(ctx) {
    const longest = new Map<WorkloadFacts, Longest>();
    for (const chain of chainsOf(ctx.model).chains) {
      chain.hops.forEach((hop, index) => {
        if (hop.ref.kind !== 'workload') return;
        const found = longestRequest(chain, index);
        if (!found) return;
        const previous = longest.get(hop.ref.workload);
        if (!previous || found.ms > previous.ms) longest.set(hop.ref.workload, found);
      });
    }
    for (const [workload, request] of longest) {
      const grace = workload.terminationGracePeriod;
      if (grace.ms === undefined) continue;
      const container = servingContainer(request.workloadHop, workload);
      const preStop = container?.preStop;
      const preStopMs = preStop?.sleep?.ms ?? 0;
      const neededMs = request.ms + preStopMs;
      if (grace.ms > neededMs) continue;
      const graceTimeout: HopTimeout = { kind: 'total', knob: 'terminationGracePeriodSeconds', text: grace.written?.text ?? '30', ms: grace.ms, source: grace.source, factsRef: grace.factsRef };
      if (grace.written) graceTimeout.span = grace.written.span;
      const span = grace.written?.span ?? workload.object.name?.span ?? workload.podSpecSpan;
      const { call, need, cutBy } = request;
      const timer = need.cap ?? need.timeout;
      const related: Related[] = [{ span: timer.span ?? call.span, message: `${call.label}: ${callDetail(ctx.model, need)}` }];
      if (timer.span) related.push({ span: call.span, message: call.label });
      if (cutBy) related.push({ span: cutBy.giveUp.timeout.span ?? cutBy.hop.span, message: `${cutBy.hop.label} gives up after ${valueText(cutBy.giveUp.ms)} (${cutBy.giveUp.timeout.knob}, ${describeTimeout(ctx.model, cutBy.giveUp.timeout)})` });
      if (preStop && preStopMs > 0) related.push({ span: preStop.sleep?.span ?? preStop.span, message: `preStop sleeps ${valueText(preStopMs)} inside the grace period` });
      related.push(...chainRelated(ctx.model, request.chain, [request.workloadHop, call, ...(cutBy ? [cutBy.hop] : [])]));
      const seconds = Math.ceil((neededMs + FIX_MARGIN_MS) / 5000) * 5;
      const edit = graceEdit(ctx.model, workload, seconds);
      const fixes: Fix[] = edit ? [{ title: `Set terminationGracePeriodSeconds of ${request.workloadHop.label} to ${seconds} (unsafe: pods take longer to stop)`, safety: 'unsafe', edits: [edit] }] : [];
      ctx.report({
        messageId: 'graceBelowRequest',
        data: {
          workload: request.workloadHop.label,
          workloadName: headlineName(request.workloadHop.label),
          graceValue: valueText(grace.ms),
          graceMs: grace.ms,
          graceSource: describeTimeout(ctx.model, graceTimeout),
          requestValue: valueText(request.ms),
          requestMs: request.ms,
          requestDetail: requestDetail(ctx.model, request),
          requestPlace: placeOf(ctx.model, timer.span ?? call.span),
          preStop: preStop && preStopMs > 0 ? ` plus its preStop sleep of ${valueText(preStopMs)} at ${placeOf(ctx.model, preStop.sleep?.span ?? preStop.span)}` : '',
          preStopMs,
          neededMs,
        },
        span,
        related,
        fixes,
      });
    }
  },
});

/** The longest of the calls the workload's code makes along the chain, cut by the nearest hop in front of the workload that gives up. */
function longestRequest(chain: Chain, workloadIndex: number): Longest | undefined {
  let best: { call: Hop; need: MayTake } | undefined;
  for (let j = workloadIndex + 1; j < chain.hops.length && INSIDE.has(chain.hops[j]!.kind); j++) {
    const hop = chain.hops[j]!;
    if (hop.kind !== 'outbound-call') continue;
    const need = mayTake(hop);
    // A library default (undici's 300 s) says how long an ordinary call may hang, not how long it runs:
    // only LLM calls, slow by nature, and calls with a timer written for them count.
    if (!need || (hop.llm !== true && hop.timeouts.every((t) => t.source === 'default'))) continue;
    if (!best || need.ms > best.need.ms) best = { call: hop, need };
  }
  if (!best) return undefined;
  const workloadHop = chain.hops[workloadIndex]!;
  const found: Longest = { chain, workloadHop, call: best.call, need: best.need, ms: best.need.ms };
  for (let i = workloadIndex - 1; i >= 0; i--) {
    const hop = chain.hops[i]!;
    const giveUp = giveUpAfter(hop, best.call.streaming === true);
    if (!giveUp) continue;
    if (giveUp.ms < found.ms) {
      found.ms = giveUp.ms;
      found.cutBy = { hop, giveUp };
    }
    break;
  }
  // An unbounded call (an AI SDK call with no timeout) that nothing in front cuts has no request time to compare: llm-call-without-timeout reports it.
  return Number.isFinite(found.ms) ? found : undefined;
}

/** The container the chain reached, else the first main container. */
function servingContainer(hop: Hop, workload: WorkloadFacts): ContainerFacts | undefined {
  if (hop.ref.kind === 'workload' && hop.ref.container) return hop.ref.container;
  return workload.containers.find((c) => !c.init);
}

function callDetail(model: WorkspaceModel, need: MayTake): string {
  const timer = need.cap ?? need.timeout;
  const source = describeTimeout(model, timer);
  if (need.cap) return `${timer.knob} ${valueText(timer.ms!)} caps all attempts, ${source}`;
  if (need.attempts > 1) return `${need.attempts} attempts × ${timer.knob} ${valueText(need.perAttemptMs)}, ${source}`;
  return `${timer.knob} ${valueText(timer.ms!)}, ${source}`;
}

function requestDetail(model: WorkspaceModel, request: Longest): string {
  const call = `${request.call.label}: ${callDetail(model, request.need)}`;
  if (!request.cutBy) return call;
  const { hop, giveUp } = request.cutBy;
  return `${hop.label} gives up after ${giveUp.timeout.knob} ${valueText(giveUp.ms)}, ${describeTimeout(model, giveUp.timeout)}, before ${call}`;
}

/** Replaces the written `terminationGracePeriodSeconds`, or adds it to the pod spec. */
function graceEdit(model: WorkspaceModel, workload: WorkloadFacts, seconds: number): TextEdit | undefined {
  const source = model.sources.get(workload.object.file);
  if (!source) return undefined;
  const { view, node } = workload.object;
  const podSpec = view.asMap(view.getIn(node, [...templatePath(workload), 'spec']));
  if (!podSpec || podSpec.anchor) return undefined;
  const written = workload.terminationGracePeriod.written;
  if (written) {
    // A value merged in from an anchor is shared with other objects: leave it.
    if (!within(written.span, workload.podSpecSpan)) return undefined;
    const scalar = view.scalar(view.get(podSpec, 'terminationGracePeriodSeconds'));
    return scalar ? replaceScalarEdit(scalar, String(seconds)) : undefined;
  }
  return insertMapEntryEdit(source, podSpec, 'terminationGracePeriodSeconds', String(seconds));
}

function templatePath(workload: WorkloadFacts): string[] {
  switch (workload.kind) {
    case 'Pod':
      return [];
    case 'CronJob':
      return ['spec', 'jobTemplate', 'spec', 'template'];
    default:
      return ['spec', 'template'];
  }
}

function within(inner: Span, outer: Span): boolean {
  return inner.file === outer.file && inner.start >= outer.start && inner.end <= outer.end;
}
