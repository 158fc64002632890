// Code lenses over nginx locations that proxy somewhere: the effective read/connect/send timeouts and the upstream.
import type { CodeLens } from 'vscode-languageserver/node';
import type { NginxModel } from '../engine/inputs/nginx/model.js';
import type { FileId } from '../engine/types.js';
import type { RangeMaker } from './convert.js';
import { routeSummary } from './nginx-sites.js';

/**
 * One lens per location written in `file` and per distinct summary: a location in a snippet
 * included by two servers can inherit different values in each, and then gets two lenses.
 */
export function codeLensesFor(models: readonly NginxModel[], file: FileId, ranges: RangeMaker, target: { uri: string; command?: string }): CodeLens[] {
  const lenses: CodeLens[] = [];
  const seen = new Set<string>();
  for (const model of models) {
    for (const block of model.locations) {
      const directive = block.directive;
      if (!directive || directive.span.file !== file) continue;
      const summary = routeSummary(block);
      if (!summary) continue;
      const key = `${directive.span.start}\0${summary}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const range = ranges.of(file, directive.nameSpan.start, directive.nameSpan.end);
      // Clicking opens the call-chain view where the client has one; an empty command id renders as a plain label.
      const command = target.command
        ? { title: summary, command: target.command, arguments: [target.uri, range.start] }
        : { title: summary, command: '' };
      lenses.push({ range, command });
    }
  }
  return lenses.sort((a, b) => a.range.start.line - b.range.start.line);
}
