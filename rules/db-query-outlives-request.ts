// Reports a database query behind a gateway that gives up, when nothing ends the query by then: the work outlives the request.
import { QUERY_BOUND_ROLES } from '../server/src/engine/inputs/ts/db/specs.js';
import { CACHE_LIBRARIES, type DbTimeout } from '../server/src/engine/inputs/ts/db/types.js';
import { defineRule } from '../server/src/engine/rule.js';
import { chainRelated, valueText } from './util/chain-hops.js';
import { budgetWords, clientLabel, dbPathsOf, dbRelated, describeDbTimeout, resolveDbTimeouts } from './util/db-chains.js';
import { queryBoundFixes } from './util/db-edits.js';
import { placeOf } from './util/places.js';

export default defineRule({
  id: 'db-query-outlives-request',
  description: 'A database query a route runs behind a gateway must be bounded by a statement or socket timeout no longer than the gateway waits.',
  defaultSeverity: 'warning',
  fixable: 'sometimes',
  inputs: ['nginx', 'k8s', 'ts'],
  options: { schema: { type: 'object', additionalProperties: false, properties: {} }, defaults: {} },
  messages: {
    noBound:
      '{method} on {client} ({clientPlace}) has no {boundKnob}, but {gateway} gives up after {gatewayValue} ({gatewayKnob}, {gatewaySource}); a slow query keeps running after the client got its 504, and retries pile more on the database.',
    boundAboveBudget:
      '{method} on {client} ({clientPlace}) may run for {boundValue} ({boundKnob}, {boundSource}), but {gateway} gives up after {gatewayValue} ({gatewayKnob}, {gatewaySource}); the query outlives the request.',
  },
  check(ctx) {
    const reported = new Set<string>();
    // The tightest budget first, so each query is reported against the gateway that gives up soonest.
    const paths = dbPathsOf(ctx.model).filter((p) => p.budget).sort((a, b) => a.budget!.ms - b.budget!.ms);
    for (const path of paths) {
      const budget = path.budget!;
      for (const use of path.uses) {
        const { client, query } = use;
        if (CACHE_LIBRARIES.has(client.library)) continue;
        const key = `${use.queryFile}:${query.span.start}`;
        if (reported.has(key)) continue;
        const timeouts: DbTimeout[] = [...resolveDbTimeouts(client, path.env), ...query.timeouts];
        const bounds = timeouts.filter((t) => QUERY_BOUND_ROLES.has(t.role) && !t.clientOnly);
        // A bound that cannot be read may well be there: unknown, never "none".
        if (bounds.some((t) => t.ms === undefined && !t.disabled && t.source !== 'none')) continue;
        if (client.optionsUnknown && !bounds.some((t) => t.source === 'set')) continue;
        const finite = bounds.filter((t) => t.ms !== undefined && t.ms > 0 && !t.disabled).sort((a, b) => a.ms! - b.ms!);
        const tightest = finite[0];
        if (tightest && tightest.ms! <= budget.ms) continue;
        reported.add(key);
        const words = budgetWords(ctx.model, budget);
        const common = { method: query.method, client: `${clientLabel(client)}${client.variable ? ` ${client.variable}` : ''}`, clientPlace: placeOf(ctx.model, client.span), ...words, gatewayMs: budget.ms };
        const related = [...dbRelated(ctx.model, budget, use, query.span), ...chainRelated(ctx.model, path.chain, [budget.hop])];
        if (!tightest) {
          // A bound written as 0 is the author's choice: name it, and leave the value to them.
          const disabled = bounds.find((t) => t.disabled && t.span);
          if (disabled) related.unshift({ span: disabled.span!, message: `${disabled.option}: 0 switches it off` });
          ctx.report({
            messageId: 'noBound',
            data: { ...common, boundKnob: disabled ? `${disabled.option} (0 at ${placeOf(ctx.model, disabled.span!)} switches it off)` : boundKnobOf(client.library) },
            span: query.span,
            related,
            fixes: disabled ? [] : queryBoundFixes(ctx.model, client, budget.ms),
          });
        } else {
          if (tightest.span) related.unshift({ span: tightest.span, message: `${tightest.option} ${valueText(tightest.ms!)} (${describeDbTimeout(ctx.model, tightest)})` });
          ctx.report({
            messageId: 'boundAboveBudget',
            data: { ...common, boundKnob: tightest.option, boundValue: valueText(tightest.ms!), boundMs: tightest.ms!, boundSource: describeDbTimeout(ctx.model, tightest) },
            span: query.span,
            related,
          });
        }
      }
    }
  },
});

/** What bounds a query of this client, in its own words. */
function boundKnobOf(library: string): string {
  switch (library) {
    case 'pg':
    case 'postgres':
    case 'knex':
    case 'typeorm':
    case 'sequelize':
      return 'statement_timeout';
    case 'prisma':
      return 'socket_timeout in its connection string';
    case 'mongodb':
    case 'mongoose':
      return 'timeoutMS or socketTimeoutMS';
    case 'mysql2':
      return 'query timeout';
    default:
      return 'query timeout';
  }
}
