// Small helpers for writing template function tables: argument readers, definers and the list size bound.
import type { Ev, FunctionDef } from './render-types.js';
import { EvalError } from './values.js';

/** Lists a function builds (until, repeat…) hold at most this many items. */
export const MAX_LIST = 1_000_000;

export const str = (ev: Ev | undefined) => ev!.v as string;
export const int = (ev: Ev | undefined) => ev!.v as bigint;

export const fn = (params: FunctionDef['params'], call: NonNullable<FunctionDef['call']>, extra: Partial<FunctionDef> = {}): FunctionDef => ({ params, call, ...extra });

/** A text transform of its last argument: it keeps the values path, and applies to a partly unresolved text. */
export const text = (params: FunctionDef['params'], call: NonNullable<FunctionDef['call']>): FunctionDef => fn(params, call, { pathFrom: 'last', transformsText: true });

export function checkedCount(n: bigint, name: string): number {
  if (n > BigInt(MAX_LIST)) throw new EvalError(`error calling ${name}: ${n} is more than ${MAX_LIST} items`);
  return Number(n);
}
