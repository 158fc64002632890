// The walk's contract with the inputs: what an input offers the linker (targets for an address, chains it starts, deployables, code) and what the linker offers an input (entering, extending and ending chains).
import type { SharedSettings } from '../workspace-model.js';
import type { Span } from '../types.js';
import type { Hop, HopEvidence, UnresolvedLink } from './chain-types.js';
import type { EnvBinding, EnvContext } from './environment.js';
import type { DatabaseSettings } from '../database-settings.js';

/** The longest chain, in hops; also how deep a walk through one handler's helper functions goes. */
export const MAX_DEPTH = 24;

/** A path the request carries: exact when known, a prefix for prefix routes, or unknown. */
export interface RequestPath {
  path?: string;
  prefix?: boolean;
  /** The model an LLM call asks for (`model: 'reasoning'`), when known: an LLM gateway routes by it. */
  model?: string;
  /** Longer prefixes a sibling nginx location takes (longest prefix wins): a prefix request never carries these paths. */
  except?: string[];
}

/** A chain being walked: its hops so far, and the keys of the hops on it (a cycle stops the walk). */
export interface Step {
  hops: Hop[];
  seen: Set<string>;
}

/** Where a request is sent: a host (and port, path) as a client, gateway or alias names it. */
export interface RequestTarget {
  host: string;
  port?: number | undefined;
  /** Undefined when the path is not known statically. */
  path?: string | undefined;
  /** The caller's namespace, for short Service names. */
  namespace?: string | undefined;
  /** Only services (an nginx upstream address is never a public host name). */
  internalOnly?: boolean;
}

/** One place a request for an address reaches, offered (and then followed) by the input that holds it. */
export interface ChainTarget {
  /** Identity among the targets of one walk: the same place reached through two addresses is followed once. */
  key: string;
  /** Follows the request into the place: enters it (or not), extends the chain and goes on inward. */
  follow(step: Step, request: RequestPath, method: string | undefined, namespace: string): void;
}

/**
 * How an address is resolved, in order: gateways matched by host name (all of them, from every
 * input; skipped for internal-only addresses), else the first input whose service names match,
 * else code reached on this machine (loopback addresses), else a port every node of a cluster
 * opens (an IP address or this machine on a Service's nodePort).
 */
export type TargetTier = 'gateway' | 'service' | 'local' | 'node';

/**
 * When an input's entries start: clients first, then gateways nobody reached, then service code
 * nobody reached, then gateways in front of dependencies (an LLM proxy called by service code) that
 * nothing reached.
 */
export type EntryPhase = 'clients' | 'gateways' | 'services' | 'dependencies';

/** A manifest entry that runs code (a workload's container, a Knative Service, a compose service), for the input that holds code. */
export interface Deployable {
  /** Names that may name the code: container, workload or service name, image name. */
  names: string[];
  /** The build context, when the manifest builds the code from the workspace. */
  folder?: string;
  /** Who the deployable is, for evidence: `compose service api`. */
  owner: string;
  /** The image it runs as written (`ghcr.io/berriai/litellm:main-stable`), when the manifest names one: a product's own image says what runs there. */
  image?: string;
  /** The environment the manifest gives the process (only when it builds from `folder`). */
  vars?: ReadonlyMap<string, EnvBinding>;
}

/** The code a hop runs, as a manifest or an address names it. */
export interface CodeRequest {
  names: string[];
  env: EnvContext;
  namespace?: string | undefined;
  /** The package folder, when a build context or a loopback port names it. */
  folder?: string | undefined;
  /** An image name read from a placeholder default: the link says so when only it matched. */
  imageEvidence?: HopEvidence & { name: string } | undefined;
  /** The manifest entry's own name (a Deployment's, not its container's): the `chains.services` key that would link it. */
  entryName?: string | undefined;
  /** The image reference as written, for the last resort of matching its namespace (`quay.io/acme-ui/ui` → `acme-ui`). */
  image?: { text: string; span: Span } | undefined;
  /**
   * The container's own command, when it replaces the image's: Kubernetes `command` replaces the
   * ENTRYPOINT (and drops the CMD), Kubernetes `args` and compose `command` the CMD.
   */
  command?: { words: string[]; replaces: 'entrypoint' | 'cmd'; owner: string } | undefined;
}

/** What one input contributes to a walk. Every member is optional: an input offers what it holds. */
export interface ChainLinker {
  targets?: Partial<Record<TargetTier, (request: RequestTarget) => ChainTarget[]>>;
  entries?: Partial<Record<EntryPhase, () => void>>;
  deployables?(): Deployable[];
  /** Follows a request into the code a deployable runs (the input that holds code packages). */
  followCode?(step: Step, code: CodeRequest, request: RequestPath, method: string | undefined): void;
  /**
   * Code that listens on `port`, wherever it runs: for a load balancer that forwards to a port of
   * its targets (an AWS target group) and names no host (the input that holds code).
   */
  listeningOn?(port: number): ChainTarget[];
  /** The one code package of the workspace that serves HTTP, when exactly one does (see {@link Walker.soleServer}). */
  soleServer?(): SoleServer | undefined;
  /** True when the input holds services an address could name: a name that matches none is an unresolved link. */
  holdsServices?(): boolean;
  /** True when the input holds gateways an address could name. */
  holdsGateways?(): boolean;
}

/** The one package that serves HTTP, as a target, with what shows it is the only one. */
export interface SoleServer {
  target: ChainTarget;
  /** e.g. "core (core/package.json) is the only code package that serves HTTP". */
  evidence: string;
  /** Ports its servers listen on, where the code says (empty when unknown). */
  ports: readonly number[];
  /**
   * Set when every server of the package takes its port from an environment variable and nothing in
   * the workspace runs the package (its deployment, where the variable is set, is elsewhere).
   */
  portFromUnsetEnv?: { name: string; fallback?: number; span: Span };
}

/** The linker as an input sees it. */
export interface Walker {
  readonly settings: SharedSettings;
  /** True when the walk may go on into `key` (no cycle, within the bounds); otherwise the chain is kept as it is. */
  enter(step: Step, key: string): boolean;
  extend(step: Step, hop: Hop, key: string): Step;
  finish(step: Step, unresolved?: UnresolvedLink): void;
  /** Ends the chain at `hop` with an unresolved link (`at`: the entry that breaks it, when more precise than the hop). */
  stop(step: Step, hop: Hop, message: string, at?: Span): void;
  /** Records an unresolved link without ending the chain (traffic still reaches other backends). */
  note(hop: Hop, message: string, at?: Span): UnresolvedLink;
  /** Places some chain reached already (a gateway reached from a client): not started again as chains of their own. */
  markReached(key: string): void;
  wasReached(key: string): boolean;
  /** Every place a request for the address reaches first (see {@link TargetTier}). */
  resolve(request: RequestTarget): ChainTarget[];
  /** Runs `follow` with evidence for the next hop the chain is extended with (a proxy target read past its variables). */
  withLinkEvidence(evidence: HopEvidence[] | undefined, follow: () => void): void;
  /** Follows a request into the code a deployable runs; ends the chain where no input holds code. */
  followCode(step: Step, code: CodeRequest, request: RequestPath, method: string | undefined): void;
  /** Code that listens on `port` (see {@link ChainLinker.listeningOn}). */
  listeningOn(port: number): ChainTarget[];
  /**
   * The only code package in the workspace that serves HTTP (routes or a server), when exactly one
   * does: where a gateway whose upstream address is set outside the workspace (an envsubst
   * placeholder) can only be sending its requests.
   */
  soleServer(): SoleServer | undefined;
  /** Every deployable of the workspace. */
  deployables(): Deployable[];
  /** The server-side database settings and servers every input read (see chain/database-settings.ts). */
  databaseSettings(): DatabaseSettings;
  holdsServices(): boolean;
  holdsGateways(): boolean;
}

/** Adds evidence to a hop's own. */
export function withEvidence(hop: Hop, evidence: readonly HopEvidence[]): Hop {
  if (evidence.length > 0) hop.evidence = [...(hop.evidence ?? []), ...evidence];
  return hop;
}

/** Where a request goes cannot be told (a regex that cannot be evaluated safely): the chain stops there, never guesses. */
export function unknownTarget(walker: Walker, reason: string): ChainTarget {
  return { key: `unknown:${reason}`, follow: (step) => walker.stop(step, step.hops[step.hops.length - 1]!, reason) };
}

/** Where a load balancer forwards: a port its targets listen on, or why it is not known (Terraform, CloudFormation, …). */
export interface PortForward {
  port?: number | undefined;
  /** Says which resources lead to the port, each with its place. */
  evidence: HopEvidence[];
  /** Why no port could be read. */
  unknown?: string | undefined;
  at?: Span | undefined;
}

/** Follows a load balancer's chain into the code listening on each port it forwards to; a port nothing listens on, or that is not known, ends the chain with the reason. */
export function followPortForwards(walker: Walker, step: Step, hop: Hop, forwards: readonly PortForward[]): void {
  for (const forward of forwards) {
    if (forward.port === undefined) {
      walker.stop(step, hop, forward.unknown ?? 'the port it forwards to is not known', forward.at);
      continue;
    }
    const targets = walker.listeningOn(forward.port);
    if (targets.length === 0) {
      // The one server of the workspace listens on $PORT, which its deployment sets outside the
      // workspace (an ECS task definition, a platform): that deployment is what makes the load
      // balancer's port reach it, so it is followed, and the link says so.
      const sole = walker.soleServer();
      const env = sole?.portFromUnsetEnv;
      if (sole && env) {
        const fallback = env.fallback !== undefined ? ` (${env.fallback} if unset)` : '';
        const evidence: HopEvidence = { text: `${sole.evidence}; it listens on $${env.name}${fallback}, which nothing in the workspace sets or runs it with, so port ${forward.port} is taken to reach it`, span: env.span };
        walker.withLinkEvidence([...forward.evidence, evidence], () => sole.target.follow(step, {}, undefined, 'default'));
        continue;
      }
      walker.stop(step, hop, `no code in the workspace listens on port ${forward.port} (${forward.evidence.map((e) => e.text).join('; ')})`, forward.evidence.at(-1)?.span);
      continue;
    }
    for (const target of targets) walker.withLinkEvidence(forward.evidence, () => target.follow(step, {}, undefined, 'default'));
  }
}

