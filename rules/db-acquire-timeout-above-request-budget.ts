// Reports a connection-acquire, server-selection or buffering wait of a database client longer than the gateway in front of the route waits.
import { defineRule } from '../server/src/engine/rule-api.js';
import { type DbTimeout, WAIT_ROLES } from '../server/src/engine/inputs/ts/api.js';
import { chainRelated, valueText } from './util/chain-hops.js';
import { budgetWords, clientLabel, dbPathsOf, dbRelated, describeDbTimeout, resolveDbTimeouts } from './util/db-chains.js';
import { placeOf } from './util/places.js';

export default defineRule({
  id: 'db-acquire-timeout-above-request-budget',
  description: 'A database client must give up waiting for a pooled connection or a server before the gateway in front of the route gives up on the request.',
  defaultSeverity: 'warning',
  fixable: 'never',
  inputs: ['nginx', 'k8s', 'ts', 'postgres'],
  options: { schema: { type: 'object', additionalProperties: false, properties: {} }, defaults: {} },
  messages: {
    waitAboveBudget:
      '{client} waits {waitValue} for {waitShort}; the gateway gives up at {gatewayValue}. It waits for {waitWhat}. {waitKnob}: {waitSource} ({clientPlace}); {gateway}: {gatewayKnob}, {gatewaySource}, in front of {route}. A saturated pool or an unreachable database shows up as gateway timeouts instead of fast errors the handler could answer.',
  },
  check(ctx) {
    const reported = new Set<string>();
    const paths = dbPathsOf(ctx.model).filter((p) => p.budget).sort((a, b) => a.budget!.ms - b.budget!.ms);
    for (const path of paths) {
      const budget = path.budget!;
      for (const use of path.uses) {
        const timeouts = resolveDbTimeouts(ctx.model, use.client, path.env);
        for (const role of WAIT_ROLES) {
          const wait = effectiveWait(timeouts.filter((t) => t.role === role));
          if (!wait || wait.ms! <= budget.ms) continue;
          const key = `${use.client.span.file}:${use.client.span.start}:${role}`;
          if (reported.has(key)) continue;
          reported.add(key);
          const span = wait.span && ctx.model.sources.has(wait.span.file) ? wait.span : use.client.span;
          ctx.report({
            messageId: 'waitAboveBudget',
            data: {
              client: `${clientLabel(use.client)}${use.client.variable ? ` ${use.client.variable}` : ''}`,
              clientPlace: placeOf(ctx.model, use.client.span),
              waitValue: valueText(wait.ms!),
              waitMs: wait.ms!,
              waitWhat: WAIT_WORDS[role] ?? role,
              waitShort: WAIT_SHORT_WORDS[role] ?? role,
              waitKnob: wait.option,
              waitSource: describeDbTimeout(ctx.model, wait),
              route: path.handler.label,
              ...budgetWords(ctx.model, budget),
              gatewayMs: budget.ms,
            },
            span,
            related: [...dbRelated(ctx.model, budget, { ...use, query: use.query }, span), ...chainRelated(ctx.model, path.chain, [budget.hop])],
          });
        }
      }
    }
  },
});

/** The same waits in a headline. */
const WAIT_SHORT_WORDS: Record<string, string> = {
  acquire: 'a connection',
  'server-selection': 'a server',
  buffer: 'the connection',
};

const WAIT_WORDS: Record<string, string> = {
  acquire: 'a pooled connection',
  'server-selection': 'a server to send the query to',
  buffer: 'the connection before it sends a buffered operation',
};

/** The wait in effect for one role: the smallest known timer (Knex takes the smaller of its two); undefined when none is finite or one is unknown. */
function effectiveWait(timeouts: DbTimeout[]): DbTimeout | undefined {
  if (timeouts.some((t) => t.ms === undefined && !t.disabled && t.source !== 'none')) return undefined;
  const finite = timeouts.filter((t) => t.ms !== undefined && t.ms > 0 && !t.disabled).sort((a, b) => a.ms! - b.ms!);
  return finite[0];
}
