// Code lenses over nginx locations that proxy somewhere: the effective read/connect/send timeouts and the upstream.
import type { Range } from 'vscode-languageserver/node';
import type { NginxBlock, NginxModel } from '../engine/inputs/nginx/model.js';
import type { FileId } from '../engine/types.js';
import type { RangeMaker } from './convert.js';
import { routeSummary } from './nginx-sites.js';

/** A lens before its title is known: the title is computed when the editor resolves the lens (it shows only those in view). */
export interface LensItem {
  range: Range;
  title: () => string;
}

/**
 * One lens per location written in `file` and per distinct summary: a location in a snippet
 * included by two servers can inherit different values in each, and then gets two lenses.
 * Summaries are computed here only for such shared locations; the others wait for resolve.
 */
export function nginxLensItems(models: readonly NginxModel[], file: FileId, ranges: RangeMaker): LensItem[] {
  const byStart = new Map<number, NginxBlock[]>();
  for (const model of models) {
    for (const block of model.locations) {
      const directive = block.directive;
      // routeSummary is defined exactly for locations with a *_pass target.
      if (!directive || directive.span.file !== file || !block.proxyTarget) continue;
      const blocks = byStart.get(directive.span.start);
      if (blocks) blocks.push(block);
      else byStart.set(directive.span.start, [block]);
    }
  }
  const items: LensItem[] = [];
  for (const blocks of byStart.values()) {
    const directive = blocks[0]!.directive!;
    const range = ranges.of(file, directive.nameSpan.start, directive.nameSpan.end);
    if (blocks.length === 1) {
      items.push({ range, title: () => routeSummary(blocks[0]!) ?? '' });
      continue;
    }
    for (const summary of new Set(blocks.map((b) => routeSummary(b) ?? ''))) items.push({ range, title: () => summary });
  }
  return items;
}
