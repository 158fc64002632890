// Walks every block of an nginx model (and so every directive with the block it takes effect in).
import { NGINX_KNOBS_BY_NAME, UPSTREAM_KNOBS_BY_NAME, type NginxBlock, type NginxDirective, type NginxKnob, type NginxModel } from '../../server/src/engine/inputs/nginx/api.js';

/**
 * Every block of the model, the root first: rules walk `block.statements` of each (nested loops, no
 * object per directive: several rules walk every directive of every gateway).
 */
export function blocksOf(model: NginxModel): NginxBlock[] {
  return [model.root, ...model.blocks];
}

/** The duration knob a directive sets in this kind of block, if it is one. */
export function durationKnobOf(directive: NginxDirective, block: NginxBlock): NginxKnob | undefined {
  const table = block.kind === 'upstream' ? UPSTREAM_KNOBS_BY_NAME : NGINX_KNOBS_BY_NAME;
  const knob = table.get(directive.name);
  return knob?.value.type === 'duration' ? knob : undefined;
}
