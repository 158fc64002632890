// What rules may read of the LiteLLM input: its configs, models and values.
export type { LitellmModelSet } from './chain.js';
export type { LitellmConfig, LitellmModel, LitellmSettings } from './facts.js';
export type { LitellmValue } from './values.js';
export type { LitellmProvider } from './provider.js';
