// Links the inputs' models into call chains: client call → gateway → Service → workload → code → handler → outbound calls, recursively. Input-agnostic: each input's linker (inputs/<input>/chain.ts) says what it offers.
import { checkStop } from '../run-deadline.js';
import { inputsOf } from '../inputs/index.js';
import type { WorkspaceModel } from '../workspace-model.js';
import type { Span } from '../types.js';
import type { Chain, ChainModel, Hop, HopEvidence, UnresolvedLink } from './chain-types.js';
import { databaseSettingsOf } from './database-settings.js';
import type { DatabaseSettings } from '../database-settings.js';
import { MAX_DEPTH, withEvidence, type ChainLinker, type ChainTarget, type CodeRequest, type Deployable, type EntryPhase, type RequestPath, type RequestTarget, type SoleServer, type Step, type TargetTier, type Walker } from './walk.js';

const MAX_CHAINS = 20_000;
/**
 * Hops the walk may enter in all. The depth limit bounds each chain, not their number: handlers that
 * each call the next service twenty times make 20^5 paths in seven tiny services. Past this (or once
 * MAX_CHAINS chains are kept) the walk stops and the chain model says it is incomplete.
 */
const MAX_STEPS = 200_000;

const PHASES: readonly EntryPhase[] = ['clients', 'gateways', 'services', 'dependencies'];

export function buildChains(model: WorkspaceModel): ChainModel {
  return new Linker(model).run();
}

type TargetLookup = (request: RequestTarget) => ChainTarget[];

class Linker implements Walker {
  readonly settings: WorkspaceModel['settings'];
  private readonly linkers: ChainLinker[] = [];
  private readonly chains: Chain[] = [];
  private readonly unresolved = new Map<string, UnresolvedLink>();
  /** Hops entered so far (see MAX_STEPS), and why the walk stopped early, if it did. */
  private steps = 0;
  private truncated: string | undefined;
  private readonly reached = new Set<string>();
  /** Steps already kept as a chain because the walk could not go on from them. */
  private readonly ended = new WeakSet<Step>();
  /** Evidence for the next hop the chain is extended with: taken by the first extend, cleared after. */
  private pendingLinkEvidence: HopEvidence[] | undefined;
  private deployableList: Deployable[] | undefined;

  constructor(private readonly model: WorkspaceModel) {
    this.settings = model.settings;
    for (const input of inputsOf(model)) {
      const linker = input.linker?.(model[input.id] as never, this, model);
      if (linker) this.linkers.push(linker);
    }
  }

  run(): ChainModel {
    // Clients first (code that no workload runs: front ends, scripts, serverless handlers), then gateways nobody reached, then service code nobody reached, then gateways in front of dependencies (an LLM proxy) that no service reached.
    for (const phase of PHASES) for (const linker of this.linkers) linker.entries?.[phase]?.();
    const model: ChainModel = { chains: this.chains, unresolved: [...this.unresolved.values()] };
    if (this.truncated !== undefined) model.truncated = this.truncated;
    return model;
  }

  resolve(target: RequestTarget): ChainTarget[] {
    const request = { ...target, host: target.host.toLowerCase().replace(/\.$/, '') };
    const tiers = (this.targetTiers ??= {
      gateway: this.tier('gateway'),
      // Services first, then local targets (a loopback port), then node ports, in linker order.
      inside: [...this.tier('service'), ...this.tier('local'), ...this.tier('node')],
    });
    if (!request.internalOnly) {
      const gateways = tiers.gateway.flatMap((targets) => targets(request));
      if (gateways.length > 0) return gateways;
    }
    for (const targets of tiers.inside) {
      const found = targets(request);
      if (found.length > 0) return found;
    }
    return [];
  }

  /** The linkers' target lookups of one tier, made once per run (every proxy target of every location asks). */
  private targetTiers: { gateway: TargetLookup[]; inside: TargetLookup[] } | undefined;

  private tier(name: TargetTier): TargetLookup[] {
    return this.linkers.map((l) => l.targets?.[name]).filter((f): f is TargetLookup => f !== undefined);
  }

  withLinkEvidence(evidence: HopEvidence[] | undefined, follow: () => void): void {
    // Added to what an enclosing link left (a proxy target read past its variables, then the port that found the code).
    if (evidence) this.pendingLinkEvidence = [...(this.pendingLinkEvidence ?? []), ...evidence];
    try {
      follow();
    } finally {
      this.pendingLinkEvidence = undefined;
    }
  }

  followCode(step: Step, code: CodeRequest, request: RequestPath, method: string | undefined): void {
    const runner = this.linkers.find((l) => l.followCode);
    if (runner) runner.followCode!(step, code, request, method);
    else this.finish(step);
  }

  listeningOn(port: number): ChainTarget[] {
    return this.linkers.flatMap((l) => l.listeningOn?.(port) ?? []);
  }

  soleServer(): SoleServer | undefined {
    const found = this.linkers.map((l) => l.soleServer?.()).filter((sole): sole is SoleServer => sole !== undefined);
    return found.length === 1 ? found[0] : undefined;
  }

  deployables(): Deployable[] {
    this.deployableList ??= this.linkers.flatMap((l) => l.deployables?.() ?? []);
    return this.deployableList;
  }

  databaseSettings(): DatabaseSettings {
    return databaseSettingsOf(this.model);
  }

  holdsServices(): boolean {
    return this.linkers.some((l) => l.holdsServices?.() ?? false);
  }

  holdsGateways(): boolean {
    return this.linkers.some((l) => l.holdsGateways?.() ?? false);
  }

  markReached(key: string): void {
    this.reached.add(key);
  }

  wasReached(key: string): boolean {
    return this.reached.has(key);
  }

  /**
   * True when the walk may go on into `key`. A hop already on the path (service A calls B calls A)
   * or the depth limit ends the chain here instead: it is kept, ending at the last hop before the loop.
   */
  enter(step: Step, key: string): boolean {
    // Every hop of every chain passes here: a time budget may stop a linking that goes on and on.
    checkStop();
    if (this.chains.length >= MAX_CHAINS || ++this.steps > MAX_STEPS) {
      this.truncated ??= `call chains were not all followed: the workspace links into more than ${this.chains.length >= MAX_CHAINS ? `${MAX_CHAINS.toLocaleString('en-US')} chains` : `${MAX_STEPS.toLocaleString('en-US')} hops`} (calls that fan out at every service multiply)`;
      return false;
    }
    if (!step.seen.has(key) && step.hops.length < MAX_DEPTH) return true;
    if (!this.ended.has(step)) {
      this.ended.add(step);
      this.finish(step);
    }
    return false;
  }

  extend(step: Step, hop: Hop, key: string): Step {
    if (this.pendingLinkEvidence) {
      withEvidence(hop, this.pendingLinkEvidence);
      this.pendingLinkEvidence = undefined;
    }
    return { hops: [...step.hops, hop], seen: new Set([...step.seen, key]) };
  }

  finish(step: Step, unresolved?: UnresolvedLink): void {
    if (this.chains.length >= MAX_CHAINS) return;
    this.chains.push(unresolved ? { hops: step.hops, unresolved } : { hops: step.hops });
  }

  stop(step: Step, hop: Hop, message: string, at?: Span): void {
    const link = this.note(hop, message, at);
    this.finish(step, link);
  }

  note(hop: Hop, message: string, at?: Span): UnresolvedLink {
    const span = at ?? hop.span;
    const key = `${span.file}:${span.start}:${message}`;
    let link = this.unresolved.get(key);
    if (!link) {
      link = { from: hop.label, message, span };
      this.unresolved.set(key, link);
    }
    return link;
  }
}
