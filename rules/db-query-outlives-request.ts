// Reports a database client whose queries a route runs behind a gateway that gives up, when nothing ends a query by then: the work outlives the request.
import { QUERY_BOUND_ROLES } from '../server/src/engine/inputs/ts/db/specs.js';
import { CACHE_LIBRARIES, type DbTimeout } from '../server/src/engine/inputs/ts/db/types.js';
import type { DbUse } from '../server/src/engine/inputs/ts/db/links.js';
import { defineRule } from '../server/src/engine/rule.js';
import type { Related } from '../server/src/engine/types.js';
import { chainRelated, valueText } from './util/chain-hops.js';
import { budgetWords, clientLabel, dbPathsOf, dbRelated, describeDbTimeout, resolveDbTimeouts, type DbPath } from './util/db-chains.js';
import { queryBoundFixes } from './util/db-edits.js';
import { placeOf } from './util/places.js';

// Each further query through the same client is one related location; past this many the list would bury the chain.
const MAX_RELATED_QUERIES = 5;

export default defineRule({
  id: 'db-query-outlives-request',
  description: 'A database query a route runs behind a gateway must be bounded by a statement or socket timeout no longer than the gateway waits.',
  defaultSeverity: 'warning',
  fixable: 'sometimes',
  inputs: ['nginx', 'k8s', 'ts'],
  options: { schema: { type: 'object', additionalProperties: false, properties: {} }, defaults: {} },
  messages: {
    noBound:
      '{client} has no {boundKnob}, but {route} runs {method} through it ({queryPlace}) behind {gateway}, which gives up after {gatewayValue} ({gatewayKnob}, {gatewaySource}); a slow query keeps running after the client got its 504, and retries pile more on the database.',
    boundAboveBudget:
      '{client} lets a query run for {boundValue} ({boundKnob}, {boundSource}), but {route} runs {method} through it ({queryPlace}) behind {gateway}, which gives up after {gatewayValue} ({gatewayKnob}, {gatewaySource}); the query outlives the request.',
  },
  check(ctx) {
    // One finding per client: its least bounded query, against the gateway that gives up soonest in front of it.
    const byClient = new Map<string, Verdict[]>();
    const paths = dbPathsOf(ctx.model).filter((p) => p.budget).sort((a, b) => a.budget!.ms - b.budget!.ms);
    for (const path of paths) {
      for (const use of path.uses) {
        if (CACHE_LIBRARIES.has(use.client.library)) continue;
        const key = `${use.clientFile}:${use.client.span.start}`;
        const verdicts = byClient.get(key) ?? [];
        if (verdicts.some((v) => v.use.query === use.query)) continue;
        const verdict = judge(path, use);
        if (verdict) verdicts.push(verdict);
        byClient.set(key, verdicts);
      }
    }
    for (const verdicts of byClient.values()) {
      const worst = verdicts.find((v) => !v.tightest) ?? verdicts.sort((a, b) => b.tightest!.ms! - a.tightest!.ms!)[0];
      if (!worst) continue;
      const { path, use, tightest, bounds } = worst;
      const budget = path.budget!;
      const { client, query } = use;
      const common = {
        client: `${clientLabel(client)}${client.variable ? ` ${client.variable}` : ''}`,
        route: path.handler.label,
        method: query.method,
        queryPlace: placeOf(ctx.model, query.span),
        ...budgetWords(ctx.model, budget),
        gatewayMs: budget.ms,
      };
      const others = verdicts.filter((v) => v !== worst).slice(0, MAX_RELATED_QUERIES);
      const related: Related[] = [
        ...dbRelated(ctx.model, budget, use, client.span),
        ...others.map((o) => ({ span: o.use.query.span, message: `${o.use.query.method} runs through it too` })),
        ...chainRelated(ctx.model, path.chain, [budget.hop]),
      ];
      if (!tightest) {
        // A bound written as 0 is the author's choice: name it, and leave the value to them.
        const disabled = bounds.find((t) => t.disabled && t.span);
        if (disabled) related.unshift({ span: disabled.span!, message: `${disabled.option}: 0 switches it off` });
        ctx.report({
          messageId: 'noBound',
          data: { ...common, boundKnob: disabled ? `${disabled.option} (0 at ${placeOf(ctx.model, disabled.span!)} switches it off)` : boundKnobOf(client.library) },
          span: client.span,
          related,
          fixes: disabled ? [] : queryBoundFixes(ctx.model, client, budget.ms),
        });
      } else {
        if (tightest.span) related.unshift({ span: tightest.span, message: `${tightest.option} ${valueText(tightest.ms!)} (${describeDbTimeout(ctx.model, tightest)})` });
        ctx.report({
          messageId: 'boundAboveBudget',
          data: { ...common, boundKnob: tightest.option, boundValue: valueText(tightest.ms!), boundMs: tightest.ms!, boundSource: describeDbTimeout(ctx.model, tightest) },
          span: client.span,
          related,
        });
      }
    }
  },
});

/** A query that may outlive the request: nothing bounds it (`tightest` absent), or its tightest bound is longer than the gateway waits. */
interface Verdict {
  path: DbPath;
  use: DbUse;
  bounds: DbTimeout[];
  tightest?: DbTimeout;
}

/** Undefined when the query is bounded in time, or when a bound cannot be read (unknown, never "none"). */
function judge(path: DbPath, use: DbUse): Verdict | undefined {
  const timeouts = [...resolveDbTimeouts(use.client, path.env), ...use.query.timeouts];
  const bounds = timeouts.filter((t) => QUERY_BOUND_ROLES.has(t.role) && !t.clientOnly);
  if (bounds.some((t) => t.ms === undefined && !t.disabled && t.source !== 'none')) return undefined;
  if (use.client.optionsUnknown && !bounds.some((t) => t.source === 'set')) return undefined;
  const tightest = bounds.filter((t) => t.ms !== undefined && t.ms > 0 && !t.disabled).sort((a, b) => a.ms! - b.ms!)[0];
  if (tightest && tightest.ms! <= path.budget!.ms) return undefined;
  return { path, use, bounds, ...(tightest ? { tightest } : {}) };
}

/** What bounds a query of this client, in its own words. */
function boundKnobOf(library: string): string {
  switch (library) {
    case 'prisma':
      return 'socket_timeout in its connection string';
    case 'mongodb':
    case 'mongoose':
      return 'timeoutMS or socketTimeoutMS';
    case 'mysql2':
      return 'query timeout';
    default:
      return 'statement_timeout';
  }
}
