// The environment a process starts with, as manifests give it: what links code values (`process.env.PORT`) to the workload or compose service that runs the code.
import type { Span } from '../types.js';

/** One environment variable as the runtime gives it. */
export interface EnvBinding {
  /** The value, when the manifests hold it. */
  text?: string;
  valueSpan?: Span;
  /** Where the container declares it (an env entry, an envFrom, a compose `environment` entry, a Dockerfile `ENV`). */
  declaredAt: Span;
  /** True when the value exists but cannot be known (a Secret, a template, a field reference). */
  unknown: boolean;
}

/** The environment of the process that runs the code, when a workload or compose service was linked to it. */
export interface EnvContext {
  /** A short name for messages: `Deployment default/chat-api`. */
  owner?: string;
  get(name: string): EnvBinding | undefined;
}

export const NO_ENV: EnvContext = { get: () => undefined };

export function envContextOf(owner: string, vars: ReadonlyMap<string, EnvBinding>): EnvContext {
  return { owner, get: (name) => vars.get(name) };
}
