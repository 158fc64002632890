// Reports an interactive transaction (Prisma `$transaction`) allowed to run longer than the gateway in front of the route waits.
import { defineRule } from '../server/src/engine/rule-api.js';
import { chainRelated, valueText } from './util/chain-hops.js';
import { budgetWords, dbPathsOf, dbRelated, describeDbTimeout } from './util/db-chains.js';

export default defineRule({
  id: 'db-transaction-timeout-above-route-budget',
  description: 'An interactive database transaction a route runs must time out (wait to start included) before the gateway in front of the route gives up.',
  defaultSeverity: 'warning',
  fixable: 'never',
  inputs: ['nginx', 'k8s', 'ts', 'postgres'],
  options: { schema: { type: 'object', additionalProperties: false, properties: {} }, defaults: {} },
  messages: {
    transactionAboveBudget:
      '{gatewayName} gives up at {gatewayValue}; this transaction may take {totalValue}. In front of it: {gateway}. Transaction timeout {timeoutValue} ({timeoutSource}) plus maxWait {waitValue} ({waitSource}); {gatewayKnob}: {gatewaySource}. The transaction holds its locks and commits after the client got its 504.',
  },
  check(ctx) {
    const reported = new Set<string>();
    const paths = dbPathsOf(ctx.model).filter((p) => p.budget).sort((a, b) => a.budget!.ms - b.budget!.ms);
    for (const path of paths) {
      const budget = path.budget!;
      for (const use of path.uses) {
        // A `$transaction` without options of its own takes the client's `transactionOptions`.
        const pick = (role: string) => {
          const own = use.query.timeouts.find((t) => t.role === role);
          return own?.source === 'default' ? use.client.transactionDefaults?.find((t) => t.role === role && t.source === 'set') ?? own : own;
        };
        const timeout = pick('transaction');
        const wait = pick('transaction-wait');
        if (timeout?.ms === undefined || (wait && wait.ms === undefined)) continue;
        const totalMs = timeout.ms + (wait?.ms ?? 0);
        if (totalMs <= budget.ms) continue;
        const key = `${use.queryFile}:${use.query.span.start}`;
        if (reported.has(key)) continue;
        reported.add(key);
        const span = timeout.span ?? use.query.span;
        ctx.report({
          messageId: 'transactionAboveBudget',
          data: {
            totalValue: valueText(totalMs),
            totalMs,
            timeoutValue: valueText(timeout.ms),
            timeoutSource: describeDbTimeout(ctx.model, timeout),
            waitValue: valueText(wait?.ms ?? 0),
            waitSource: wait ? describeDbTimeout(ctx.model, wait) : 'none',
            ...budgetWords(ctx.model, budget),
            gatewayMs: budget.ms,
          },
          span,
          related: [...dbRelated(ctx.model, budget, use, span), ...chainRelated(ctx.model, path.chain, [budget.hop])],
        });
      }
    }
  },
});
