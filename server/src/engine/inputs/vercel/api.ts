// What rules may read of the Vercel input: its vercel.json files and their `functions` entries.
export type { VercelModel } from './index.js';
export type { VercelConfig, VercelFunctionEntry } from './config.js';
export type { PatternMatch } from './patterns.js';
