// Database uses behind chains for the database rules: the route handler, the budget the hops in front give it, the container's env, and the clients its queries reach.
import { type Chain, type Hop, type HopTimeout, type Related, type Span, type WorkspaceModel, chainsOf, databaseSettingsOf, giveUpAfter } from '../../server/src/engine/rule-api.js';
import { type DbClient, type DbTimeout, type DbUse, type EnvContext, dbUsesOfRoute, resolveDbTimeouts as resolveWithSettings } from '../../server/src/engine/inputs/ts/api.js';
import { describeTimeout, valueText } from './chain-hops.js';
import { headlineName, placeOf } from './places.js';

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
  const seenPaths = new Set<string>();
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
    // The hops up to the handler: the database hops behind it are what the rules name themselves, and
    // chains that differ only behind the handler (other queries, outbound calls) are one path.
    const pathKey = chain.hops.slice(0, index + 1).map((h) => `${h.span.file}:${h.span.start}:${h.kind}`).join('|');
    if (seenPaths.has(pathKey)) continue;
    seenPaths.add(pathKey);
    const path: DbPath = { chain: { ...chain, hops: chain.hops.slice(0, index + 1) }, handler, env: ref.env ?? NO_ENV, uses };
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

/** An environment that gives nothing: values from the environment stay unknown. */
const NO_ENV: EnvContext = { get: () => undefined };

/** `pg Pool`, `PrismaClient`, `mongoose.connect`: the client in words. */
export function clientLabel(client: DbClient): string {
  const name = client.constructorName;
  return name.toLowerCase().startsWith(client.library) ? name : `${client.library} ${name}`;
}

/** "set at src/db.ts:4", "default, timeout-facts §17", "from $DATABASE_URL at k8s/api.yaml:30". */
export function describeDbTimeout(model: WorkspaceModel, timeout: DbTimeout): string {
  switch (timeout.source) {
    case 'set':
      if (timeout.via === 'server') return `${timeout.serverOrigin ?? 'server-side'}${timeout.span ? ` at ${placeOf(model, timeout.span)}` : ''}`;
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
export function budgetWords(model: WorkspaceModel, budget: FrontBudget): { gateway: string; gatewayName: string; gatewayValue: string; gatewayKnob: string; gatewaySource: string } {
  return { gateway: budget.hop.label, gatewayName: headlineName(budget.hop.label), gatewayValue: valueText(budget.ms), gatewayKnob: budget.timeout.knob, gatewaySource: describeTimeout(model, budget.timeout) };
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

/** The client's timeouts in a chain's environment, with the server-side settings (postgresql.conf, `ALTER ROLE … SET`) that apply to it. */
export function resolveDbTimeouts(model: WorkspaceModel, client: DbClient, env: EnvContext): DbTimeout[] {
  return resolveWithSettings(client, env, databaseSettingsOf(model));
}
