// Reports container probes whose timeoutSeconds is not below their periodSeconds, written or defaulted.
import { isCollection, isMap, isPair, visit, type YAMLMap } from 'yaml';
import { defineRule, type Fix, type Related, type Span } from '../server/src/engine/rule-api.js';
import type { ContainerFacts, EffectiveDuration, K8sObject, ProbeFacts } from '../server/src/engine/inputs/k8s/api.js';
import { insertKeyEdit, replaceValueEdit } from './util/k8s-route-edits.js';
import { objectLabel, sourceOf } from './util/k8s-route-facts.js';

export default defineRule<Record<string, never>>({
  id: 'probe-timeout-not-below-period',
  description: 'A probe\'s timeoutSeconds must be below its periodSeconds.',
  defaultSeverity: 'warning',
  fixable: 'sometimes',
  inputs: ['k8s'],
  options: { schema: { type: 'object', additionalProperties: false, properties: {} }, defaults: {} },
  messages: {
    timeoutAbovePeriod:
      '{probe}Probe timeoutSeconds {timeoutSeconds} is above its periodSeconds {periodSeconds}. In {workload}, container {container} ({timeoutSource}; {periodSource}) kubelet runs one probe at a time, so while the endpoint is slow the probe runs every {timeoutSeconds}s, not every {periodSeconds}s, and a hung container is noticed only after {detectSeconds}s ({failureThreshold} failures).',
    timeoutEqualsPeriod:
      '{probe}Probe timeoutSeconds {timeoutSeconds} equals its periodSeconds {periodSeconds}. In {workload}, container {container} ({timeoutSource}; {periodSource}) kubelet runs one probe at a time, so while the endpoint is slow each probe starts the moment the last one timed out and the container is probed without pause.',
  },
  check(ctx) {
    const owners: Array<{ object: K8sObject; containers: ContainerFacts[] }> = [...ctx.model.k8s.workloads, ...ctx.model.k8s.knativeServices];
    for (const { object, containers } of owners) {
      for (const container of containers) {
        for (const probe of container.probes) {
          const timeoutMs = probe.timeout.ms;
          const periodMs = probe.period.ms;
          if (timeoutMs === undefined || periodMs === undefined || timeoutMs < periodMs) continue;
          if (probe.timeout.written?.unresolved || probe.period.written?.unresolved) continue;
          // With periodSeconds 1 no smaller timeout exists (both fields are whole seconds, minimum 1).
          if (timeoutMs === periodMs && periodMs <= 1000) continue;
          report(object, containers, container, probe, timeoutMs / 1000, periodMs / 1000);
        }
      }
    }

    function report(object: K8sObject, containers: ContainerFacts[], container: ContainerFacts, probe: ProbeFacts, timeoutSeconds: number, periodSeconds: number): void {
      const source = ctx.model.sources.get(object.file);
      const probeMap = source ? mapAt(object, probe.span) : undefined;
      const fixes: Fix[] = [];
      // Raising the period keeps the tolerance the author gave the endpoint; lowering the timeout could fail a slow but healthy one (restarts, for liveness).
      const raisedPeriod = String(timeoutSeconds + 1);
      const raise = !source ? undefined
        : probe.period.written ? replaceValueEdit(source, probe.period.written.span, raisedPeriod)
        : probeMap ? insertKeyEdit(source, probeMap, 'periodSeconds', raisedPeriod, object.node) : undefined;
      if (raise) fixes.push({ title: `Raise periodSeconds to ${raisedPeriod} (unsafe: failures are noticed later)`, safety: 'unsafe', edits: [raise] });
      if (periodSeconds >= 2 && probe.timeout.written && source) {
        const lowered = String(periodSeconds - 1);
        fixes.push({ title: `Lower timeoutSeconds to ${lowered}`, safety: 'unsafe', edits: [replaceValueEdit(source, probe.timeout.written.span, lowered)!] });
      }
      const related: Related[] = [];
      if (probe.timeout.written && probe.period.written) related.push({ span: probe.period.written.span, message: `periodSeconds ${probe.period.written.text} is set here` });
      const span: Span = probe.timeout.written?.span ?? probe.period.written?.span ?? probe.keySpan;
      const failureThreshold = probe.failureThreshold.value ?? 3;
      // Defaults: timeoutSeconds 1, periodSeconds 10 (reference/timeout-facts.md §10).
      const describe = (value: EffectiveDuration): string => (value.source === 'set' ? sourceOf(ctx.model, value) : 'the default, not set');
      ctx.report({
        messageId: timeoutSeconds > periodSeconds ? 'timeoutAbovePeriod' : 'timeoutEqualsPeriod',
        data: {
          probe: probe.probe,
          container: container.name?.text ?? `#${containers.indexOf(container)}`,
          workload: objectLabel(object),
          timeoutSeconds,
          timeoutSource: describe(probe.timeout),
          periodSeconds,
          periodSource: describe(probe.period),
          failureThreshold,
          detectSeconds: failureThreshold * timeoutSeconds,
        },
        span,
        related,
        fixes,
      });
    }
  },
});

/**
 * The mapping node whose range is `span` (the probe's mapping), found in the object's tree. Every
 * re-lint reports each slow probe again: the search goes down through the collections whose range
 * holds the span (a few steps) and walks the whole object only when that finds nothing.
 */
function mapAt(object: K8sObject, span: Span): YAMLMap | undefined {
  return mapAlongRange(object.node, span) ?? mapByWalk(object, span);
}

function mapAlongRange(start: unknown, span: Span): YAMLMap | undefined {
  let node = start;
  for (let depth = 0; depth < 64 && node; depth++) {
    if (isMap(node) && node.range && node.range[0] === span.start && node.range[1] === span.end) return node;
    if (!isCollection(node)) return undefined;
    let next: unknown;
    for (const item of node.items as unknown[]) {
      for (const child of isPair(item) ? [item.key, item.value] : [item]) {
        const range = (child as { range?: [number, number, number] } | null)?.range;
        if (range && range[0] <= span.start && span.end <= range[1]) next = child;
      }
      if (next) break;
    }
    node = next;
  }
  return undefined;
}

function mapByWalk(object: K8sObject, span: Span): YAMLMap | undefined {
  let found: YAMLMap | undefined;
  visit(object.node, {
    Map(_key, node) {
      if (isMap(node) && node.range && node.range[0] === span.start && node.range[1] === span.end) {
        found = node;
        return visit.BREAK;
      }
      return undefined;
    },
  });
  return found;
}
