// What each platform `chains.frontedBy` may name does to a request, from reference/timeout-facts.md; a value the facts do not give is left unknown.
import type { HopTimeout } from '../../chain/chain-types.js';

export interface Platform {
  /** How the platform is named in labels. */
  label: string;
  /** The knob its idle (or response) timer is set with, and the timer's default when the facts give one. */
  idle?: { knob: string; kind: HopTimeout['kind']; defaultMs?: number; factsRef: string };
  /** A request (response) timeout distinct from the idle timer. */
  timeout?: { knob: string; defaultMs?: number; factsRef: string };
  /**
   * The keep-alive it holds to the code: `idle` when its idle timer also closes (and is the limit
   * of reuse of) pooled connections to targets (AWS ALB and Classic ELB, facts §9), or a fixed value.
   */
  keepAlive?: 'idle' | { knob: string; ms: number; factsRef: string };
  /** Why some of its values are unknown, said on the hop. */
  unknown?: string;
}

export const PLATFORMS: Readonly<Record<string, Platform>> = {
  'aws-alb': {
    label: 'AWS ALB',
    idle: { knob: 'idle_timeout.timeout_seconds', kind: 'idle', defaultMs: 60_000, factsRef: '§9, §19' },
    keepAlive: 'idle',
  },
  'aws-elb': {
    label: 'AWS Classic ELB',
    idle: { knob: 'ConnectionSettings.IdleTimeout', kind: 'idle', defaultMs: 60_000, factsRef: '§9, §19' },
    keepAlive: 'idle',
  },
  'gcp-https-lb': {
    label: 'GCP external Application LB',
    timeout: { knob: 'timeoutSec', defaultMs: 30_000, factsRef: '§9, §19' },
    keepAlive: { knob: 'GFE backend keep-alive', ms: 600_000, factsRef: '§9' },
  },
  cloudflare: {
    label: 'Cloudflare proxy',
    // The 100 s read timeout is documented only in API text (facts §16.5): kept, with its reference.
    idle: { knob: 'proxy_read_timeout', kind: 'idle', defaultMs: 100_000, factsRef: '§9 (unconfirmed, §16.5)' },
    unknown: 'how long Cloudflare keeps idle connections to the origin is not in timeout-facts',
  },
  'heroku-router': { label: 'Heroku router', unknown: 'the Heroku router\'s timeouts are not in timeout-facts' },
  'fly-proxy': { label: 'Fly.io proxy', unknown: 'the Fly.io proxy\'s timeouts are not in timeout-facts' },
  render: { label: 'Render load balancer', unknown: 'Render\'s load balancer timeouts are not in timeout-facts' },
};
