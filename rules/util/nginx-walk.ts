// Walks every directive of an nginx model together with the block it takes effect in.
import { NGINX_KNOBS_BY_NAME, UPSTREAM_KNOBS_BY_NAME, type NginxKnob } from '../../server/src/engine/model/nginx-knobs.js';
import type { NginxBlock, NginxModel } from '../../server/src/engine/model/nginx-model.js';
import type { NginxDirective } from '../../server/src/engine/parse/nginx/ast.js';

export function* directivesIn(model: NginxModel): Generator<{ directive: NginxDirective; block: NginxBlock }> {
  for (const block of [model.root, ...model.blocks]) {
    for (const directive of block.statements) yield { directive, block };
  }
}

/** The duration knob a directive sets in this kind of block, if it is one. */
export function durationKnobOf(directive: NginxDirective, block: NginxBlock): NginxKnob | undefined {
  const table = block.kind === 'upstream' ? UPSTREAM_KNOBS_BY_NAME : NGINX_KNOBS_BY_NAME;
  const knob = table.get(directive.name);
  return knob?.value.type === 'duration' ? knob : undefined;
}
