// Fixes are applied to the original bytes: a property test over random bytes (invalid UTF-8, BOMs, surrogates) and random edits.
import { describe, expect, it } from 'vitest';
import { applyEditsToPieces, textOfPieces, type TextPiece } from '../../server/src/engine/fix.js';
import { decodeText } from '../../server/src/engine/text.js';
import type { TextEdit } from '../../server/src/engine/types.js';
import { bytesOfPieces, utf16ToByteOffsets } from '../../server/src/host/byte-pieces.js';

/** A small seeded generator, so a failure names a seed that reproduces it. */
function random(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 0x100000000;
  };
}

/** Bytes biased towards the troublesome ones: lead bytes, stray continuations, surrogate encodings, ASCII. */
function randomBytes(next: () => number, length: number): Uint8Array {
  const interesting = [0xe0, 0xf0, 0xed, 0xf4, 0xc2, 0xc0, 0xff, 0x80, 0xbf, 0xa0, 0x9f, 0x41, 0x0a, 0x0d, 0x3b, 0x20];
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) bytes[i] = next() < 0.5 ? Math.floor(next() * 256) : interesting[Math.floor(next() * interesting.length)]!;
  if (next() < 0.2) bytes.set([0xef, 0xbb, 0xbf].slice(0, Math.min(3, length)));
  return bytes;
}

/** Random sorted, non-overlapping edits over a text of `length` units, in ASCII (what fixes insert). */
function randomEdits(next: () => number, length: number): TextEdit[] {
  const edits: TextEdit[] = [];
  let at = 0;
  while (at <= length && edits.length < 4) {
    const start = at + Math.floor(next() * (length - at + 1));
    if (start > length) break;
    const end = Math.min(length, start + Math.floor(next() * 3));
    edits.push({ file: 'f', start, end, newText: next() < 0.3 ? '' : `x${Math.floor(next() * 100)}s` });
    at = end + 1;
    if (next() < 0.4) break;
  }
  return edits;
}

describe('utf16ToByteOffsets', () => {
  it('replays TextDecoder exactly on 20,000 random byte strings', () => {
    const next = random(7);
    for (let n = 0; n < 20000; n++) expect(utf16ToByteOffsets(randomBytes(next, Math.floor(next() * 16)))).toBeDefined();
  });

  it('maps each replacement character to the bytes it replaced and a surrogate pair to its four bytes', () => {
    const mapped = utf16ToByteOffsets(Uint8Array.from([0x61, 0xe0, 0x80, 0xf0, 0x9f, 0x98, 0x80, 0x62]))!;
    expect(mapped.text).toBe('a\ufffd\ufffd\u{1f600}b');
    expect([...mapped.offsets]).toEqual([0, 1, 2, 3, 3, 7, 8]);
  });
});

describe('bytesOfPieces', () => {
  it('changes only the bytes of the edits, over several passes, on random non-UTF-8 files', () => {
    for (let seed = 1; seed <= 3000; seed++) {
      const next = random(seed);
      const bytes = randomBytes(next, Math.floor(next() * 40));
      const original = decodeText(bytes).text;
      // Two passes: the second pass's offsets refer to the text after the first.
      let pieces: TextPiece[] = [{ start: 0, end: original.length }];
      let text = original;
      const firstPass = randomEdits(next, text.length).filter((e) => !splitsPair(text, e));
      pieces = applyEditsToPieces(pieces, firstPass);
      text = textOfPieces(original, pieces);
      const secondPass = randomEdits(next, text.length).filter((e) => !splitsPair(text, e));
      pieces = applyEditsToPieces(pieces, secondPass);
      const fixedText = textOfPieces(original, pieces);
      const out = bytesOfPieces(bytes, original, pieces)!;
      expect(out, `seed ${seed}`).toBeDefined();
      // Every kept range is byte-identical to the input and every insertion is its UTF-8. (Kept invalid
      // bytes may decode differently next to new neighbours; the bytes, not their decoding, are kept.)
      if (!decodeText(bytes).hadInvalidUtf8) expect(decodeText(out).text, `seed ${seed}`).toBe(fixedText);
      const mapped = utf16ToByteOffsets(bytes)!;
      const shift = decodeText(bytes).hadBom ? 1 : 0;
      let at = mapped.offsets[shift]!;
      expect(Buffer.from(out.subarray(0, at)).equals(Buffer.from(bytes.subarray(0, at))), `seed ${seed}: BOM`).toBe(true);
      for (const piece of pieces) {
        if ('text' in piece) {
          expect(Buffer.from(out.subarray(at, at + Buffer.byteLength(piece.text))).toString(), `seed ${seed}`).toBe(piece.text);
          at += Buffer.byteLength(piece.text);
          continue;
        }
        const from = mapped.offsets[piece.start + shift]!;
        const to = mapped.offsets[piece.end + shift]!;
        expect(Buffer.from(out.subarray(at, at + (to - from))).equals(Buffer.from(bytes.subarray(from, to))), `seed ${seed}`).toBe(true);
        at += to - from;
      }
      expect(at).toBe(out.byteLength);
    }
  });

  it('keeps invalid bytes, CRLF and the BOM around an edit exactly', () => {
    const before = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('# caf'), Buffer.from([0xe9, 0xff]), Buffer.from('\r\nproxy_read_timeout 30s;\r\n# '), Buffer.from([0xc0, 0x80])]);
    const original = decodeText(before).text;
    const start = original.indexOf('30s');
    const pieces = applyEditsToPieces([{ start: 0, end: original.length }], [{ file: 'f', start, end: start + 3, newText: '120s' }]);
    const after = Buffer.from(bytesOfPieces(before, original, pieces)!);
    expect(after.equals(Buffer.from(before.toString('latin1').replace('30s', '120s'), 'latin1'))).toBe(true);
  });

  it('refuses bytes that no longer decode to the text the fixes were made on', () => {
    expect(bytesOfPieces(Buffer.from('a;'), 'b;', [{ start: 0, end: 2 }])).toBeUndefined();
  });
});

/** Fixes never cut a surrogate pair in two; random edits that would are left out. */
function splitsPair(text: string, edit: TextEdit): boolean {
  const inside = (offset: number) => offset > 0 && offset < text.length && /[\ud800-\udbff]/.test(text[offset - 1]!) && /[\udc00-\udfff]/.test(text[offset]!);
  return inside(edit.start) || inside(edit.end);
}
