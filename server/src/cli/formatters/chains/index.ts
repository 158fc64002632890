// Picks the output of `timeout-lint chains --format`: pure functions from the chain model (and the workspace model for places) to text.
import type { ChainModel } from '../../../engine/chain/chain-types.js';
import type { ChainFormatOptions, ChainSources } from '../../../engine/chain/describe.js';
import { formatChainsDot, formatChainsMermaid } from './graph.js';
import { formatChainsJson } from './json.js';
import { formatChainsText } from './text.js';

/** The values `chains --format` accepts; the first is the default. */
export const CHAIN_FORMATS = ['text', 'json', 'mermaid', 'dot'] as const;

export type ChainFormatName = (typeof CHAIN_FORMATS)[number];

export function isChainFormat(value: string): value is ChainFormatName {
  return (CHAIN_FORMATS as readonly string[]).includes(value);
}

/** Renders the chains; the result ends with a newline and is written as is. */
export function formatChains(chains: ChainModel, model: ChainSources, format: ChainFormatName, options: ChainFormatOptions = {}): string {
  switch (format) {
    case 'text':
      return formatChainsText(chains, model, options);
    case 'json':
      return formatChainsJson(chains, model, options);
    case 'mermaid':
      return formatChainsMermaid(chains, model, options);
    case 'dot':
      return formatChainsDot(chains, model, options);
  }
}

export type { ChainFormatOptions, ChainSources } from '../../../engine/chain/describe.js';
export { formatChainsDot, formatChainsMermaid } from './graph.js';
export { CHAINS_JSON_VERSION, formatChainsJson, toJsonChains } from './json.js';
export type { JsonChain, JsonChains, JsonHop, JsonTimeout } from './json.js';
export { formatChainsText } from './text.js';
