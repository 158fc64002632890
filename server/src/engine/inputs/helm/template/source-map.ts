// Queries over a render's source map: which template text (and values path) produced an output offset, and whether an output range is unresolved.
import type { OutputSegment, UnresolvedRange } from './render-types.js';
import type { ValuesPath } from './values.js';

export interface SourceOfOutput {
  template: string;
  /** For template text, the exact offset; for an action's output, the start of the action. */
  srcStart: number;
  /** For template text, srcStart + 1; for an action's output, the end of the action. */
  srcEnd: number;
  kind: OutputSegment['kind'];
  valuesPath?: ValuesPath;
}

/** The template text that produced the output character at `offset`, or undefined past the end. */
export function sourceAt(segments: readonly OutputSegment[], offset: number): SourceOfOutput | undefined {
  let low = 0;
  let high = segments.length - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    const segment = segments[mid]!;
    if (offset < segment.outStart) high = mid - 1;
    else if (offset >= segment.outEnd) low = mid + 1;
    else {
      const exact = segment.kind === 'text' ? segment.srcStart + (offset - segment.outStart) : undefined;
      return {
        template: segment.template,
        srcStart: exact ?? segment.srcStart,
        srcEnd: exact !== undefined ? exact + 1 : segment.srcEnd,
        kind: segment.kind,
        ...(segment.valuesPath ? { valuesPath: segment.valuesPath } : {}),
      };
    }
  }
  return undefined;
}

/**
 * The unresolved ranges that touch the output range [start, end): overlapping it, or empty and inside
 * or at its edges (a value printed as nothing where it is unknown sits at a single offset).
 */
export function unresolvedIn(ranges: readonly UnresolvedRange[], start: number, end: number): UnresolvedRange[] {
  return ranges.filter((range) => (range.outStart === range.outEnd ? range.outStart >= start && range.outStart <= end : range.outStart < end && range.outEnd > start));
}
