// Walks the statements of an nginx model, each with the block it takes effect in.
import { NGINX_KNOBS_BY_NAME, UPSTREAM_KNOBS_BY_NAME, type NginxBlock, type NginxDirective, type NginxKnob, type NginxModel } from '../../server/src/engine/inputs/nginx/api.js';

/** Every block of the model, the root first. */
export function blocksOf(model: NginxModel): NginxBlock[] {
  return [model.root, ...model.blocks];
}

/**
 * Every statement of a model in walk order (the root's, then each of `model.blocks`', each block's
 * in order), with its block, and the positions of each name. Several rules look at a few names of
 * a gateway's tens of thousands of statements: made once per model, they read only those.
 */
interface StatementIndex {
  blocks: NginxBlock[];
  directives: NginxDirective[];
  byName: Map<string, number[]>;
}

// Models are not changed once built (the language server keeps unchanged ones between runs, and their index with them).
const indexes = new WeakMap<NginxModel, StatementIndex>();

function statementIndex(model: NginxModel): StatementIndex {
  let index = indexes.get(model);
  if (index) return index;
  index = { blocks: [], directives: [], byName: new Map() };
  const add = (block: NginxBlock) => {
    for (const directive of block.statements) {
      const at = index!.directives.length;
      index!.blocks.push(block);
      index!.directives.push(directive);
      const positions = index!.byName.get(directive.name);
      if (positions) positions.push(at);
      else index!.byName.set(directive.name, [at]);
    }
  };
  add(model.root);
  for (const block of model.blocks) add(block);
  indexes.set(model, index);
  return index;
}

/**
 * Calls `visit` for each statement whose name `wanted` accepts, with its block, in walk order (so
 * findings come in the order a walk over every block would give them).
 */
export function forEachStatementNamed(model: NginxModel, wanted: (name: string) => boolean, visit: (directive: NginxDirective, block: NginxBlock) => void): void {
  const index = statementIndex(model);
  let positions: number[] = [];
  let lists = 0;
  for (const [name, list] of index.byName) {
    if (!wanted(name)) continue;
    positions = lists === 0 ? list : positions.concat(list);
    lists++;
  }
  if (lists > 1) positions.sort((a, b) => a - b);
  for (const at of positions) visit(index.directives[at]!, index.blocks[at]!);
}

/** Whether a name is a duration knob in some kind of block (for `forEachStatementNamed`; `durationKnobOf` then decides per block). */
export function mayBeDurationKnob(name: string): boolean {
  return NGINX_KNOBS_BY_NAME.get(name)?.value.type === 'duration' || UPSTREAM_KNOBS_BY_NAME.get(name)?.value.type === 'duration';
}

/** The duration knob a directive sets in this kind of block, if it is one. */
export function durationKnobOf(directive: NginxDirective, block: NginxBlock): NginxKnob | undefined {
  const table = block.kind === 'upstream' ? UPSTREAM_KNOBS_BY_NAME : NGINX_KNOBS_BY_NAME;
  const knob = table.get(directive.name);
  return knob?.value.type === 'duration' ? knob : undefined;
}
