// Helpers inputs share for the texts they derive (ReadContext.derive): handing a file back unchanged,
// and finding which stretch of a rendered output an offset falls in.
import type { DerivedSource } from './input.js';
import type { FileId } from '../types.js';

/** A file handed back as it is, to be read by the other inputs: same name, same offsets, edits in place. */
export function unchangedSource(file: FileId, text: string): DerivedSource {
  return {
    file,
    text,
    origin: (start, end) => ({ file, start, end }),
    fallback: { file, start: 0, end: 0 },
    copiedFrom: (start, end) => ({ file, start, end }),
  };
}

/**
 * The index of the output segment (sorted, contiguous `[outStart, outEnd)` ranges) that holds offset
 * `at`; the last segment for the end of the output, -1 when none does.
 */
export function segmentIndexAt(segments: ReadonlyArray<{ outStart: number; outEnd: number }>, at: number, outputLength: number): number {
  let low = 0;
  let high = segments.length - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    const segment = segments[mid]!;
    if (at < segment.outStart) high = mid - 1;
    else if (at >= segment.outEnd) low = mid + 1;
    else return mid;
  }
  return at >= outputLength && segments.length > 0 ? segments.length - 1 : -1;
}
