// Reports a database client whose queries a route runs behind a gateway that gives up, when nothing ends a query by then: the work outlives the request.
import { type Related, type WorkspaceModel, defineRule } from '../server/src/engine/rule-api.js';
import { CACHE_LIBRARIES, type DbTimeout, type DbUse, QUERY_BOUND_ROLES } from '../server/src/engine/inputs/ts/api.js';
import { chainRelated } from './util/chain-hops.js';
import { budgetWords, clientLabel, dbPathsOf, dbRelated, resolveDbTimeouts, type DbPath } from './util/db-chains.js';
import { queryBoundFixes } from './util/db-edits.js';
import { placeOf } from './util/places.js';

// Each further query through the same client is one related location; past this many the list would bury the chain.
const MAX_RELATED_QUERIES = 5;

export default defineRule({
  id: 'db-query-outlives-request',
  description: 'A database query a route runs behind a gateway must be bounded by a statement or socket timeout no longer than the gateway waits.',
  defaultSeverity: 'warning',
  fixable: 'sometimes',
  inputs: ['nginx', 'k8s', 'ts', 'postgres'],
  options: { schema: { type: 'object', additionalProperties: false, properties: {} }, defaults: {} },
  messages: {
    noBound:
      '{gatewayName} gives up at {gatewayValue}; {client} has no {boundShort}. {client} has no {boundKnob}, and {route} runs {method} through it ({queryPlace}) behind {gateway}: {gatewayKnob}, {gatewaySource}. A slow query keeps running after the client got its 504, and retries pile more on the database.',
  },
  check(ctx) {
    // One finding per client: its first unbounded query, against the gateway that gives up soonest in front of it.
    const byClient = new Map<string, Verdict[]>();
    const paths = dbPathsOf(ctx.model).filter((p) => p.budget).sort((a, b) => a.budget!.ms - b.budget!.ms);
    for (const path of paths) {
      for (const use of path.uses) {
        if (CACHE_LIBRARIES.has(use.client.library)) continue;
        const key = `${use.clientFile}:${use.client.span.start}`;
        const verdicts = byClient.get(key) ?? [];
        if (verdicts.some((v) => v.use.query === use.query)) continue;
        const verdict = judge(ctx.model, path, use);
        if (verdict) verdicts.push(verdict);
        byClient.set(key, verdicts);
      }
    }
    for (const verdicts of byClient.values()) {
      const worst = verdicts[0];
      if (!worst) continue;
      const { path, use, bounds } = worst;
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
      // A bound written as 0 is the author's choice: name it, and leave the value to them.
      const disabled = bounds.find((t) => t.disabled && t.span);
      if (disabled) related.unshift({ span: disabled.span!, message: `${disabled.option}: 0 switches it off` });
      ctx.report({
        messageId: 'noBound',
        data: { ...common, boundKnob: disabled ? `${disabled.option} (0 at ${placeOf(ctx.model, disabled.span!)} switches it off)` : boundKnobOf(client.library), boundName: disabled ? `${disabled.option} (0 switches it off)` : boundKnobOf(client.library), boundShort: disabled ? disabled.option : boundKnobOf(client.library).replace(/ in its connection string$/, '') },
        span: client.span,
        related,
        fixes: disabled ? [] : queryBoundFixes(ctx.model, client, budget.ms),
      });
    }
  },
});

/** A query nothing bounds in time. */
interface Verdict {
  path: DbPath;
  use: DbUse;
  bounds: DbTimeout[];
}

/**
 * Undefined when the query is bounded in time, or when a bound cannot be read (unknown, never "none").
 * A bound longer than the gateway waits, the client's or a server-side one, is outer-timeout-below-inner's
 * to report: the database hop of the chain carries it, with the line that sets it.
 */
function judge(model: WorkspaceModel, path: DbPath, use: DbUse): Verdict | undefined {
  const timeouts = [...resolveDbTimeouts(model, use.client, path.env), ...use.query.timeouts];
  const bounds = timeouts.filter((t) => QUERY_BOUND_ROLES.has(t.role) && !t.clientOnly);
  if (bounds.some((t) => t.ms === undefined && !t.disabled && t.source !== 'none')) return undefined;
  if (use.client.optionsUnknown && !bounds.some((t) => t.source === 'set')) return undefined;
  // A server-side bound (postgresql.conf, `ALTER ROLE … SET statement_timeout`) counts as the client's own when the client sets none.
  if (bounds.some((t) => t.ms !== undefined && t.ms > 0 && !t.disabled)) return undefined;
  return { path, use, bounds };
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
