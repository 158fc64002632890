// The nginx model's shapes: context blocks, effective values with their source, upstreams (built by expand.ts and model.ts).
import type { NginxConfig, NginxDirective } from './ast.js';
import type { NginxTimeError } from '../../units.js';
import type { Problem, Span } from '../../types.js';
import type { NginxContextKind, NginxKnob } from './knobs.js';
import type { ProxyTarget } from './proxy-target.js';

export type ValueSource =
  | { kind: 'set'; directive: NginxDirective }
  | { kind: 'inherited'; directive: NginxDirective; from: NginxBlock }
  | { kind: 'default'; factsRef: string };

/** Shared between every block that has the same value (values are cached per directive): never mutated. */
export interface EffectiveValue {
  readonly knob: NginxKnob;
  /** Arguments joined by one space, as written (or the default's text). */
  readonly text: string;
  /** Milliseconds, for duration knobs whose value nginx accepts. */
  readonly ms?: number;
  /** Why nginx would reject the value (duration knobs only). */
  readonly invalid?: NginxTimeError;
  /**
   * For a value nginx rejects only for its spelling (`1.5m`), the milliseconds it means, which
   * invalid-timeout-value's safe fix writes (`90s`): chains compare it now, so that the fix reveals
   * no finding that was not already reported.
   */
  readonly meantMs?: number;
  /** True when the value is an envsubst placeholder such as `${READ_TIMEOUT}`: never a default. */
  readonly unresolved?: boolean;
  readonly source: ValueSource;
}

export type LocationModifier = '=' | '^~' | '~' | '~*' | '' | '@';

export interface LocationMatch {
  modifier: LocationModifier;
  pattern: string;
  span: Span;
}

export interface NginxBlock {
  kind: NginxContextKind;
  /** The block directive (`server`, `location …`); undefined for the top level of a config. */
  directive?: NginxDirective;
  parent?: NginxBlock;
  children: NginxBlock[];
  /** Direct statements in order, with `include`d files expanded in place. */
  statements: NginxDirective[];
  location?: LocationMatch;
  /** For `server` blocks: the `server_name` values. */
  serverNames: string[];
  /** For `location`/`if` blocks: where `proxy_pass`/`grpc_pass`/… sends requests. */
  proxyTarget?: ProxyTarget;
  /**
   * The first statement whose content is unknown: an envsubst placeholder statement, or an include
   * that could not be read. A setting the block does not make itself is then unknown, never a default.
   */
  unknownStatement?: NginxDirective;
}

export interface UpstreamServer {
  address: string;
  span: Span;
  parameters: string[];
  /** `down`: never tried (facts §1.3, measured s19). */
  down: boolean;
  /** `backup`: tried only once the primaries are unavailable or failed for this request; counts as a try. */
  backup: boolean;
  /** `max_fails=` (default 1; 0 turns the failure accounting off). */
  maxFails: number;
  /** `fail_timeout=` in ms (default 10 s; seconds resolution). Undefined when nginx would reject the value. */
  failTimeoutMs?: number;
}

export interface NginxUpstream {
  name: string;
  directive: NginxDirective;
  block: NginxBlock;
  servers: UpstreamServer[];
}

export interface NginxModel {
  config: NginxConfig;
  root: NginxBlock;
  /** True when the entry is a fragment (conf.d file) rather than a full nginx.conf. */
  fragment: boolean;
  /** Every block, depth first. */
  blocks: NginxBlock[];
  locations: NginxBlock[];
  servers: NginxBlock[];
  upstreams: NginxUpstream[];
  /** What could not be modelled (also in `config.problems`). */
  problems: Problem[];
}

