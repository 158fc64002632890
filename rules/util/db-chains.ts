// Database uses behind chains for the database rules: the route handler, the budget the hops in front give it, the container's env, and the clients its queries reach.
import { giveUpAfter } from '../../server/src/engine/chain/budget.js';
import { chainsOf } from '../../server/src/engine/chain/chains.js';
import type { Chain, Hop, HopTimeout } from '../../server/src/engine/chain/chain-types.js';
import { envContextOf, NO_ENV, type EnvBinding, type EnvContext } from '../../server/src/engine/inputs/ts/chain-values.js';
import { containerEnvironment } from '../../server/src/engine/inputs/k8s/env.js';
import { dbUsesOfRoute, resolveDbTimeouts, type DbUse } from '../../server/src/engine/inputs/ts/db/links.js';
import type { DbClient, DbTimeout } from '../../server/src/engine/inputs/ts/db/types.js';
import type { WorkspaceModel } from '../../server/src/engine/workspace-model.js';
import type { Related, Span } from '../../server/src/engine/types.js';
import { describeTimeout, valueText } from './chain-hops.js';
import { placeOf } from './places.js';

/** The tightest give-up in front of a route handler: the hop, its timer and when it fires. */
export interface FrontBudget {
  ms: number;
  hop: Hop;
  timeout: HopTimeout;
}

/** One route handler reached by a chain, with what stands in front of it and the database uses behind it. */
export interface DbPath {
  chain: Chain;
  handler: Hop & { ref: { kind: 'ts-route' } };
  /** Undefined when no hop in front gives up on a silent answer. */
  budget?: FrontBudget;
  env: EnvContext;
  uses: DbUse[];
}

const memo = new WeakMap<WorkspaceModel, DbPath[]>();

/** Every chain that reaches a route handler, once per model (all database rules share it). */
export function dbPathsOf(model: WorkspaceModel): DbPath[] {
  let paths = memo.get(model);
  if (paths) return paths;
  paths = [];
  const usesByRoute = new Map<string, DbUse[]>();
  for (const chain of chainsOf(model).chains) {
    const index = chain.hops.findIndex((h) => h.kind === 'route-handler' && h.ref.kind === 'ts-route');
    if (index < 0) continue;
    const handler = chain.hops[index] as DbPath['handler'];
    const ref = handler.ref as Extract<Hop['ref'], { kind: 'ts-route' }>;
    const key = `${ref.file}:${ref.route.span.start}`;
    let uses = usesByRoute.get(key);
    if (!uses) {
      uses = dbUsesOfRoute(model.ts.files, ref.file, ref.facts, ref.route, ref.pkg.files);
      usesByRoute.set(key, uses);
    }
    const front = chain.hops.slice(0, index);
    const path: DbPath = { chain, handler, env: envOfHops(front), uses };
    const budget = budgetOf(front, handler.streaming === true);
    if (budget) path.budget = budget;
    paths.push(path);
  }
  memo.set(model, paths);
  return paths;
}

function budgetOf(front: readonly Hop[], streams: boolean): FrontBudget | undefined {
  let best: FrontBudget | undefined;
  for (const hop of front) {
    const giveUp = giveUpAfter(hop, streams);
    if (giveUp && (!best || giveUp.ms < best.ms)) best = { ms: giveUp.ms, hop, timeout: giveUp.timeout };
  }
  return best;
}

/** The environment of the process that runs the handler: the last workload, Knative Service or compose service in front of it. */
function envOfHops(front: readonly Hop[]): EnvContext {
  for (let i = front.length - 1; i >= 0; i--) {
    const ref = front[i]!.ref;
    const container = ref.kind === 'workload' ? ref.container : ref.kind === 'knative' ? ref.service.containers[0] : undefined;
    if (container) {
      const vars = new Map<string, EnvBinding>();
      for (const [name, variable] of containerEnvironment(container)) vars.set(name, { declaredAt: variable.declaredAt, unknown: variable.unknown, ...(variable.value ? { text: variable.value.text, valueSpan: variable.value.span } : {}) });
      return envContextOf(front[i]!.label, vars);
    }
    if (ref.kind === 'compose') {
      return envContextOf(`compose service ${ref.service.name}`, new Map(ref.service.environment.map((e): [string, EnvBinding] => [e.name, { declaredAt: e.span, unknown: e.value?.unresolved ?? e.value === undefined, ...(e.value ? { text: e.value.text, valueSpan: e.value.span } : {}) }])));
    }
  }
  return NO_ENV;
}

/** `pg Pool`, `PrismaClient`, `mongoose.connect`: the client in words. */
export function clientLabel(client: DbClient): string {
  const name = client.constructorName;
  return name.toLowerCase().startsWith(client.library) ? name : `${client.library} ${name}`;
}

/** "set at src/db.ts:4", "default, timeout-facts §17", "from $DATABASE_URL at k8s/api.yaml:30". */
export function describeDbTimeout(model: WorkspaceModel, timeout: DbTimeout): string {
  switch (timeout.source) {
    case 'set':
      return timeout.span ? `set at ${placeOf(model, timeout.span)}` : 'set';
    case 'default':
      return `default, timeout-facts ${timeout.factsRef}`;
    case 'none':
      return `no timeout by default, timeout-facts ${timeout.factsRef}`;
    case 'env':
      return `from $${timeout.envName ?? '?'}${timeout.span ? ` at ${placeOf(model, timeout.span)}` : ''}`;
    case 'unknown':
      return 'unknown';
  }
}

/** The gateway's timer in words: `nginx location /api/ gives up after 60 s (proxy_read_timeout, default, timeout-facts §1.3)`. */
export function budgetWords(model: WorkspaceModel, budget: FrontBudget): { gateway: string; gatewayValue: string; gatewayKnob: string; gatewaySource: string } {
  return { gateway: budget.hop.label, gatewayValue: valueText(budget.ms), gatewayKnob: budget.timeout.knob, gatewaySource: describeTimeout(model, budget.timeout) };
}

/** Related locations: the gateway's timer (or hop), the client construction, the query. */
export function dbRelated(model: WorkspaceModel, budget: FrontBudget | undefined, use: { client: DbClient; clientFile: string; via?: string; query?: { span: Span; method: string } }, primary: Span): Related[] {
  const related: Related[] = [];
  const add = (span: Span, message: string) => {
    if (!(span.file === primary.file && span.start === primary.start) && !related.some((r) => r.span.file === span.file && r.span.start === span.start)) related.push({ span, message });
  };
  if (budget) {
    add(budget.timeout.span ?? budget.hop.span, `${budget.hop.label}: ${budget.timeout.knob} ${valueText(budget.ms)} (${describeTimeout(model, budget.timeout)})`);
    if (budget.timeout.span) add(budget.hop.span, budget.hop.label);
  }
  add(use.client.span, `${clientLabel(use.client)}${use.client.variable ? ` ${use.client.variable}` : ''} created here${use.via ? ` (linked by ${use.via})` : ''}`);
  if (use.query) add(use.query.span, `${use.query.method} runs through it${use.via && primary === use.client.span ? ` (${use.via})` : ''}`);
  return related;
}

export { resolveDbTimeouts };
