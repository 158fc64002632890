// Turns a fixed text (pieces of the original text plus inserted text) back into bytes without re-encoding what no fix touched.
import type { TextPiece } from '../engine/fix.js';
import { decodeText } from '../engine/text.js';

/**
 * The byte offset of every UTF-16 unit of the text TextDecoder (lenient, BOM kept) makes of
 * `bytes`, plus one for the end. It follows the WHATWG UTF-8 decoder step by step, so that each
 * U+FFFD maps to exactly the invalid bytes it replaced. Returns undefined if the replay disagrees
 * with TextDecoder (then the caller must not write).
 */
export function utf16ToByteOffsets(bytes: Uint8Array): { offsets: Uint32Array; text: string } | undefined {
  const units: number[] = [];
  const starts: number[] = [];
  let needed = 0;
  let seen = 0;
  let codePoint = 0;
  let lower = 0x80;
  let upper = 0xbf;
  let sequenceStart = 0;
  const emit = (cp: number, start: number) => {
    if (cp > 0xffff) {
      const v = cp - 0x10000;
      units.push(0xd800 + (v >> 10), 0xdc00 + (v & 0x3ff));
      starts.push(start, start);
    } else {
      units.push(cp);
      starts.push(start);
    }
  };
  let i = 0;
  while (i < bytes.length) {
    const byte = bytes[i]!;
    if (needed === 0) {
      sequenceStart = i;
      if (byte <= 0x7f) emit(byte, i);
      else if (byte >= 0xc2 && byte <= 0xdf) {
        needed = 1;
        codePoint = byte & 0x1f;
      } else if (byte >= 0xe0 && byte <= 0xef) {
        if (byte === 0xe0) lower = 0xa0;
        if (byte === 0xed) upper = 0x9f;
        needed = 2;
        codePoint = byte & 0xf;
      } else if (byte >= 0xf0 && byte <= 0xf4) {
        if (byte === 0xf0) lower = 0x90;
        if (byte === 0xf4) upper = 0x8f;
        needed = 3;
        codePoint = byte & 0x7;
      } else emit(0xfffd, i);
      i++;
      continue;
    }
    if (byte < lower || byte > upper) {
      // The sequence so far becomes one U+FFFD and this byte starts afresh (it is not consumed).
      needed = seen = codePoint = 0;
      lower = 0x80;
      upper = 0xbf;
      emit(0xfffd, sequenceStart);
      continue;
    }
    lower = 0x80;
    upper = 0xbf;
    codePoint = (codePoint << 6) | (byte & 0x3f);
    seen++;
    i++;
    if (seen === needed) {
      emit(codePoint, sequenceStart);
      needed = seen = codePoint = 0;
    }
  }
  if (needed !== 0) emit(0xfffd, sequenceStart);
  const offsets = new Uint32Array(units.length + 1);
  for (let u = 0; u < starts.length; u++) offsets[u] = starts[u]!;
  offsets[units.length] = bytes.length;
  // Surrogate pairs share their start: the end of a unit is the start of the next different one.
  let text = '';
  for (let from = 0; from < units.length; from += 8192) text += String.fromCharCode(...units.slice(from, from + 8192));
  if (text !== new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes)) return undefined;
  return { offsets, text };
}

/**
 * The bytes of a fixed file: kept pieces copy the original bytes they came from (invalid UTF-8,
 * odd line endings and the BOM untouched), inserted text is UTF-8. `original` is the decoded text
 * (BOM stripped) the pieces refer to; undefined when `bytes` no longer decode to it.
 */
export function bytesOfPieces(bytes: Uint8Array, original: string, pieces: readonly TextPiece[]): Uint8Array | undefined {
  const decoded = decodeText(bytes);
  if (decoded.text !== original) return undefined;
  const mapped = utf16ToByteOffsets(bytes);
  if (!mapped) return undefined;
  // decodeText drops one leading U+FEFF: text offset 0 is unit 1 then.
  const shift = decoded.hadBom ? 1 : 0;
  const encoder = new TextEncoder();
  const parts: Uint8Array[] = [bytes.subarray(0, mapped.offsets[shift]!)];
  for (const piece of pieces) {
    if ('text' in piece) parts.push(encoder.encode(piece.text));
    else parts.push(bytes.subarray(byteAt(mapped.offsets, piece.start + shift), byteAt(mapped.offsets, piece.end + shift)));
  }
  const total = parts.reduce((sum, part) => sum + part.byteLength, 0);
  const out = new Uint8Array(total);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.byteLength;
  }
  return out;
}

/** The byte where a unit starts; a boundary inside a surrogate pair moves to the pair's end (never half a character). */
function byteAt(offsets: Uint32Array, unit: number): number {
  if (unit > 0 && unit < offsets.length - 1 && offsets[unit] === offsets[unit - 1]) {
    let next = unit;
    while (next < offsets.length - 1 && offsets[next] === offsets[unit]) next++;
    return offsets[next]!;
  }
  return offsets[unit]!;
}
