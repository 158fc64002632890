// Finds the nginx directive under the cursor in every block it takes effect in, and summarises a location's route.
import { NGINX_KNOBS_BY_NAME, UPSTREAM_KNOBS_BY_NAME } from '../engine/inputs/nginx/knobs.js';
import { effectiveValue, type EffectiveValue, type NginxBlock, type NginxModel } from '../engine/inputs/nginx/model.js';
import type { NginxDirective } from '../engine/inputs/nginx/ast.js';
import type { FileId, Span } from '../engine/types.js';

/** A directive as it appears in one block (a snippet included in three locations has three sites). */
export interface DirectiveSite {
  directive: NginxDirective;
  block: NginxBlock;
}

/** Every block in which a directive written in `file` covers `offset` (its name or its arguments). */
export function directiveSitesAt(models: readonly NginxModel[], file: FileId, offset: number): DirectiveSite[] {
  const sites: DirectiveSite[] = [];
  const seen = new Set<string>();
  for (const model of models) {
    for (const block of [model.root, ...model.blocks]) {
      for (const directive of block.statements) {
        if (directive.span.file !== file || !covers(directive, offset)) continue;
        // A block directive "covers" its whole body: keep only the innermost statement under the cursor.
        if (directive.block && !onHead(directive, offset)) continue;
        const key = `${blockKey(block)}\0${directive.span.start}`;
        if (seen.has(key)) continue;
        seen.add(key);
        sites.push({ directive, block });
      }
    }
  }
  return sites;
}

/** The block a block directive (`location /x { … }`) opens, in every model that contains it. */
export function blocksOpenedBy(models: readonly NginxModel[], directive: NginxDirective): NginxBlock[] {
  return models.flatMap((m) => m.blocks.filter((b) => b.directive === directive));
}

/** The effective value of a timeout directive in the block it is written in, or undefined for other directives. */
export function knobValueAt(site: DirectiveSite): EffectiveValue | undefined {
  const knobs = site.block.kind === 'upstream' ? UPSTREAM_KNOBS_BY_NAME : NGINX_KNOBS_BY_NAME;
  if (!knobs.has(site.directive.name)) return undefined;
  return effectiveValue(site.block, site.directive.name);
}

/** `read 60s (default) · connect 5s (server) · send 60s (default) → http://chat_api`, or undefined without a *_pass. */
export function routeSummary(block: NginxBlock): string | undefined {
  const target = block.proxyTarget;
  if (!target) return undefined;
  const family = target.via.replace(/_pass$/, '');
  const parts = (['read', 'connect', 'send'] as const).map((label) => {
    const value = effectiveValue(block, `${family}_${label}_timeout`);
    return value ? `${label} ${value.text}${sourceTag(value, block)}` : undefined;
  });
  return `${parts.filter(Boolean).join(' · ')} → ${target.raw}`;
}

/** `(default)`, `(server)` for a value inherited from the server block, nothing when set in the block itself. */
export function sourceTag(value: EffectiveValue, block: NginxBlock): string {
  const invalid = value.invalid ? ' ⚠ invalid' : '';
  switch (value.source.kind) {
    case 'default':
      return ` (default)${invalid}`;
    case 'inherited':
      return ` (${value.source.from.kind})${invalid}`;
    case 'set':
      return value.source.directive.span.file === block.directive?.span.file || !block.directive ? invalid : ` (included)${invalid}`;
  }
}

function covers(directive: NginxDirective, offset: number): boolean {
  return directive.span.start <= offset && offset <= directive.span.end;
}

/** True when the offset is on the directive's name or arguments rather than inside its block. */
function onHead(directive: NginxDirective, offset: number): boolean {
  return offset < (directive.blockOpen ?? directive.span.end);
}

function blockKey(block: NginxBlock): string {
  const span: Span | undefined = block.directive?.span;
  return span ? `${span.file}:${span.start}` : `root:${block.kind}`;
}
